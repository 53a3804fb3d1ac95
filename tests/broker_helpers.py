"""Running real workers against the real broker: settings, worker processes, produce, consume."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaError

from streams.config import Settings


def run_settings(bootstrap: str, **overrides: Any) -> Settings:
    """Settings with topics and group of their own, so tests never see each other's records."""
    run = uuid.uuid4().hex[:8]
    values: dict[str, Any] = {
        "bootstrap_servers": bootstrap,
        "group_id": f"it-{run}",
        "topic_raw": f"it-{run}.raw",
        "topic_enriched": f"it-{run}.enriched",
        "topic_partnerships": f"it-{run}.partnerships",
        "topic_dlq": f"it-{run}.dlq",
        "partitions": 3,
        "batch_size": 16,
        "max_record_bytes": 262_144,
        "web_port": 0,
        "session_timeout_s": 10.0,
    }
    values.update(overrides)
    return Settings(**values)


def worker_env(settings: Settings) -> dict[str, str]:
    """The environment that makes ``newsenrich worker`` use ``settings``."""
    data_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"newsenrich-{uuid.uuid4().hex[:6]}"
    return {
        **os.environ,
        **replace(settings, log_level="warning", data_dir=str(data_dir)).as_env(),
    }


def start_worker(settings: Settings, log_path: Path) -> subprocess.Popen[bytes]:
    """A real worker process (``python -m streams.cli worker``), logging to ``log_path``."""
    log = open(log_path, "ab")  # noqa: SIM115  # closed with the process by the OS
    return subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "worker"],
        env=worker_env(settings),
        stdout=log,
        stderr=log,
    )


def stop_worker(proc: subprocess.Popen[bytes], timeout_s: float = 30.0) -> float:
    """SIGTERM, then wait; returns the seconds it took (killed and ``inf`` after the timeout)."""
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return float("inf")
    return time.monotonic() - started


def raw_records(articles: list[dict[str, Any]]) -> list[tuple[bytes | None, bytes]]:
    """(key, value) pairs for the raw topic, without the generator's ``expected_*`` fields."""
    return [
        (
            a["id"].encode(),
            orjson.dumps({k: v for k, v in a.items() if not k.startswith("expected_")}),
        )
        for a in articles
    ]


class SteadyStream:
    """Sends records in chunks with a pause between them, like live ingestion; ``sent`` says
    how far it got. With ``patient``, a chunk is retried while the broker is away."""

    def __init__(
        self,
        settings: Settings,
        records: list[tuple[bytes | None, bytes]],
        chunk: int,
        pause_s: float,
        patient: bool = False,
    ) -> None:
        self.settings, self.records = settings, records
        self.chunk, self.pause_s, self.patient = chunk, pause_s, patient
        self.sent = 0

    async def run(self) -> None:
        for i in range(0, len(self.records), self.chunk):
            await self._send(self.records[i : i + self.chunk])
            self.sent = min(i + self.chunk, len(self.records))
            await asyncio.sleep(self.pause_s)

    async def _send(self, records: list[tuple[bytes | None, bytes]]) -> None:
        while True:
            try:
                await produce(self.settings, records)
                return
            except (KafkaError, OSError):
                if not self.patient:
                    raise
                await asyncio.sleep(1)


async def produce(settings: Settings, records: list[tuple[bytes | None, bytes]]) -> None:
    """Send (key, value) pairs to the raw topic and wait for the broker's acknowledgements."""
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, acks="all")
    await producer.start()
    try:
        for key, value in records:
            await producer.send(settings.topic_raw, value, key=key)
        await producer.flush()
    finally:
        await producer.stop()


async def consume_until(
    settings: Settings,
    want_enriched: set[str],
    want_dlq: int,
    timeout_s: float,
    isolation_level: str = "read_uncommitted",
) -> dict[str, list[tuple[bytes, dict[str, Any]]]]:
    """Every record of the output topics, read until all wanted ids and dead letters arrived
    (``read_committed`` hides records of aborted transactions, for exactly-once)."""
    topics = [settings.topic_enriched, settings.topic_partnerships, settings.topic_dlq]
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
        fetch_max_bytes=50 * 1024 * 1024,
        isolation_level=isolation_level,
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
            if want_enriched <= enriched_ids and len(seen[settings.topic_dlq]) >= want_dlq:
                # give partnership records of the last batch a moment to arrive
                for tp, messages in (await consumer.getmany(timeout_ms=2000)).items():
                    seen[tp.topic].extend((m.key, orjson.loads(m.value)) for m in messages)
                break
    finally:
        await consumer.stop()
    return seen
