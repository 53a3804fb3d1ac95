"""Shared fixtures: the enrichment core, and a real Kafka broker for integration tests.

The broker: ``KAFKA_BOOTSTRAP_SERVERS`` when set (an existing cluster); otherwise the suite
starts the project's own single-node broker (scripts/kafka/broker.sh) on port
``NEWSENRICH_TEST_KAFKA_PORT`` (default 19092) with a fresh data folder, and stops it at the end.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from streams.enrich import Enricher

# The same generated examples on every run, so that CI is reproducible; HYPOTHESIS_PROFILE=explore
# draws new ones.
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
BROKER_SCRIPT = ROOT / "scripts" / "kafka" / "broker.sh"


@pytest.fixture(scope="session")
def enricher() -> Enricher:
    return Enricher(preload=["en", "de"])


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if given:
        yield given
        return
    port = os.environ.get("NEWSENRICH_TEST_KAFKA_PORT", "19092")
    env = {
        **os.environ,
        "KAFKA_PORT": port,
        "KAFKA_DATA_DIR": str(tmp_path_factory.mktemp("kafka")),
    }
    subprocess.run([str(BROKER_SCRIPT), "start"], env=env, check=True, timeout=600)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        subprocess.run([str(BROKER_SCRIPT), "stop"], env=env, check=False, timeout=120)
