"""The ledger as a text table: what a person reading ``newsenrich deals`` sees."""

from typing import Any

from streams.ledger_text import TABLE_COLUMNS, format_table, human_amount


def _entry(**fields: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "provider": {"name": "Google Cloud"},
        "customer": {"name": "OpenAI"},
        "deal_seq": 1,
        "status": "signed",
        "resources": ["cloud", "tpu"],
        "value": None,
        "capacity": None,
        "disagreements": {"value": [], "capacity": []},
        "report_count": 3,
        "languages": ["de", "en"],
        "last_seen": "2026-06-30T08:00:00Z",
    }
    entry.update(fields)
    return entry


def test_amounts_read_as_people_write_them() -> None:
    assert human_amount(14_000_000_000) == "14bn"
    assert human_amount(2_500_000) == "2.5m"
    assert human_amount(1.2e12) == "1.2tn"
    assert human_amount(950) == "950"


def test_a_header_then_one_aligned_row_per_deal() -> None:
    value = {"currency": "USD", "amount": 10_000_000_000}
    entries = [
        _entry(value=value, disagreements={"value": [{}, {}], "capacity": []}),
        _entry(customer={"name": "Anthropic"}, deal_seq=2, report_count=12, resources=[]),
    ]
    header, first, second = format_table(entries).splitlines()
    assert header.split() == [w for c in TABLE_COLUMNS for w in c.split()]
    assert "USD 10bn (+2 other)" in first and first.endswith("2026-06-30")
    assert "Anthropic #2" in second and " - " in second  # no resources, no figure
    # the reports column is right-aligned: its last digit sits at one column in every row
    assert first.index(" 3 ") + 1 == second.index("12 ") + 1
    assert all(line == line.rstrip() for line in (header, first, second))


def test_capacity_shows_when_no_value_is_known() -> None:
    capacity = {"amount": 1_000, "unit": "MW"}
    assert "1k MW" in format_table([_entry(capacity=capacity)])
