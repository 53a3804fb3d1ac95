"""The word-cluster table of the German NER pipeline (see ``streams/models/cluster_embed.py``).

Source: the German Brown clusters (``de_lexeme_cluster``) and word log-probabilities
(``de_lexeme_prob``) of the ``spacy-lookups-data`` package (MIT), one million word forms each.
The table keeps the ``words`` most frequent forms: their spaCy string hash (low 32 bits) and
cluster + 1. Training only: ``pip install -e '.[train]'`` brings the package.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import numpy as np
from spacy.strings import get_string_id

PACKAGE = "spacy_lookups_data"


def _data_file(name: str) -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{PACKAGE} is not installed: pip install -e '.[train]'")
    return Path(spec.origin).parent / "data" / f"{name}.json.gz"


def _read(name: str) -> dict[str, float]:
    with gzip.open(_data_file(name), "rt", encoding="utf-8") as f:
        table: dict[str, float] = json.load(f)
    return table


def build_table(words: int) -> tuple[np.ndarray, np.ndarray]:
    """(sorted uint32 keys, uint16 cluster + 1) of the ``words`` most frequent German forms."""
    clusters = _read("de_lexeme_cluster")
    probs = _read("de_lexeme_prob")
    ranked = sorted(clusters, key=lambda w: (-probs.get(w, -99.0), w))[:words]
    table: dict[int, int] = {}
    for word in ranked:
        key = get_string_id(word) & 0xFFFFFFFF
        table.setdefault(key, int(clusters[word]) + 1)  # the more frequent word wins a collision
    keys = np.array(sorted(table), dtype=np.uint32)
    values = np.array([table[int(k)] for k in keys], dtype=np.uint16)
    return keys, values
