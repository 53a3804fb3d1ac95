"""The live ledger on the real broker (issue 13): the Faust table, ``compute-deals`` and HTTP.

(a) the ledger built from the stream equals the offline fold over the same reports, on the
    topic and over HTTP; (b) SIGKILL of a worker that owns ledger partitions mid-stream: the
    other takes over from the changelog, nothing counted twice or lost; (c) scaling 1 -> 2 -> 1
    with standby replicas: every HTTP answer is right during and after the moves; (d) a German
    and an English article of one deal end in one entry (real enrichment).
"""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.config import Settings
from streams.contracts import COMPUTE_DEAL, DEALS_PAGE, violations
from streams.ledger import fold
from streams.ledger_query import newest_first
from streams.topics import ensure_topics
from tests.broker_helpers import (
    free_port,
    http_get,
    produce,
    run_settings,
    start_worker,
    stop_worker,
    wait_ready,
)
from tests.ledger_reports import GERMAN_AND_ENGLISH, report, usd

pytestmark = pytest.mark.integration

PROVIDERS: list[dict[str, Any]] = [
    {"id": "aws", "name": "Amazon Web Services"},
    {"id": "coreweave", "name": "CoreWeave"},
    {"id": "nebius", "name": "Nebius"},
    {"id": "oracle", "name": "Oracle"},
]
CUSTOMERS: list[dict[str, Any]] = [
    {"id": "openai", "name": "OpenAI"},
    {"id": "anthropic", "name": "Anthropic"},
    {"id": "mistral-ai", "name": "Mistral AI"},
    {"id": None, "name": "Tiny Robots GmbH"},
]


