"""The commit gate releases only a finished, gap-free prefix of each partition."""

from __future__ import annotations

from streams.offsets import CommitGate


def test_a_later_batch_finishing_first_releases_nothing_until_the_earlier_one_is_done() -> None:
    gate: CommitGate[str] = CommitGate()
    for offset in range(6):
        gate.track("p0", offset, f"m{offset}")
    for offset in (3, 4, 5):  # the second batch finishes first
        assert gate.done("p0", offset) == []
    assert gate.done("p0", 1) == []  # offset 0 is still running: a one-offset gap holds too
    assert gate.done("p0", 0) == ["m0", "m1"]
    assert gate.done("p0", 2) == ["m2", "m3", "m4", "m5"]
    assert gate.in_flight() == 0


def test_partitions_are_independent_and_forgotten_ones_release_nothing() -> None:
    gate: CommitGate[int] = CommitGate()
    gate.track("a", 10, 10)
    gate.track("b", 7, 7)
    assert gate.done("b", 7) == [7]
    gate.forget(["a"])
    assert gate.done("a", 10) == []  # a rebalance took it; its new owner replays it
    assert gate.in_flight() == 0


def test_offsets_with_holes_from_compaction_release_in_arrival_order() -> None:
    gate: CommitGate[int] = CommitGate()
    for offset in (3, 8, 9):
        gate.track("p", offset, offset)
    assert gate.done("p", 9) == []
    assert gate.done("p", 3) == [3]
    assert gate.done("p", 8) == [8, 9]
