import re

import orjson
from jsonschema import Draft202012Validator

from streams.contracts import schema_dir


def test_every_schema_is_draft_2020_12_and_versioned() -> None:
    paths = sorted(schema_dir().rglob("*.schema.json"))
    assert len(paths) >= 5
    for path in paths:
        schema = orjson.loads(path.read_bytes())
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert re.search(r"/v\d+\.json$", schema["$id"]), path
        Draft202012Validator.check_schema(schema)
