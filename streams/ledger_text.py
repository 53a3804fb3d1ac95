"""The compute-deal ledger as a text table for people (``newsenrich deals`` without ``--json``).

Plain data in, a string out: the entries ``streams.ledger.fold`` made, one row each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

TABLE_COLUMNS = (
    "provider",
    "customer",
    "status",
    "resources",
    "value",
    "reports",
    "languages",
    "last seen",
)


def human_amount(amount: float) -> str:
    """``14000000000`` → ``14bn``, ``2500000`` → ``2.5m``."""
    for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(amount) >= size:
            return f"{amount / size:.3g}{suffix}"
    return f"{amount:.3g}"


def _figure_cell(entry: Mapping[str, Any]) -> str:
    value, capacity = entry.get("value"), entry.get("capacity")
    if value:
        cell = f"{value['currency']} {human_amount(value['amount'])}"
    elif capacity:
        cell = f"{human_amount(capacity['amount'])} {capacity['unit']}"
    else:
        return "-"
    kind = "value" if value else "capacity"
    others = len(entry["disagreements"][kind])
    return f"{cell} (+{others} other)" if others else cell


def table_rows(entries: Iterable[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """One row of ``TABLE_COLUMNS`` cells per entry (value, else capacity, in the value
    column; ``(+n other)`` counts the disagreeing figures)."""
    rows: list[tuple[str, ...]] = []
    for entry in entries:
        seq = f" #{entry['deal_seq']}" if entry["deal_seq"] > 1 else ""
        rows.append(
            (
                str(entry["provider"]["name"]),
                f"{entry['customer']['name']}{seq}",
                str(entry["status"]),
                ",".join(entry["resources"]) or "-",
                _figure_cell(entry),
                str(entry["report_count"]),
                ",".join(entry["languages"]) or "-",
                str(entry["last_seen"])[:10],
            )
        )
    return rows


def format_table(entries: Iterable[Mapping[str, Any]]) -> str:
    """The entries as an aligned text table with a header line (no trailing spaces)."""
    rows: list[tuple[str, ...]] = [TABLE_COLUMNS, *table_rows(entries)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(TABLE_COLUMNS))]
    numeric = {TABLE_COLUMNS.index("reports")}
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in numeric and row is not rows[0] else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
