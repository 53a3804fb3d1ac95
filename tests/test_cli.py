import io
import json
from pathlib import Path

from streams.cli import SAMPLE, run_enrich
from streams.contracts import ENRICHED_ARTICLE, violations


def test_sample_runs_offline_and_obeys_the_contract() -> None:
    out, err = io.BytesIO(), io.StringIO()
    assert run_enrich(str(SAMPLE), out, err, 1_000_000) == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == len(SAMPLE.read_text().splitlines())
    assert all(list(violations(ENRICHED_ARTICLE, r)) == [] for r in records)
    assert any(r["compute_partnership"]["detected"] for r in records)
    assert any(not r["compute_partnership"]["detected"] for r in records)


def test_rejected_lines_are_reported_and_the_rest_processed(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"text": "Nvidia liefert Chips an Meta."}\nnot json\n\n{"text": ""}\n{"text": "ok text here"}\n'
    )
    out, err = io.BytesIO(), io.StringIO()
    assert run_enrich(str(source), out, err, 1_000_000) == 2
    assert len(out.getvalue().splitlines()) == 2
    messages = err.getvalue().splitlines()
    assert messages[0].startswith("line 2: invalid_json")
    assert messages[1].startswith("line 4: schema_violation")
