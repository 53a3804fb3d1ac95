"""The Faust application: topics and the enrichment agent, a thin shell around the core.

Delivery: at-least-once, and exactly one outcome per input. The agent takes a batch and hands
it to a task; up to ``batches_in_flight`` tasks run at once, so the pool enriches one batch
while the next fills and the previous one's outputs are sent. A task enriches its batch in the
pool, sends every output (enriched records, deals, dead letters), and waits until the broker
acknowledged each one (acks=all). Only then are its input messages released, and only in
offset order per partition (``streams.offsets.CommitGate``): Faust commits just the finished,
gap-free prefix. A failed send is retried, never acknowledged; a crash or a stop replays
whatever was not released. Messages Faust drops around a rebalance are read again and handled
in their place (``streams.refetch``).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import faust
from faust.types import TP, EventT

from streams.config import Settings
from streams.dead_letters import Source
from streams.ledger_table import attach_ledger
from streams.logs import configure as configure_logs
from streams.metrics import WorkerMetrics
from streams.offsets import CommitGate
from streams.pool import EnrichmentPool, PoolClosed
from streams.processing import InRecord, OutRecord, process_batch
from streams.refetch import GapFiller, RefetchedEvent
from streams.security import describe, faust_credentials

log = logging.getLogger(__name__)
SEND_RETRY_MAX_S = 30.0
STOP_GRACE_S = 10.0  # on SIGTERM, how long batches in flight may finish (Kubernetes gives 30 s)


class EnrichmentApp(faust.App):
    """A Faust app that, when it stops, stops its enrichment first: no new batch starts, the
    batches in flight get ``STOP_GRACE_S`` to finish (fewer replays on a normal scale-in),
    then pool processes are killed and what is left is abandoned (not acknowledged, so
    replayed later) instead of waited for: SIGTERM ends the worker within seconds in every
    state."""

    pool: EnrichmentPool
    batches: set[asyncio.Task[None]]
    metrics: WorkerMetrics
    stopping = False

    raw_topic: str

    def is_ready(self) -> bool:
        """Partitions of the raw topic assigned, no rebalance or table recovery under way,
        and the pool up."""
        assigned = bool(_assigned(self, self.raw_topic))
        return assigned and not (self.rebalancing or self.in_recovery) and self.pool.ready

    async def on_stop(self) -> None:
        self.stopping = True
        if self.batches:
            await asyncio.wait(list(self.batches), timeout=STOP_GRACE_S)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Faust warns about late configuration changes
            self.conf.stream_wait_empty = False  # the abandoned batches will never finish
        self.pool.close()
        for task in list(self.batches):
            task.cancel()
        await super().on_stop()


def create_app(settings: Settings, pool: EnrichmentPool | None = None) -> faust.App:
    """A Faust app wired to the topics in ``settings``, enriching in ``pool`` (by default a
    new one, as configured)."""
    datadir = Path(settings.data_dir) / settings.group_id
    datadir.mkdir(parents=True, exist_ok=True)
    app = EnrichmentApp(
        settings.group_id,
        # newsenrich:// is Faust's aiokafka transport with an idempotent producer (transport.py)
        broker=[f"newsenrich://{server}" for server in settings.bootstrap_servers.split(",")],
        key_serializer="raw",
        value_serializer="raw",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        producer_acks=-1,
        producer_max_request_size=settings.max_output_bytes,
        processing_guarantee=settings.processing_guarantee,
        broker_session_timeout=settings.session_timeout_s,
        broker_commit_interval=settings.commit_interval_s,
        broker_credentials=faust_credentials(settings),
        # On a rebalance, finish the batches in flight before giving partitions away (fewer
        # replays); on a stop, EnrichmentApp.on_stop turns this off.
        stream_wait_empty=True,
        web_enabled=settings.web_port > 0,
        web_port=max(settings.web_port, 1),
        web_host="0.0.0.0",
        # Where other workers forward /deals requests for pairs this worker owns.
        canonical_url=f"http://{settings.web_advertised_host or socket.gethostname()}:"
        f"{max(settings.web_port, 1)}",
        table_standby_replicas=settings.ledger_standby_replicas,
        datadir=str(datadir),
        autodiscover=False,
        store="memory://",
    )
    topics = {
        name: app.topic(name, partitions=settings.partitions, key_type=bytes, value_type=bytes)
        for name in settings.topics
    }
    app.pool = pool = pool or EnrichmentPool.for_settings(settings)
    app.batches = batches = set()
    app.raw_topic = settings.topic_raw
    app.metrics = metrics = WorkerMetrics(
        settings.topic_enriched, settings.topic_partnerships, settings.topic_dlq
    )
    if settings.processing_guarantee == "at_least_once":
        attach_ledger(app, settings, topics, metrics)
    else:
        _ledger_off(app)
    gate: CommitGate[EventT[bytes] | RefetchedEvent] = CommitGate()
    inputs = GapFiller(app, settings, settings.topic_raw)
    slots = asyncio.Semaphore(settings.batches_in_flight)
    log.info("broker: %s", describe(settings))

    async def send_all(outputs: Sequence[OutRecord]) -> None:
        """Send every output and wait for the broker's acknowledgements; retry until they
        are all acknowledged (a retry may duplicate records, never lose one)."""
        delay = 0.5
        while True:
            try:
                pending = [await topics[o.topic].send(key=o.key, value=o.value) for o in outputs]
                await asyncio.gather(*pending)
                return
            except Exception as exc:  # any send failure: retry, never ack
                log.error(
                    "sending %d outputs failed (%s: %s); retrying in %.1f s",
                    len(outputs),
                    type(exc).__name__,
                    exc,
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, SEND_RETRY_MAX_S)

    async def deliver(events: Sequence[EventT[bytes] | RefetchedEvent]) -> None:
        """Enrich and send one batch, then release its messages for committing."""
        started = time.monotonic()
        try:
            records = [
                InRecord(
                    event.value,
                    Source(
                        event.message.topic,
                        event.message.partition,
                        event.message.offset,
                        event.message.key,
                    ),
                )
                for event in events
            ]
            outputs = await process_batch(records, pool, settings)
            await send_all(outputs)
            metrics.batch_done(len(events), outputs, time.monotonic() - started)
        except PoolClosed:
            return  # stopping: not acknowledged, so replayed by the next owner
        except Exception as exc:
            # A bug, not bad input (that is dead-lettered): stop rather than commit past it.
            log.exception("a batch failed unexpectedly; stopping the worker, nothing is acked")
            await app.crash(exc)
            return
        finally:
            slots.release()
        for event in events:
            for ready in gate.done(event.message.tp, event.message.offset):
                ready.ack()

    @app.task  # type: ignore[untyped-decorator]  # faust's decorators are untyped
    async def start_pool() -> None:
        # Faust has set up logging by now: hold back storms of repeated connection errors.
        configure_logs(settings.log_format)
        await pool.start()
        log.info(
            "enrichment pool ready: %d process(es), languages %s", pool.size, settings.languages
        )

    # One actor: the batches in flight are its tasks, so offsets reach the gate in order.
    @app.agent(topics[settings.topic_raw], name="enrich")
    async def enrich(stream: faust.StreamT[bytes]) -> None:
        batches_of_events = stream.take_events(  # type: ignore[attr-defined]  # not in stubs
            settings.batch_size, within=settings.batch_window_s
        )
        async for events in batches_of_events:
            if app.stopping:
                # Held, never released: take_events' ack must not commit what never ran.
                for event in events:
                    event.message.incref()
                continue
            batch = await inputs.fill(events)
            for event in batch:
                if not isinstance(event, RefetchedEvent):
                    # Held: take_events acks when this loop body ends; the last ack is ours.
                    event.message.incref()
                gate.track(event.message.tp, event.message.offset, event)
            for i in range(0, len(batch), settings.batch_size):  # more only after a refetch
                await slots.acquire()
                task = asyncio.ensure_future(deliver(batch[i : i + settings.batch_size]))
                batches.add(task)
                task.add_done_callback(batches.discard)

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]
    async def forget_assigned(sender: Any, assigned: Iterable[TP], **_: Any) -> None:
        gate.forget(assigned)  # any state for them predates this assignment
        metrics.rebalances.inc()

    @app.page("/metrics")
    async def prometheus(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        metrics.pool_totals(pool.cpu_seconds, pool.restarts)
        assigned = _assigned(app, settings.topic_raw)
        metrics.set_lag(await _lag(app, assigned), assigned)
        return web.bytes(metrics.render(), content_type="text/plain; version=0.0.4")

    @app.page("/livez")
    async def livez(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        return web.json({"live": True})

    @app.page("/readyz")
    async def readyz(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        ready = app.is_ready()
        return web.json({"ready": ready}, status=200 if ready else 503)

    return app


LEDGER_OFF = (
    "the deal ledger runs only with NEWSENRICH_PROCESSING_GUARANTEE=at_least_once: it is "
    "idempotent per article, so exactly-once adds nothing to it, and with Faust's transactions "
    "its table recovery crashed or stalled workers after a rebalance (tests/test_exactly_once.py)"
)


def _ledger_off(app: faust.App) -> None:
    """Under exactly_once the worker enriches without the ledger; /deals says why."""
    log.warning("%s; /deals answers 501", LEDGER_OFF)

    @app.page("/deals")
    async def deals_off(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        return web.json({"error": LEDGER_OFF}, status=501)


def _assigned(app: faust.App, topic: str) -> list[tuple[str, int]]:
    """The worker's partitions of ``topic`` (Faust also assigns it internal topics)."""
    try:
        return sorted(
            (tp.topic, tp.partition) for tp in app.consumer.assignment() if tp.topic == topic
        )
    except Exception:  # not started yet
        return []


async def _lag(app: faust.App, assigned: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """High watermark minus position for each assigned partition the consumer knows both of."""
    lag: dict[tuple[str, int], int] = {}
    for topic, partition in assigned:
        tp = TP(topic, partition)
        try:
            highwater = app.consumer.highwater(tp)
            position = await app.consumer.position(tp)
        except Exception:  # not fetched yet, or revoked meanwhile
            continue
        if highwater is not None and position is not None and highwater >= 0:
            lag[(topic, partition)] = max(highwater - position, 0)
    return lag
