"""The deal ledger (streams/ledger.py) and ``newsenrich deals``: fast unit tests on hand-made
reports, plus the offline command over really enriched articles."""

from __future__ import annotations

import copy
import io
import json
import random
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.articles import decode_article
from streams.cli import SAMPLE, run_deals
from streams.contracts import COMPUTE_DEAL, violations
from streams.enrich import Enricher
from streams.ledger import Rules, apply, apply_to_pair, fold, opens_new_deal
from streams.ledger_text import format_table
from streams.outcomes import Enriched, partnership_events
from tests.ledger_reports import GERMAN_AND_ENGLISH, report, usd


def run(reports: list[dict[str, Any]], entry: dict[str, Any] | None = None) -> dict[str, Any]:
    for item in reports:
        entry = apply(entry, item)
    assert entry is not None
    assert_valid(entry)
    return entry


def assert_valid(entry: dict[str, Any]) -> None:
    assert list(violations(COMPUTE_DEAL, entry)) == []


def mixed_reports() -> list[dict[str, Any]]:
    """Eight reports of one deal that disagree on nearly everything."""
    return [
        report("a1", 0, score=0.55, language="en", status="talks", url="https://www.ft.example/a1"),
        report("a2", 2, score=0.8, language="de", status="announced", value=usd(10, "10 Mrd. $")),
        report("a3", 3, score=0.95, status="signed", value=usd(10), url="https://wire.example/a3"),
        report("a4", 3, score=0.95, status="signed", value=usd(12), resources=("gpu", "tpu")),
        report("a5", 5, score=0.7, language="fr", value=usd(12), url="https://ft.example/x"),
        report(
            "a6",
            9,
            score=0.6,
            status="announced",
            capacity={"amount": 1.0, "unit": "GW", "text": "1 GW"},
            duration={"years": 6.0, "text": "six years"},
        ),
        report("a7", 9, score=0.99, status="ended", duration={"years": 5.0, "text": "5 years"}),
        report("a8", 12, score=0.65, language="es", status="signed", value=usd(10)),
    ]


# --- idempotence ---------------------------------------------------------------------------


def test_a_replayed_report_never_counts_twice() -> None:
    reports = mixed_reports()
    entry = run(reports)
    for item in reports:
        assert apply(entry, copy.deepcopy(item)) == entry
    # A replay whose content changed (re-enriched) is still the same article: ignored.
    changed = copy.deepcopy(reports[2])
    changed["score"], changed["deal"]["value"] = 0.1, usd(99)
    assert apply(entry, changed) == entry
    assert apply_to_pair([entry], reports[0]) == [entry]
    assert fold(reports + reports[::-1]) == fold(reports)
    assert entry["report_count"] == 8


def test_apply_changes_neither_argument() -> None:
    reports = mixed_reports()
    entry = run(reports[:4])
    before, item = copy.deepcopy(entry), copy.deepcopy(reports[4])
    after = apply(entry, reports[4])
    assert entry == before and reports[4] == item
    assert after["report_count"] == 5
    after["articles"].clear()
    assert entry == before


def test_a_report_of_another_pair_is_refused() -> None:
    entry = run([report("a1")])
    with pytest.raises(ValueError, match="pair"):
        apply(entry, report("b1", customer={"id": "anthropic", "name": "Anthropic"}))


# --- merging ---------------------------------------------------------------------------------


def test_a_german_and_an_english_report_of_one_deal_are_one_entry() -> None:
    german = report(
        "de-1",
        0,
        language="de",
        score=0.97,
        value=usd(8, "8 Milliarden US-Dollar"),
        duration={"years": 5.0, "text": "fünf Jahre"},
        resources=("chips", "cloud"),
        url="https://www.handelsblatt.example/anthropic",
    )
    english = report(
        "en-1",
        1,
        language="en",
        score=0.91,
        value=usd(8, "$8 billion"),
        duration={"years": 5.0, "text": "five years"},
        resources=("cloud", "datacenter"),
        url="https://reuters.example/tech/anthropic",
    )
    ledger = fold([english, german])
    assert len(ledger) == 1
    (entry,) = ledger
    assert_valid(entry)
    assert entry["key"] == "google-cloud|openai#1"
    assert entry["languages"] == ["de", "en"]
    assert entry["report_count"] == 2
    assert entry["sources"] == {
        "count": 2,
        "top": [
            {"name": "handelsblatt.example", "reports": 1},
            {"name": "reuters.example", "reports": 1},
        ],
    }
    assert entry["resources"] == ["chips", "cloud", "datacenter"]
    assert entry["value"]["amount"] == 8e9 and entry["value"]["reports"] == 2
    assert entry["value"]["text"] == "8 Milliarden US-Dollar"  # the higher-scored wording
    assert entry["duration"]["years"] == 5.0 and entry["duration"]["reports"] == 2
    assert entry["disagreements"] == {"value": [], "capacity": [], "duration": []}
    assert [a["id"] for a in entry["articles"]] == ["en-1", "de-1"]
    assert entry["first_seen"] == "2026-01-05T09:00:00.000Z"
    assert entry["last_seen"] == "2026-01-06T09:00:00.000Z"
    assert entry["confidence"] == pytest.approx(1 - 0.03 * 0.09)


