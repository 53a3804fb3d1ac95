"""Reading skipped messages again (``streams.refetch``): reads on the real broker, and the
rewind after a rebalance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from faust.types import TP

from streams.config import Settings
from streams.refetch import GapFiller, read_offsets
from streams.topics import ensure_topics
from tests.broker_helpers import produce, run_settings


@pytest.mark.integration
async def test_the_asked_offsets_come_back_in_order_and_nothing_else(kafka_bootstrap: str) -> None:
    settings = run_settings(kafka_bootstrap, partitions=1)
    await ensure_topics(settings)
    await produce(settings, [(b"k", f"article {i}".encode()) for i in range(12)])
    records = await read_offsets(settings, settings.topic_raw, 0, [2, 3, 7])
    assert [(r.offset, r.value) for r in records] == [
        (2, b"article 2"),
        (3, b"article 3"),
        (7, b"article 7"),
    ]


@pytest.mark.integration
async def test_offsets_past_the_log_end_time_out_with_a_message(kafka_bootstrap: str) -> None:
    settings = run_settings(kafka_bootstrap, partitions=1)
    await ensure_topics(settings)
    await produce(settings, [(b"k", b"only one")])
    with pytest.raises(TimeoutError, match="were not read within"):
        await read_offsets(settings, settings.topic_raw, 0, [5], timeout_s=2.0)


class _Signal:
    def __init__(self) -> None:
        self.receivers: list[Callable[..., Any]] = []

    def connect(self, receiver: Callable[..., Any]) -> None:
        self.receivers.append(receiver)


class _Consumer:
    """What the rewind uses of Faust's consumer: its assignment, and seeks (recorded)."""

    def __init__(self, assignment: set[TP]) -> None:
        self._assignment = assignment
        self.seeks: list[tuple[TP, int]] = []

    def assignment(self) -> set[TP]:
        return self._assignment

    async def seek(self, tp: TP, offset: int) -> None:
        self.seeks.append((tp, offset))


class _App:
    def __init__(self, assignment: set[TP]) -> None:
        self.on_partitions_assigned = _Signal()
        self.on_rebalance_complete = _Signal()
        self.consumer = _Consumer(assignment)


async def test_after_a_rebalance_the_topics_partitions_start_over() -> None:
    """A partition without a committed offset must not stay where the fetcher was: after
    every rebalance the filler seeks its own topic's partitions to 0 (Faust's seek to the
    committed offsets follows), and leaves other topics' partitions alone."""
    assigned = {TP("raw", 0), TP("raw", 1), TP("other", 0)}
    app = _App(assigned)
    GapFiller(app, Settings(), "raw")  # type: ignore[arg-type]
    for receiver in app.on_rebalance_complete.receivers:
        await receiver(app)
    assert sorted(app.consumer.seeks) == [(TP("raw", 0), 0), (TP("raw", 1), 0)]
