"""The Faust application: topics and the enrichment agent, a thin shell around the core.

Delivery: at-least-once by default. The agent takes a batch, enriches it in the process pool,
sends every output and waits until the broker acknowledged each one (acks=all); only then does
the batch's input offset become committable (``take_events`` acks the events when the loop body
finishes, and Faust flushes the producer before each commit). A crash before that replays the
batch; outputs are keyed by article id, so replays overwrite rather than add in compacted topics.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import faust

from streams.config import Settings
from streams.dead_letters import Source
from streams.pool import EnrichmentPool
from streams.processing import InRecord, process_batch
from streams.security import describe, faust_credentials

log = logging.getLogger(__name__)


def create_app(settings: Settings) -> faust.App:
    """A Faust app wired to the topics in ``settings``."""
    datadir = Path(settings.data_dir) / settings.group_id
    datadir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        settings.group_id,
        # newsenrich:// is Faust's aiokafka transport with an idempotent producer (transport.py)
        broker=[f"newsenrich://{server}" for server in settings.bootstrap_servers.split(",")],
        key_serializer="raw",
        value_serializer="raw",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        producer_acks=-1,
        processing_guarantee=settings.processing_guarantee,
        broker_session_timeout=settings.session_timeout_s,
        broker_credentials=faust_credentials(settings),
        web_enabled=settings.web_port > 0,
        web_port=max(settings.web_port, 1),
        web_host="0.0.0.0",
        datadir=str(datadir),
        autodiscover=False,
        store="memory://",
    )
    topics = {
        name: app.topic(name, partitions=settings.partitions, key_type=bytes, value_type=bytes)
        for name in settings.topics
    }
    pool = EnrichmentPool(settings.pool_size, settings.languages)
    log.info("broker: %s", describe(settings))

    @app.task  # type: ignore[untyped-decorator]  # faust's decorators are untyped
    async def start_pool() -> None:
        await pool.start()
        log.info(
            "enrichment pool ready: %d process(es), languages %s", pool.size, settings.languages
        )

    @app.agent(topics[settings.topic_raw], name="enrich", concurrency=settings.batches_in_flight)
    async def enrich(stream: faust.StreamT[bytes]) -> None:
        batches = stream.take_events(  # type: ignore[attr-defined]  # missing from faust's stubs
            settings.batch_size, within=settings.batch_window_s
        )
        async for events in batches:
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
            pending = [await topics[o.topic].send(key=o.key, value=o.value) for o in outputs]
            await asyncio.gather(*pending)  # broker acknowledged every output of the batch

    @app.on_before_shutdown.connect  # type: ignore[arg-type]
    def close_pool(sender: faust.App, **_: object) -> None:
        pool.close()

    return app
