"""Every input message reaches its agent: messages Faust skipped are read again.

Each agent passes the batches it is handed through its ``GapFiller``: when
``streams.offsets.OffsetWatch`` sees a jump, the skipped records are read here with a consumer
of our own and put before the message that revealed it, so every input is handled, in
partition order. They are then acknowledged to Faust (``RefetchedEvent.ack``) so that its
commits can pass them. After a rebalance the filler also rewinds its topic's partitions, so
that one without a committed offset does not stay where the fetcher was.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import faust
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from faust.types import TP, EventT, Message

from streams.config import Settings
from streams.offsets import OffsetWatch
from streams.security import client_options

log = logging.getLogger(__name__)
TIMEOUT_S = 30.0


@dataclass(frozen=True)
class RefetchedEvent:
    """A re-read message, shaped like the Faust events the agents handle."""

    app: faust.App
    message: Message

    @property
    def value(self) -> bytes:
        return self.message.value or b""

    def ack(self) -> None:
        """Acknowledge to Faust, unless it already counts the offset as done (its gap tree:
        offsets its fetches jumped over): a second count would stall its commits."""
        if not _faust_counts_done(self.app, self.message.tp, self.message.offset):
            self.app.consumer.ack(self.message)


class GapFiller:
    """The input guard of one agent: its topic's offset watch, and what a rebalance resets."""

    def __init__(self, app: faust.App, settings: Settings, topic: str) -> None:
        self.app = app
        self.settings = settings
        self.topic = topic
        self.watch = OffsetWatch()
        app.on_partitions_assigned.connect(self._forget_assigned)  # type: ignore[arg-type]
        app.on_rebalance_complete.connect(self._rewind)  # type: ignore[arg-type]

    async def fill(self, events: Sequence[EventT[bytes]]) -> list[EventT[bytes] | RefetchedEvent]:
        """``events`` with the messages Faust skipped before each (usually none) in place."""
        batch: list[EventT[bytes] | RefetchedEvent] = []
        for event in events:
            batch += await skipped_before(self.app, self.settings, self.watch, event.message)
            batch.append(event)
        return batch

    async def _forget_assigned(self, sender: Any, assigned: Iterable[TP], **_: Any) -> None:
        self.watch.forget(assigned)  # their first offset is where Faust begins them now

    async def _rewind(self, sender: Any, **_: Any) -> None:
        """Rewind the topic's partitions to their start; Faust's seek to the committed offsets,
        which comes next, moves every partition that has one. aiokafka's seek leaves a
        partition without a committed offset where its fetcher was, past any message Faust
        fetched and dropped in the rebalance, and no later message reveals that gap (a crash
        test's partition stood still with 496 articles unread)."""
        for tp in self.app.consumer.assignment():
            if tp.topic == self.topic:
                await self.app.consumer.seek(tp, 0)


async def skipped_before(
    app: faust.App, settings: Settings, watch: OffsetWatch, message: Message
) -> list[RefetchedEvent]:
    """The messages of ``message``'s partition that Faust skipped before it (usually none)."""
    gap = watch.skipped(message.tp, message.offset, _start_offset(app, message.tp))
    if not gap:
        return []
    # Every skipped offset is read again, also those in Faust's gap tree: Faust puts offsets
    # there when its fetches jump, which is also what a fetch from before a seek looks like,
    # and then commits past them. Offsets that hold no record (transaction markers) cost one
    # read and come back empty.
    tp = message.tp
    records = await read_offsets(settings, tp.topic, tp.partition, list(gap))
    if records:
        log.warning(
            "Faust skipped %d message(s) at offsets %d-%d of %s[%d]; read them again",
            len(records),
            gap.start,
            gap.stop - 1,
            tp.topic,
            tp.partition,
        )
    return [
        RefetchedEvent(
            app,
            Message(
                r.topic,
                r.partition,
                r.offset,
                r.timestamp / 1000,
                r.timestamp_type,
                r.headers,
                r.key,
                r.value,
                None,
                tp=tp,
            ),
        )
        for r in records
    ]


def _faust_counts_done(app: faust.App, tp: TP, offset: int) -> bool:
    """Whether ``offset`` is in Faust's gap tree: offsets its fetches jumped over, which its
    commits treat as done (private, see ``_start_offset``)."""
    gaps = app.consumer._gap.get(tp)  # type: ignore[attr-defined]
    return bool(gaps and gaps.overlaps(offset))


def _start_offset(app: faust.App, tp: TP) -> int | None:
    """Where Faust began consuming ``tp``: the committed offset it sought to after the last
    rebalance (None if none). Faust's own bookkeeping, private but exact; faust-streaming is
    pinned below 0.16 in ``pyproject.toml``."""
    start: int | None = app.consumer._committed_offset.get(tp)  # type: ignore[attr-defined]
    return start


async def read_offsets(
    settings: Settings,
    topic: str,
    partition: int,
    offsets: list[int],
    timeout_s: float = TIMEOUT_S,
) -> list[ConsumerRecord[bytes, bytes]]:
    """The records at ``offsets`` (ascending) of ``topic``/``partition``, in order, read as
    the worker reads (committed transactions only under exactly-once). Offsets that hold no
    record (deleted by retention, transaction markers) are left out. Raises ``TimeoutError`` if the
    broker does not hand them over within ``timeout_s``."""
    tp = TopicPartition(topic, partition)
    wanted = set(offsets)
    exactly_once = settings.processing_guarantee == "exactly_once"
    isolation = "read_committed" if exactly_once else "read_uncommitted"
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level=isolation,
        **client_options(settings),
    )
    await consumer.start()
    try:
        consumer.assign([tp])
        consumer.seek(tp, offsets[0])
        records: list[ConsumerRecord[bytes, bytes]] = []
        deadline = time.monotonic() + timeout_s
        while await consumer.position(tp) <= offsets[-1]:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"offsets {offsets[0]}-{offsets[-1]} of {topic}[{partition}] "
                    f"were not read within {timeout_s:g} s"
                )
            batch = await consumer.getmany(tp, timeout_ms=500)
            records += [r for r in batch.get(tp, []) if r.offset in wanted]
        return records
    finally:
        await consumer.stop()
