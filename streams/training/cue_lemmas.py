"""Compile the word-form table of the lexicon's lemma cues from simplemma's dictionaries.

    python -m streams.training.cue_lemmas

The runtime (``streams.lemmas``) looks word forms up in ``streams/data/cue_lemmas.json``:
for each language with lemma cues (``customer_lemmas``, ``provider_lemmas`` in the partnership
lexicon), every form whose simplemma lemma is a word of a cue ("mietete", "anzumieten",
"angemietet" -> "mieten", "anmieten"). A few thousand forms instead of simplemma's whole
dictionaries (137 MB resident for German and English), so the lemma matching costs no memory;
simplemma is needed only to rebuild the table after the lexicon changes. Rerun this after
editing the lemma cues; ``tests/test_data_files.py`` checks that the table covers them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from streams.cues import default_lexicon
from streams.lemmas import PARTICLES, TABLE_FILE

SECTIONS = ("customer_lemmas", "provider_lemmas")


def cue_words(lexicon: dict[str, object], lang: str) -> set[str]:
    """Every word of the language's lemma cues, and particle verbs without their particle."""
    words: set[str] = set()
    for section in SECTIONS:
        table = lexicon.get(section, {})
        assert isinstance(table, dict)
        for cue in table.get(lang, []):
            words.update(cue.lower().split())
    for word in list(words):
        words.update(
            word[len(p) :] for p in PARTICLES if word.startswith(p) and len(word) > len(p) + 3
        )
    return words


def forms(items: Iterable[tuple[str, str]], wanted: set[str]) -> dict[str, str]:
    """Lower-cased form -> lemma for the forms whose lemma is wanted (and differs)."""
    out: dict[str, str] = {}
    for form, lemma in items:
        low, lem = form.lower(), str(lemma).lower()
        if lem in wanted and low != lem:
            out[low] = lem
    return dict(sorted(out.items()))


def main(argv: Sequence[str] | None = None) -> int:
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    parser = argparse.ArgumentParser(prog="python -m streams.training.cue_lemmas")
    parser.add_argument("--output", type=Path, default=TABLE_FILE)
    args = parser.parse_args(argv)
    lexicon = default_lexicon()
    languages = sorted({lang for s in SECTIONS for lang in lexicon.get(s, {})})
    factory = DefaultDictionaryFactory()
    table = {
        lang: forms(factory.get_dictionary(lang).items(), cue_words(lexicon, lang))
        for lang in languages
    }
    data = {
        "about": "Word forms of the partnership lexicon's lemma cues, from simplemma's "
        "dictionaries; written by python -m streams.training.cue_lemmas, do not edit by hand.",
        "forms": table,
    }
    args.output.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", "utf-8")
    print({lang: len(t) for lang, t in table.items()}, file=sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
