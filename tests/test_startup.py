"""Start-up: waiting for brokers with bounded backoff, one log line per attempt."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from streams.config import Settings
from streams.startup import BrokersUnreachable, wait_for_brokers


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