def test_confidence_combines_distinct_articles() -> None:
    one = run([report("a1", score=0.6)])
    two = run([report("a1", score=0.6), report("a2", 1, score=0.6)])
    assert one["confidence"] == pytest.approx(0.6)
    assert two["confidence"] == pytest.approx(0.84)
    assert apply(two, report("a2", 1, score=0.6))["confidence"] == two["confidence"]


def test_the_best_supported_figure_wins_and_the_others_are_disagreements() -> None:
    entry = run(
        [
            report("a1", 0, score=0.7, value=usd(14)),
            report("a2", 1, score=0.99, value=usd(12)),
            report("a3", 2, score=0.6, value=usd(14, "14 Mrd. Dollar")),
            report("a4", 3, score=0.8, value=usd(14.2)),
        ]
    )
    assert entry["value"]["amount"] == 14e9 and entry["value"]["reports"] == 2
    assert entry["value"]["score"] == 0.7 and entry["value"]["text"] == "$14 billion"
    assert [(d["amount"], d["reports"]) for d in entry["disagreements"]["value"]] == [
        (12e9, 1),  # score 0.99
        (14.2e9, 1),  # score 0.8
    ]
    # A tie in reports goes to the higher-scored figure.
    tie = run([report("b1", 0, score=0.6, value=usd(3)), report("b2", 1, score=0.9, value=usd(4))])
    assert tie["value"]["amount"] == 4e9
    assert tie["disagreements"]["value"][0]["amount"] == 3e9


def test_amounts_agree_to_three_significant_digits() -> None:
    entry = run([report("a1", value=usd(14)), report("a2", 1, value=usd(14.01))])
    assert entry["value"]["reports"] == 2 and entry["disagreements"]["value"] == []


# --- status ----------------------------------------------------------------------------------


def test_status_advances_and_says_when() -> None:
    talks = report("a1", 0, status="talks")
    announced = report("a2", 10, status="announced")
    signed = report("a3", 20, status="signed")
    recap = report("a4", 30, status="announced")
    entry = run([talks])
    assert (entry["status"], entry["status_changed_at"]) == ("talks", "2026-01-05T09:00:00.000Z")
    entry = run([announced, signed, recap], entry)
    assert (entry["status"], entry["status_changed_at"]) == ("signed", "2026-01-25T09:00:00.000Z")


def test_ended_is_the_status_while_the_newest_report_says_so() -> None:
    reports = [report("a1", 0, status="signed"), report("a2", 40, status="ended")]
    entry = run(reports)
    assert (entry["status"], entry["status_changed_at"]) == ("ended", "2026-02-14T09:00:00.000Z")
    # An older report arriving late does not revive it...
    assert run([report("a0", 20, status="signed")], entry)["status"] == "ended"
    # ...a newer live report does (within the new-deal window it is the same deal).
    revived = run([report("a3", 60, status="announced")], entry)
    assert (revived["status"], revived["status_changed_at"]) == (
        "signed",
        "2026-03-06T09:00:00.000Z",  # back since a3, at the rank a1 reached
    )
    only_ended = run([report("b1", 0, status="ended"), report("b2", 3, status="ended")])
    assert only_ended["status_changed_at"] == "2026-01-05T09:00:00.000Z"


# --- the new-deal rule ----------------------------------------------------------------------


def test_a_clearly_different_figure_long_after_the_start_is_a_new_deal() -> None:
    first = [report("a1", 0, value=usd(10)), report("a2", 30, value=usd(12))]
    ledger = fold(
        [
            *first,
            report("a3", 400, value=usd(10)),  # a recap with the same figure: same deal
            report("a4", 420),  # no figure: same deal
            report("a5", 500, value=usd(30), resources=("gpu",)),  # an expansion: deal 2
            report("a6", 510, value=usd(30)),  # joins deal 2
            report("a7", 520, value=usd(10)),  # a report of deal 1's figure, after deal 2
        ]
    )
    for entry in ledger:
        assert_valid(entry)
    by_seq = {e["deal_seq"]: e for e in ledger}
    assert set(by_seq) == {1, 2}
    assert sorted(by_seq[1]["seen"]) == ["a1", "a2", "a3", "a4"]
    assert sorted(by_seq[2]["seen"]) == ["a5", "a6", "a7"]
    assert by_seq[2]["key"] == "google-cloud|openai#2"
    assert by_seq[2]["value"]["amount"] == 30e9
    assert by_seq[2]["disagreements"]["value"][0]["amount"] == 10e9
    assert [e["deal_seq"] for e in ledger] == [2, 1]  # newest first


