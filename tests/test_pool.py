"""The enrichment pool replaces a process that dies and retries its articles (issue 5, point 6)."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from streams.outcomes import Enriched, Failed
from streams.pool import EnrichmentPool
from tests.fixtures import endless_sentence, generated_articles, without_expectations


def _children() -> list[int]:
    """This process's pool processes (not multiprocessing's resource tracker)."""
    pids = []
    for children in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        pids += [int(pid) for pid in children.read_text().split()]
    return [p for p in pids if b"resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes()]


async def test_a_killed_pool_process_is_replaced_and_nothing_is_lost() -> None:
    pool = EnrichmentPool(1, ["en"])
    before = set(_children())
    await pool.start()
    workers = set(_children()) - before
    assert workers, "the pool started no process"
    articles = [without_expectations(a) for a in generated_articles(300)]
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


async def test_an_article_over_its_budget_times_out_alone_and_its_process_is_replaced() -> None:
    pool = EnrichmentPool(1, ["en"], article_timeout_s=1.0, max_chars=1_000_000)
    await pool.start()
    articles = [without_expectations(a) for a in generated_articles(4)]
    slow = endless_sentence("slow", 400_000)  # seconds of work, far over the budget
    try:
        outcomes = await pool.enrich([articles[0], slow, *articles[1:]])
    finally:
        pool.close()
    assert [type(o).__name__ for o in outcomes] == ["Enriched", "Failed", *["Enriched"] * 3]
    assert isinstance(outcomes[1], Failed) and outcomes[1].reason == "enrichment_timeout"
    assert pool.restarts == 1
