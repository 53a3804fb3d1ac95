"""Shared fixtures: the enrichment core, and a real Kafka broker for integration tests.

The broker: ``KAFKA_BOOTSTRAP_SERVERS`` when set (an existing cluster); otherwise the suite
starts the project's own single-node broker (scripts/kafka/broker.sh) on port
``NEWSENRICH_TEST_KAFKA_PORT`` (default 19092) with a fresh data folder, and stops it at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from streams.enrich import Enricher
from streams.localbroker import LocalBroker

# The same generated examples on every run, so that CI is reproducible; HYPOTHESIS_PROFILE=explore
# draws new ones.
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def enricher() -> Enricher:
    return Enricher(preload=["en", "de"])


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if given:
        yield given
        return
    broker = LocalBroker(
        os.environ.get("NEWSENRICH_TEST_KAFKA_PORT", "19092"), tmp_path_factory.mktemp("kafka")
    )
    broker.start()
    try:
        yield broker.bootstrap
    finally:
        broker.stop()