def test_within_the_window_a_different_figure_is_a_disagreement() -> None:
    ledger = fold([report("a1", 0, value=usd(10)), report("a2", 170, value=usd(50))])
    assert len(ledger) == 1
    # One report each and the same score: the newer figure leads, the other disagrees.
    assert ledger[0]["value"]["amount"] == 50e9
    assert ledger[0]["disagreements"]["value"][0]["amount"] == 10e9


def test_figures_in_another_currency_or_within_the_factor_do_not_split() -> None:
    eur = {"amount": 30e9, "currency": "EUR", "text": "30 Mrd. Euro"}
    assert len(fold([report("a1", 0, value=usd(10)), report("a2", 400, value=eur)])) == 1
    assert len(fold([report("a1", 0, value=usd(10)), report("a2", 400, value=usd(14))])) == 1
    assert len(fold([report("a1", 0, value=usd(10)), report("a2", 400, value=usd(16))])) == 2
    gw = {"amount": 1.0, "unit": "GW", "text": "1 GW"}
    big = {"amount": 4.5, "unit": "GW", "text": "4.5 GW"}
    assert len(fold([report("a1", 0, capacity=gw), report("a2", 400, capacity=big)])) == 2


def test_a_live_report_long_after_the_end_is_a_new_signing() -> None:
    ledger = fold(
        [
            report("a1", 0, status="signed"),
            report("a2", 100, status="ended"),
            report("a3", 150, status="ended"),
            report("a4", 300, status="announced"),
        ]
    )
    by_seq = {e["deal_seq"]: e for e in ledger}
    assert by_seq[1]["status"] == "ended" and by_seq[2]["status"] == "announced"


def test_the_window_is_configurable() -> None:
    rules = Rules(new_deal_after_days=30, figure_factor=3.0)
    base = run([report("a1", 0, value=usd(10))])
    assert opens_new_deal(base, report("a2", 40, value=usd(31)), rules)
    assert not opens_new_deal(base, report("a2", 40, value=usd(29)), rules)
    assert not opens_new_deal(base, report("a2", 20, value=usd(99)), rules)
    assert not opens_new_deal(base, report("a2", 400, value=usd(14)))
    assert opens_new_deal(base, report("a2", 400, value=usd(16)))


def test_a_late_report_joins_the_deal_in_force_at_its_date() -> None:
    deals = fold([report("a1", 0, value=usd(10)), report("a2", 400, value=usd(30))])
    deals.sort(key=lambda e: e["deal_seq"])
    late = apply_to_pair(deals, report("a0", 100, value=usd(99)))
    assert sorted(late[0]["seen"]) == ["a0", "a1"] and sorted(late[1]["seen"]) == ["a2"]
    earliest = apply_to_pair(deals, report("z", -50, value=usd(99)))
    assert len(earliest) == 2 and "z" in earliest[0]["seen"]


# --- bounds ----------------------------------------------------------------------------------


def test_articles_and_sources_are_bounded() -> None:
    reports = [
        report(f"a{i:02}", i, url=f"https://outlet{i % 25}.example/{i}", score=0.5)
        for i in range(60)
    ]
    entry = run(reports)
    assert entry["report_count"] == 60 and len(entry["seen"]) == 60
    assert [a["id"] for a in entry["articles"]] == [f"a{i:02}" for i in range(59, 39, -1)]
    assert entry["sources"]["count"] == 25
    top = entry["sources"]["top"]
    assert len(top) == 20
    assert [s["reports"] for s in top[:10]] == [3] * 10  # outlets 0-9 have 3 reports each
    assert top[0]["name"] == "outlet0.example"


def test_a_source_field_counts_when_there_is_no_url() -> None:
    with_source = report("a1")
    with_source["source"] = "Beispielkurier"
    entry = run([with_source, report("a2", 1)])
    assert entry["sources"] == {"count": 1, "top": [{"name": "Beispielkurier", "reports": 1}]}


# --- order -----------------------------------------------------------------------------------


