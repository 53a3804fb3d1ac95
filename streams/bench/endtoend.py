"""End-to-end runs through a real broker: start workers, produce a corpus, time what comes out."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.config import Settings
from streams.procstats import ProcStat, stat, tree
from streams.topics import ensure_topics

WORKER = [sys.executable, "-m", "streams.cli", "worker"]
NAIVE = [sys.executable, "-m", "streams.bench.naive"]


@dataclass(frozen=True)
class Scenario:
    name: str
    workers: int = 1
    pool_size: int = 1
    command: tuple[str, ...] = tuple(WORKER)
    rate: float | None = None  # articles/s; None produces the whole corpus at once (a backlog)


@dataclass
class Result:
    name: str
    articles: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)
    processes: list[ProcStat]

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    def latency(self, quantile: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]


def run_settings(bootstrap: str, base: Settings, name: str, **overrides: Any) -> Settings:
    """``base`` with a group and topics of this bench run's own, quiet logs and a fresh data
    folder; ``overrides`` set the rest."""
    run = f"bench-{name}-{uuid.uuid4().hex[:6]}"
    return replace(
        base,
        bootstrap_servers=bootstrap,
        group_id=run,
        topic_raw=f"{run}.raw",
        topic_enriched=f"{run}.enriched",
        topic_partnerships=f"{run}.partnerships",
        topic_dlq=f"{run}.dlq",
        topic_deals=f"{run}.deals",
        log_level="warning",
        data_dir=tempfile.mkdtemp(prefix="newsenrich-bench-"),
        **overrides,
    )


async def run(
    bootstrap: str, scenario: Scenario, articles: list[dict[str, Any]], base: Settings
) -> Result:
    """Start the scenario's workers, warm them up, send the corpus, and time its enrichment."""
    settings = run_settings(
        bootstrap, base, scenario.name, pool_size=scenario.pool_size, web_port=0
    )
    await ensure_topics(settings)
    env = {**os.environ, **settings.as_env()}
    procs = [
        subprocess.Popen(list(scenario.command), env=env, stdout=subprocess.DEVNULL)
        for _ in range(scenario.workers)
    ]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    consumer = AIOKafkaConsumer(
        settings.topic_enriched,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        group_id=None,
        fetch_max_bytes=50 * 1024 * 1024,
    )
    await producer.start()
    await consumer.start()
    try:
        await _warm_up(producer, consumer, settings, scenario.workers * scenario.pool_size)
        cpu_before = {p: s.cpu_s for proc in procs for p in tree(proc.pid) if (s := stat(p))}
        sent: dict[str, float] = {}
        started = time.time()
        for i, article in enumerate(articles):
            if scenario.rate:
                await asyncio.sleep(max(0.0, started + i / scenario.rate - time.time()))
            sent[article["id"]] = time.time()
            await producer.send(
                settings.topic_raw, orjson.dumps(article), key=article["id"].encode()
            )
        await producer.flush()
        done = await _collect(consumer, set(sent), timeout_s=60 + 5 * len(articles))
        stats = [s for proc in procs for p in tree(proc.pid) if (s := stat(p))]
    finally:
        await producer.stop()
        await consumer.stop()
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
    latencies = [1000 * (done[i] - sent[i]) for i in sent]
    processes = [replace(s, cpu_s=round(s.cpu_s - cpu_before.get(s.pid, 0.0), 2)) for s in stats]
    return Result(scenario.name, len(articles), max(done.values()) - started, latencies, processes)


async def _warm_up(
    producer: AIOKafkaProducer, consumer: AIOKafkaConsumer, settings: Settings, processes: int
) -> None:
    """Send small articles until every enrichment process has answered (models are loaded and
    partitions assigned), so that start-up is not timed."""
    seen_by: set[str] = set()
    deadline = time.monotonic() + 300
    round_ = 0
    while time.monotonic() < deadline:
        wanted = {f"warm-{round_}-{k}" for k in range(8)}
        for article_id in sorted(wanted):
            text = "OpenAI mietet Rechenleistung bei Google Cloud, heißt es in einem Bericht."
            await producer.send(
                settings.topic_raw,
                orjson.dumps({"id": article_id, "text": text}),
                key=article_id.encode(),
            )
        await producer.flush()
        round_ += 1
        # one round at a time: wait for its answers before sending more
        round_deadline = time.monotonic() + 30
        while wanted and time.monotonic() < min(deadline, round_deadline):
            for batch in (await consumer.getmany(timeout_ms=1000)).values():
                for message in batch:
                    value = orjson.loads(message.value)
                    wanted.discard(value["id"])
                    seen_by.add(value.get("provenance", {}).get("processed_by", "naive"))
        if not wanted and (seen_by == {"naive"} or len(seen_by) >= processes):
            return
    raise TimeoutError("the workers did not answer within 300 s")


async def _collect(consumer: AIOKafkaConsumer, ids: set[str], timeout_s: float) -> dict[str, float]:
    """Broker timestamps (s) of the first enriched record of each id."""
    done: dict[str, float] = {}
    deadline = time.monotonic() + timeout_s
    while len(done) < len(ids) and time.monotonic() < deadline:
        for batch in (await consumer.getmany(timeout_ms=1000)).values():
            for message in batch:
                article_id = orjson.loads(message.value)["id"]
                if article_id in ids and article_id not in done:
                    done[article_id] = message.timestamp / 1000
    if len(done) < len(ids):
        raise TimeoutError(f"only {len(done)} of {len(ids)} articles came out in {timeout_s} s")
    return done
