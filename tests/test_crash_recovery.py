"""Crash test on the real broker (issue 5, point 2): SIGKILL a worker mid-stream three times.

2,000 articles stream in over about 40 s; the worker is killed with SIGKILL at three random
points of the stream and restarted each time. Every valid id must reach ``articles.enriched``; the duplicates that
at-least-once delivery allows are counted and printed (``pytest -s`` shows them).
"""

from __future__ import annotations

import asyncio
import random
import subprocess
from pathlib import Path

import pytest

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
N_ARTICLES = 1600
KILLS = 3


async def test_no_article_is_lost_when_the_worker_is_killed(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    settings = run_settings(kafka_bootstrap, batch_size=32)
    await ensure_topics(settings)
    articles = generated_articles(N_ARTICLES)
    # ~50 articles/s for 32 s, so that every kill lands mid-stream
    stream = SteadyStream(settings, raw_records(articles), chunk=25, pause_s=0.5)
    chance = random.Random(20261126)
    log = tmp_path / "worker.log"
    worker: subprocess.Popen[bytes] = start_worker(settings, log)
    producing = asyncio.create_task(stream.run())
    for _ in range(KILLS):
        # long enough to load models (~5 s) and process some batches
        await asyncio.sleep(chance.uniform(6.0, 9.0))
        assert stream.sent < N_ARTICLES, "the stream ended before this kill; make it longer"
        worker.kill()
        worker.wait()
        worker = start_worker(settings, log)
    await producing
    try:
        want = {a["id"] for a in articles}
        seen = await consume_until(settings, want, 0, timeout_s=420)
    finally:
        stop_worker(worker)
    enriched = [v["id"] for _, v in seen[settings.topic_enriched]]
    missing = want - set(enriched)
    duplicates = len(enriched) - len(set(enriched))
    print(f"\ncrash test: {N_ARTICLES} articles, {KILLS} SIGKILLs, {duplicates} duplicates")
    assert not missing, f"{len(missing)} articles lost after {KILLS} kills; see {log}"
    assert set(enriched) <= want  # and nothing that was not sent
