"""The article model's features: the best pair's probability and the article's word stems."""

import math

from streams.article_features import article_features


def test_word_stems_and_stem_pairs_meet_inflections() -> None:
    features = article_features(["OpenAI mietet Rechenkapazitäten"], 0.5)
    assert {"w_opena", "w_miete", "w_reche", "b_miete_reche"} <= features.keys()
    # "mietete" and "Rechenkapazität" meet the same stems
    assert "b_miete_reche" in article_features(["mietete Rechenkapazität"], 0.5)


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
