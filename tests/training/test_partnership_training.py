"""Fitting the partnership models: the roles' provider strengths and the article model."""

from streams.deals import Sentence
from streams.knowledge import default_knowledge_base
from streams.training.partnership import (
    MIN_WORD_ARTICLES,
    Example,
    article_rows,
    fit_article_model,
    fit_logistic,
    fit_provider_strength,
)


def example(text: str, deals: list[dict[str, str]]) -> Example:
    return Example(id=text, sentences=[], lang="en", gold=deals)


def test_logistic_regression_learns_the_sign_of_a_feature() -> None:
    rows = [{"cue": 1.0}, {"cue": 1.0}, {"cue": 0.0}, {"cue": 0.0}]
    model = fit_logistic(rows, [True, True, False, False])
    assert model.weights["cue"] > 0
    assert model.score({"cue": 1.0}) > 0.5 > model.score({"cue": 0.0})


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


def _sentence(text: str) -> Sentence:
    return Sentence(field="text", start=0, end=len(text), text=text, entities=[])
