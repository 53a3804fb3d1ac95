"""Ledger recovery: how long a new worker takes to serve a ledger of N deals that it has to
rebuild from the table's changelog topic, and what one deal costs in memory and on the broker.

The changelog is filled directly (one record per pair, as the ledger agent writes it), so the
measure is Faust's restore, not the enrichment that would have built it. Recovery time is from
starting the worker process until ``/readyz`` says ready (no table recovery under way), minus the
same for an empty ledger (start-up and model loading); then one ``GET /deals`` must count all N
deals, and its time is the cost of a query over the whole ledger.
"""

from __future__ import annotations

import asyncio
import copy
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import replace
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from streams.bench.endtoend import run_settings
from streams.config import Settings
from streams.ledger import fold
from streams.ledger_table import TABLE_NAME
from streams.procstats import rss_mb
from streams.topics import ensure_topics

TIMEOUT_S = 600.0
# One worker that others need not reach; no standby, so the recovery is a full replay.
LEDGER: dict[str, Any] = {"web_advertised_host": "127.0.0.1", "ledger_standby_replicas": 0}


def template_entry() -> dict[str, Any]:
    """A typical entry: one deal reported by three articles in two languages with a value."""
    reports = []
    for i, (language, day) in enumerate((("en", "01"), ("de", "02"), ("en", "09"))):
        reports.append(
            {
                "schema_version": 1,
                "key": "google-cloud|openai",
                "article_id": f"template-{i}",
                "detected_at": f"2026-03-{day}T10:00:00.000+00:00",
                "score": 0.8,
                "language": language,
                "title": "OpenAI rents TPU capacity from Google Cloud in a multi-year deal",
                "url": f"https://news{i}.example/openai-google-cloud-tpu-capacity",
                "published_at": f"2026-03-{day}T08:00:00Z",
                "deal": {
                    "provider": {"id": "google-cloud", "name": "Google Cloud"},
                    "customer": {"id": "openai", "name": "OpenAI"},
                    "resources": ["cloud", "tpu"],
                    "status": "signed",
                    "value": {"amount": 1e10, "currency": "USD", "text": "$10 billion"},
                    "capacity": None,
                    "duration": None,
                    "evidence": [],
                },
            }
        )
    (entry,) = fold(reports)
    return entry


def entries(n: int) -> list[tuple[bytes, bytes]]:
    """``n`` (key, value) changelog records, one pair each."""
    template = template_entry()
    records = []
    for i in range(n):
        entry = copy.deepcopy(template)
        pair = f"provider-{i % 997}|customer-{i}"
        entry.update(key=f"{pair}#1", pair=pair)
        entry["provider"] = {"id": f"provider-{i % 997}", "name": f"Provider {i % 997}"}
        entry["customer"] = {"id": f"customer-{i}", "name": f"Customer {i}"}
        records.append((pair.encode(), orjson.dumps([entry])))
    return records


async def _fill(settings: Settings, records: list[tuple[bytes, bytes]]) -> None:
    changelog = f"{settings.group_id}-{TABLE_NAME}-changelog"
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics(
            [
                NewTopic(
                    changelog, settings.partitions, 1, topic_configs={"cleanup.policy": "compact"}
                )
            ]
        )
    finally:
        await admin.close()
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        acks="all",
        linger_ms=20,
        max_batch_size=1 << 20,
    )
    await producer.start()
    try:
        pending = [await producer.send(changelog, value, key=key) for key, value in records]
        await asyncio.gather(*pending)
    finally:
        await producer.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> Any:
    """The JSON answer of a 200 response, else None."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as r:
            return orjson.loads(r.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def _serve(settings: Settings, n: int) -> tuple[float, float, float, float]:
    """Start a worker and wait until it is ready: (seconds, main process RSS MB when ready,
    seconds of the first and of a second ``GET /deals``, which must count ``n`` deals)."""
    port = _free_port()
    settings = replace(settings, web_port=port)
    env = {**os.environ, **settings.as_env()}
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while _get(port, "/readyz") is None:
            if time.monotonic() - started > TIMEOUT_S or proc.poll() is not None:
                raise RuntimeError(f"the worker was not ready in {TIMEOUT_S:g} s")
            time.sleep(0.1)
        ready_s = time.monotonic() - started
        rss = rss_mb(proc.pid)
        query_s = []
        for _ in range(2):  # the first query decodes every row once (RowCache), the next not
            asked = time.monotonic()
            answer = _get(port, "/deals?limit=1")
            query_s.append(time.monotonic() - asked)
            if answer is None or answer["total"] != n:
                raise RuntimeError(f"the ready worker did not serve {n} deals: {answer}")
        return ready_s, rss, query_s[0], query_s[1]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


async def measure_recovery(bootstrap: str, base: Settings, n: int) -> dict[str, float]:
    """Recovery time of an ``n``-deal ledger, and bytes per deal in memory and in the topic."""
    empty = run_settings(bootstrap, base, "ledger", **LEDGER)
    await ensure_topics(empty)
    empty_s, empty_rss, _, _ = await asyncio.to_thread(_serve, empty, 0)
    full = run_settings(bootstrap, base, "ledger", **LEDGER)
    await ensure_topics(full)
    records = entries(n)
    await _fill(full, records)
    full_s, full_rss, first_query_s, query_s = await asyncio.to_thread(_serve, full, n)
    topic_bytes = sum(len(k) + len(v) for k, v in records)
    memory_per_entry = max((full_rss - empty_rss) * 1e6 / n, 1.0)
    return {
        "entries": n,
        "recovery_s": round(full_s - empty_s, 2),
        "start_empty_s": round(empty_s, 2),
        "first_query_s": round(first_query_s, 2),
        "query_s": round(query_s, 2),
        "bytes_per_entry_topic": round(topic_bytes / n),
        "bytes_per_entry_memory": round(memory_per_entry),
        "entries_per_gb_memory": round(1e9 / memory_per_entry),
        "entries_per_gb_topic": round(1e9 * n / topic_bytes),
    }
