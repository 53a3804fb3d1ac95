"""10,000 generated payloads through decoding, validation and enrichment (issue 5, point 5),
and hostile shapes up to the input limit (issue 10).

Every payload must come out exactly once, as an enriched record or a dead letter that obeys its
schema, and no exception may escape. The batches go through ``process_batch``, the same
function the worker calls, with the real Enricher in this process instead of the pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.bench.hostile import SHAPES
from streams.config import Settings
from streams.contracts import DEAD_LETTER, ENRICHED_ARTICLE, violations
from streams.dead_letters import Source
from streams.enrich import MAX_ENTITIES, Enricher
from streams.outcomes import Outcome
from streams.processing import InRecord, process_batch

BATCH = 20
EXAMPLES = 500  # x BATCH = 10,000 payloads
CONFIG = Settings(max_record_bytes=4096, dlq_max_original_bytes=256)
ORGS = ["OpenAI", "Google Cloud", "Nvidia", "Meta", "Oracle", "AWS", "Mistral", "X", "Apple"]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
article_text = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from([*ORGS, "mietet", "GPUs", "bei", "from", "$5bn", "und", "\x00", "\u202e"]),
        max_size=60,
    ).map(" ".join),
    st.integers(1, 5000).map(lambda n: "a" * n),  # long runs of one character
    st.integers(1, 400).map(lambda n: " ".join(ORGS * n)[:4000]),  # thousands of candidate names
)
articles = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=40), "text": article_text},
    optional={
        "title": st.text(max_size=80),
        "schema_version": st.sampled_from([1, 2, "1", None]),
        "language": st.sampled_from(["de", "en", "xx", "", "zz-ZZ"]),
        "published_at": st.sampled_from(
            ["2026-01-01T00:00:00Z", "yesterday", "2026-13-40T99:00:00Z"]
        ),
    },
).map(orjson.dumps)
payloads = st.one_of(
    st.binary(max_size=200),
    json_values.map(orjson.dumps),
    articles,
    articles.map(lambda b: b[: max(1, len(b) // 2)]),  # cut short
    st.just(b"[" * 3000 + b"]" * 3000),  # deeply nested
    st.just(b'{"id": "big", "text": "' + b"x" * 10_000 + b'"}'),  # above the size limit
)


class InProcess:
    """The real core, called directly (the pool's interface)."""

    def __init__(self, enricher: Enricher) -> None:
        self.enricher = enricher

    async def enrich(self, batch: Sequence[dict[str, Any]]) -> list[Outcome]:
        return self.enricher.enrich_batch(batch)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=st.lists(payloads, min_size=BATCH, max_size=BATCH))
def test_every_payload_comes_out_once_and_valid(
    enricher: Enricher, batch: list[bytes | None]
) -> None:
    records = [
        InRecord(value, Source("raw", 0, offset, None)) for offset, value in enumerate(batch)
    ]
    out = asyncio.run(process_batch(records, InProcess(enricher), CONFIG))
    primary = [o for o in out if o.topic in (CONFIG.topic_enriched, CONFIG.topic_dlq)]
    assert len(primary) == len(batch)
    offsets = []
    for o in primary:
        value = orjson.loads(o.value)
        if o.topic == CONFIG.topic_dlq:
            assert list(violations(DEAD_LETTER, value)) == []
            offsets.append(value["source"]["offset"])
        else:
            assert list(violations(ENRICHED_ARTICLE, value)) == []
    assert len(set(offsets)) == len(offsets)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_hostile_shapes_up_to_the_input_limit_come_out_once_and_bounded(
    enricher: Enricher, shape: str
) -> None:
    settings = Settings()  # the defaults: 1 MiB input limit, 1,000,000-byte output limit
    sizes = [10_000, 200_000, settings.max_record_bytes - 100]
    records = [
        InRecord(
            _payload_of_at_most(n, f"{shape}-{n}", SHAPES[shape](n)), Source("raw", 0, i, None)
        )
        for i, n in enumerate(sizes)
    ]
    assert all(len(r.value or b"") <= settings.max_record_bytes for r in records)
    out = asyncio.run(process_batch(records, InProcess(enricher), settings))
    outcomes = [
        (o.topic, orjson.loads(o.value)) for o in out if o.topic != settings.topic_partnerships
    ]
    assert len(outcomes) == len(sizes)
    assert all(o.size() <= settings.max_output_bytes for o in out)
    for topic, value in outcomes:
        if topic == settings.topic_dlq:
            assert value["reason"] == "output_too_large", value["error"]
            assert list(violations(DEAD_LETTER, value)) == []
        else:
            assert list(violations(ENRICHED_ARTICLE, value)) == []
            assert len(value["entities"]) <= MAX_ENTITIES


def _payload_of_at_most(n_bytes: int, article_id: str, text: str) -> bytes:
    """The article as JSON, its text shortened until the payload fits in ``n_bytes``."""
    while True:
        payload = orjson.dumps({"id": article_id, "text": text})
        if len(payload) <= n_bytes:
            return payload
        text = text[: len(text) * (n_bytes - 64) // len(payload)]
