"""CI's smoke run of ``newsenrich bench --quick`` against the test broker: it must finish and
end with the summary line. Figures are printed, never asserted (the machine varies)."""

import os
import subprocess
import sys

import orjson
import pytest

pytestmark = pytest.mark.integration
KEYS = {
    "core_articles_per_s",
    "e2e_1w_articles_per_s",
    "e2e_2w_articles_per_s",
    "naive_articles_per_s",
    "ratio_e2e_core",
    "scaling_2w",
    "p99_latency_ms",
    "peak_rss_mb_per_worker",
    "slowest_ms_per_kb",
    "core_words_per_s_de",
    "nlp_words_per_s_de",
    "core_words_per_s_en",
    "nlp_words_per_s_en",
    "ledger_recovery_s",
    "ledger_entries_per_gb_memory",
}


def test_quick_bench_ends_with_the_summary(kafka_bootstrap: str) -> None:
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap}
    done = subprocess.run(
        [sys.executable, "-m", "streams.cli", "bench", "--quick"],
        env=env,
        capture_output=True,
        timeout=900,
        check=True,
    )
    lines = done.stdout.decode().strip().splitlines()
    print("\n" + "\n".join(lines))
    summary = orjson.loads(lines[-1])
    assert set(summary) >= KEYS
    assert summary["quick"] is True
