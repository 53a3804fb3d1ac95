"""End to end on a real broker: produce raw articles, run a real worker, read every topic."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.config import Settings
from streams.contracts import COMPUTE_PARTNERSHIP, DEAD_LETTER, ENRICHED_ARTICLE, violations
from streams.topics import ensure_topics
from tests.fixtures import MALFORMED, generated_articles

pytestmark = pytest.mark.integration
N_VALID = 220


@pytest.fixture
def settings(kafka_bootstrap: str) -> Settings:
    run = uuid.uuid4().hex[:8]
    return Settings(
        bootstrap_servers=kafka_bootstrap,
        group_id=f"it-{run}",
        topic_raw=f"it-{run}.raw",
        topic_enriched=f"it-{run}.enriched",
        topic_partnerships=f"it-{run}.partnerships",
        topic_dlq=f"it-{run}.dlq",
        partitions=3,
        batch_size=16,
        max_record_bytes=262_144,
        web_port=0,
    )


def _env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "KAFKA_BOOTSTRAP_SERVERS": settings.bootstrap_servers,
            "NEWSENRICH_GROUP_ID": settings.group_id,
            "NEWSENRICH_TOPIC_RAW": settings.topic_raw,
            "NEWSENRICH_TOPIC_ENRICHED": settings.topic_enriched,
            "NEWSENRICH_TOPIC_PARTNERSHIPS": settings.topic_partnerships,
            "NEWSENRICH_TOPIC_DLQ": settings.topic_dlq,
            "NEWSENRICH_PARTITIONS": str(settings.partitions),
            "NEWSENRICH_BATCH_SIZE": str(settings.batch_size),
            "NEWSENRICH_MAX_RECORD_BYTES": str(settings.max_record_bytes),
            "NEWSENRICH_WEB_PORT": "0",
            "NEWSENRICH_LOG_LEVEL": "warning",
        }
    )
    return env


@pytest.fixture
def worker(settings: Settings, tmp_path: Any) -> Iterator[subprocess.Popen[bytes]]:
    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "worker"], env=_env(settings), stdout=log, stderr=log
    )
    yield proc
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


async def _produce(settings: Settings, records: list[tuple[bytes | None, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, acks="all")
    await producer.start()
    try:
        for key, value in records:
            await producer.send(settings.topic_raw, value, key=key)
        await producer.flush()
    finally:
        await producer.stop()


async def _consume_until(
    settings: Settings, want_enriched: int, want_dlq: int, timeout_s: float
) -> dict[str, list[tuple[bytes, dict[str, Any]]]]:
    topics = [settings.topic_enriched, settings.topic_partnerships, settings.topic_dlq]
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
        fetch_max_bytes=50 * 1024 * 1024,
    )
    await consumer.start()
    seen: dict[str, list[tuple[bytes, dict[str, Any]]]] = {t: [] for t in topics}
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=1000)
            for tp, messages in batches.items():
                seen[tp.topic].extend((m.key, orjson.loads(m.value)) for m in messages)
            enriched_ids = {v["id"] for _, v in seen[settings.topic_enriched]}
            if len(enriched_ids) >= want_enriched and len(seen[settings.topic_dlq]) >= want_dlq:
                # give partnership records of the last batch a moment to arrive
                for tp, messages in (await consumer.getmany(timeout_ms=2000)).items():
                    seen[tp.topic].extend((m.key, orjson.loads(m.value)) for m in messages)
                break
    finally:
        await consumer.stop()
    return seen


async def test_worker_enriches_every_valid_article_and_dead_letters_the_rest(
    settings: Settings, worker: subprocess.Popen[bytes]
) -> None:
    await ensure_topics(settings)
    articles = generated_articles(N_VALID)
    records: list[tuple[bytes | None, bytes]] = []
    for article in articles:
        payload = {k: v for k, v in article.items() if not k.startswith("expected_")}
        records.append((article["id"].encode(), orjson.dumps(payload)))
    records += [(None, bad) for bad in MALFORMED]
    await _produce(settings, records)

    seen = await _consume_until(settings, N_VALID, len(MALFORMED), timeout_s=300)
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
