"""One batch of raw records in, output records out: the shell's logic without Kafka I/O.

Decoding and validation run here in the event-loop process (they are cheap); enrichment runs in
the pool. Every input yields exactly one of: an ``articles.enriched`` record (plus one
``compute-partnerships`` record per deal) or an ``articles.dlq`` record. Nothing is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from streams.articles import InputError, decode_article
from streams.config import Settings
from streams.dead_letters import Source, dead_letter
from streams.outcomes import Enriched, Outcome, partnership_events

log = logging.getLogger(__name__)
RECORD_OVERHEAD_BYTES = 128


class BatchEnricher(Protocol):
    """What enriches validated articles: the process pool in the worker."""

    async def enrich(self, articles: Sequence[dict[str, Any]]) -> list[Outcome]: ...


@dataclass(frozen=True)
class InRecord:
    value: bytes | None
    source: Source


@dataclass(frozen=True)
class OutRecord:
    topic: str
    key: bytes
    value: bytes
    reason: str | None = None  # a dead letter's reason, for metrics

    def size(self) -> int:
        """Bytes the record takes in a produce request: key, value and the record batch's
        overhead (at most 61 bytes of batch header plus 21 of record header)."""
        return len(self.key) + len(self.value) + RECORD_OVERHEAD_BYTES


async def process_batch(
    records: Sequence[InRecord], pool: BatchEnricher, settings: Settings
) -> list[OutRecord]:
    """Outputs for a batch of raw records (see module docstring)."""
    out: list[OutRecord] = []
    articles: list[dict[str, Any]] = []
    origins: list[InRecord] = []

    def to_dlq(
        record: InRecord, reason: str, error: str, stage: str, article_id: str | None = None
    ) -> None:
        letter = dead_letter(
            record.value,
            record.source,
            reason=reason,
            error=error,
            stage=stage,
            max_original_bytes=settings.dlq_max_original_bytes,
            article_id=article_id,
        )
        key = record.source.key or record.source.fallback_key.encode()
        out.append(OutRecord(settings.topic_dlq, key, orjson.dumps(letter), reason))
        source = record.source
        log.warning(
            "dead letter (%s) for %s partition %d offset %d: %s",
            reason,
            source.topic,
            source.partition,
            source.offset,
            error[:200],
            extra={
                "article_id": article_id,
                "topic": source.topic,
                "partition": source.partition,
                "offset": source.offset,
                "reason": reason,
            },
        )

    for record in records:
        try:
            articles.append(decode_article(record.value, settings.max_record_bytes))
            origins.append(record)
        except InputError as exc:
            stage = (
                "decode"
                if exc.reason in ("too_large", "invalid_utf8", "invalid_json")
                else "validate"
            )
            to_dlq(record, exc.reason, exc.detail, stage)

    for outcome, record in zip(await pool.enrich(articles), origins, strict=True):
        if isinstance(outcome, Enriched):
            outputs = [
                OutRecord(
                    settings.topic_enriched,
                    outcome.article_id.encode(),
                    orjson.dumps(outcome.record),
                ),
                *(
                    OutRecord(settings.topic_partnerships, pair_key.encode(), orjson.dumps(event))
                    for pair_key, event in partnership_events(outcome.record)
                ),
            ]
            largest = max(outputs, key=OutRecord.size)
            if largest.size() > settings.max_output_bytes:
                to_dlq(
                    record,
                    "output_too_large",
                    f"the {largest.topic} record would be {largest.size()} bytes, over the "
                    f"producer's limit of {settings.max_output_bytes} "
                    "(NEWSENRICH_MAX_OUTPUT_BYTES); nothing else was sent for this article",
                    "send",
                    outcome.article_id,
                )
            else:
                out.extend(outputs)
        else:
            to_dlq(record, outcome.reason, outcome.error, "enrich", outcome.article_id)
    return out
