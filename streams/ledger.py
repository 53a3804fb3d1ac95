"""The compute-deal ledger: ``compute-partnerships`` reports folded into one entry per deal.

A *report* is one record of the ``compute-partnerships`` topic (``partnership_events`` in
``streams/enrich.py``): one deal detected in one article, with ``article_id``, ``detected_at``,
``score``, ``language``, ``title``/``url``/``published_at`` and the ``deal``. An *entry*
(``schemas/compute-deal.schema.json``) is what is known about one deal between one provider and
one customer, merged over every article that reports it, in any language.

Plain data in and out: no Kafka, no asyncio, no clock; the same reports give the same entries.

Time
    A report's time is its article's ``published_at`` when given, else its ``detected_at``,
    normalised to UTC. ``first_seen``/``last_seen`` and everything "newest" use it.

Idempotence
    An entry remembers every article id it has counted (``seen``). A report whose article id
    is already there is ignored, so a replayed report never counts twice: the entry comes back
    unchanged (equal). The first report of an article wins, also if a re-enrichment changed it.

One entry per pair and deal (the new-deal rule)
    Entries are keyed ``<provider id>|<customer id>#<deal_seq>``, the pair key of the reports
    plus a sequence number from 1. A report joins its pair's latest deal, unless

    1. it is dated more than ``Rules.new_deal_after_days`` (180) after that deal's first
       report, **and**
    2. it contradicts the deal: its value (same currency) or capacity (same unit) differs from
       the deal's best-supported figure by more than a factor ``Rules.figure_factor`` (1.5),
       or the deal has ended and the report does not say "ended" (a new signing after the end).

    Then it opens deal ``deal_seq + 1``. Within 180 days of a deal's start, a different figure is
    a disagreement between reports of the same deal; later, the same figure or no figure is
    another report of it (a recap), a clearly different one is a new deal (an expansion).
    Currencies and units are never converted: figures that cannot be compared do not split.
    A report dated before a later deal's start joins the deal in force at its date (the last
    one that started on or before it; the first one when it predates them all), never opens a
    new one.

Order
    ``apply`` is order-independent: applying the same set of reports (distinct article ids) to
    one deal in any order gives an equal entry. Every field is a function of the set: counts,
    unions, minima and maxima, top-k lists under a total order, figure tallies, and a
    confidence computed over the articles sorted by id. Routing reports to deals of a pair
    (``apply_to_pair``) follows the reports' time when they arrive in time order; a report that
    arrives out of order can only join an existing deal (see above), so the split can differ
    from the time-ordered one. Deals are never merged or split afterwards. ``fold`` (the
    offline command) sorts the reports by time first, so its ledger does not depend on the
    order of its input.

Status
    The live statuses are ranked ``talks < announced < signed``; an entry's live status is the
    most advanced one any report gave. ``ended`` is not a rank above ``signed``: the entry is
    ``ended`` when its newest report says so (a tie in time goes to ``ended``), so a later report
    of the live deal ("the contract runs until 2030") takes it back. ``status_changed_at`` is
    when the entry got its current status: the first report of the live status, or when the
    deal came back after an ``ended`` report, the first live report after that one if later;
    for ``ended``, the first ``ended`` report at or after the last live one.

Figures
    Value, capacity and duration are tallied per distinct figure (amount rounded to 3
    significant digits, per currency or unit). The entry's figure is the one most reports
    give; ties go to the highest article score, then the newest report, then the smallest
    figure. The others are listed in ``disagreements`` with their counts. A figure's ``text``
    is the wording of its highest-scored report.

Confidence
    ``1 - Π(1 - score)`` over the distinct articles: the chance that at least one report is
    right if each were an independent witness. It only grows with reports; one article at
    0.6 gives 0.6, two give 0.84.

Sources
    A report's source is its url's host (without ``www.``), else a ``source`` field when the
    report carries one; a report with neither counts for no source. ``sources.count`` is the
    number of distinct ones, ``sources.top`` the 20 most frequent.

Size
    ``articles`` keeps the 20 newest, ``sources.top`` 20; ``seen`` keeps one small object per
    distinct article (about 120 bytes), which is what makes replays and order harmless.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

SCHEMA_VERSION = 1
LIVE_STATUSES = ("talks", "announced", "signed")  # ascending: a later one is more advanced
ENDED = "ended"
FIGURES = ("value", "capacity", "duration")
_UNIT_FIELD = {"value": "currency", "capacity": "unit", "duration": None}
_AMOUNT_FIELD = {"value": "amount", "capacity": "amount", "duration": "years"}


@dataclass(frozen=True)
class Rules:
    """The ledger's tunables (see the module docstring for what each one decides)."""

    new_deal_after_days: float = 180.0
    figure_factor: float = 1.5
    max_articles: int = 20
    max_sources: int = 20


