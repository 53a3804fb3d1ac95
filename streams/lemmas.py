"""Lemmas of a sentence, so that cue lexicons meet inflected and separable verbs.

"bezog", "gebucht", "anzumieten" and "mietet ... an" all meet the lexicon's lemma cues
("beziehen", "buchen", "anmieten"). Word forms are looked up in ``streams/data/cue_lemmas.json``,
compiled from simplemma's dictionaries for just the cue words (``python -m
streams.training.cue_lemmas``; simplemma was chosen over spaCy's lookup tables by measurement,
see README "Real news"). A form not in the table stands for itself. A German separable particle
("Microsoft mietet Kapazität bei Nebius an") is joined to every lemma before it in its clause
("anmieten"), so the particle verb is found too. Compounds are left to the lexicon's patterns,
which may match inside words.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

import orjson

TABLE_FILE = Path(__file__).parent / "data" / "cue_lemmas.json"
# Separable particles of German verbs, as they stand alone at the end of a clause.
PARTICLES = [
    "zurück",
    "zusammen",
    "bereit",
    "fest",
    "her",
    "hin",
    "weg",
    "an",
    "ab",
    "auf",
    "aus",
    "bei",
    "ein",
    "mit",
    "vor",
    "zu",
]
_PARTICLE_SET = frozenset(PARTICLES)
_TOKEN = re.compile(r"\w+(?:-\w+)*|[,;:.!?()\u2013\u2014]")
_CLAUSE_END = frozenset(",;:.!?()\u2013\u2014")  # with en and em dash


@cache
def _table(lang: str) -> dict[str, str]:
    data = orjson.loads(TABLE_FILE.read_bytes())
    table: dict[str, str] = data["forms"].get(lang, {})
    return table


def has_lemmas(lang: str) -> bool:
    """Whether the language has a form table (a lexicon with lemma cues)."""
    return bool(_table(lang))


@lru_cache(maxsize=1024)  # a sentence is asked for customer and provider verbs, once per pair
def lemma_text(text: str, lang: str) -> str:
    """The text as space-separated lower-case lemmas, plus particle verbs (German)."""
    table = _table(lang)
    out: list[str] = []
    clause: list[str] = []
    for token in _TOKEN.findall(text):
        if token in _CLAUSE_END:
            clause = []
            out.append(token)
            continue
        low = token.lower()
        word = table.get(low, low)
        if lang == "de" and low in _PARTICLE_SET and clause:
            # "mietet ... an": only cue lemmas can match, so joining the particle to every
            # lemma of the clause costs little and needs no parse.
            out.extend(low + w for w in clause)
        clause.append(word)
        out.append(word)
    return " ".join(out)
