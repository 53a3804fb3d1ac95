"""No silent loss on real-world input (issue 10), on the real broker.

(a) an output over the producer's limit is dead-lettered, its batch-mates are enriched;
(b) a batch held back over several commit intervals while later batches finish is never
    committed past: a SIGKILL then loses nothing;
(c) a 900 KB endless sentence is dead-lettered within its time budget while other articles
    keep flowing;
(d) SIGTERM while the pool is stuck on that article ends the worker within 30 s;
(e) SIGKILL of the worker's main process leaves no enrichment process behind;
(f) a worker started before its broker waits, then proceeds once the broker is up.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from streams.config import Settings
from streams.contracts import DEAD_LETTER, violations
from streams.localbroker import LocalBroker
from streams.topics import ensure_topics
from tests.broker_helpers import (
    SteadyStream,
    alive,
    consume_until,
    produce,
    raw_records,
    run_settings,
    start_worker,
    stop_worker,
    wait_for_pool,
)
from tests.fixtures import endless_sentence, generated_articles

pytestmark = pytest.mark.integration
MiB = 1_048_576


def _outcomes(
    settings: Settings, seen: dict[str, list[tuple[bytes, dict[str, Any]]]]
) -> dict[str, str]:
    """Article id -> "enriched" or the dead letter's reason."""
    out = {v["id"]: "enriched" for _, v in seen[settings.topic_enriched]}
    for _, letter in seen[settings.topic_dlq]:
        assert list(violations(DEAD_LETTER, letter)) == []
        out[letter["article_id"]] = letter["reason"]
    return out


