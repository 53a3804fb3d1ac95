"""Scoring functions on hand-made records: no models needed."""

from typing import Any

from streams.evaluation.entities import score_entities
from streams.evaluation.metrics import Counts
from streams.evaluation.partnerships import names_match, party_matches, score_deals

ANCESTORS = {
    "google-cloud": ["google-cloud", "google", "alphabet"],
    "google": ["google", "alphabet"],
}


def ancestors(key: str) -> list[str]:
    return ANCESTORS.get(key, [key])


def deal(provider: str, customer: str, value: float | None = None) -> dict[str, object]:
    return {
        "provider": {"id": provider, "name": provider},
        "customer": {"id": customer, "name": customer},
        "resources": ["cloud"],
        "value": value and {"amount": value, "currency": "USD", "text": ""},
    }


def test_counts_precision_recall_f1() -> None:
    c = Counts(tp=8, fp=2, fn=8)
    assert (c.precision, c.recall) == (0.8, 0.5)
    assert round(c.f1, 4) == 0.6154
    assert Counts().precision == 1.0  # nothing predicted, nothing wrong


def test_linked_entities_are_scored_by_id_and_names_by_words() -> None:
    record = {
        "title_entities": [{"text": "Googles", "label": "ORG", "id": "google"}],
        "entities": [
            {"text": "Meta", "label": "ORG", "id": "meta"},
            {"text": "Pichai", "label": "PERSON"},
            {"text": "Berlin", "label": "GPE"},
        ],
    }
    gold = {"orgs": ["google", "openai"], "persons": ["Sundar Pichai"], "places": ["Paris"]}
    scores = score_entities(record, gold)
    assert (scores["ORG"].tp, scores["ORG"].fp, scores["ORG"].fn) == (1, 1, 1)
    assert (scores["PERSON"].tp, scores["PERSON"].fp) == (1, 0)
    assert (scores["LOC"].tp, scores["LOC"].fp, scores["LOC"].fn) == (0, 1, 1)


def test_a_genitive_s_names_the_same_person_or_place() -> None:
    record = {
        "entities": [
            {"text": "Elon Musks", "label": "PERSON"},
            {"text": "Nvidia's", "label": "PERSON"},
            {"text": "Berlins", "label": "LOC"},
            {"text": "Rom", "label": "LOC"},
        ]
    }
    gold = {"persons": ["Elon Musk", "Jensen Huang"], "places": ["Berlin", "Europas"]}
    scores = score_entities(record, gold)
    assert (scores["PERSON"].tp, scores["PERSON"].fp, scores["PERSON"].fn) == (1, 1, 1)
    assert (scores["LOC"].tp, scores["LOC"].fp, scores["LOC"].fn) == (1, 1, 1)


def test_a_place_adjective_names_its_place_but_not_a_person() -> None:
    record = {
        "entities": [
            {"text": "Münchner", "label": "LOC"},
            {"text": "Karlsruher", "label": "LOC"},
            {"text": "Pariser", "label": "LOC"},
            {"text": "Bauer", "label": "PERSON"},
        ]
    }
    gold = {"persons": ["Bau"], "places": ["München", "Karlsruhe", "Paris", "Berlin"]}
    scores = score_entities(record, gold)
    assert (scores["LOC"].tp, scores["LOC"].fp, scores["LOC"].fn) == (3, 0, 1)
    assert (scores["PERSON"].tp, scores["PERSON"].fp) == (0, 1)


def test_parent_counts_for_child_and_names_ignore_case() -> None:
    assert party_matches("google-cloud", "google", ancestors)
    assert party_matches("google", "google-cloud", ancestors)
    assert party_matches("H Company", "h company", ancestors)
    assert not party_matches("google", "openai", ancestors)


def test_deals_match_by_pair_and_report_roles_and_values() -> None:
    predicted = {
        "detected": True,
        "score": 0.9,
        "deals": [deal("openai", "google-cloud", 10e9), deal("oracle", "xai")],
    }
    gold: list[dict[str, Any]] = [
        {
            "provider": "google",
            "customer": "openai",
            "resources": ["cloud"],
            "value": {"amount": 10e9, "currency": "USD"},
        },
        {"provider": "aws", "customer": "anthropic", "resources": ["cloud"]},
    ]
    score, errors = score_deals(predicted, gold, ancestors)
    assert (score.deals.tp, score.deals.fp, score.deals.fn) == (1, 1, 1)
    assert score.roles_right == 0 and score.values_right == 1
    assert any("roles swapped" in e for e in errors)
    assert any("spurious deal oracle -> xai" in e for e in errors)


def test_an_article_counts_as_detected_by_its_decision_even_without_a_deal_record() -> None:
    # the article model found a deal whose other party it could not name: the article is
    # right, the deal is missed
    gold: list[dict[str, Any]] = [{"provider": "aws", "customer": "Stadt Kloten"}]
    score, _ = score_deals({"detected": True, "score": 0.8, "deals": []}, gold, ancestors)
    assert (score.articles.tp, score.articles.fn, score.deals.fn) == (1, 0, 1)
    score, _ = score_deals({"detected": True, "score": 0.8, "deals": []}, [], ancestors)
    assert score.articles.fp == 1


def test_names_outside_the_knowledge_base_match_as_written_inflected_or_abbreviated() -> None:
    assert names_match("Deutschen Wetterdienst", "Deutscher Wetterdienst")
    assert names_match("the University of Cambridge", "University of Cambridge")
    assert names_match("KIT", "Karlsruher Institut für Technologie")
    assert not names_match("Microsoft", "Micron")
    assert not names_match("Universität Heidelberg", "Universität Stuttgart")
    # the NER or the writer cut a name short, or added to it
    assert names_match(
        "Medizinischen Universität Lausitz", "Medizinische Universität Lausitz \u2013 Carl Thiem"
    )
    assert names_match("Cornell", "Cornell University's")
    assert not names_match("Universität", "Universität Heidelberg")
    assert not names_match("Stadt", "Stadt Cottbus")
