"""The knowledge data files obey their schemas, and every cue is a valid regular expression."""

import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.contracts import PARTNERSHIP_LEXICON, PARTNERSHIP_MODEL, QUANTITIES, violations

DATA = Path(__file__).resolve().parent.parent / "streams" / "data"


def load(name: str) -> Any:
    return orjson.loads((DATA / name).read_bytes())


@pytest.mark.parametrize(
    ("file", "schema"),
    [
        ("partnership_lexicon.json", PARTNERSHIP_LEXICON),
        ("partnership_model.json", PARTNERSHIP_MODEL),
        ("quantities.json", QUANTITIES),
    ],
)
def test_data_file_obeys_its_schema(file: str, schema: str) -> None:
    assert list(violations(schema, load(file))) == []


def test_every_cue_compiles() -> None:
    def patterns(node: Any) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, list):
            return [p for item in node for p in patterns(item)]
        if isinstance(node, dict):
            return [p for value in node.values() for p in patterns(value)]
        return []

    lexicon = load("partnership_lexicon.json")
    lexicon.pop("about")
    lexicon.pop("provider_prior")
    for pattern in patterns(lexicon):
        re.compile(pattern)


def test_the_cue_lemma_table_covers_the_lemma_cues() -> None:
    """streams/data/cue_lemmas.json is rebuilt after the lemma cues change: every language
    with lemma cues has forms, and every form leads to a word of that language's cues."""
    from streams.lemmas import TABLE_FILE, lemma_text
    from streams.training.cue_lemmas import SECTIONS, cue_words

    lexicon = orjson.loads(Path("streams/data/partnership_lexicon.json").read_bytes())
    forms = orjson.loads(TABLE_FILE.read_bytes())["forms"]
    for lang in {lang for section in SECTIONS for lang in lexicon[section]}:
        assert forms.get(lang), lang
        assert set(forms[lang].values()) <= cue_words(lexicon, lang), lang
    assert "anmieten" in lemma_text("Microsoft plant, Kapazität bei Nebius anzumieten.", "de")
    assert "anmieten" in lemma_text("Microsoft mietet Kapazität bei Nebius an.", "de").split()
