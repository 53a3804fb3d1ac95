"""Which input offsets may be committed: only those whose every lower offset is done.

Several batches are in flight at once, and they finish in any order. Faust commits whatever
was acknowledged, and its own gap check lets a one-offset gap through (faust-streaming's
``Consumer._new_offset`` tests ``min(acked) - committed > 1``), so an unfinished article could
be committed and lost by a crash. The worker therefore holds every message until this gate
says the message and all before it in its partition are done, and only then acknowledges it
to Faust: Faust only ever sees a gap-free prefix.

Plain data, no Kafka: the agent calls ``track`` when a batch arrives, ``done`` when its outputs
are acknowledged by the broker, and acknowledges what ``done`` returns.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Partition(Generic[T]):
    pending: deque[int] = field(default_factory=deque)  # offsets in arrival (= offset) order
    items: dict[int, T] = field(default_factory=dict)
    finished: set[int] = field(default_factory=set)


class CommitGate(Generic[T]):
    """Per partition: offsets handed out, offsets done, and the done prefix to release."""

    def __init__(self) -> None:
        self._partitions: dict[Hashable, _Partition[T]] = {}

    def track(self, partition: Hashable, offset: int, item: T) -> None:
        """Record an offset the worker started on (offsets of a partition arrive in order)."""
        state = self._partitions.setdefault(partition, _Partition())
        if offset in state.items:
            return  # redelivered while still in flight: one entry is enough
        state.pending.append(offset)
        state.items[offset] = item

    def done(self, partition: Hashable, offset: int) -> list[T]:
        """Mark an offset done; return the items that are now safe to commit, in order."""
        state = self._partitions.get(partition)
        if state is None or offset not in state.items:
            return []  # forgotten by a rebalance: its new owner handles it again
        state.finished.add(offset)
        released: list[T] = []
        while state.pending and state.pending[0] in state.finished:
            head = state.pending.popleft()
            state.finished.discard(head)
            released.append(state.items.pop(head))
        return released

    def forget(self, partitions: Iterable[Hashable]) -> None:
        """Drop the state of partitions this worker no longer (or newly) owns."""
        for partition in partitions:
            self._partitions.pop(partition, None)

    def in_flight(self) -> int:
        """Offsets handed out and not yet released, over all partitions."""
        return sum(len(state.pending) for state in self._partitions.values())


class OffsetWatch:
    """Per partition, the next offset a consumer should be handed; says which it skipped.

    Faust can drop messages it fetched around a rebalance (its stream queues are cleared when
    flow resumes, after the consumer has already moved past them) and then deliver the next
    ones: the survivor of a killed worker never saw nine reports of the partition it took over
    (``tests/test_ledger_table.py`` (b)). The offsets of a topic that is neither compacted nor
    transactional have no holes, so any jump forward is a skipped message.
    """

    def __init__(self) -> None:
        self._next: dict[Hashable, int] = {}

    def forget(self, partitions: Iterable[Hashable]) -> None:
        """Start over for partitions assigned anew: their first offset comes from ``start``."""
        for partition in partitions:
            self._next.pop(partition, None)

    def skipped(self, partition: Hashable, offset: int, start: int | None) -> range:
        """The offsets before ``offset`` that were never handed out (empty for none). ``start``
        is where consumption of the partition began (its committed offset), or None if unknown;
        an offset at or below what was seen is a redelivery."""
        expected = self._next.get(partition, start)
        self._next[partition] = offset + 1 if expected is None else max(expected, offset + 1)
        if expected is None or offset <= expected:
            return range(0)
        return range(expected, offset)
