"""The word-cluster column of the German NER tok2vec, on a hand-made table."""

import numpy as np
import spacy
from spacy.strings import get_string_id
from spacy.tokens import Doc
from thinc.api import Model
from thinc.types import Ints2d

from streams.models.cluster_embed import (
    HEAD_OFFSET,
    LOWER_OFFSET,
    ClusterFeatures,
    ClusterHashEmbed,
    ClusterTable,
)

WORDS = {"Merkel": 41, "die": 32, "Ministerium": 900, "Chef": 77, "Berlin": 81}


def table() -> ClusterTable:
    pairs = sorted((get_string_id(w) & 0xFFFFFFFF, c) for w, c in WORDS.items())
    keys = np.array([k for k, _ in pairs], np.uint32)
    return ClusterTable(keys, np.array([c for _, c in pairs], np.uint16))


def test_exact_form_then_lower_case_then_compound_head_then_unknown() -> None:
    doc = spacy.blank("de")("Die Merkel im Finanzministerium und der Nvidia-Chef xyz Berlin")
    column = table().column(doc)
    assert [int(c) for c in column] == [
        LOWER_OFFSET + 32,  # "Die": only "die" is known
        41,
        0,  # "im"
        HEAD_OFFSET + 900,  # Finanz|ministerium
        0,
        0,
        HEAD_OFFSET + 77,  # Nvidia-|Chef
        0,  # lower-case, no head looked up
        81,
    ]


def test_table_packs_and_unpacks() -> None:
    t = table()
    back = ClusterTable.from_attrs(t.pack())
    assert (back.keys == t.keys).all() and (back.values == t.values).all()
    empty = ClusterTable.from_attrs({})
    assert int(empty.lookup(np.array([get_string_id("Merkel")], np.uint64))[0]) == 0


def test_features_carry_the_table_through_serialisation() -> None:
    nlp = spacy.blank("de")
    docs = [nlp("Merkel in Berlin")]
    features: Model[list[Doc], list[Ints2d]] = ClusterFeatures(["NORM", "SHAPE"], lexicon_words=10)
    features.attrs.update(table().pack())
    first = features.predict(docs)[0]
    assert first.shape == (3, 3)
    assert [int(x) for x in first[:, 2]] == [41, 0, 81]
    fresh: Model[list[Doc], list[Ints2d]] = ClusterFeatures(["NORM", "SHAPE"], lexicon_words=10)
    fresh.from_bytes(features.to_bytes())
    assert (fresh.predict(docs)[0] == first).all()


def test_embedding_has_one_more_table_than_attributes() -> None:
    model = ClusterHashEmbed(8, ["NORM", "SHAPE"], [50, 50], cluster_rows=20, lexicon_words=10)
    embeds = [n for n in model.walk() if n.name == "hashembed"]
    assert len(embeds) == 3


def test_pyproject_names_the_architecture_for_spacy_load() -> None:
    import importlib
    import tomllib
    from pathlib import Path

    from spacy.util import registry

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    points = tomllib.loads(pyproject.read_text())["project"]["entry-points"]
    target = points["spacy_architectures"]["newsenrich.ClusterHashEmbed.v1"]
    module, _, name = target.partition(":")
    assert getattr(importlib.import_module(module), name) is ClusterHashEmbed
    assert registry.architectures.get("newsenrich.ClusterHashEmbed.v1") is ClusterHashEmbed
