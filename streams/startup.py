"""Starting a worker in a real data platform: brokers that are not up yet, and noisy logs.

* ``wait_for_brokers``: a worker started before its brokers (a cluster restart, a Kubernetes
  rollout) waits and retries with bounded backoff, one log line per attempt, until the brokers
  answer or ``NEWSENRICH_STARTUP_TIMEOUT_S`` passes.
* ``RepeatFilter``: while a broker is away, the Kafka client logs the same connection error
  many times a second; the filter lets each distinct message through once per interval and
  says how many repeats it held back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from aiokafka.admin import AIOKafkaAdminClient

from streams.config import Settings
from streams.security import client_options

log = logging.getLogger(__name__)
BACKOFF_MAX_S = 30.0


class BrokersUnreachable(Exception):
    """The brokers did not answer before the start-up deadline."""


async def wait_for_brokers(
    settings: Settings, sleep: Callable[[float], object] = asyncio.sleep
) -> int:
    """Return once the brokers answer a metadata request; the number of attempts it took.

    Backoff doubles from 1 s up to ``BACKOFF_MAX_S``; raises ``BrokersUnreachable`` after
    ``settings.startup_timeout_s`` (0: wait forever)."""
    deadline = time.monotonic() + settings.startup_timeout_s
    delay, attempt = 1.0, 0
    while True:
        attempt += 1
        try:
            await _probe(settings)
            if attempt > 1:
                log.info("brokers %s answered (attempt %d)", settings.bootstrap_servers, attempt)
            return attempt
        except Exception as exc:  # any connection failure: retry until the deadline
            remaining = deadline - time.monotonic()
            if settings.startup_timeout_s and remaining <= 0:
                raise BrokersUnreachable(
                    f"brokers {settings.bootstrap_servers} did not answer within "
                    f"{settings.startup_timeout_s:g} s (NEWSENRICH_STARTUP_TIMEOUT_S); "
                    f"last error: {type(exc).__name__}: {exc}"
                ) from None
            wait = delay if not settings.startup_timeout_s else min(delay, max(remaining, 0.1))
            log.warning(
                "brokers %s unreachable (attempt %d: %s); retrying in %.0f s",
                settings.bootstrap_servers,
                attempt,
                type(exc).__name__,
                wait,
            )
            await sleep(wait)  # type: ignore[misc]  # asyncio.sleep or a test's fake
            delay = min(delay * 2, BACKOFF_MAX_S)


async def _probe(settings: Settings) -> None:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers,
        request_timeout_ms=5_000,
        **client_options(settings),
    )
    try:
        await admin.start()
        await admin.list_topics()
    finally:
        await admin.close()


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


def install_repeat_filter(interval_s: float = 10.0) -> RepeatFilter:
    """Put one ``RepeatFilter`` on every handler of the root logger."""
    repeat = RepeatFilter(interval_s)
    for handler in logging.getLogger().handlers:
        handler.addFilter(repeat)
    return repeat
