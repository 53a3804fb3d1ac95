"""Fitting the partnership models: the roles' provider strengths and the article model."""

import pytest

from streams.article_features import DealSignals
from streams.deals import Sentence
from streams.knowledge import default_knowledge_base
from streams.training.partnership import (
    MIN_WORD_ARTICLES,
    Example,
    article_rows,
    fit_article_model,
    fit_provider_strength,
    pick_threshold,
    word_ratios,
)


def example(text: str, deals: list[dict[str, str]]) -> Example:
    return Example(id=text, sentences=[], lang="en", gold=deals, signals=DealSignals())


def test_provider_strength_follows_who_supplied_whom() -> None:
    kb = default_knowledge_base()
    assert kb.entries["coreweave"].type == "gpu_cloud"
    assert kb.entries["microsoft"].type == "hyperscaler"
    deals = [{"provider": "coreweave", "customer": "microsoft"}] * 5 + [
        {"provider": "microsoft", "customer": "openai"}
    ] * 5
    strength = fit_provider_strength([example("x", deals)], kb)
    assert strength["gpu_cloud"] > strength["hyperscaler"] > strength["ai_lab"]


def test_a_party_outside_the_knowledge_base_is_of_type_unknown() -> None:
    deals = [{"provider": "Stadtwerke Nirgendwo", "customer": "openai"}]
    strength = fit_provider_strength([example("x", deals)], default_knowledge_base())
    assert strength["unknown"] > strength["ai_lab"]


def test_the_article_model_leaves_out_rare_words() -> None:
    common = [
        example(f"OpenAI mietet Rechenkapazität {i}", [{"provider": "g", "customer": "o"}])
        for i in range(MIN_WORD_ARTICLES)
    ]
    rare = [example(f"Quartalszahlen gemeldet {i}", []) for i in range(MIN_WORD_ARTICLES - 1)]
    examples = common + rare
    for ex in examples:
        ex.sentences.append(_sentence(ex.id))
    rows = article_rows(examples, [0.6] * len(common) + [0.1] * len(rare))
    model = fit_article_model(rows, [bool(ex.gold) for ex in examples])
    assert "w_miete" in model.weights and "w_quart" not in model.weights
    assert "pair_log_odds" in model.weights


def test_word_scales_follow_which_articles_use_the_word() -> None:
    rows = [
        {"w_miete": 1.0, "w_konze": 1.0},
        {"w_miete": 1.0, "w_konze": 1.0},
        {"w_quart": 1.0, "w_konze": 1.0},
        {"w_quart": 1.0, "w_konze": 1.0, "pair_log_odds": 1.0},
    ]
    ratios = word_ratios(rows, [True, True, False, False])
    assert ratios["w_miete"] > 0 > ratios["w_quart"]
    assert ratios["w_miete"] == pytest.approx(-ratios["w_quart"])
    assert ratios["w_konze"] == pytest.approx(0.0) and "pair_log_odds" not in ratios


def _sentence(text: str) -> Sentence:
    return Sentence(field="text", start=0, end=len(text), text=text, entities=[])


def test_the_threshold_is_the_lowest_as_good_as_the_best() -> None:
    # F1 is 1.0 from 0.35 to 0.45, lower below and above: the lowest of the top is taken
    scored = [(0.9, True), (0.47, True), (0.32, False)]
    assert pick_threshold([scored]) == 0.35
    # a second fold assignment that is worse from 0.40 on widens what counts as the top
    other = [(0.9, True), (0.38, True), (0.32, False), (0.1, False)]
    assert pick_threshold([scored, other]) == 0.35
