"""Turning raw bytes from ``articles.raw`` into a validated article dict, or a precise error.

Article ids: the input's ``id`` when given; otherwise ``u-`` + the first 24 hex digits of
sha256(url) when a url is given (the same story re-sent gets the same id), otherwise ``c-`` +
sha256(title + NUL + text)[:24], so an identical article always maps to one id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

from streams.contracts import RAW_ARTICLE, violations

METADATA_FIELDS = ("title", "url", "source", "published_at")


@dataclass(frozen=True)
class InputError(Exception):
    """Why one input could not be processed. ``reason`` is the dead-letter reason code."""

    reason: str
    detail: str

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}"


def derive_id(article: dict[str, Any]) -> str:
    """The article's id (see module docstring for the rule)."""
    if article.get("id"):
        return str(article["id"])
    if article.get("url"):
        return "u-" + hashlib.sha256(article["url"].encode()).hexdigest()[:24]
    content = f"{article.get('title', '')}\x00{article['text']}"
    return "c-" + hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def decode_article(raw: bytes | None, max_bytes: int) -> dict[str, Any]:
    """Decode and validate one raw record; return the article with its id set.

    Raises InputError with the dead-letter reason when the record is unusable.
    """
    if raw is None:
        raise InputError("invalid_json", "record has no value (tombstone)")
    if len(raw) > max_bytes:
        raise InputError("too_large", f"record is {len(raw)} bytes; the limit is {max_bytes}")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("invalid_utf8", f"byte {exc.start}: {exc.reason}") from None
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError("invalid_json", str(exc)) from None
    return validate_article(value)


def validate_article(value: Any) -> dict[str, Any]:
    """Validate a decoded JSON value against the raw-article schema; return it with ``id``."""
    if not isinstance(value, dict):
        raise InputError("not_an_object", f"expected a JSON object, got {type(value).__name__}")
    problems = list(violations(RAW_ARTICLE, value))
    if problems:
        raise InputError("schema_violation", "; ".join(problems[:5]))
    if "\x00" in value["text"]:
        raise InputError("schema_violation", "$.text: contains a NUL character")
    article = {k: value[k] for k in ("text", "language", *METADATA_FIELDS) if k in value}
    article["id"] = derive_id(value)
    return article
