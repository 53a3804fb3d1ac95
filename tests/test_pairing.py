"""Which parties of a sentence can be each other's counterparties (``streams.pairing``)."""

from streams.enrich import Enricher


def pairs(enricher: Enricher, text: str) -> set[frozenset[str | None]]:
    """The candidate pairs of a one-field article, as sets of knowledge-base ids."""
    sentences, lang = enricher.sentences({"id": "t", "title": "", "text": text})
    return {
        frozenset({c.deal["provider"]["id"], c.deal["customer"]["id"]})
        for c in enricher.detector.candidates(sentences, lang)
    }


def test_organisations_named_in_one_list_are_not_each_other_s_counterparties(
    enricher: Enricher,
) -> None:
    listed = (
        "Die Cloud-Kapazität wollen auch Apple, die Facebook-Mutter Meta oder die "
        "Cloud-Betreiber Amazon und Microsoft ausbauen."
    )
    assert pairs(enricher, listed) == set()
    between = "Der Vertrag über Cloud-Kapazität zwischen Apple, Amazon und Microsoft steht."
    assert frozenset({"apple", "microsoft"}) in pairs(enricher, between)
