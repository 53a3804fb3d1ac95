"""What a worker tells Prometheus (``GET /metrics`` on its web port) and its health probes.

Labels stay bounded: a dead letter's reason, a topic and a partition; never an article id.
Counters that the pool keeps (enrichment CPU seconds, process restarts) and the consumer lag
are read when Prometheus scrapes, so they cost nothing between scrapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from streams.processing import OutRecord

BATCH_SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
BATCH_SECONDS_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class WorkerMetrics:
    """The worker's metrics in a registry of their own."""

    def __init__(self, topic_enriched: str, topic_partnerships: str, topic_dlq: str) -> None:
        self._topics = (topic_enriched, topic_partnerships, topic_dlq)
        self.registry = CollectorRegistry()
        r = self.registry
        self.consumed = Counter(
            "newsenrich_articles_consumed", "Input records taken from the raw topic", registry=r
        )
        self.enriched = Counter(
            "newsenrich_articles_enriched",
            "Enriched records acknowledged by the broker",
            registry=r,
        )
        self.dead_lettered = Counter(
            "newsenrich_articles_dead_lettered",
            "Dead letters acknowledged by the broker, by reason",
            ["reason"],
            registry=r,
        )
        self.deals = Counter(
            "newsenrich_deals_detected", "compute-partnerships records sent", registry=r
        )
        self.batch_size = Histogram(
            "newsenrich_batch_size",
            "Input records per batch",
            buckets=BATCH_SIZE_BUCKETS,
            registry=r,
        )
        self.batch_seconds = Histogram(
            "newsenrich_batch_seconds",
            "From a batch's arrival until the broker acknowledged all its outputs",
            buckets=BATCH_SECONDS_BUCKETS,
            registry=r,
        )
        self.cpu = Counter(
            "newsenrich_enrichment_cpu_seconds",
            "CPU seconds of the enrichment processes",
            registry=r,
        )
        self.pool_restarts = Counter(
            "newsenrich_pool_restarts",
            "Enrichment processes replaced (died or over budget)",
            registry=r,
        )
        self.rebalances = Counter(
            "newsenrich_rebalances",
            "Consumer-group rebalances this worker took part in",
            registry=r,
        )
        self.ledger_reports = Counter(
            "newsenrich_ledger_reports",
            "compute-partnerships reports the deal ledger took, by outcome: counted, replayed "
            "(already counted, nothing changed) or invalid (dead-lettered)",
            ["outcome"],
            registry=r,
        )
        self.lag = Gauge(
            "newsenrich_consumer_lag",
            "High watermark minus the consumer's position, per assigned partition",
            ["topic", "partition"],
            registry=r,
        )
        self._cpu_seen = 0.0
        self._restarts_seen = 0

    def batch_done(self, inputs: int, outputs: Sequence[OutRecord], seconds: float) -> None:
        """Count one batch whose outputs the broker acknowledged."""
        enriched, partnerships, dlq = self._topics
        self.consumed.inc(inputs)
        self.batch_size.observe(inputs)
        self.batch_seconds.observe(seconds)
        for out in outputs:
            if out.topic == enriched:
                self.enriched.inc()
            elif out.topic == partnerships:
                self.deals.inc()
            elif out.topic == dlq:
                self.dead_lettered.labels(out.reason or "unknown").inc()

    def ledger_done(self, outcomes: Iterable[str]) -> None:
        """Count a batch of ledger reports whose records the broker acknowledged."""
        for outcome in outcomes:
            self.ledger_reports.labels(outcome).inc()
            if outcome == "invalid":
                self.dead_lettered.labels("invalid_report").inc()

    def pool_totals(self, cpu_seconds: float, restarts: int) -> None:
        """Bring the pool's running totals into the counters."""
        self.cpu.inc(max(cpu_seconds - self._cpu_seen, 0.0))
        self._cpu_seen = max(cpu_seconds, self._cpu_seen)
        self.pool_restarts.inc(max(restarts - self._restarts_seen, 0))
        self._restarts_seen = max(restarts, self._restarts_seen)

    def set_lag(
        self, lag: Mapping[tuple[str, int], int], assigned: Iterable[tuple[str, int]]
    ) -> None:
        """Lag of the assigned partitions; partitions no longer assigned are dropped."""
        self.lag.clear()
        for topic, partition in assigned:
            if (topic, partition) in lag:
                self.lag.labels(topic, str(partition)).set(lag[(topic, partition)])

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)
