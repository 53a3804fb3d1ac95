"""The JSON Schemas every topic obeys, loaded once and exposed as validators.

The schemas live in the repository's top-level ``schemas/`` folder; wheels carry a copy
inside the package (see ``[tool.hatch.build.targets.wheel.force-include]``).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

RAW_ARTICLE = "raw-article.schema.json"
ENRICHED_ARTICLE = "enriched-article.schema.json"
COMPUTE_PARTNERSHIP = "compute-partnership.schema.json"
COMPUTE_DEAL = "compute-deal.schema.json"
DEALS_PAGE = "deals-page.schema.json"
DEAD_LETTER = "dead-letter.schema.json"
KNOWLEDGE_BASE_ENTRY = "knowledge/knowledge-base-entry.schema.json"
ANNOTATED_ARTICLE = "eval/annotated-article.schema.json"
REAL_EXCERPT_LABEL = "eval/real-excerpt-label.schema.json"
PARTNERSHIP_LEXICON = "knowledge/partnership-lexicon.schema.json"
QUANTITIES = "knowledge/quantities.schema.json"
PARTNERSHIP_MODEL = "knowledge/partnership-model.schema.json"


def schema_dir() -> Path:
    """Folder holding the schemas: the packaged copy, else the source checkout's."""
    packaged = Path(__file__).parent / "schemas"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "schemas"


@cache
def _registry() -> Registry:
    # Registered under their $id, so that $refs between schemas resolve offline.
    resources = []
    for path in schema_dir().rglob("*.schema.json"):
        schema = _load(path)
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = orjson.loads(path.read_bytes())
    return loaded


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator (with format checks, e.g. RFC 3339 date-time) for one schema file."""
    schema = _load(schema_dir() / name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def violations(name: str, instance: Any) -> Iterator[str]:
    """Human-readable schema violations of ``instance``: ``"<json path>: <message>"``."""
    for error in sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path)):
        where = error.json_path if error.path else "$"
        message = error.message if len(error.message) <= 200 else error.message[:200] + "..."
        yield f"{where}: {message}"
