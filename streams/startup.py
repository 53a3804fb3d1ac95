"""Starting a worker before its brokers are up (a cluster restart, a Kubernetes rollout): it
waits and retries with bounded backoff, one log line per attempt, until the brokers answer or
``NEWSENRICH_STARTUP_TIMEOUT_S`` passes."""

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
