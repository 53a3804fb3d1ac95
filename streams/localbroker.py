"""The project's single-node Kafka broker (``scripts/kafka/broker.sh``), from Python.

Used by the test suite and by ``newsenrich bench`` when no cluster is configured; only in a
source checkout, where the script lives.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

BROKER_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "kafka" / "broker.sh"


class LocalBroker:
    """A broker on ``port`` (its controller on port + 1) with a data folder of its own."""

    def __init__(self, port: int | str, data_dir: Path | str | None = None) -> None:
        self.bootstrap = f"127.0.0.1:{port}"
        folder = data_dir or tempfile.mkdtemp(prefix="newsenrich-kafka-")
        self._env = {**os.environ, "KAFKA_PORT": str(port), "KAFKA_DATA_DIR": str(folder)}

    def start(self) -> None:
        """Start it (assembling it from Maven Central on first use); returns once it answers."""
        subprocess.run([str(BROKER_SCRIPT), "start"], env=self._env, check=True, timeout=600)

    def stop(self) -> None:
        """Stop it gracefully (SIGKILL after 30 s)."""
        subprocess.run([str(BROKER_SCRIPT), "stop"], env=self._env, check=True, timeout=120)
