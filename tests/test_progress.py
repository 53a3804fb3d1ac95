"""Progress on stderr: a live line under a terminal, nothing extra in a pipe, a summary line at
the end either way (streams/progress.py and the commands that use it)."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from streams.cli import SAMPLE
from streams.progress import Progress, StageLines, count_lines, stage_name

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = r"enriched 8, rejected 0 in \d+\.\d s \(\d+\.\d/s\)"


def ticking(*times: float) -> Callable[[], float]:
    """A clock that returns the given times, one per call."""
    ticks = iter(times)
    return lambda: next(ticks)


def enrich_sample(stderr: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "enrich", str(SAMPLE)],
        stdout=subprocess.PIPE,
        stderr=stderr,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
    )


def read_until_closed(fd: int, into: list[bytes]) -> None:
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: every writer has closed the terminal
            return
        if not data:
            return
        into.append(data)


def without_log_records(text: str) -> list[str]:
    """stderr lines other than log records (a missing spaCy model is logged as a warning)."""
    return [
        line
        for line in text.splitlines()
        if line and not line.startswith(("WARNING ", "ERROR ", "INFO "))
    ]


def test_enrich_under_a_terminal_shows_progress() -> None:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # 24 x 120
    try:
        process = enrich_sample(stderr=slave)
    finally:
        os.close(slave)  # the child holds its own copy
    chunks: list[bytes] = []
    reader = threading.Thread(target=read_until_closed, args=(master, chunks), daemon=True)
    reader.start()
    try:
        stdout, _ = process.communicate(timeout=300)
        reader.join(timeout=30)
    finally:
        process.kill()
        os.close(master)
    shown = b"".join(chunks).decode()
    assert process.returncode == 0, shown
    assert len(stdout.splitlines()) == 8  # stdout carries the records alone
    assert "\r" in shown  # a line redrawn in place
    assert "enriched:" in shown and "/8 [" in shown  # count of a known total
    assert "article/s" in shown  # rate
    assert "rejected 0" in shown
    assert "<" in shown  # elapsed<remaining: the ETA field
    assert re.search(SUMMARY + r"\r?\n$", shown), shown


def test_enrich_in_a_pipe_prints_only_the_summary() -> None:
    process = enrich_sample(stderr=subprocess.PIPE)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0
    assert len(stdout.splitlines()) == 8
    err = stderr.decode()
    assert "\r" not in err and "%|" not in err and "article/s" not in err
    lines = without_log_records(err)
    assert len(lines) == 1, err
    assert re.fullmatch(SUMMARY, lines[0]), lines


def test_summary_counts_and_rate() -> None:
    err = io.StringIO()
    progress = Progress(err, "enriched", clock=ticking(10.0, 14.0))
    progress.advance(3)
    progress.reject()
    progress.note("line 2: invalid_json: ...")
    assert not progress.live
    assert progress.close() == "enriched 3, rejected 1 in 4.0 s (1.0/s)"
    assert err.getvalue() == "line 2: invalid_json: ...\nenriched 3, rejected 1 in 4.0 s (1.0/s)\n"
    progress.close()  # once only
    assert err.getvalue().count("enriched 3") == 1


def test_produce_and_eval_summaries() -> None:
    sent = Progress(
        io.StringIO(),
        "sent",
        target="to articles.raw",
        rejected="invalid",
        unit="record",
        clock=ticking(0.0, 2.0),
    )
    sent.advance(9)
    sent.reject()
    assert sent.summary() == "sent 9 to articles.raw, invalid 1 in 2.0 s (5.0/s)"
    evaluated = Progress(io.StringIO(), "evaluated", rejected=None, clock=ticking(0.0, 0.0))
    evaluated.advance(120)
    assert evaluated.summary() == "evaluated 120 in 0.0 s (0.0/s)"


def test_no_size_is_computed_in_a_pipe() -> None:
    def size() -> int:
        raise AssertionError("the file would be read twice for nothing")

    Progress(io.StringIO(), "sent", total=size).close()


def test_live_line_has_rate_rejected_count_and_eta() -> None:
    err = io.StringIO()
    with Progress(err, "sent", rejected="invalid", total=lambda: 4, live=True) as progress:
        progress.advance()
        progress.reject()
        progress.note("a note")
        progress.advance(2)
    text = err.getvalue()
    assert "/4 [" in text and "article/s" in text and "invalid 1" in text
    assert "a note\n" in text
    assert re.search(r"[\r\n]sent 3, invalid 1 in \d+\.\d s \(\d+\.\d/s\)\n$", text), text


def test_count_lines(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "a"}\n\n  \n{"text": "b"}\n{"text": "c"}')
    assert count_lines(source) == 3
    assert count_lines("-") is None
    assert count_lines(tmp_path / "missing.jsonl") is None


def test_stage_lines_pass_output_through() -> None:
    out, err = io.StringIO(), io.StringIO()
    with StageLines(out, err, "bench", clock=ticking(0.0, 61.0, 62.5)) as stages:
        stages.write("core: 21.3 articles/s\n")
    assert out.getvalue() == "core: 21.3 articles/s\n"
    assert err.getvalue() == "bench finished in 61.0 s\n"  # not a terminal: the summary only


def test_stage_lines_under_a_terminal() -> None:
    out, err = io.StringIO(), io.StringIO()
    stages = StageLines(out, err, "bench", live=True, clock=ticking(0.0, 5.0, 75.0, 80.0))
    with stages:
        stages.write("corpus: 400 articles\ncore: 21")
        stages.write(".3 articles/s\n")
    assert err.getvalue().splitlines() == [
        "bench: started; one line per finished stage",
        "bench [0:05] corpus done",
        "bench [1:15] core done",
        "bench finished in 80.0 s",
    ]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("shell (decode, validate, encode): 0.066 ms/article", "shell (decode, validate, encode)"),
        ("1w            20.10      578", "1w"),
        ('{"core_articles_per_s": 21.3}', "summary"),
    ],
)
def test_stage_name(line: str, name: str) -> None:
    assert stage_name(line) == name
