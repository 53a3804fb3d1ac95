"""The candidate stage: which pairs of parties an article's sentences offer, with what deal
record, whatever the learned scores make of them afterwards."""

import math
from dataclasses import replace

from streams.enrich import Enricher
from streams.scoring import LogisticModel


def test_another_deal_s_value_is_not_borrowed(enricher: Enricher) -> None:
    text = (
        "Shares of Nvidia fell after a report that Meta is weighing the use of Google's tensor "
        "processing units in its data centres. The talks could be worth billions of dollars. "
        "CoreWeave also fell. The company has signed contracts worth more than $50bn this year, "
        "including an agreement with Meta."
    )
    # The deal record is built the same whatever its learned score: test the candidate.
    sentences, lang = enricher.sentences(
        {"id": "v2", "title": "Meta weighs Google chips", "text": text}
    )
    deals = {
        (c.deal["provider"]["id"], c.deal["customer"]["id"]): c.deal
        for c in enricher.detector.candidates(sentences, lang)
    }
    deal = deals[("google", "meta")]
    assert deal["value"] is None
    assert deal["status"] == "talks"


def test_a_list_of_providers_gives_one_deal_each_and_a_total_is_no_deal_value(
    enricher: Enricher,
) -> None:
    text = (
        "OpenAI hat in diesem Jahr Verträge über Rechenkapazität mit Oracle, Microsoft, CoreWeave "
        "und AMD geschlossen. Insgesamt summieren sich die Zusagen auf mehr als eine Billion Dollar."
    )
    sentences, lang = enricher.sentences({"id": "l", "title": "OpenAIs Rechenhunger", "text": text})
    found = [c.deal for c in enricher.detector.candidates(sentences, lang)]
    found = [d for d in found if d["customer"]["id"] == "openai"]
    # One candidate deal per listed provider (their scores are the learned model's business).
    assert sorted(d["provider"]["id"] for d in found) == ["amd", "coreweave", "microsoft", "oracle"]
    assert all(d["value"] is None and d["status"] == "signed" for d in found)


def test_a_sentence_that_names_nobody_does_not_break_the_thread(enricher: Enricher) -> None:
    sentences, lang = enricher.sentences(
        {
            "id": "t",
            "title": "Neuer Großkunde",
            "text": "Die Deutsche Bank hat einen Vertrag über sieben Jahre unterzeichnet. "
            "Über die Summe wurde nichts bekannt. "
            "Google stellt dafür Rechenkapazität in seinen Rechenzentren bereit.",
        }
    )
    pairs = {
        frozenset((c.deal["provider"]["id"], c.deal["customer"]["id"]))
        for c in enricher.detector.candidates(sentences, lang)
    }
    assert frozenset(("google", "deutsche-bank")) in pairs


def test_candidates_are_scored_by_the_detector_s_model(enricher: Enricher) -> None:
    sentences, lang = enricher.sentences(
        {"id": "m", "title": "", "text": "OpenAI mietet Rechenkapazität bei Google Cloud."}
    )
    model = replace(enricher.detector.model, deal=LogisticModel(3.0, {}))
    found = enricher.detector.with_model(model).candidates(sentences, lang)
    assert found
    assert all(math.isclose(c.probability, 1 / (1 + math.exp(-3.0))) for c in found)
    assert all(c.sentence_features for c in found)
