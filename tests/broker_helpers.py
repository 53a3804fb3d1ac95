"""Running real workers against the real broker: settings, worker processes, produce, consume."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaError

from streams.config import Settings
from tests.fixtures import without_expectations


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
        "topic_deals": f"it-{run}.deals",
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
            orjson.dumps(without_expectations(a)),
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
    times: list[float] | None = None,
) -> dict[str, list[tuple[bytes, dict[str, Any]]]]:
    """Every record of the output topics, read until all wanted ids and dead letters arrived
    (``read_committed`` hides records of aborted transactions, for exactly-once). ``times``
    collects each record's timestamp (when the worker sent it), in seconds."""
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
                if times is not None:
                    times.extend(m.timestamp / 1000 for m in messages)
            enriched_ids = {v["id"] for _, v in seen[settings.topic_enriched]}
            if want_enriched <= enriched_ids and len(seen[settings.topic_dlq]) >= want_dlq:
                # give partnership records of the last batch a moment to arrive
                for tp, messages in (await consumer.getmany(timeout_ms=2000)).items():
                    seen[tp.topic].extend((m.key, orjson.loads(m.value)) for m in messages)
                break
    finally:
        await consumer.stop()
    return seen


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, ...)."""
    found: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids = [int(k) for k in children.read_text().split()]
        except OSError:
            continue  # the task ended while we read
        for kid in kids:
            found += [kid, *descendants(kid)]
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_for_pool(proc: subprocess.Popen[bytes], n: int, timeout_s: float = 120) -> list[int]:
    """The worker's pool processes, once ``n`` of them run (models take a while to load)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        pool = [p for p in descendants(proc.pid) if "spawn_main" in _cmdline(p)]
        if len([p for p in pool if "resource_tracker" not in _cmdline(p)]) >= n:
            return pool
        time.sleep(0.5)
    raise AssertionError(f"the worker did not start {n} pool processes in {timeout_s} s")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def free_port() -> int:
    """A TCP port nobody listens on right now (for a worker's web server)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(port: int, path: str) -> tuple[int, str]:
    """(status, body) of a GET on a local worker's web server; (0, "") when it does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""


def wait_ready(port: int, timeout_s: float = 180) -> None:
    """Return once the worker on ``port`` answers /readyz with 200 (partitions, pool up)."""
    deadline = time.monotonic() + timeout_s
    while http_get(port, "/readyz")[0] != 200:
        if time.monotonic() > deadline:
            raise AssertionError(f"the worker on port {port} was not ready in {timeout_s} s")
        time.sleep(0.2)
