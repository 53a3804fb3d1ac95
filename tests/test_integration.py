"""End to end on a real broker: produce raw articles, run a real worker, read every topic."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer

from streams.config import Settings
from streams.contracts import COMPUTE_PARTNERSHIP, DEAD_LETTER, ENRICHED_ARTICLE, violations
from streams.topics import ensure_topics
from tests.broker_helpers import (
    consume_until,
    produce,
    raw_records,
    run_settings,
    start_worker,
    stop_worker,
)
from tests.fixtures import MALFORMED, generated_articles

pytestmark = pytest.mark.integration
N_VALID = 220


@pytest.fixture
def settings(kafka_bootstrap: str) -> Settings:
    return run_settings(kafka_bootstrap)


@pytest.fixture
def worker(settings: Settings, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    proc = start_worker(settings, tmp_path / "worker.log")
    yield proc
    assert stop_worker(proc) < 30, "the worker did not stop within 30 s of SIGTERM"


async def test_worker_enriches_every_valid_article_and_dead_letters_the_rest(
    settings: Settings, worker: subprocess.Popen[bytes]
) -> None:
    await ensure_topics(settings)
    articles = generated_articles(N_VALID)
    records = raw_records(articles) + [(None, bad) for bad in MALFORMED]
    await produce(settings, records)

    want = {a["id"] for a in articles}
    seen = await consume_until(settings, want, len(MALFORMED), timeout_s=300)
    assert worker.poll() is None, "the worker exited during the test"

    enriched = {v["id"]: (k, v) for k, v in seen[settings.topic_enriched]}
    missing = {a["id"] for a in articles} - set(enriched)
    assert not missing, f"{len(missing)} valid articles never reached the enriched topic"
    for article in articles:
        key, record = enriched[article["id"]]
        assert key == article["id"].encode()
        assert list(violations(ENRICHED_ARTICLE, record)) == []
        assert record["language"]["code"] == article["expected_lang"]

    dead = seen[settings.topic_dlq]
    assert len(dead) == len(MALFORMED)
    for _, letter in dead:
        assert list(violations(DEAD_LETTER, letter)) == []
        assert letter["source"]["topic"] == settings.topic_raw
        assert letter["reason"] and letter["error"]
    assert {letter["reason"] for _, letter in dead} >= {
        "invalid_json",
        "invalid_utf8",
        "schema_violation",
        "not_an_object",
        "too_large",
    }

    deals = seen[settings.topic_partnerships]
    expected = [a for a in articles if a["expected_deal"]]
    found = {
        (v["article_id"], v["deal"]["provider"]["id"], v["deal"]["customer"]["id"])
        for _, v in deals
    }
    hits = sum((a["id"], *a["expected_deal"]) in found for a in expected)
    assert hits >= 0.9 * len(expected), f"only {hits}/{len(expected)} planted deals were published"
    for key, event in deals:
        assert list(violations(COMPUTE_PARTNERSHIP, event)) == []
        assert key.decode() == event["key"]


def test_broker_fixture_answers(kafka_bootstrap: str) -> None:
    async def probe() -> list[str]:
        consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap)
        await consumer.start()
        try:
            return sorted(await consumer.topics())
        finally:
            await consumer.stop()

    assert isinstance(asyncio.run(probe()), list)