DEFAULT_RULES = Rules()


# --- reading a report --------------------------------------------------------------------


def normalise_time(stamp: str) -> str:
    """An RFC 3339 time as UTC ``YYYY-MM-DDTHH:MM:SS.mmmZ`` (a time without offset is UTC),
    so that the strings sort in time order."""
    parsed = datetime.fromisoformat(stamp)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def report_time(report: Mapping[str, Any]) -> str:
    """The time a report counts at: the article's ``published_at``, else ``detected_at``."""
    stamp = report.get("published_at") or report["detected_at"]
    return normalise_time(str(stamp))


def pair_key(report: Mapping[str, Any]) -> str:
    """The report's ``<provider id>|<customer id>`` key (rebuilt from the deal if absent)."""
    key = report.get("key")
    if isinstance(key, str) and key:
        return key
    deal = report["deal"]
    provider = deal["provider"]["id"] or deal["provider"]["name"]
    customer = deal["customer"]["id"] or deal["customer"]["name"]
    return f"{provider}|{customer}"


def source_of(report: Mapping[str, Any]) -> str | None:
    """The url's host without ``www.``, else the report's ``source`` field, else None."""
    url = report.get("url")
    if isinstance(url, str) and url:
        try:
            host = urlsplit(url).hostname
        except ValueError:
            host = None
        if host:
            return host.removeprefix("www.")
    source = report.get("source")
    if isinstance(source, str) and source.strip():
        return source.strip()
    return None


def _sig3(amount: float) -> float:
    return float(f"{float(amount):.3g}")


def _figure_id(kind: str, figure: Mapping[str, Any]) -> tuple[str, float]:
    unit_field = _UNIT_FIELD[kind]
    unit = str(figure[unit_field]) if unit_field else "years"
    return unit, _sig3(figure[_AMOUNT_FIELD[kind]])


# --- the fold over one deal --------------------------------------------------------------


def apply(
    entry: Mapping[str, Any] | None,
    report: Mapping[str, Any],
    *,
    deal_seq: int = 1,
    rules: Rules = DEFAULT_RULES,
) -> dict[str, Any]:
    """The entry after counting ``report``; a new entry (number ``deal_seq``) when ``entry``
    is None. Neither argument is changed. A report of an article the entry has already
    counted returns an equal entry. Which deal a report belongs to is decided by
    ``apply_to_pair``; ``apply`` only merges."""
    pair = pair_key(report)
    article_id = str(report["article_id"])
    if entry is None:
        entry = _empty(pair, deal_seq, report)
    elif entry["pair"] != pair:
        raise ValueError(f"report of pair {pair!r} applied to entry {entry['key']!r}")
    if article_id in entry["seen"]:
        return _copy(entry)

    at = report_time(report)
    deal = report["deal"]
    score = float(report["score"])
    seen = dict(entry["seen"])
    seen[article_id] = {
        "at": at,
        "score": score,
        "language": report.get("language"),
        "source": source_of(report),
        "status": deal["status"],
    }

    article: dict[str, Any] = {"id": article_id}
    for field in ("title", "url", "published_at"):
        if report.get(field):
            article[field] = report[field]
    article["detected_at"] = report["detected_at"]
    if report.get("language"):
        article["language"] = report["language"]
    article["score"] = score
    articles = sorted(
        [*entry["articles"], article], key=lambda a: (seen[a["id"]]["at"], a["id"]), reverse=True
    )[: rules.max_articles]

    tallies = {kind: _tallies(entry, kind) for kind in FIGURES}
    for kind in FIGURES:
        figure = deal.get(kind)
        if figure:
            tallies[kind] = _add_figure(kind, tallies[kind], figure, score, at)
    ranked = {kind: _rank(kind, tallies[kind]) for kind in FIGURES}

    return _assemble(
        entry,
        provider=_party(entry["provider"], deal["provider"]),
        customer=_party(entry["customer"], deal["customer"]),
        seen=seen,
        articles=articles,
        resources=sorted(set(entry["resources"]) | set(deal["resources"])),
        ranked=ranked,
        rules=rules,
    )


