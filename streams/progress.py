"""Progress of long command-line jobs, on stderr.

Under a terminal a live line (tqdm) shows the count, the rate, the rejected count and, when the
size of the job is known, an ETA; in a pipe or a file nothing is drawn. Either way the job ends
with one summary line such as ``enriched 118, rejected 2 in 6.1 s (19.7/s)``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm


def is_terminal(stream: IO[str]) -> bool:
    """Whether ``stream`` is a terminal (a closed or in-memory stream is not)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def terminal_size(stream: IO[str]) -> os.terminal_size | None:
    """The size of the terminal behind ``stream``; None when unknown or zero (a pseudo-terminal
    nobody sized)."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    return size if size.columns > 0 and size.lines > 0 else None


def count_lines(source: str | Path) -> int | None:
    """The non-empty lines of a JSON Lines file, i.e. the size of a job over it; None for
    stdin (``-``), which cannot be read twice, and for a file that cannot be read."""
    if str(source) == "-":
        return None
    try:
        with open(source, "rb") as stream:
            return sum(1 for line in stream if line.strip())
    except OSError:
        return None


class Progress:
    """Counts a job's items and reports on ``stream``.

    ``verb`` names what happened to the items that went through (``enriched``, ``sent``),
    ``rejected`` names the others (None: the job rejects nothing). ``total`` is the job's size,
    or a function that computes it, called only under a terminal (counting lines costs a pass
    over the file, for an ETA nobody would see in a pipe). ``live`` overrides the terminal test.
    """

    def __init__(
        self,
        stream: IO[str],
        verb: str,
        *,
        rejected: str | None = "rejected",
        target: str = "",
        total: int | Callable[[], int | None] | None = None,
        unit: str = "article",
        live: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.verb = verb
        self.rejected_label = rejected
        self.target = target
        self.done = 0
        self.rejected = 0
        self.live = is_terminal(stream) if live is None else live
        self._clock = clock
        self._start = clock()
        self._summary: str | None = None
        self._bar: tqdm[Any] | None = None
        self._redirect = ExitStack()
        if self.live:
            # Log records (a missing model, say) are written above the live line, not into it.
            self._redirect.enter_context(logging_redirect_tqdm())
            size = total() if callable(total) else total
            sized = terminal_size(stream) is not None
            self._bar = tqdm(
                total=size,
                file=stream,
                desc=verb,
                unit=unit,
                # Follow the terminal's width; tqdm hides its line on a terminal of size 0.
                dynamic_ncols=sized,
                ncols=None if sized else 100,
                nrows=None if sized else 24,
                leave=False,  # the summary line replaces it
                mininterval=0.2,
                smoothing=0.1,
                postfix=None if rejected is None else f"{rejected} 0",
            )

    def advance(self, n: int = 1) -> None:
        """``n`` items went through."""
        self.done += n
        if self._bar is not None:
            self._bar.update(n)

    def reject(self, n: int = 1) -> None:
        """``n`` items were rejected (they count towards the total all the same)."""
        self.rejected += n
        if self._bar is not None:
            self._show_rejected()
            self._bar.update(n)

    def note(self, message: str) -> None:
        """A line on the stream (such as why an item was rejected) that leaves the live line
        intact."""
        if self._bar is not None:
            tqdm.write(message, file=self.stream)
        else:
            print(message, file=self.stream)

    def elapsed(self) -> float:
        return self._clock() - self._start

    def summary(self) -> str:
        seconds = self.elapsed()
        handled = self.done + self.rejected
        rate = handled / seconds if seconds > 0 else 0.0
        text = f"{self.verb} {self.done}"
        if self.target:
            text += f" {self.target}"
        if self.rejected_label is not None:
            text += f", {self.rejected_label} {self.rejected}"
        return f"{text} in {seconds:.1f} s ({rate:.1f}/s)"

    def stop(self) -> None:
        """Clear the live line (before other output goes to the same terminal)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        self._redirect.close()

    def close(self) -> str:
        """Clear the live line and write the summary line (once); return the summary."""
        self.stop()
        if self._summary is None:
            self._summary = self.summary()
            print(self._summary, file=self.stream, flush=True)
        return self._summary

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()  # also after an error or ^C: what was done so far

    def _show_rejected(self) -> None:
        if self._bar is not None and self.rejected_label is not None:
            self._bar.set_postfix_str(f"{self.rejected_label} {self.rejected}", refresh=False)


class StageLines:
    """Output of a job made of stages (``newsenrich bench``), passed through to ``out``. The job
    prints a line when a stage has finished; under a terminal ``err`` then gets a line naming
    it, with the time elapsed. At the end ``err`` gets a summary line either way."""

    def __init__(
        self,
        out: IO[str],
        err: IO[str],
        name: str,
        *,
        live: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.out = out
        self.err = err
        self.name = name
        self.live = is_terminal(err) if live is None else live
        self.lines = 0
        self._clock = clock
        self._start = clock()
        self._pending = ""

    def write(self, text: str) -> int:
        self.out.write(text)
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            if line.strip():
                self._stage_done(line)
        return len(text)

    def flush(self) -> None:
        self.out.flush()

    def _stage_done(self, line: str) -> None:
        self.lines += 1
        if self.live:
            minutes, seconds = divmod(int(self._clock() - self._start), 60)
            print(
                f"{self.name} [{minutes}:{seconds:02d}] {stage_name(line)} done",
                file=self.err,
                flush=True,
            )

    def close(self) -> str:
        if self._pending.strip():
            self._stage_done(self._pending)
            self._pending = ""
        text = f"{self.name} finished in {self._clock() - self._start:.1f} s"
        print(text, file=self.err, flush=True)
        return text

    def __enter__(self) -> StageLines:
        if self.live:
            print(f"{self.name}: started; one line per finished stage", file=self.err, flush=True)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def stage_name(line: str) -> str:
    """What a line of stage output is about: the words before its colon (``core: 21.3
    articles/s`` is ``core``), the first word of a table row, ``summary`` for a JSON object."""
    text = line.strip()
    if text.startswith("{"):
        return "summary"
    head = text.split(":", 1)[0] if ":" in text else text.split()[0]
    return head[:40]
