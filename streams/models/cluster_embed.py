"""Word-cluster features for the shipped German NER pipeline (``streams.models.de_newsenrich_ner``).

German capitalises every noun, so a tagger trained on 5,100 sentences has to guess whether an
unseen capitalised word is a common noun or a name. Brown clusters computed on a large German
corpus answer most of that: surnames, places and companies fall into their own clusters. The
architecture ``newsenrich.ClusterHashEmbed.v1`` is spaCy's ``MultiHashEmbed`` (hashed NORM,
PREFIX, SUFFIX, SHAPE) with one more embedded column: the word's cluster, looked up in a table
that the tok2vec model carries in its own weights file (no vocabulary or lookups at run time).

The cluster column of a token is, in this order:

* the cluster of its exact form, if the table has it;
* ``LOWER_OFFSET`` + the cluster of its lower-case form ("Fahrt" at the start of a sentence);
* ``HEAD_OFFSET`` + the cluster of the longest known tail of a compound, capitalised
  ("Finanzministerium" -> "Ministerium", "Nvidia-Chef" -> "Chef"), at least ``MIN_HEAD`` letters;
* 0 (unknown).

The table (``keys``: the low 32 bits of spaCy's string hash of each word, sorted, stored as
zlib-compressed gaps; ``values``: cluster + 1) is built only when the pipeline is trained
(``streams/training/word_clusters.py``), through the layer's ``init``; a loaded pipeline reads
it back from its weights file.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any, cast

import numpy as np
from spacy.attrs import LOWER, ORTH, intify_attr
from spacy.ml.featureextractor import FeatureExtractor
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import (
    HashEmbed,
    Maxout,
    Model,
    chain,
    concatenate,
    list2ragged,
    ragged2list,
    with_array,
)
from thinc.types import Floats2d, Ints2d, Ragged

LOWER_OFFSET = 100_000
HEAD_OFFSET = 200_000
MIN_HEAD = 4
MASK32 = np.uint64(0xFFFFFFFF)
_CACHE_LIMIT = 200_000


class ClusterTable:
    """Sorted 32-bit keys and their cluster values, with lookups for arrays of string hashes."""

    def __init__(self, keys: np.ndarray, values: np.ndarray) -> None:
        self.keys = keys
        self.values = values
        self._heads: dict[int, int] = {}

    @classmethod
    def from_attrs(cls, attrs: dict[str, Any]) -> ClusterTable:
        """The table as the layer stores it: zlib-compressed key gaps and values."""
        packed_keys = attrs.get("cluster_keys", b"")
        packed_values = attrs.get("cluster_values", b"")
        gaps = np.frombuffer(zlib.decompress(packed_keys), np.uint32) if packed_keys else None
        if gaps is None or not len(gaps):
            return cls(np.zeros(0, np.uint32), np.zeros(0, np.uint16))
        keys = np.cumsum(gaps, dtype=np.uint64).astype(np.uint32)
        return cls(keys, np.frombuffer(zlib.decompress(packed_values), np.uint16))

    def pack(self) -> dict[str, bytes]:
        """The attrs that :meth:`from_attrs` reads."""
        gaps = np.diff(self.keys.astype(np.int64), prepend=0).astype(np.uint32)
        return {
            "cluster_keys": zlib.compress(gaps.tobytes(), 9),
            "cluster_values": zlib.compress(self.values.astype(np.uint16).tobytes(), 9),
        }

    def lookup(self, hashes: np.ndarray) -> np.ndarray:
        """Cluster + 1 of each 64-bit string hash, 0 where the table lacks it."""
        out = np.zeros(len(hashes), dtype=np.uint64)
        if not len(self.keys) or not len(hashes):
            return out
        low = (hashes.astype(np.uint64) & MASK32).astype(np.uint32)
        at = np.searchsorted(self.keys, low)
        at[at >= len(self.keys)] = 0
        hit = self.keys[at] == low
        out[hit] = self.values[at[hit]]
        return out

    def head(self, text: str) -> int:
        """Cluster + 1 of the longest known capitalised tail of ``text``, 0 if none."""
        key = get_string_id(text)
        cached = self._heads.get(key)
        if cached is not None:
            return cached
        value = 0
        for start in range(1, len(text) - MIN_HEAD + 1):
            tail = text[start:]
            if not tail[0].isalpha():
                continue
            found = self.lookup(np.array([get_string_id(tail[0].upper() + tail[1:])], np.uint64))
            if found[0]:
                value = int(found[0])
                break
        if len(self._heads) >= _CACHE_LIMIT:
            self._heads.clear()
        self._heads[key] = value
        return value

    def column(self, doc: Doc) -> np.ndarray:
        """The cluster feature of each token of ``doc`` (see the module docstring)."""
        hashes = doc.to_array([ORTH, LOWER]).reshape((-1, 2)).astype(np.uint64)
        exact = self.lookup(hashes[:, 0])
        lower = self.lookup(hashes[:, 1])
        out = np.where(exact > 0, exact, np.where(lower > 0, lower + LOWER_OFFSET, 0))
        for i in np.flatnonzero(out == 0):
            text = doc[int(i)].text
            if len(text) > MIN_HEAD and text[0].isupper():
                value = self.head(text)
                if value:
                    out[i] = value + HEAD_OFFSET
        return out.astype(np.uint64)


# Decoded tables, by layer (thinc models take no weak references): the packed bytes they came
# from are kept with them, so a reloaded or reused layer is decoded anew.
_TABLES: dict[int, tuple[bytes, ClusterTable]] = {}


def _table(model: Model[Any, Any]) -> ClusterTable:
    packed: bytes = model.attrs.get("cluster_keys", b"")
    cached = _TABLES.get(id(model))
    if cached is None or cached[0] is not packed:
        if len(_TABLES) >= 8:  # layers of pipelines loaded and dropped: keep memory bounded
            _TABLES.clear()
        cached = (packed, ClusterTable.from_attrs(model.attrs))
        _TABLES[id(model)] = cached
    return cached[1]


def ClusterFeatures(columns: list[str | int], lexicon_words: int) -> Model[list[Doc], list[Ints2d]]:
    """Like spaCy's ``FeatureExtractor``, plus a last column: the token's cluster feature."""
    base = FeatureExtractor(columns)
    return Model(
        "extract_features_clusters",
        _forward,
        init=_init,
        layers=[base],
        attrs={"cluster_keys": b"", "cluster_values": b"", "lexicon_words": lexicon_words},
    )


def _init(model: Model[Any, Any], X: Any = None, Y: Any = None) -> None:
    if model.attrs.get("cluster_keys"):
        return
    from streams.training.word_clusters import build_table  # training only

    keys, values = build_table(int(model.attrs["lexicon_words"]))
    model.attrs.update(ClusterTable(keys, values).pack())


def _forward(
    model: Model[list[Doc], list[Ints2d]], docs: list[Doc], is_train: bool
) -> tuple[list[Ints2d], Callable[[Any], list[Any]]]:
    base, _ = model.layers[0](docs, is_train)
    table = _table(model)
    features = []
    for doc, columns in zip(docs, base, strict=True):
        whole = doc if isinstance(doc, Doc) else doc.doc
        column = table.column(whole)
        if not isinstance(doc, Doc):
            column = column[doc.start : doc.end]
        base_columns = np.asarray(columns)
        stacked = np.empty((len(column), base_columns.shape[1] + 1), dtype=np.uint64)
        stacked[:, :-1] = base_columns
        stacked[:, -1] = column
        features.append(model.ops.asarray2i(cast(Ints2d, stacked), dtype="uint64"))
    return features, lambda d_features: []


def ClusterHashEmbed(
    width: int,
    attrs: list[str | int],
    rows: list[int],
    cluster_rows: int,
    lexicon_words: int,
) -> Model[list[Doc], list[Floats2d]]:
    """spaCy's ``MultiHashEmbed.v2`` without static vectors, plus the hashed cluster column."""
    if len(rows) != len(attrs):
        raise ValueError(f"Mismatched lengths: {len(rows)} vs {len(attrs)}")
    columns = [intify_attr(a) if isinstance(a, str) else a for a in attrs]
    all_rows = [*rows, cluster_rows]
    embeddings: list[Model[Ints2d, Floats2d]] = [
        HashEmbed(width, all_rows[i], column=i, seed=8 + i, dropout=0.0)
        for i in range(len(all_rows))
    ]
    max_out: Model[Ragged, Ragged] = with_array(
        Maxout(width, width * len(embeddings), nP=3, dropout=0.0, normalize=True)
    )
    return chain(
        ClusterFeatures(cast(list[str | int], columns), lexicon_words),
        cast(Model[list[Ints2d], Ragged], list2ragged()),
        with_array(concatenate(*embeddings)),
        max_out,
        ragged2list(),
    )


registry.architectures.register("newsenrich.ClusterHashEmbed.v1", func=ClusterHashEmbed)