def _empty(pair: str, deal_seq: int, report: Mapping[str, Any]) -> dict[str, Any]:
    deal = report["deal"]
    return {
        "schema_version": SCHEMA_VERSION,
        "key": f"{pair}#{deal_seq}",
        "pair": pair,
        "deal_seq": deal_seq,
        "provider": dict(deal["provider"]),
        "customer": dict(deal["customer"]),
        "seen": {},
        "articles": [],
        "resources": [],
        "value": None,
        "capacity": None,
        "duration": None,
        "disagreements": {kind: [] for kind in FIGURES},
    }


def _copy(entry: Mapping[str, Any]) -> dict[str, Any]:
    # Deep enough: every nested container is rebuilt, so callers may change the result.
    def copy(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {k: copy(v) for k, v in value.items()}
        if isinstance(value, list):
            return [copy(v) for v in value]
        return value

    copied: dict[str, Any] = copy(entry)
    return copied


def _party(known: Mapping[str, Any], reported: Mapping[str, Any]) -> dict[str, Any]:
    # The same id everywhere (it is in the pair key); names may be written differently for
    # parties outside the knowledge base: the smallest one is kept, whatever the order.
    name = min(str(known["name"]), str(reported["name"]))
    return {"id": known["id"] if known["id"] is not None else reported["id"], "name": name}


def _tallies(entry: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    best = entry[kind]
    others = entry["disagreements"][kind]
    return [dict(t) for t in ([best] if best else []) + list(others)]


def _add_figure(
    kind: str, tallies: list[dict[str, Any]], figure: Mapping[str, Any], score: float, at: str
) -> list[dict[str, Any]]:
    wanted = _figure_id(kind, figure)
    text = str(figure.get("text", ""))
    for tally in tallies:
        if _figure_id(kind, tally) == wanted:
            tally["reports"] += 1
            # The wording of the highest-scored report; a tie goes to the smaller text.
            if score > tally["score"] or (score == tally["score"] and text < tally["text"]):
                tally["score"], tally["text"] = score, text
            tally["last_seen"] = max(tally["last_seen"], at)
            return tallies
    unit_field = _UNIT_FIELD[kind]
    new: dict[str, Any] = {_AMOUNT_FIELD[kind]: wanted[1]}
    if unit_field:
        new[unit_field] = wanted[0]
    new.update({"text": text, "reports": 1, "score": score, "last_seen": at})
    return [*tallies, new]


def _rank(kind: str, tallies: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    # Best first: most reports, then highest score, then newest, then smallest figure.
    by_figure = sorted(tallies, key=lambda t: _figure_id(kind, t))
    return sorted(by_figure, key=lambda t: (t["reports"], t["score"], t["last_seen"]), reverse=True)


def _assemble(
    entry: Mapping[str, Any],
    *,
    provider: dict[str, Any],
    customer: dict[str, Any],
    seen: dict[str, dict[str, Any]],
    articles: list[dict[str, Any]],
    resources: list[str],
    ranked: dict[str, list[dict[str, Any]]],
    rules: Rules,
) -> dict[str, Any]:
    ids = sorted(seen)
    times = [seen[i]["at"] for i in ids]
    counts: dict[str, int] = {}
    for i in ids:
        source = seen[i]["source"]
        if source is not None:
            counts[source] = counts.get(source, 0) + 1
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[: rules.max_sources]
    status, changed_at = _status(seen)
    unlikely = 1.0
    for i in ids:
        unlikely *= 1.0 - min(max(float(seen[i]["score"]), 0.0), 1.0)
    return {
        "schema_version": SCHEMA_VERSION,
        "key": entry["key"],
        "pair": entry["pair"],
        "deal_seq": entry["deal_seq"],
        "provider": provider,
        "customer": customer,
        "first_seen": min(times),
        "last_seen": max(times),
        "report_count": len(ids),
        "sources": {
            "count": len(counts),
            "top": [{"name": name, "reports": n} for name, n in top],
        },
        "languages": sorted({seen[i]["language"] for i in ids if seen[i]["language"]}),
        "status": status,
        "status_changed_at": changed_at,
        "resources": resources,
        "value": ranked["value"][0] if ranked["value"] else None,
        "capacity": ranked["capacity"][0] if ranked["capacity"] else None,
        "duration": ranked["duration"][0] if ranked["duration"] else None,
        "disagreements": {kind: ranked[kind][1:] for kind in FIGURES},
        "confidence": round(1.0 - unlikely, 6),
        "articles": articles,
        "seen": {i: seen[i] for i in ids},
    }


def _status(seen: Mapping[str, Mapping[str, Any]]) -> tuple[str, str]:
    live = [s for s in seen.values() if s["status"] != ENDED]
    ended = [s for s in seen.values() if s["status"] == ENDED]
    last_live = max((s["at"] for s in live), default=None)
    if ended and (last_live is None or max(s["at"] for s in ended) >= last_live):
        after = [s["at"] for s in ended if last_live is None or s["at"] >= last_live]
        return ENDED, min(after)
    rank = max(LIVE_STATUSES.index(s["status"]) for s in live)
    status = LIVE_STATUSES[rank]
    changed_at = min(s["at"] for s in live if s["status"] == status)
    if ended:  # every ended report is older than the last live one: the deal came back
        last_end = max(s["at"] for s in ended)
        back = min(s["at"] for s in live if s["at"] > last_end)
        changed_at = max(changed_at, back)
    return status, changed_at


# --- deals of one pair -------------------------------------------------------------------


def opens_new_deal(
    entry: Mapping[str, Any], report: Mapping[str, Any], rules: Rules = DEFAULT_RULES
) -> bool:
    """Whether ``report`` starts a new deal after ``entry`` (the pair's latest deal): dated more
    than ``rules.new_deal_after_days`` after the deal's first report, and contradicting it
    (a figure off by more than ``rules.figure_factor``, or a live report after the end)."""
    at = _parse(report_time(report))
    if at <= _parse(entry["first_seen"]) + timedelta(days=rules.new_deal_after_days):
        return False
    deal = report["deal"]
    if entry["status"] == ENDED and deal["status"] != ENDED:
        return True
    for kind in ("value", "capacity"):
        figure, best = deal.get(kind), entry.get(kind)
        if not figure or not best:
            continue
        unit_field = _UNIT_FIELD[kind]
        if unit_field and figure[unit_field] != best[unit_field]:
            continue
        low, high = sorted((abs(float(figure["amount"])), abs(float(best["amount"]))))
        if high > low * rules.figure_factor:
            return True
    return False


def apply_to_pair(
    deals: Sequence[Mapping[str, Any]], report: Mapping[str, Any], rules: Rules = DEFAULT_RULES
) -> list[dict[str, Any]]:
    """The deals of one pair (ordered by ``deal_seq``) after counting ``report``: it joins the
    deal in force at its time, or opens the next one (see the module docstring). A report of
    an article any of the deals has counted changes nothing."""
    result = [_copy(d) for d in deals]
    if not result:
        return [apply(None, report, deal_seq=1, rules=rules)]
    if any(str(report["article_id"]) in d["seen"] for d in result):
        return result
    at = report_time(report)
    started = [i for i, d in enumerate(result) if d["first_seen"] <= at]
    index = started[-1] if started else 0
    if index == len(result) - 1 and opens_new_deal(result[index], report, rules):
        seq = int(result[-1]["deal_seq"]) + 1
        return [*result, apply(None, report, deal_seq=seq, rules=rules)]
    result[index] = apply(result[index], report, rules=rules)
    return result


def fold(
    reports: Iterable[Mapping[str, Any]], rules: Rules = DEFAULT_RULES
) -> list[dict[str, Any]]:
    """The whole ledger over a set of reports, newest deal first (``last_seen``, then key).

    Reports are taken in time order (then article id), so the result does not depend on the
    order they are given in."""
    ordered = sorted(reports, key=lambda r: (report_time(r), str(r["article_id"]), pair_key(r)))
    pairs: dict[str, list[dict[str, Any]]] = {}
    for report in ordered:
        key = pair_key(report)
        pairs[key] = apply_to_pair(pairs.get(key, []), report, rules)
    entries = [entry for deals in pairs.values() for entry in deals]
    entries.sort(key=lambda e: e["key"])
    entries.sort(key=lambda e: e["last_seen"], reverse=True)
    return entries
