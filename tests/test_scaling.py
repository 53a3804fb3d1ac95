"""Scale out and in on the real broker (issue 5, point 3).

Two workers share six partitions while articles stream in; a third joins mid-stream, then the
first is stopped. Nothing may be missing. The pause of each rebalance is the longest gap between
consecutive enrichments (``provenance.processed_at``) in the 30 s after the change, printed next
to the longest gap of the steady stream before it (``pytest -s`` shows the figures).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from streams.topics import ensure_topics
from tests.broker_helpers import (
    SteadyStream,
    consume_until,
    free_port,
    raw_records,
    run_settings,
    start_worker,
    stop_worker,
    wait_ready,
)
from tests.fixtures import generated_articles

pytestmark = pytest.mark.integration
N_ARTICLES = 1500
STREAM_S = 45.0


def longest_gap(times: list[datetime], start: datetime, seconds: float) -> float:
    window = [t for t in times if start <= t <= start + timedelta(seconds=seconds)]
    return max(((b - a).total_seconds() for a, b in pairwise(window)), default=seconds)


async def test_workers_share_partitions_and_the_group_scales_out_and_in(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    settings = run_settings(kafka_bootstrap, partitions=6)
    await ensure_topics(settings)
    articles = generated_articles(N_ARTICLES)
    ports = [free_port() for _ in range(3)]
    workers = [
        start_worker(replace(settings, web_port=ports[i]), tmp_path / f"worker{i + 1}.log")
        for i in (0, 1)
    ]
    for port in ports[:2]:  # both have joined, got partitions and loaded their models
        await asyncio.to_thread(wait_ready, port)

    # a steady flow, ~33 articles/s
    stream = SteadyStream(
        settings, raw_records(articles), chunk=15, pause_s=STREAM_S * 15 / N_ARTICLES
    )
    started = datetime.now(UTC)
    producing = asyncio.create_task(stream.run())
    await asyncio.sleep(15)
    scaled_out = datetime.now(UTC)
    workers.append(start_worker(replace(settings, web_port=ports[2]), tmp_path / "worker3.log"))
    await asyncio.sleep(15)
    scaled_in = datetime.now(UTC)
    stop_seconds = stop_worker(workers.pop(0))
    await producing
    try:
        seen = await consume_until(settings, {a["id"] for a in articles}, 0, timeout_s=300)
    finally:
        for worker in workers:
            stop_worker(worker)

    records = [v for _, v in seen[settings.topic_enriched]]
    missing = {a["id"] for a in articles} - {r["id"] for r in records}
    assert not missing, f"{len(missing)} articles missing after scaling; logs in {tmp_path}"
    times = sorted(datetime.fromisoformat(r["provenance"]["processed_at"]) for r in records)
    before = [
        r for r in records if datetime.fromisoformat(r["provenance"]["processed_at"]) < scaled_out
    ]
    sharing = {r["provenance"]["processed_by"] for r in before}
    assert len(sharing) == 2, f"two workers should share the partitions, saw {sharing}"
    duplicates = len(records) - len({r["id"] for r in records})
    print(
        f"\nscaling: steady longest gap {longest_gap(times, started, 14):.1f} s; "
        f"pause on scale-out {longest_gap(times, scaled_out, 30):.1f} s; "
        f"pause on scale-in {longest_gap(times, scaled_in, 30):.1f} s "
        f"(SIGTERM took {stop_seconds:.1f} s); duplicates {duplicates}"
    )
    assert stop_seconds < 30
