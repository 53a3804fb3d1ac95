"""Features of the article model: does the whole article report a compute deal?

The pair models (``streams.features``) only see what sentences say about a pair of parties
they found. Real reports often name the parties far apart or by description ("der Konzern"),
so a deal can be reported without a well-scored pair. The article model reads the whole
article: its best pair's probability plus the words it uses, as word stems and stem pairs
("rechenkapazität" → ``w_reche``, "mietet rechenkapazität" → ``b_miete_reche``). Which stems
count, and how much, is learned (``python -m streams.training.partnership``); a stem the model
has no weight for weighs nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from itertools import pairwise

STEM = 5  # characters of a word kept: inflections and compound heads meet ("Rechenzentren")
WORD_PREFIXES = ("w_", "b_")  # word features (the trainer penalises them more than the rest)
_WORD = re.compile(r"\w+")


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _stems(text: str) -> list[str]:
    return [w[:STEM] for w in _WORD.findall(text.lower()) if len(w) > 2 and not w.isdigit()]


def article_features(texts: Iterable[str], best_pair: float) -> dict[str, float]:
    """The article model's features: the best candidate pair's deal probability (as log-odds,
    0 when no pair was found) and the stems and stem pairs of the title and text sentences."""
    features = {"pair_log_odds": _logit(best_pair), "no_pair": float(best_pair == 0.0)}
    for text in texts:
        stems = _stems(text)
        features.update(dict.fromkeys(("w_" + s for s in stems), 1.0))
        features.update(dict.fromkeys((f"b_{a}_{b}" for a, b in pairwise(stems)), 1.0))
    return features
