"""Hostile article shapes for the benchmark's worst case: how long the slowest one takes per KB.

Cost must stay linear in the text's length whatever its shape (issue 10); these are the shapes
that once were not: one endless sentence naming companies, a company list without end, the
same paragraph repeated, one long run of a letter.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

from streams.enrich import Enricher

_NAMES = ["OpenAI", "Google Cloud", "Microsoft", "Oracle", "CoreWeave", "Nebius", "Nvidia", "Meta"]
_WORDS = ["rents", "GPU", "capacity", "from", "and", "cloud", "compute", "with", "deal"]
_PARAGRAPH = (
    "OpenAI mietet Rechenleistung bei Google Cloud. Der Vertrag hat einen Wert von "
    "zehn Milliarden Dollar und läuft über fünf Jahre. Oracle liefert Rechenzentren. "
)


def _repeat(parts: Callable[[int], str], n_chars: int, sep: str = " ") -> str:
    out: list[str] = []
    size = 0
    for i in itertools.count():
        out.append(parts(i))
        size += len(out[-1]) + len(sep)
        if size >= n_chars:
            return sep.join(out)
    raise AssertionError("unreachable")


SHAPES: dict[str, Callable[[int], str]] = {
    "endless_sentence": lambda n: _repeat(
        lambda i: _NAMES[i % len(_NAMES)] if i % 3 == 0 else _WORDS[i % len(_WORDS)], n
    ),
    "company_list": lambda n: _repeat(lambda i: _NAMES[i % len(_NAMES)], n, ", "),
    "repeated_paragraph": lambda n: _repeat(lambda i: _PARAGRAPH, n, ""),
    "one_letter": lambda n: "a" * n,
}


def slowest_per_kb(enricher: Enricher, sizes: list[int]) -> dict[str, Any]:
    """Enrich every shape at every size; the slowest in ms per KB of text, and which it was."""
    worst: dict[str, Any] = {"ms_per_kb": 0.0}
    for shape, make in SHAPES.items():
        for size in sizes:
            article = {"id": f"{shape}-{size}", "title": "Benchmark", "text": make(size)}
            started = time.perf_counter()
            enricher.enrich_batch([article])
            ms_per_kb = (time.perf_counter() - started) * 1000 / (len(article["text"]) / 1024)
            if ms_per_kb > worst["ms_per_kb"]:
                worst = {"ms_per_kb": round(ms_per_kb, 2), "shape": shape, "chars": size}
    return worst
