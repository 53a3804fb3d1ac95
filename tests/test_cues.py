"""The lexicon compiled per language: which cues a language sees."""

import pytest

from streams.cues import Cues, default_lexicon


def test_cues_of_every_language_join_a_language_s_own() -> None:
    # Product names such as Bedrock are cues in every language ("xx"); Portuguese has its own
    # model-availability cues and still sees them.
    portuguese = Cues(default_lexicon(), "pt")
    assert "model_availability" in portuguese.negative_kinds("Modelos chegam ao Amazon Bedrock")
    assert "qualification" in Cues(default_lexicon(), "de").negative_kinds("HBM4 von Samsung")


def test_a_language_without_entries_sees_every_language_s_cues() -> None:
    finnish = Cues(default_lexicon(), "fi")
    assert "acquisition" in finnish.negative_kinds("the takeover of the operator")
    assert "model_availability" in finnish.negative_kinds("nyt Vertex AI:ssa")


def test_a_takeover_offer_is_an_acquisition() -> None:
    german = Cues(default_lexicon(), "de")
    assert "acquisition" in german.negative_kinds(
        "Rumble erwägt Milliardenofferte für Northern Data"
    )


def test_high_performance_computers_by_any_name_are_a_resource() -> None:
    supercomputer = Cues(default_lexicon(), "de").resources["supercomputer"]
    assert supercomputer is not None
    for text in ("neuer Hochleistungsrechner", "NEC-Vektorrechner", "ein HPC-System", "KI-Cluster"):
        assert supercomputer.search(text), text


def test_deal_cues_name_each_kind_found() -> None:
    german = Cues(default_lexicon(), "de")
    assert german.deal_cues("OpenAI mietet Rechenkapazität bei Google") == {"customer_verb"}
    assert {"deal_noun", "provider_verb"} <= german.deal_cues("Der Vertrag: Nebius liefert GPUs")
    assert german.deal_cues("Das Wetter in Berlin") == frozenset()


@pytest.mark.parametrize(
    ("lang", "before", "bought"),
    [
        ("en", "CoreWeave agreed to acquire crypto miner ", True),
        ("en", "Oracle agreed to acquire GPUs from ", False),
        ("de", "Rumble plant die vollständige Übernahme der ", True),
        ("de", "die Übernahme des Bitcoin-Mining-Unternehmens ", True),  # inflected descriptor
        ("de", "OpenAI kauft Rechenleistung bei ", False),
        ("pt", "o consórcio comprará a ", True),
    ],
)
def test_a_party_being_bought_is_told_from_a_seller_of_compute(
    lang: str, before: str, bought: bool
) -> None:
    cues = Cues(default_lexicon(), lang)
    assert bool(cues.acquisition_object.search(before)) is bought


@pytest.mark.parametrize(
    "text",
    [
        "Als erster Mieter zieht der IT-Dienstleister Lexo in das Rechenzentrum ein.",
        "Die BWI hat mit Google Cloud eine Rahmenvereinbarung getroffen.",
        "Die Stadt will ihre Server künftig bei der Versicherung Axa unterbringen.",
    ],
)
def test_colocation_and_framework_deals_are_told_in_german(text: str) -> None:
    assert Cues(default_lexicon(), "de").deal_cues(text)
