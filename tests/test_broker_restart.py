"""Broker restart mid-stream (issue 5, point 4): the worker recovers by itself, nothing is lost.

This test needs a broker it may stop, so it always starts the project's own single-node broker
on ``NEWSENRICH_TEST_RESTART_KAFKA_PORT`` (default 19094), also when ``KAFKA_BOOTSTRAP_SERVERS``
points the other tests at an existing cluster.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.localbroker import LocalBroker
from streams.topics import ensure_topics
from tests.broker_helpers import (
    SteadyStream,
    consume_until,
    raw_records,
    run_settings,
    start_worker,
    stop_worker,
)
from tests.fixtures import generated_articles

pytestmark = pytest.mark.integration
N_ARTICLES = 1000


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[LocalBroker]:
    local = LocalBroker(
        os.environ.get("NEWSENRICH_TEST_RESTART_KAFKA_PORT", "19094"), tmp_path / "kafka"
    )
    local.start()
    try:
        yield local
    finally:
        local.stop()


async def test_the_worker_recovers_from_a_broker_restart(
    broker: LocalBroker, tmp_path: Path
) -> None:
    settings = run_settings(broker.bootstrap)
    await ensure_topics(settings)
    articles = generated_articles(N_ARTICLES)
    worker = start_worker(settings, tmp_path / "worker.log")

    stream = SteadyStream(settings, raw_records(articles), chunk=20, pause_s=0.5, patient=True)
    producing = asyncio.create_task(stream.run())
    try:
        await asyncio.sleep(10)  # the worker is up (ready in ~5 s) and busy
        await asyncio.to_thread(broker.stop)
        await asyncio.sleep(5)
        await asyncio.to_thread(broker.start)
        await producing
        seen = await consume_until(settings, {a["id"] for a in articles}, 0, timeout_s=300)
        assert worker.poll() is None, "the worker died instead of reconnecting"
    finally:
        stop_worker(worker)
    enriched = {v["id"] for _, v in seen[settings.topic_enriched]}
    missing = {a["id"] for a in articles} - enriched
    assert not missing, f"{len(missing)} articles lost across the broker restart; see {tmp_path}"
