"""Records for the dead-letter topic: what failed, why, where it came from, and the input."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Source:
    """Where a record was read: topic, partition, offset and its key."""

    topic: str
    partition: int
    offset: int
    key: bytes | None = None

    @property
    def fallback_key(self) -> str:
        return f"{self.topic}:{self.partition}:{self.offset}"


def dead_letter(
    original: bytes | None,
    source: Source,
    *,
    reason: str,
    error: str,
    stage: str,
    max_original_bytes: int,
    article_id: str | None = None,
) -> dict[str, Any]:
    """The dead-letter record for one input. Inputs over ``max_original_bytes`` keep only that
    many leading bytes, plus their full size and sha256, so the topic stays bounded."""
    data = original or b""
    kept = data[:max_original_bytes]
    record: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "reason": reason,
        "error": error,
        "stage": stage,
        "source": {
            "topic": source.topic,
            "partition": source.partition,
            "offset": source.offset,
            "key_b64": base64.b64encode(source.key).decode() if source.key is not None else None,
        },
        "original_b64": base64.b64encode(kept).decode(),
        "original_size": len(data),
        "original_sha256": hashlib.sha256(data).hexdigest(),
        "truncated": len(kept) < len(data),
        "failed_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }
    if article_id is not None:
        record["article_id"] = article_id
    return record
