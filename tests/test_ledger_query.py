"""Filters, order and paging of ``GET /deals`` (streams/ledger_query.py), without a broker."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from streams.contracts import DEALS_PAGE, violations
from streams.ledger import fold
from streams.ledger_query import (
    DealQuery,
    QueryError,
    answer,
    merge,
    partial_answer,
    summary,
)
from streams.ledger_table import RowCache, key_partition
from tests.ledger_reports import report, usd

AWS = {"id": "aws", "name": "Amazon Web Services"}
NEBIUS = {"id": "nebius", "name": "Nebius"}
MISTRAL = {"id": "mistral-ai", "name": "Mistral AI"}
START_UP = {"id": None, "name": "Tiny Robots GmbH"}


def ledger() -> list[dict[str, Any]]:
    """Seven entries, one per pair, reported on days 0 to 6."""
    reports = [
        report("g1", 0, status="signed", resources=("tpu",)),
        report("a1", 1, provider=AWS, status="talks", resources=("gpu", "cloud")),
        report("n1", 2, provider=NEBIUS, customer=MISTRAL, status="announced", value=usd(1)),
        report("n2", 3, provider=NEBIUS, status="signed", resources=("gpu",)),
        report("s1", 4, provider=AWS, customer=START_UP, status="signed"),
        report("s2", 5, provider=NEBIUS, customer=START_UP, status="ended"),
        report("m1", 6, provider=AWS, customer=MISTRAL, status="announced"),
    ]
    return fold(reports)


def test_filters_match_ids_and_names_ignoring_case() -> None:
    entries = ledger()
    by_provider = answer(entries, DealQuery(provider="NEBIUS"))
    assert [e["pair"] for e in by_provider["deals"]] == [
        "nebius|Tiny Robots GmbH",
        "nebius|openai",
        "nebius|mistral-ai",
    ]
    by_name = answer(entries, DealQuery(customer="tiny robots gmbh"))
    assert by_name["total"] == 2
    both = answer(entries, DealQuery(provider="aws", customer="Mistral AI"))
    assert [e["pair"] for e in both["deals"]] == ["aws|mistral-ai"]


def test_resource_status_and_since() -> None:
    entries = ledger()
    assert {e["pair"] for e in answer(entries, DealQuery(resource="gpu"))["deals"]} == {
        "aws|openai",
        "nebius|openai",
    }
    assert answer(entries, DealQuery(status="ended"))["total"] == 1
    recent = answer(entries, DealQuery(since="2026-01-10T09:00:00+00:00"))
    assert [e["pair"] for e in recent["deals"]] == ["aws|mistral-ai", "nebius|Tiny Robots GmbH"]


def test_pages_are_newest_first_and_cover_everything_once() -> None:
    entries = ledger()
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = answer(entries, DealQuery(limit=3, offset=offset))
        assert list(violations(DEALS_PAGE, page)) == []
        seen += [e["key"] for e in page["deals"]]
        offset = page["next_offset"]
    assert seen == [e["key"] for e in entries]  # fold's order: newest first
    assert len(seen) == len(set(seen)) == 7


def test_merged_parts_equal_one_answer_over_everything() -> None:
    entries = ledger()
    for query in (DealQuery(limit=2, offset=1), DealQuery(limit=10), DealQuery(status="signed")):
        parts = [partial_answer(entries[i::3], query) for i in range(3)]
        assert merge(parts, query) == answer(entries, query)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"stauts": "signed"}, "unknown parameter(s) stauts"),
        ({"status": "done"}, "status must be one of"),
        ({"since": "yesterday"}, "since must be an RFC 3339 time"),
        ({"limit": "0"}, "limit must be between 1 and 500"),
        ({"limit": "many"}, "limit must be an integer"),
        ({"offset": "-1"}, "offset must be at least 0"),
    ],
)
def test_bad_parameters_are_named(params: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        DealQuery.from_params(params)


def test_parameters_parse() -> None:
    query = DealQuery.from_params(
        {"provider": "aws", "status": "signed", "since": "2026-01-01", "limit": "5", "offset": "10"}
    )
    assert query == DealQuery(
        provider="aws", status="signed", since="2026-01-01T00:00:00.000Z", offset=10, limit=5
    )


def test_summaries_choose_the_same_page_as_whole_entries() -> None:
    entries = ledger()
    query = DealQuery(status="signed", limit=2)
    chosen = partial_answer([summary(e) for e in entries], query)
    assert [s["key"] for s in chosen["deals"]] == [
        e["key"] for e in partial_answer(entries, query)["deals"]
    ]


def test_row_cache_decodes_a_row_again_only_when_it_changed() -> None:
    rows = {e["pair"].encode(): orjson.dumps([e]) for e in ledger()}
    cache = RowCache(partitions=4)
    first = cache.refresh(rows.items())
    assert sorted(p for p, _ in first) == sorted(key_partition(k, 4) for k in rows)
    assert all(0 <= p < 4 for p, _ in first)
    again = cache.refresh(rows.items())
    assert [id(s) for _, s in again] == [id(s) for _, s in first]  # nothing decoded again
    key = b"aws|openai"
    changed = orjson.loads(rows[key])
    changed[0]["status"] = "ended"
    rows[key] = orjson.dumps(changed)
    del rows[b"nebius|mistral-ai"]
    refreshed = dict(zip(rows, (s for _, s in cache.refresh(rows.items())), strict=True))
    assert refreshed[key][0]["status"] == "ended" and len(refreshed) == 6
    assert RowCache.entry(rows[key], "aws|openai#1") == changed[0]
