"""Every setting is checked at start-up; the worker exits with status 2 and names the variable."""

from __future__ import annotations

import subprocess
import sys

import pytest

from streams.config import ConfigError, Settings


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KAFKA_BOOTSTRAP_SERVERS", "nonsense:xx"),
        ("KAFKA_BOOTSTRAP_SERVERS", "host-without-port"),
        ("NEWSENRICH_SESSION_TIMEOUT_S", "0"),
        ("NEWSENRICH_BATCH_WINDOW_S", "-1"),
        ("NEWSENRICH_BATCH_WINDOW_S", "nan"),
        ("NEWSENRICH_ARTICLE_TIMEOUT_S", "0"),
        ("NEWSENRICH_LOG_LEVEL", "verbose"),
        ("NEWSENRICH_MAX_OUTPUT_BYTES", "100"),
        ("NEWSENRICH_STARTUP_TIMEOUT_S", "-5"),
    ],
)
def test_a_bad_setting_is_named(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env({variable: value})


def test_good_settings_pass() -> None:
    settings = Settings.from_env(
        {
            "KAFKA_BOOTSTRAP_SERVERS": "kafka-0.kafka:9092,[::1]:9093",
            "NEWSENRICH_LOG_LEVEL": "DEBUG",
        }
    )
    assert settings.bootstrap_servers.startswith("kafka-0")


def test_the_worker_exits_2_on_a_bad_bootstrap_address() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "streams.cli", "worker"],
        env={"KAFKA_BOOTSTRAP_SERVERS": "nonsense:xx", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "KAFKA_BOOTSTRAP_SERVERS" in done.stderr and "Traceback" not in done.stderr
