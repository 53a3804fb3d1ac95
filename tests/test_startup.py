"""Start-up: waiting for brokers with bounded backoff, and holding back log storms."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from streams.config import Settings
from streams.startup import BrokersUnreachable, RepeatFilter, wait_for_brokers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_brokers_are_retried_with_growing_waits_until_the_deadline(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = Settings(bootstrap_servers=f"127.0.0.1:{_free_port()}", startup_timeout_s=3.0)
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(seconds)

    with caplog.at_level(logging.WARNING), pytest.raises(BrokersUnreachable) as err:
        asyncio.run(wait_for_brokers(settings, sleep=fake_sleep))
    assert "NEWSENRICH_STARTUP_TIMEOUT_S" in str(err.value)
    assert waits[0] == 1.0 and all(w <= 2.0 for w in waits)
    attempts = [r for r in caplog.records if "unreachable (attempt" in r.getMessage()]
    assert len(attempts) == len(waits)  # one line per attempt


def test_a_storm_of_one_message_is_let_through_once_per_interval() -> None:
    now = [0.0]
    repeat = RepeatFilter(interval_s=10.0, clock=lambda: now[0])

    def record(msg: str, level: int = logging.ERROR) -> logging.LogRecord:
        return logging.LogRecord("aiokafka", level, __file__, 1, msg, ("node-1",), None)

    passed = [repeat.filter(record("Unable to connect to %s")) for _ in range(100)]
    assert passed.count(True) == 1
    assert repeat.filter(record("another message %s"))
    assert repeat.filter(record("debug lines always pass %s", logging.DEBUG))
    now[0] = 11.0
    summary = record("Unable to connect to %s")
    assert repeat.filter(summary)
    assert "99 repeats held back" in summary.getMessage()
