"""Metrics and health probes: counted right in the core, and served right by a live worker."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from streams.metrics import WorkerMetrics
from streams.processing import OutRecord
from streams.topics import ensure_topics
from tests.broker_helpers import (
    consume_until,
    free_port,
    http_get,
    produce,
    raw_records,
    run_settings,
    start_worker,
    stop_worker,
)
from tests.fixtures import MALFORMED, generated_articles


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _total(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str) -> float:
    return sum(v for (n, _), v in samples.items() if n == name)


def test_a_batch_is_counted_by_topic_and_dead_letter_reason() -> None:
    metrics = WorkerMetrics("e", "p", "d")
    outputs = [
        OutRecord("e", b"1", b"{}"),
        OutRecord("p", b"a|b", b"{}"),
        OutRecord("d", b"2", b"{}", "invalid_json"),
        OutRecord("d", b"3", b"{}", "too_large"),
    ]
    metrics.batch_done(3, outputs, 0.2)
    metrics.pool_totals(cpu_seconds=1.5, restarts=1)
    metrics.pool_totals(cpu_seconds=2.0, restarts=1)
    metrics.set_lag({("raw", 0): 4, ("raw", 1): 0}, [("raw", 0), ("raw", 1)])
    samples = _samples(metrics.render().decode())
    assert _total(samples, "newsenrich_articles_consumed_total") == 3
    assert _total(samples, "newsenrich_articles_enriched_total") == 1
    assert _total(samples, "newsenrich_deals_detected_total") == 1
    assert samples[("newsenrich_articles_dead_lettered_total", (("reason", "too_large"),))] == 1
    assert _total(samples, "newsenrich_enrichment_cpu_seconds_total") == 2.0
    assert _total(samples, "newsenrich_pool_restarts_total") == 1
    assert samples[("newsenrich_consumer_lag", (("partition", "0"), ("topic", "raw")))] == 4
    assert _total(samples, "newsenrich_batch_seconds_count") == 1


def test_ledger_reports_are_counted_by_outcome_and_invalid_ones_as_dead_letters() -> None:
    metrics = WorkerMetrics("e", "p", "d")
    metrics.ledger_done(["counted", "counted", "replayed", "invalid"])
    samples = _samples(metrics.render().decode())
    ledger = "newsenrich_ledger_reports_total"
    assert samples[(ledger, (("outcome", "counted"),))] == 2
    assert samples[(ledger, (("outcome", "replayed"),))] == 1
    dead = ("newsenrich_articles_dead_lettered_total", (("reason", "invalid_report"),))
    assert samples[dead] == 1


@pytest.mark.integration
async def test_metrics_of_a_live_worker_add_up(kafka_bootstrap: str, tmp_path: Path) -> None:
    port = free_port()
    settings = run_settings(kafka_bootstrap, web_port=port)
    await ensure_topics(settings)
    articles = generated_articles(40)
    worker = start_worker(settings, tmp_path / "worker.log")
    try:
        await produce(settings, raw_records(articles) + [(None, bad) for bad in MALFORMED])
        await consume_until(settings, {a["id"] for a in articles}, len(MALFORMED), timeout_s=240)
        deadline = time.monotonic() + 60
        while True:
            samples = _samples(http_get(port, "/metrics")[1])
            lag = [v for (n, _), v in samples.items() if n == "newsenrich_consumer_lag"]
            done = (
                _total(samples, "newsenrich_articles_enriched_total") == len(articles)
                and _total(samples, "newsenrich_articles_dead_lettered_total") == len(MALFORMED)
                and lag
                and not any(lag)
            )
            if done or time.monotonic() > deadline:
                break
            await asyncio.sleep(1)
    finally:
        stop_worker(worker)
    assert _total(samples, "newsenrich_articles_enriched_total") == len(articles)
    assert _total(samples, "newsenrich_articles_dead_lettered_total") == len(MALFORMED)
    assert _total(samples, "newsenrich_articles_consumed_total") == len(articles) + len(MALFORMED)
    assert len(lag) == settings.partitions and not any(lag), f"lag {lag}"
    assert _total(samples, "newsenrich_enrichment_cpu_seconds_total") > 0


@pytest.mark.integration
async def test_readiness_is_false_during_a_rebalance_and_true_after(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    ports = free_port(), free_port()
    settings = run_settings(kafka_bootstrap)
    await ensure_topics(settings)
    first = start_worker(replace(settings, web_port=ports[0]), tmp_path / "1.log")
    second = None
    try:
        await _until(lambda: http_get(ports[0], "/readyz")[0] == 200, 120, "first worker ready")
        assert http_get(ports[0], "/livez")[0] == 200
        second = start_worker(replace(settings, web_port=ports[1]), tmp_path / "2.log")
        # The rebalance may last well under a second: poll every 20 ms.
        await _until(
            lambda: http_get(ports[0], "/readyz")[0] == 503, 120, "not ready in rebalance", 0.02
        )
        await _until(
            lambda: (
                http_get(ports[0], "/readyz")[0] == 200 and http_get(ports[1], "/readyz")[0] == 200
            ),
            120,
            "both ready after the rebalance",
        )
    finally:
        stop_worker(first)
        if second is not None:
            stop_worker(second)


async def _until(
    condition: Callable[[], bool], timeout_s: float, what: str, every_s: float = 0.1
) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for: {what}"
        await asyncio.sleep(every_s)