def test_the_order_of_reports_does_not_matter() -> None:
    reports = mixed_reports()
    reference = run(reports)
    rng = random.Random(13)
    for _ in range(40):
        shuffled = rng.sample(reports, len(reports))
        assert run(shuffled) == reference
    assert reference["status"] == "signed"  # a8 (signed) is newer than a7 (ended)
    assert reference["status_changed_at"] == "2026-01-17T09:00:00.000Z"  # back with a8
    assert reference["value"]["amount"] == 10e9 and reference["value"]["reports"] == 3
    assert reference["value"]["text"] == "$10 billion"
    assert reference["disagreements"]["value"][0]["reports"] == 2
    assert reference["duration"]["years"] == 5.0  # tie 1:1, the higher score
    assert reference["languages"] == ["de", "en", "es", "fr"]
    assert reference["sources"] == {
        "count": 2,
        "top": [{"name": "ft.example", "reports": 2}, {"name": "wire.example", "reports": 1}],
    }
    assert reference["resources"] == ["cloud", "gpu", "tpu"]


def test_the_offline_ledger_does_not_depend_on_input_order() -> None:
    other = {"id": "anthropic", "name": "Anthropic"}
    reports = [
        *mixed_reports(),
        report("b1", 0, customer=other, value=usd(5)),
        report("b2", 300, customer=other, value=usd(40)),
        report("b3", 310, customer=other, value=usd(40)),
        report("b4", 320, customer=other, value=usd(5)),
    ]
    reference = fold(reports)
    assert [e["key"] for e in reference] == [
        "google-cloud|anthropic#2",
        "google-cloud|openai#1",
        "google-cloud|anthropic#1",
    ]
    rng = random.Random(7)
    for _ in range(20):
        assert fold(rng.sample(reports, len(reports))) == reference
    for entry in reference:
        assert_valid(entry)


# --- the offline command -----------------------------------------------------------------


@pytest.fixture(scope="module")
def enriched_sample(enricher: Enricher) -> bytes:
    """``newsenrich enrich`` of the bundled sample (through the session's enricher)."""
    articles = [decode_article(line, 1_000_000) for line in SAMPLE.read_bytes().splitlines()]
    return b"".join(orjson.dumps(record) + b"\n" for record in enrich(enricher, articles))


def enrich(enricher: Enricher, articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    outcomes = enricher.enrich_batch(articles)
    assert all(isinstance(outcome, Enriched) for outcome in outcomes)
    return [outcome.record for outcome in outcomes if isinstance(outcome, Enriched)]


def test_deals_prints_the_sample_ledger_from_stdin(
    enriched_sample: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Stdin:
        buffer = io.BytesIO(enriched_sample)

    monkeypatch.setattr(sys, "stdin", Stdin())
    out, err = io.BytesIO(), io.StringIO()
    assert run_deals("-", out, err) == 0
    lines = out.getvalue().decode().splitlines()
    assert lines[0].split() == [
        "provider",
        "customer",
        "status",
        "resources",
        "value",
        "reports",
        "languages",
        "last",
        "seen",
    ]
    assert len(lines) >= 3
    assert any("OpenAI" in line for line in lines[1:])
    starts = {line.find("signed") for line in lines[1:] if " signed " in line}
    assert len(starts) == 1  # aligned columns
    assert err.getvalue() == ""


def test_deals_json_lines_are_schema_valid_and_newest_first(
    enriched_sample: bytes, tmp_path: Path
) -> None:
    source = tmp_path / "enriched.jsonl"
    source.write_bytes(enriched_sample + b"not json\n{}\n")
    out, err = io.BytesIO(), io.StringIO()
    assert run_deals(str(source), out, err, as_json=True) == 2
    entries = [json.loads(line) for line in out.getvalue().splitlines()]
    assert entries
    for entry in entries:
        assert_valid(entry)
    last_seen = [e["last_seen"] for e in entries]
    assert last_seen == sorted(last_seen, reverse=True)
    messages = err.getvalue().splitlines()
    assert messages[0].startswith("line 9: invalid_json")
    assert messages[1].startswith("line 10: not_enriched")


def test_a_german_and_an_english_article_make_one_entry(enricher: Enricher, tmp_path: Path) -> None:
    articles = GERMAN_AND_ENGLISH
    records = enrich(enricher, articles)
    reports = [event for record in records for _, event in partnership_events(record)]
    assert {r["key"] for r in reports} == {"aws|anthropic"}
    source = tmp_path / "enriched.jsonl"
    source.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in records))
    out, err = io.BytesIO(), io.StringIO()
    assert run_deals(str(source), out, err, as_json=True) == 0
    (entry,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert entry["languages"] == ["de", "en"] and entry["report_count"] == 2
    assert entry["value"]["amount"] == 8e9 and entry["value"]["reports"] == 2
    assert entry["sources"]["count"] == 2
    assert "Amazon Web Services" in format_table([entry])
