"""The commit gate releases only a finished, gap-free prefix of each partition."""

from __future__ import annotations

from streams.offsets import CommitGate, OffsetWatch


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


def test_the_watch_reports_offsets_skipped_after_the_start_and_between_messages() -> None:
    watch = OffsetWatch()
    assert watch.skipped("p0", 183, start=174) == range(174, 183)  # the first nine never came
    assert watch.skipped("p0", 184, start=174) == range(0)
    assert watch.skipped("p0", 190, start=174) == range(185, 190)
    assert watch.skipped("p1", 5, start=None) == range(0)  # no known start: trust the first


def test_redeliveries_are_not_gaps_and_forgetting_starts_over() -> None:
    watch = OffsetWatch()
    watch.skipped("p0", 10, start=10)
    assert watch.skipped("p0", 7, start=10) == range(0)  # replayed after a seek back
    assert watch.skipped("p0", 11, start=10) == range(0)  # still expecting 11, not 8
    watch.forget(["p0"])
    assert watch.skipped("p0", 40, start=40) == range(0)  # a new assignment, a new start
