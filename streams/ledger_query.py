"""Questions to the compute-deal ledger: the filters, order and paging of ``GET /deals``.

Plain data in and out, shared by every worker (each answers for its own table partitions) and
by the worker that merges their answers. ``schemas/deals-page.schema.json`` is the answer's
shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from streams.ledger import ENDED, LIVE_STATUSES, normalise_time

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
STATUSES = (*LIVE_STATUSES, ENDED)


class QueryError(ValueError):
    """A query parameter the ledger cannot answer; the message names it (HTTP 400)."""


@dataclass(frozen=True)
class DealQuery:
    """Filters (all optional, combined with AND) and a page of ``GET /deals``.

    ``provider`` and ``customer`` match a party's knowledge-base id or its name, ignoring
    case; ``resource`` one of the entry's resources; ``status`` its status; ``since`` keeps
    entries last seen at or after that time (RFC 3339)."""

    provider: str | None = None
    customer: str | None = None
    resource: str | None = None
    status: str | None = None
    since: str | None = None
    offset: int = 0
    limit: int = DEFAULT_LIMIT

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> DealQuery:
        """The query of a request's parameters; unknown parameters are an error, so a typo
        never silently widens the answer."""
        known = {"provider", "customer", "resource", "status", "since", "offset", "limit"}
        unknown = sorted(set(params) - known)
        if unknown:
            raise QueryError(f"unknown parameter(s) {', '.join(unknown)}; known: {sorted(known)}")
        status = params.get("status") or None
        if status is not None and status not in STATUSES:
            raise QueryError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        since = params.get("since") or None
        if since is not None:
            try:
                since = normalise_time(since)
            except ValueError:
                raise QueryError(f"since must be an RFC 3339 time, not {since!r}") from None
        return cls(
            provider=params.get("provider") or None,
            customer=params.get("customer") or None,
            resource=params.get("resource") or None,
            status=status,
            since=since,
            offset=_integer(params, "offset", 0, 0, None),
            limit=_integer(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        )

    def matches(self, entry: Mapping[str, Any]) -> bool:
        """Whether ``entry`` passes every filter."""
        return (
            _party_is(entry["provider"], self.provider)
            and _party_is(entry["customer"], self.customer)
            and (self.resource is None or self.resource in entry["resources"])
            and (self.status is None or entry["status"] == self.status)
            and (self.since is None or entry["last_seen"] >= self.since)
        )


def _integer(params: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(f"{name} must be an integer, not {raw!r}") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise QueryError(f"{name} must be {bound}, not {value}")
    return value


def _party_is(party: Mapping[str, Any], wanted: str | None) -> bool:
    if wanted is None:
        return True
    wanted = wanted.casefold()
    return wanted in ((party.get("id") or "").casefold(), str(party.get("name", "")).casefold())


SUMMARY_FIELDS = ("key", "pair", "provider", "customer", "resources", "status", "last_seen")


def summary(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The fields filters and order read (``DealQuery.matches``, ``newest_first``): enough to
    choose a page before decoding whole entries."""
    return {field: entry[field] for field in SUMMARY_FIELDS}


def newest_first(entries: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Entries by ``last_seen``, newest first, then by key (a total order, so pages of a
    ledger that does not change never overlap or skip)."""
    ordered = sorted(entries, key=lambda e: e["key"])
    ordered.sort(key=lambda e: e["last_seen"], reverse=True)
    return ordered


def answer(entries: Iterable[Mapping[str, Any]], query: DealQuery) -> dict[str, Any]:
    """The page ``query`` asks for out of ``entries`` (any order)."""
    matching = newest_first(e for e in entries if query.matches(e))
    return page(matching, len(matching), query)


def partial_answer(entries: Iterable[Mapping[str, Any]], query: DealQuery) -> dict[str, Any]:
    """One worker's part of an answer: every match that could be on the page (the first
    ``offset + limit`` of its own, newest first) and how many matched in all."""
    matching = newest_first(e for e in entries if query.matches(e))
    return {"deals": matching[: query.offset + query.limit], "total": len(matching)}


def merge(parts: Sequence[Mapping[str, Any]], query: DealQuery) -> dict[str, Any]:
    """The page out of the workers' ``partial_answer``s: the same page ``answer`` gives over
    all of their entries."""
    merged = newest_first(e for part in parts for e in part["deals"])
    return page(merged, sum(int(part["total"]) for part in parts), query)


def page(ordered: Sequence[Mapping[str, Any]], total: int, query: DealQuery) -> dict[str, Any]:
    """``{"deals", "total", "offset", "limit", "next_offset"}`` for entries already in order;
    ``next_offset`` is null on the last page."""
    end = query.offset + query.limit
    return {
        "deals": list(ordered[query.offset : end]),
        "total": total,
        "offset": query.offset,
        "limit": query.limit,
        "next_offset": end if end < total else None,
    }
