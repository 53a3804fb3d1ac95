"""Runs the enrichment core in worker processes, off the event loop.

Each pool process builds one ``Enricher`` at start-up (models preloaded), so Kafka polls and
heartbeats in the main process never wait for NLP. A batch is split into one chunk per process.
A process that dies (OOM kill, segfault in a model) breaks the pool: the pool is rebuilt and the
chunk retried; an article that breaks a fresh pool on its own is reported as failed.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from streams.enrich import Enricher, Failed, Outcome

log = logging.getLogger(__name__)
_enricher: Enricher | None = None


def _start_process(preload: Sequence[str]) -> None:
    global _enricher
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(processName)s %(levelname)s %(message)s"
    )
    _enricher = Enricher(preload=preload)


def _enrich_chunk(articles: Sequence[dict[str, Any]]) -> list[Outcome]:
    assert _enricher is not None, "pool process was not initialised"
    return _enricher.enrich_batch(articles)


def _ready() -> bool:
    return _enricher is not None


class EnrichmentPool:
    """``await pool.enrich(articles)`` -> outcomes in input order."""

    def __init__(self, size: int, preload: Sequence[str]) -> None:
        self.size = size
        self.preload = list(preload)
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        # spawn: the parent runs an event loop and threads, which fork would copy half-alive.
        return ProcessPoolExecutor(
            max_workers=self.size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_process,
            initargs=(self.preload,),
        )

    async def start(self) -> None:
        """Start every process and load its models before the first batch arrives."""
        loop = asyncio.get_running_loop()
        await asyncio.gather(
            *(loop.run_in_executor(self._executor, _ready) for _ in range(self.size))
        )

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    async def enrich(self, articles: Sequence[dict[str, Any]]) -> list[Outcome]:
        if not articles:
            return []
        n = min(self.size, len(articles))
        step = -(-len(articles) // n)
        chunks = [list(articles[i : i + step]) for i in range(0, len(articles), step)]
        results = await asyncio.gather(*(self._run_chunk(chunk) for chunk in chunks))
        return [outcome for chunk_result in results for outcome in chunk_result]

    async def _run_chunk(self, chunk: list[dict[str, Any]]) -> list[Outcome]:
        loop = asyncio.get_running_loop()
        executor = self._executor
        try:
            return await loop.run_in_executor(executor, _enrich_chunk, chunk)
        except BrokenProcessPool:
            log.error(
                "an enrichment process died; rebuilding the pool and retrying %d articles",
                len(chunk),
            )
            self._replace_executor(executor)
        outcomes: list[Outcome] = []
        for article in chunk:  # one by one, so a poison article only fails itself
            executor = self._executor
            try:
                outcomes.extend(await loop.run_in_executor(executor, _enrich_chunk, [article]))
            except BrokenProcessPool:
                self._replace_executor(executor)
                outcomes.append(
                    Failed(article["id"], "the enrichment process died on this article")
                )
        return outcomes

    def _replace_executor(self, broken: ProcessPoolExecutor) -> None:
        # Several chunks see the same breakage; only the first replaces the executor they used.
        if self._executor is broken:
            self._executor = self._new_executor()
            broken.shutdown(wait=False, cancel_futures=True)
