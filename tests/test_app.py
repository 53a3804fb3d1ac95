"""The Faust shell's wiring."""

from pathlib import Path

from faust.transport.drivers.aiokafka import Producer

from streams.app import create_app
from streams.config import Settings


def test_the_worker_produces_idempotently_with_acks_all(tmp_path: Path) -> None:
    producer = create_app(Settings(web_port=0, data_dir=str(tmp_path))).producer
    assert isinstance(producer, Producer)
    assert producer._settings_extra() == {"acks": "all", "enable_idempotence": True}


def test_the_ledger_runs_at_least_once_and_is_off_under_exactly_once(tmp_path: Path) -> None:
    ledger = "compute-deal-ledger"
    assert ledger in create_app(Settings(web_port=0, data_dir=str(tmp_path))).tables
    exactly_once = Settings(web_port=0, data_dir=str(tmp_path), processing_guarantee="exactly_once")
    assert ledger not in create_app(exactly_once).tables
