"""The enrichment pool replaces a process that dies and retries its batch (issue 5, point 6)."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from streams.enrich import Enriched
from streams.pool import EnrichmentPool
from tests.fixtures import generated_articles


def _children() -> list[int]:
    pids = []
    for children in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        pids += [int(pid) for pid in children.read_text().split()]
    return pids


async def test_a_killed_pool_process_is_replaced_and_nothing_is_lost() -> None:
    pool = EnrichmentPool(1, ["en"])
    before = set(_children())
    await pool.start()
    workers = set(_children()) - before
    assert workers, "the pool started no process"
    articles = [
        {k: v for k, v in a.items() if not k.startswith("expected_")}
        for a in generated_articles(300)
    ]
    try:
        batch = asyncio.create_task(pool.enrich(articles))
        await asyncio.sleep(0.2)  # the batch is in the process now
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        outcomes = await batch
        replacements = set(_children()) - before - workers
    finally:
        pool.close()
    assert replacements, "the killed process was not replaced (did the batch finish first?)"
    assert len(outcomes) == len(articles)
    assert all(isinstance(o, Enriched) for o in outcomes)
    assert [o.article_id for o in outcomes] == [a["id"] for a in articles]
