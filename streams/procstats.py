"""CPU time and peak memory of a process tree, read from /proc (Linux)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class ProcStat:
    """One process: CPU seconds (user + system) so far and peak resident memory in MiB."""

    pid: int
    cpu_s: float
    peak_rss_mb: float


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants that are alive."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(p) for p in children.read_text().split()]
            except OSError:
                continue
    return out


def memory_mb(pid: int, field: str) -> float:
    """A memory line of /proc/<pid>/status in MiB: ``VmRSS`` (now) or ``VmHWM`` (peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def stat(pid: int) -> ProcStat | None:
    """The figures of one process, None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        peak = memory_mb(pid, "VmHWM")
    except OSError:
        return None
    cpu = (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
    return ProcStat(pid, cpu, peak)


def rss_mb(pid: int) -> float:
    """Current resident memory of one process in MiB."""
    return memory_mb(pid, "VmRSS")