def synthetic_reports(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` reports of the 16 pairs in time order; a tenth of the pairs' reports come a
    year later with three times the value (a second deal), and some figures disagree."""
    chance = random.Random(seed)
    reports = []
    for i in range(n):
        provider, customer = chance.choice(PROVIDERS), chance.choice(CUSTOMERS)
        later = chance.random() < 0.1
        day = chance.uniform(0, 90) + (400 if later else 0)
        value = usd(chance.choice([2, 2, 2.5]) * (3 if later else 1)) if i % 3 else None
        reports.append(
            report(
                f"art-{seed}-{i}",
                day,
                provider=provider,
                customer=customer,
                score=round(chance.uniform(0.35, 0.99), 3),
                language=chance.choice(["de", "en", "fr"]),
                status=chance.choice(["talks", "announced", "signed", "signed"]),
                value=value,
                url=f"https://news{i % 7}.example/{i}",
            )
        )
    reports.sort(key=lambda r: (r["published_at"], r["article_id"]))
    return reports


async def send_reports(settings: Settings, reports: list[dict[str, Any]]) -> None:
    """Write reports to ``compute-partnerships`` keyed by pair, as the enrich agent does."""
    records = [(item["key"].encode(), orjson.dumps(item)) for item in reports]
    await send_raw(settings, settings.topic_partnerships, records)


async def send_raw(settings: Settings, topic: str, records: list[tuple[bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, acks="all")
    await producer.start()
    try:
        for key, value in records:
            await producer.send(topic, value, key=key)
        await producer.flush()
    finally:
        await producer.stop()


async def read_topic(settings: Settings, topic: str, idle_s: float = 3.0) -> list[Any]:
    """Every (key, value) of ``topic``, read until it has been quiet for ``idle_s``."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    records: list[Any] = []
    try:
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < idle_s:
            batches = await consumer.getmany(timeout_ms=500)
            for messages in batches.values():
                records += [(m.key.decode(), orjson.loads(m.value)) for m in messages]
                quiet_since = time.monotonic()
    finally:
        await consumer.stop()
    return records


def latest(records: list[Any]) -> dict[str, Any]:
    """What a compacted topic keeps: the last value of each key."""
    return dict(records)


def by_key(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["key"]: e for e in entries}


def http_ledger(port: int) -> tuple[int, list[dict[str, Any]]]:
    """Every entry via ``GET /deals`` pages of 7 (status 200), else the first other status."""
    entries: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        status, body = http_get(port, f"/deals?limit=7&offset={offset}")
        if status != 200:
            return status, []
        page = json.loads(body)
        assert list(violations(DEALS_PAGE, page)) == []
        entries += page["deals"]
        offset = page["next_offset"]
    return 200, entries


async def eventually(check: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout_s} s: {what}")
        await asyncio.sleep(0.5)


def ledger_settings(bootstrap: str) -> Settings:
    return run_settings(bootstrap, web_advertised_host="127.0.0.1", ledger_standby_replicas=1)


def worker(settings: Settings, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """A worker with a web server of its own; (process, port)."""
    port = free_port()
    return start_worker(replace(settings, web_port=port), log), port


# --- (a) and (d): real articles through the enrich agent into the ledger ------------------


def dev_articles() -> list[dict[str, Any]]:
    root = Path(__file__).resolve().parent.parent
    lines = (root / "eval" / "dev_set.jsonl").read_text(encoding="utf-8").splitlines()
    return [{k: v for k, v in json.loads(line).items() if k != "gold"} for line in lines if line]


@pytest.fixture(scope="module")
def enriched_run(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One worker over the 120 dev articles and the German/English pair, five of them sent
    twice (replays); what reached compute-partnerships, compute-deals and GET /deals."""
    settings = ledger_settings(kafka_bootstrap)
    articles = [*dev_articles(), *GERMAN_AND_ENGLISH]
    records = [(a["id"].encode(), orjson.dumps(a)) for a in articles]
    log = tmp_path_factory.mktemp("ledger") / "worker.log"

    async def run() -> Any:
        await ensure_topics(settings)
        proc, port = worker(settings, log)
        try:
            wait_ready(port)
            await produce(settings, records + records[:5])
            reports: list[dict[str, Any]] = []

            def settled() -> bool:
                return http_ledger(port) == (200, fold(reports))

            deadline = time.monotonic() + 240
            while True:
                reports = [v for _, v in await read_topic(settings, settings.topic_partnerships)]
                ids = {v["id"] for _, v in await read_topic(settings, settings.topic_enriched, 1)}
                if ids >= {a["id"] for a in articles} and settled():
                    break
                assert time.monotonic() < deadline, f"the ledger did not settle; see {log}"
            deals = latest(await read_topic(settings, settings.topic_deals))
            return reports, deals, http_ledger(port)[1]
        finally:
            stop_worker(proc)

    return asyncio.run(run())


def test_a_the_streamed_ledger_equals_the_offline_fold(enriched_run: Any) -> None:
    reports, deals, served = enriched_run
    offline = fold(reports)
    assert len({r["article_id"] for r in reports}) >= 60  # the dev set's deals, and ours
    assert len(reports) > len({(r["article_id"], r["key"]) for r in reports})  # replays came
    assert deals == by_key(offline)  # the compacted topic's view
    assert served == offline  # GET /deals, all pages, same order
    for entry in deals.values():
        assert list(violations(COMPUTE_DEAL, entry)) == []


def test_d_a_german_and_an_english_report_of_one_deal_are_one_entry(enriched_run: Any) -> None:
    _, deals, _ = enriched_run
    (entry,) = [e for e in deals.values() if e["pair"] == "aws|anthropic"]  # one deal
    assert {"ledger-de-aws", "ledger-en-aws"} <= set(entry["seen"])  # (dev articles may too)
    assert {"de", "en"} <= set(entry["languages"])
    assert {"beispielkurier.example", "wire.example"} <= {
        s["name"] for s in entry["sources"]["top"]
    }


# --- (b) SIGKILL of a ledger owner mid-stream ---------------------------------------------


async def test_b_a_killed_owner_is_replaced_without_double_counting(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    settings = ledger_settings(kafka_bootstrap)
    await ensure_topics(settings)
    reports = synthetic_reports(900, seed=13)
    replays = random.Random(5).sample(reports, 60)
    first, first_port = worker(settings, tmp_path / "first.log")
    second, second_port = worker(settings, tmp_path / "second.log")
    try:
        wait_ready(first_port)
        wait_ready(second_port)
        await eventually(
            lambda: http_ledger(first_port)[0] == 200, 60, "both workers serve the ledger"
        )
        for i in range(0, len(reports), 30):
            await send_reports(settings, reports[i : i + 30])
            if i == 390:  # mid-stream, while reports are being folded
                first.kill()
                first.wait()
            await asyncio.sleep(0.3)
        await send_reports(settings, replays)
        await send_raw(settings, settings.topic_partnerships, [(b"aws|openai", b"not a report")])
        expected = fold(reports)
        served: list[Any] = []

        def whole() -> bool:
            served[:] = [http_ledger(second_port)]
            return bool(served[0] == (200, expected))

        try:
            await eventually(whole, 120, "the surviving worker serves the whole ledger")
        except AssertionError:
            status, entries = served[0]
            got = {e["key"]: e["report_count"] for e in entries}
            want = {e["key"]: e["report_count"] for e in expected}
            wrong = {k: (got.get(k), n) for k, n in want.items() if got.get(k) != n}
            raise AssertionError(
                f"status {status}; (served, expected) {wrong}; {tmp_path}"
            ) from None
        deals = latest(await read_topic(settings, settings.topic_deals))
        letters = [v for _, v in await read_topic(settings, settings.topic_dlq)]
    finally:
        first.kill()
        stop_worker(second)
    assert deals == by_key(expected)
    # at-least-once: a replay after the takeover may dead-letter it again, never anything else
    assert {(d["reason"], d["stage"], d["source"]["offset"]) for d in letters} == {
        ("invalid_report", "ledger", letters[0]["source"]["offset"])
    }
    counted = sum(e["report_count"] for e in expected)
    assert counted == len(reports)  # every report once: none lost, none twice
    assert any(e["deal_seq"] == 2 for e in expected)  # the stream also opened second deals


# --- (c) scaling 1 -> 2 -> 1 with standby replicas ------------------------------------------


class Watcher:
    """Asks workers for the ledger (all of it, and single pairs) over and over, in a thread,
    and records every answer: (port, status, whether a 200 answer was right)."""

    def __init__(self, expected: list[dict[str, Any]]) -> None:
        self.expected = expected
        self.pairs = {e["pair"]: [x for x in expected if x["pair"] == e["pair"]] for e in expected}
        self.ports: list[int] = []
        self.answers: list[tuple[int, int, bool]] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()  # held while a round of questions is asked
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        pairs = sorted(self.pairs)
        while not self._stop.is_set():
            with self._lock:
                self._ask_all(pairs)
            time.sleep(0.2)

    def _ask_all(self, pairs: list[str]) -> None:
        for port in self.ports:
            status, entries = http_ledger(port)
            self.answers.append((port, status, status != 200 or entries == self.expected))
            pair = pairs[len(self.answers) % len(pairs)]
            provider, customer = (urllib.parse.quote(p) for p in pair.split("|"))
            status, body = http_get(port, f"/deals/{provider}/{customer}")
            right = status != 200 or json.loads(body)["deals"] == newest_first(self.pairs[pair])
            self.answers.append((port, status, right))

    def watch(self, port: int) -> None:
        with self._lock:
            self.ports.append(port)

    def retire(self, port: int) -> None:
        """Stop asking ``port`` (before its worker stops)."""
        with self._lock:
            self.ports.remove(port)

    def recent(self, port: int, n: int = 4) -> list[tuple[int, int, bool]]:
        return [a for a in self.answers if a[0] == port][-n:]

    def settled(self, port: int) -> bool:
        """The last answers of ``port`` are all 200 and right."""
        last = self.recent(port)
        return len(last) == 4 and all(status == 200 and right for _, status, right in last)

    def __enter__(self) -> Watcher:
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._thread.join()


async def test_c_answers_stay_right_while_workers_come_and_go(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    settings = ledger_settings(kafka_bootstrap)
    await ensure_topics(settings)
    reports = synthetic_reports(300, seed=21)
    expected = fold(reports)
    first, first_port = worker(settings, tmp_path / "first.log")
    second = None
    try:
        wait_ready(first_port)
        await send_reports(settings, reports)
        await eventually(
            lambda: http_ledger(first_port) == (200, expected), 90, "one worker has the ledger"
        )
        with Watcher(expected) as watcher:
            watcher.watch(first_port)
            second, second_port = worker(settings, tmp_path / "second.log")  # 1 -> 2
            wait_ready(second_port)
            watcher.watch(second_port)
            await eventually(
                lambda: watcher.settled(first_port) and watcher.settled(second_port),
                90,
                "both workers answer right after scaling out",
            )
            moved_out = len(watcher.answers)
            watcher.retire(second_port)
            stop_worker(second)  # 2 -> 1
            await eventually(
                lambda: len(watcher.answers) > moved_out + 8 and watcher.settled(first_port),
                90,
                "the remaining worker answers right after scaling in",
            )
    finally:
        stop_worker(first)
        if second is not None:
            second.kill()
    wrong = [a for a in watcher.answers if not a[2]]
    unavailable = sum(1 for a in watcher.answers if a[1] != 200)
    print(f"\nscaling: {len(watcher.answers)} answers, {unavailable} not 200 (503 while moving)")
    assert not wrong, f"{len(wrong)} answers with a wrong ledger; see {tmp_path}"
    assert {a[1] for a in watcher.answers} <= {200, 503}
