"""A language-identification test corpus built from hand-written sentences.

``eval/language_sentences.json`` holds six news-style sentences per language. Long samples
(200+ characters) are windows of consecutive sentences, read forwards and backwards from each
starting sentence, grown until they pass 200 characters; short samples are single sentences.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

LONG = 200


@dataclass(frozen=True)
class Sample:
    """A text whose language is known."""

    language: str
    text: str

    @property
    def long(self) -> bool:
        return len(self.text) >= LONG


def _window(sentences: list[str], start: int, step: int) -> str:
    parts: list[str] = []
    i = start
    while len(" ".join(parts)) < LONG and len(parts) < len(sentences):
        parts.append(sentences[i % len(sentences)])
        i += step
    return " ".join(parts)


def samples(path: Path) -> list[Sample]:
    """Long windows and short single sentences for every language in the file."""
    by_language: dict[str, list[str]] = orjson.loads(path.read_bytes())
    out = []
    for language, sentences in sorted(by_language.items()):
        for start in range(len(sentences)):
            for step in (1, -1):
                out.append(Sample(language, _window(sentences, start, step)))
            out.append(Sample(language, sentences[start]))
    return out


def score_detector(detect: Callable[[str], str], corpus: list[Sample]) -> dict[str, Any]:
    """Accuracy on long and short samples, the languages it got wrong, and microseconds/text."""
    right: Counter[bool] = Counter()
    total: Counter[bool] = Counter()
    confusions: Counter[str] = Counter()
    started = time.perf_counter()
    for sample in corpus:
        got = detect(sample.text)
        total[sample.long] += 1
        if got == sample.language:
            right[sample.long] += 1
        else:
            confusions[f"{sample.language}->{got}"] += 1
    elapsed = time.perf_counter() - started
    return {
        "languages": len({s.language for s in corpus}),
        "long_samples": total[True],
        "long_accuracy": round(right[True] / total[True], 4) if total[True] else None,
        "short_samples": total[False],
        "short_accuracy": round(right[False] / total[False], 4) if total[False] else None,
        "errors": dict(confusions.most_common()),
        "us_per_text": round(1e6 * elapsed / len(corpus), 1),
    }
