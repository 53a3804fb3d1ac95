"""The knowledge data files obey their schemas, and every cue is a valid regular expression."""

import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.contracts import PARTNERSHIP_LEXICON, PARTNERSHIP_MODEL, QUANTITIES, violations

DATA = Path(__file__).resolve().parent.parent / "streams" / "data"


def load(name: str) -> Any:
    return orjson.loads((DATA / name).read_bytes())


@pytest.mark.parametrize(
    ("file", "schema"),
    [
        ("partnership_lexicon.json", PARTNERSHIP_LEXICON),
        ("partnership_model.json", PARTNERSHIP_MODEL),
        ("quantities.json", QUANTITIES),
    ],
)
def test_data_file_obeys_its_schema(file: str, schema: str) -> None:
    assert list(violations(schema, load(file))) == []


def test_every_cue_compiles() -> None:
    def patterns(node: Any) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, list):
            return [p for item in node for p in patterns(item)]
        if isinstance(node, dict):
            return [p for value in node.values() for p in patterns(value)]
        return []

    lexicon = load("partnership_lexicon.json")
    lexicon.pop("about")
    lexicon.pop("provider_prior")
    for pattern in patterns(lexicon):
        re.compile(pattern)
