"""Runs the enrichment core in worker processes, off the event loop, with a time budget.

Each process builds one ``Enricher`` at start-up (models preloaded), so Kafka polls and
heartbeats in the main process never wait for NLP. Articles are handed out one at a time to
whichever process is idle, so one process's slow article never holds up the others, and each
article has its own budget:

* an article still running ``article_timeout_s`` after it started (a language's first article
  loads its model before that) is reported as ``enrichment_timeout``,
  and its process is killed and replaced;
* a process that dies under an article (OOM kill, segfault in a model) is replaced and the
  article retried once on the fresh process; if that dies too, the article is reported as
  failed.

Processes die with the worker: Linux's parent-death signal, and a watchdog thread for when the
parent is gone some other way, end a process whose parent is no longer there.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from streams.config import Settings
from streams.outcomes import Failed, Outcome

# streams.enrich (spaCy) is imported by the pool processes only: the worker imports this module
# first, to start them before it connects (EnrichmentPool.launch).

log = logging.getLogger(__name__)
START_TIMEOUT_S = 180.0  # loading models: at a process's start, or a language's first article
_PR_SET_PDEATHSIG = 1
_WATCHDOG_PERIOD_S = 1.0


class PoolClosed(Exception):
    """The pool was closed (the worker is shutting down) while articles were in it."""


def _die_with_parent(parent_pid: int) -> None:
    """End this process as soon as its parent is gone."""
    with contextlib.suppress(OSError, AttributeError):  # Linux only; the watchdog covers the rest
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(_WATCHDOG_PERIOD_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)


def _serve(conn: Connection, preload: Sequence[str], parent_pid: int, max_chars: int) -> None:
    """A pool process: load the models, then enrich one article per request until EOF."""
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(processName)s %(levelname)s %(message)s"
    )
    from streams.enrich import Enricher

    enricher = Enricher(preload=preload, max_chars=max_chars)
    conn.send("ready")
    while True:
        try:
            article = conn.recv()
        except EOFError:
            return
        try:
            enricher.prepare(article)
        except Exception:  # enrich_batch reports it as the article's failure
            log.exception("preparing article %s failed", article.get("id"))
        conn.send("started")  # the article's time budget starts now, after any model load
        cpu = time.process_time()
        outcome = enricher.enrich_batch([article])[0]
        conn.send((outcome, time.process_time() - cpu))


class _Process:
    """One pool process and the parent's end of its pipe."""

    def __init__(self, preload: Sequence[str], max_chars: int) -> None:
        context = multiprocessing.get_context("spawn")  # the parent runs threads and a loop
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve,
            args=(child, list(preload), os.getpid(), max_chars),
            name="enrich",
            daemon=True,
        )
        self.process.start()
        child.close()

    async def receive(self, timeout: float) -> Any:
        """The next message, or ``TimeoutError``; ``EOFError`` when the process died."""
        loop = asyncio.get_running_loop()
        if not self.conn.poll():
            readable: asyncio.Future[None] = loop.create_future()
            fd = self.conn.fileno()

            def wake() -> None:
                if not readable.done():
                    readable.set_result(None)

            loop.add_reader(fd, wake)
            try:
                await asyncio.wait_for(readable, timeout)
            finally:
                loop.remove_reader(fd)
        return self.conn.recv()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class EnrichmentPool:
    """``await pool.enrich(articles)`` -> one outcome per article, in input order."""

    def __init__(
        self,
        size: int,
        preload: Sequence[str],
        article_timeout_s: float = 30.0,
        max_chars: int = 100_000,
    ) -> None:
        self.size = size
        self.preload = list(preload)
        self.article_timeout_s = article_timeout_s
        self.max_chars = max_chars
        self.restarts = 0  # processes replaced: died, or over the time budget
        self.cpu_seconds = 0.0  # enrichment CPU time of all processes, for metrics
        self.started = False
        # Idle processes; ``None`` is put in on close, to wake whoever waits for a process.
        # Made here, not in start(): a batch that arrives before the pool is up waits for it.
        self._idle: asyncio.Queue[_Process | None] = asyncio.Queue()
        self._all: set[_Process] = set()
        self._launched: list[_Process] = []
        self._closed = False

    @classmethod
    def for_settings(cls, settings: Settings) -> EnrichmentPool:
        """The worker's pool, as configured."""
        return cls(
            settings.pool_size,
            settings.languages,
            article_timeout_s=settings.article_timeout_s,
            max_chars=settings.max_analysed_chars,
        )

    def launch(self) -> None:
        """Start the processes now, so that they load their models while the worker imports
        Faust and joins its group (a worker is ready ~2 s sooner); ``start`` waits for them."""
        while len(self._launched) < self.size:
            process = _Process(self.preload, self.max_chars)
            self._all.add(process)
            self._launched.append(process)

    async def start(self) -> None:
        """Start every process (unless launched) and wait until each has loaded its models."""
        launched, self._launched = self._launched, []
        fresh = [None] * (self.size - len(launched))
        ready = await asyncio.gather(*(self._spawn(p) for p in [*launched, *fresh]))
        for process in ready:
            self._idle.put_nowait(process)
        self.started = True

    async def _spawn(self, launched: _Process | None = None) -> _Process:
        process = launched or _Process(self.preload, self.max_chars)
        self._all.add(process)
        try:
            if await process.receive(START_TIMEOUT_S) != "ready":
                raise RuntimeError("an enrichment process did not start")
        except BaseException:
            self._discard(process)
            raise
        if self._closed:
            self._discard(process)
            raise PoolClosed
        return process

    def _discard(self, process: _Process) -> None:
        self._all.discard(process)
        process.kill()

    @property
    def ready(self) -> bool:
        """Started, not closed, and at least one process alive."""
        return self.started and not self._closed and bool(self._all)

    def close(self) -> None:
        """Kill every process now; articles still in the pool raise ``PoolClosed``."""
        self._closed = True
        for process in list(self._all):
            self._discard(process)
        self._idle.put_nowait(None)

    async def enrich(self, articles: Sequence[dict[str, Any]]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._enrich_one(a) for a in articles)))

    async def _enrich_one(self, article: dict[str, Any]) -> Outcome:
        for attempt in (1, 2):
            outcome = await self._attempt(article)
            if outcome is not None:
                return outcome
            log.error(
                "an enrichment process died on article %s (attempt %d)", article["id"], attempt
            )
        return Failed(article["id"], "the enrichment process died on this article")

    async def _attempt(self, article: dict[str, Any]) -> Outcome | None:
        """The article's outcome, or None when its process died under it."""
        if self._closed:
            raise PoolClosed
        process = await self._idle.get()
        if process is None:
            self._idle.put_nowait(None)  # for the next waiter
            raise PoolClosed
        healthy = False
        try:
            process.conn.send(article)
            if await process.receive(START_TIMEOUT_S) != "started":
                raise EOFError("unexpected message from an enrichment process")
            outcome, cpu_seconds = await process.receive(self.article_timeout_s)
            self.cpu_seconds += cpu_seconds
            healthy = True
            return outcome  # type: ignore[no-any-return]  # what _serve sends
        except TimeoutError:
            log.error(
                "article %s took longer than %.0f s: dead-lettered, its process replaced",
                article["id"],
                self.article_timeout_s,
            )
            return Failed(
                article["id"],
                f"enrichment took longer than the {self.article_timeout_s:g} s budget",
                reason="enrichment_timeout",
            )
        except (EOFError, OSError):
            return None
        finally:
            if healthy:
                self._idle.put_nowait(process)
            else:
                self._replace(process)

    def _replace(self, process: _Process) -> None:
        self._discard(process)
        if self._closed:
            return
        self.restarts += 1
        self._respawn()

    def _on_spawned(self, task: asyncio.Task[_Process]) -> None:
        if task.cancelled() or self._closed:
            return
        if task.exception() is not None:
            # Try again shortly rather than running with one process fewer for good.
            log.error("could not start an enrichment process: %s", task.exception())
            asyncio.get_running_loop().call_later(1.0, self._respawn)
            return
        self._idle.put_nowait(task.result())

    def _respawn(self) -> None:
        if not self._closed:
            asyncio.get_running_loop().create_task(self._spawn()).add_done_callback(
                self._on_spawned
            )
