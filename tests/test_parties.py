"""The parties a sentence names (``streams.parties``)."""

from streams.enrich import Enricher
from streams.parties import PartyFinder


def _parties(enricher: Enricher, text: str, counter: bool = False) -> list[tuple[str, bool]]:
    [sentence], lang = enricher.sentences({"id": "t", "title": "", "text": text})
    finder = PartyFinder(enricher.kb)
    cues = enricher.detector.cues(lang)
    found = finder.counterparties(sentence, cues) if counter else finder.parties(sentence, cues)
    return [(p.key, p.brand) for p in found]


def test_a_cloud_service_stands_for_its_operator_and_a_make_is_a_brand(
    enricher: Enricher,
) -> None:
    found = _parties(enricher, "OpenAI rents Nvidia GPUs on Azure.")
    assert ("openai", False) in found
    assert ("nvidia", True) in found
    assert ("microsoft", False) in found


def test_names_in_a_comparison_are_no_counterparties(enricher: Enricher) -> None:
    found = _parties(enricher, "Meta rents GPU capacity from CoreWeave, unlike Google.", True)
    assert [key for key, _ in found] == ["meta", "coreweave"]


def test_a_machine_named_after_a_resource_word_is_no_party(enricher: Enricher) -> None:
    text = "HPE liefert dem Leibniz-Rechenzentrum den neuen Supercomputer Blue Lion."
    keys = [key for key, _ in _parties(enricher, text)]
    assert "hpe" in keys
    assert "Blue Lion" not in keys


def test_a_site_named_after_its_owner_is_no_party(enricher: Enricher) -> None:
    text = "Hut 8 signed a 15-year lease for its Beacon Point data center campus in Texas."
    keys = [key for key, _ in _parties(enricher, text)]
    assert "Beacon Point" not in keys


def test_a_lab_named_in_its_model_s_name_is_no_party(enricher: Enricher) -> None:
    text = "CoreWeave used its largest GB300 cluster to train the DeepSeek-V3 671B model."
    keys = [key for key, _ in _parties(enricher, text)]
    assert keys == ["coreweave"]


def test_a_company_naming_a_site_is_no_party(enricher: Enricher) -> None:
    text = "Microsoft baut ein KI-Rechenzentrum in der ehemaligen Foxconn-Fabrik in Wisconsin."
    keys = [key for key, _ in _parties(enricher, text)]
    assert keys == ["microsoft"]


def test_names_one_would_not_buy_from_are_no_counterparties(enricher: Enricher) -> None:
    text = (
        "Statt Rechenleistung bei AWS oder Google Cloud einzukaufen, setzt die Schwarz-Gruppe "
        "auf Stackit."
    )
    keys = [key for key, _ in _parties(enricher, text, True)]
    assert "aws" not in keys
    assert "google-cloud" not in keys