async def _committed(settings: Settings) -> dict[int, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(settings.group_id)
    finally:
        await admin.close()
    return {
        tp.partition: meta.offset
        for tp, meta in offsets.items()
        if isinstance(tp, TopicPartition) and tp.topic == settings.topic_raw
    }


async def test_a_an_output_over_the_limit_is_dead_lettered_and_its_batch_mates_enriched(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    settings = run_settings(
        kafka_bootstrap, partitions=1, max_record_bytes=MiB, max_output_bytes=262_144
    )
    await ensure_topics(settings)
    normal = generated_articles(40)
    big = {"id": "big-1", "title": "Long", "text": "Nvidia liefert Chips. " * 10_000}
    articles = [*normal[:20], big, *normal[20:]]
    worker = start_worker(settings, tmp_path / "worker.log")
    try:
        await produce(settings, raw_records(articles))
        want = {a["id"] for a in normal}
        seen = await consume_until(settings, want, 1, timeout_s=180)
    finally:
        assert stop_worker(worker) < 30
    outcomes = _outcomes(settings, seen)
    assert outcomes == {**{i: "enriched" for i in want}, "big-1": "output_too_large"}


async def test_b_a_held_batch_is_never_committed_past_and_a_kill_loses_nothing(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    settings = run_settings(
        kafka_bootstrap,
        partitions=1,
        batch_size=8,
        pool_size=2,
        batches_in_flight=3,
        commit_interval_s=1.0,
        article_timeout_s=300.0,
        max_analysed_chars=MiB,
        max_record_bytes=MiB,
    )
    await ensure_topics(settings)
    normal = generated_articles(120)
    slow = endless_sentence("slow-1", 400_000)  # ~3.5 s in one process on this 2-core VM
    articles = [*normal[:4], slow, *normal[4:]]
    log = tmp_path / "worker.log"
    worker = start_worker(settings, log)
    wait_for_pool(worker, 2)
    await produce(settings, raw_records(articles))
    # Later batches finish while the slow article's batch is held in the other process.
    seen = await consume_until(settings, {a["id"] for a in normal[60:80]}, 0, timeout_s=120)
    held_since = time.monotonic()
    assert "slow-1" not in {v["id"] for _, v in seen[settings.topic_enriched]}, "not held"
    commits = []
    while time.monotonic() - held_since < 3.5 * settings.commit_interval_s:
        committed = (await _committed(settings)).get(0, -1)
        # Once the slow article's batch is done a commit past it is right, so each commit is
        # read before looking for that output: a commit past it seen before its output is a
        # commit past a held batch.
        if "slow-1" in _outcomes(settings, await consume_until(settings, {"slow-1"}, 0, 1.0)):
            break
        commits.append(committed)
        await asyncio.sleep(0.5)
    worker.kill()
    worker.wait()
    # The slow article is offset 4: nothing from it on may have been committed while it was held.
    assert all(c <= 4 for c in commits), f"committed past the held batch: {commits}"
    worker = start_worker(settings, log)
    try:
        want = {a["id"] for a in articles}
        seen = await consume_until(settings, want, 0, timeout_s=300)
    finally:
        stop_worker(worker)
    missing = want - set(_outcomes(settings, seen))
    assert not missing, f"{len(missing)} lost: {sorted(missing)[:5]}; see {log}"


async def test_c_a_slow_article_is_dead_lettered_within_budget_and_others_keep_flowing(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    budget = 5.0
    settings = run_settings(
        kafka_bootstrap,
        pool_size=2,
        article_timeout_s=budget,
        max_analysed_chars=MiB,
        max_record_bytes=MiB,
        batch_size=8,
        # every language of the fixtures loaded up front: no first-article model loads in
        # the stream, whose pauses are not what this test measures
        preload_languages="en,de,fr,es,it,pt",
    )
    await ensure_topics(settings)
    normal = generated_articles(300)
    slow = endless_sentence("endless-900k", 900_000)
    records = raw_records(normal[:40]) + raw_records([slow]) + raw_records(normal[40:])
    worker = start_worker(settings, tmp_path / "worker.log")
    wait_for_pool(worker, 2)
    stream = SteadyStream(settings, records, chunk=10, pause_s=1.0)
    producing = asyncio.create_task(stream.run())
    times: list[float] = []
    try:
        want = {a["id"] for a in normal}
        seen = await consume_until(settings, want, 1, timeout_s=240, times=times)
        await producing
    finally:
        assert stop_worker(worker) < 30
    outcomes = _outcomes(settings, seen)
    assert outcomes == {**{i: "enriched" for i in want}, "endless-900k": "enrichment_timeout"}
    times.sort()
    flowing = [t for t in times if t >= times[0] + 5]  # after the first batches' warm-up
    gap, since = max((b - a, a) for a, b in pairwise(flowing))
    print(
        f"\nlongest gap between outputs: {gap:.1f} s (budget {budget:g} s), from "
        f"{datetime.fromtimestamp(since, UTC).isoformat(timespec='milliseconds')}"
    )
    assert gap < budget + 5


async def test_d_e_sigterm_while_stuck_ends_in_30_s_and_sigkill_leaves_no_pool_process(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    settings = run_settings(
        kafka_bootstrap,
        pool_size=1,
        article_timeout_s=600.0,  # stuck for as long as the test needs
        max_analysed_chars=MiB,
        max_record_bytes=MiB,
    )
    await ensure_topics(settings)
    normal = generated_articles(30)
    slow = endless_sentence("endless-900k", 900_000)
    articles = [slow, *normal]
    log = tmp_path / "worker.log"

    # (d) SIGTERM while the only pool process is stuck on the endless sentence
    worker = start_worker(settings, log)
    pool = wait_for_pool(worker, 1)
    await produce(settings, raw_records(articles))
    await asyncio.sleep(5)  # the slow article is in the pool now
    took = stop_worker(worker, timeout_s=60)
    print(f"\nSIGTERM with the pool stuck: the worker exited in {took:.1f} s")
    assert took < 30, f"SIGTERM took {took:.1f} s"
    await asyncio.sleep(1)
    assert not [p for p in pool if alive(p)], "pool processes outlived a stopped worker"

    # (e) SIGKILL of the main process: its pool processes end with it
    worker = start_worker(settings, log)
    pool = wait_for_pool(worker, 1)
    await asyncio.sleep(3)
    worker.kill()
    worker.wait()
    await asyncio.sleep(5)
    assert not [p for p in pool if alive(p)], "pool processes outlived a SIGKILLed worker"

    # Uncommitted work is replayed: a worker with a short budget finishes everything.
    worker = start_worker(replace(settings, article_timeout_s=5.0), log)
    try:
        want = {a["id"] for a in normal}
        seen = await consume_until(settings, want, 1, timeout_s=240)
    finally:
        stop_worker(worker)
    outcomes = _outcomes(settings, seen)
    assert outcomes == {**{i: "enriched" for i in want}, "endless-900k": "enrichment_timeout"}


async def test_f_a_worker_started_before_its_broker_proceeds_once_it_is_up(
    tmp_path: Path,
) -> None:
    # A broker of its own, started late (also when the suite runs against a given cluster).
    broker = LocalBroker("19192", tmp_path / "late-kafka")
    settings = run_settings(broker.bootstrap, startup_timeout_s=300.0)
    log = tmp_path / "worker.log"
    worker = start_worker(settings, log)
    try:
        await asyncio.sleep(8)
        assert worker.poll() is None, f"the worker gave up without a broker: {log.read_text()}"
        broker.start()
        articles = generated_articles(20)
        await produce_when_ready(settings, raw_records(articles))
        seen = await consume_until(settings, {a["id"] for a in articles}, 0, timeout_s=180)
        assert {v["id"] for _, v in seen[settings.topic_enriched]} == {a["id"] for a in articles}
        assert "unreachable (attempt 2" in log.read_text()
    finally:
        stop_worker(worker)
        broker.stop()


async def produce_when_ready(settings: Settings, records: list[tuple[bytes | None, bytes]]) -> None:
    """Produce once the worker has created the topics (it does so when the broker is up)."""
    deadline = time.monotonic() + 120
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
        await admin.start()
        try:
            topics = set(await admin.list_topics())
        finally:
            await admin.close()
        if settings.topic_raw in topics or time.monotonic() > deadline:
            break
        await asyncio.sleep(1)
    await produce(settings, records)
