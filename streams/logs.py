"""The worker's logs: storms held back, and one JSON object per line when asked.

* ``RepeatFilter``: while a broker is away, the Kafka client logs the same connection error
  many times a second; the filter lets each distinct message through once per interval and
  says how many repeats it held back.
* ``JsonFormatter`` (``NEWSENRICH_LOG_FORMAT=json``): one JSON object per line, for log
  pipelines; records about an article carry ``article_id``, ``topic``, ``partition`` and
  ``offset`` as fields.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

import orjson

CONTEXT_FIELDS = ("article_id", "topic", "partition", "offset", "reason")


class RepeatFilter(logging.Filter):
    """Lets a message (logger, level, template) through once per ``interval_s``; the next one
    let through says how many were held back in between."""

    def __init__(self, interval_s: float = 10.0, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.interval_s = interval_s
        self.clock = clock
        self._last: dict[tuple[str, int, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True  # only errors and warnings repeat in storms
        key = (record.name, record.levelno, str(record.msg))
        now = self.clock()
        last = self._last.get(key)
        if last is not None and now - last[0] < self.interval_s:
            self._last[key] = (last[0], last[1] + 1)
            return False
        held = last[1] if last else 0
        self._last[key] = (now, 0)
        if held:
            record.msg = f"{record.msg} [{held} repeats held back in {self.interval_s:g} s]"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, context fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def configure(log_format: str, interval_s: float = 10.0) -> RepeatFilter:
    """Put one ``RepeatFilter`` (and, for ``json``, the JSON formatter) on every handler of
    the root logger; called once logging is set up (by Faust, for the worker)."""
    repeat = RepeatFilter(interval_s)
    for handler in logging.getLogger().handlers:
        handler.addFilter(repeat)
        if log_format == "json":
            handler.setFormatter(JsonFormatter())
    return repeat
