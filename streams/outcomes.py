"""What enriching an article gives, and the records that go on from it: plain data.

Kept apart from ``streams.enrich`` so that the worker's main process, which only moves these
between Kafka and the pool, never imports spaCy (a second earlier start, ~60 MB less).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Enriched:
    """An article that was enriched: the record for ``articles.enriched``."""

    article_id: str
    record: dict[str, Any]


@dataclass(frozen=True)
class Failed:
    """An article whose enrichment raised or ran out of time: it goes to the dead-letter topic
    with ``reason`` (``enrichment_failed`` or ``enrichment_timeout``)."""

    article_id: str
    error: str
    reason: str = "enrichment_failed"


Outcome = Enriched | Failed


def partnership_events(record: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(key, value) pairs for the ``compute-partnerships`` topic, one per detected deal.

    The key is ``<provider id>|<customer id>`` (the name as written when a party is not in the
    knowledge base), so a compacted topic keeps the latest report of each pair.
    """
    part = record["compute_partnership"]
    events = []
    for deal in part["deals"]:
        provider = deal["provider"]["id"] or deal["provider"]["name"]
        customer = deal["customer"]["id"] or deal["customer"]["name"]
        key = f"{provider}|{customer}"
        event: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "key": key,
            "article_id": record["id"],
            "detected_at": record["provenance"]["processed_at"],
            "score": part["score"],
            "language": record["language"]["code"],
            "deal": deal,
        }
        event.update({k: record[k] for k in ("title", "url", "published_at") if k in record})
        events.append((key, event))
    return events
