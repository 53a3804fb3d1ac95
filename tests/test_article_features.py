"""The article model's features: the best pair's probability, what the sentences say of a deal
one party at a time, and the article's word stems."""

import math

from streams.article_features import DealSignals, article_features
from streams.enrich import Enricher


def test_word_stems_and_stem_pairs_meet_inflections() -> None:
    features = article_features(["OpenAI mietet Rechenkapazitäten"], 0.5)
    assert {"w_opena", "w_miete", "w_reche", "b_miete_reche"} <= features.keys()
    # "mietete" and "Rechenkapazität" meet the same stems
    assert "b_miete_reche" in article_features(["mietete Rechenkapazität"], 0.5)


def test_a_stem_weighs_more_the_more_sentences_use_it() -> None:
    once = article_features(["OpenAI mietet Rechenkapazität"], 0.5)
    thrice = article_features(
        ["Rechenkapazität bei Google", "mehr Rechenkapazitäten", "OpenAI mietet Rechenkapazität"],
        0.5,
    )
    assert once["w_reche"] == 1.0
    assert math.isclose(thrice["w_reche"], 1.0 + math.log(3))
    # stem pairs only say whether they occur
    assert thrice["b_miete_reche"] == 1.0


def test_a_word_repeated_in_one_sentence_counts_once() -> None:
    listed = article_features(["Nvidia, AMD, Nvidia, AMD und Nvidia"], 0.5)
    assert listed["w_nvidi"] == 1.0


def test_short_words_and_numbers_are_no_features() -> None:
    features = article_features(["Es so 2026 am 31"], 0.5)
    assert not any(name.startswith("w_") for name in features)


def test_stem_pairs_stay_inside_a_sentence() -> None:
    features = article_features(["Google liefert", "Rechenleistung"], 0.5)
    assert "b_liefe_reche" not in features


def test_the_best_pair_enters_as_log_odds_and_no_pair_is_marked() -> None:
    found = article_features([], 0.8)
    assert math.isclose(found["pair_log_odds"], math.log(4)) and found["no_pair"] == 0.0
    none = article_features([], 0.0)
    assert none["no_pair"] == 1.0 and math.isfinite(none["pair_log_odds"])


def _signals(enricher: Enricher, title: str, text: str) -> DealSignals:
    sentences, lang = enricher.sentences({"id": "t", "title": title, "text": text})
    return enricher.detector.signals(sentences, lang)


def test_a_sentence_with_one_party_a_resource_and_a_deal_cue_is_a_signal(
    enricher: Enricher,
) -> None:
    signals = _signals(
        enricher,
        "Neues KI-Rechenzentrum in München",
        "Hauptnutzer soll SAP werden. SAP mietet dort Rechenkapazität.",
    )
    assert "customer_verb" in signals.cues and signals.cue_sentences == 1
    assert "enterprise" in signals.types  # SAP's type in the knowledge base


def test_a_party_without_a_resource_or_a_cue_is_no_signal(enricher: Enricher) -> None:
    signals = _signals(enricher, "", "SAP mietet ein Büro. Die Rechenkapazität wächst.")
    assert signals.cues == frozenset() and signals.cue_sentences == 0


def test_signals_enter_as_named_features_and_their_count_is_capped() -> None:
    signals = DealSignals(frozenset({"gpu_cloud"}), frozenset({"deal_noun"}), 9)
    features = article_features([], 0.5, signals)
    assert features["type_gpu_cloud"] == 1.0 and features["party_sentence_deal_noun"] == 1.0
    assert features["party_cue_sentences"] == 1.0
    assert article_features([], 0.5)["party_cue_sentences"] == 0.0


def test_cues_and_negative_classes_are_counted_over_all_sentences(enricher: Enricher) -> None:
    signals = _signals(
        enricher,
        "",
        "Equinix übernimmt den Betreiber. Die Übernahme kostet Milliarden. Der Vertrag steht.",
    )
    assert signals.cue_counts["negative_acquisition"] == 2
    assert signals.cue_counts["deal_noun"] == 1
    features = article_features([], 0.5, signals)
    assert math.isclose(features["sentences_negative_acquisition"], 1.0 + math.log(2))
    assert features["sentences_deal_noun"] == 1.0
