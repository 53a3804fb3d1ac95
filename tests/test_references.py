"""Parties a sentence refers to without naming them (``streams.references``)."""

from streams.deals import Party
from streams.enrich import Enricher
from streams.parties import PartyFinder
from streams.references import Discourse


def _read(enricher: Enricher, title: str, text: str) -> list[tuple[str, list[Party], list[Party]]]:
    """Per sentence: its text, the parties it names, and those the discourse adds to them."""
    sentences, lang = enricher.sentences({"id": "t", "title": title, "text": text})
    cues = enricher.detector.cues(lang)
    finder = PartyFinder(enricher.kb)
    discourse = Discourse(enricher.kb)
    out = []
    for sentence in sentences:
        named = finder.counterparties(sentence, cues)
        added = discourse.antecedent(sentence, named, cues) or discourse.remote(
            sentence.text, named, cues
        )
        out.append((sentence.text, named, added))
        discourse.add(sentence.field, named)
    return out


def test_a_description_stands_for_the_organisation_named_before(enricher: Enricher) -> None:
    *_, (_, named, added) = _read(
        enricher, "", "Microsoft baut seine Cloud aus. Nebius liefert dem Konzern 100.000 GPUs."
    )
    assert [p.key for p in named] == ["nebius"]
    assert [(p.key, p.anaphoric) for p in added] == [("microsoft", True)]


def test_a_lone_name_pairs_with_the_previous_sentence_and_the_title(enricher: Enricher) -> None:
    *_, (_, named, added) = _read(
        enricher,
        "Nvidia liefert Chips",
        "Nebius gewinnt einen Großkunden. Die Laufzeit ist lang. Microsoft erhält GPUs.",
    )
    assert [p.key for p in named] == ["microsoft"]
    # the sentence naming nobody does not break the thread; the title is further away
    assert [(p.key, p.remote) for p in added] == [("nebius", 1), ("nvidia", 2)]


def test_a_sentence_naming_two_organisations_takes_nobody_else(enricher: Enricher) -> None:
    *_, (_, named, added) = _read(
        enricher, "", "Meta braucht Rechenleistung. Oracle vermietet Microsoft GPUs."
    )
    assert len(named) == 2
    assert added == []
