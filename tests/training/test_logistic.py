"""The logistic regression every partnership model is fitted with."""

import numpy as np
import pytest

from streams.training.logistic import fit_logistic, newton_step


def test_logistic_regression_learns_the_sign_of_a_feature() -> None:
    rows = [{"cue": 1.0}, {"cue": 1.0}, {"cue": 0.0}, {"cue": 0.0}]
    model = fit_logistic(rows, [True, True, False, False], l2=0.3, word_l2=1.0)
    assert model.weights["cue"] > 0
    assert model.score({"cue": 1.0}) > 0.5 > model.score({"cue": 0.0})


@pytest.mark.parametrize(("rows", "columns"), [(40, 300), (300, 40)])
def test_the_newton_step_is_exact_with_more_features_than_rows(rows: int, columns: int) -> None:
    rng = np.random.default_rng(7)
    x = (rng.random((rows, columns)) < 0.2).astype(float)
    x[:, 0] = 1.0  # the bias
    weights = rng.random(rows) * 0.25
    gradient = rng.normal(size=columns)
    diagonal = np.r_[1e-9, np.full(columns - 1, 0.3)]  # the bias is not penalised
    dense = np.linalg.solve((x.T * weights) @ x + np.diag(diagonal), gradient)
    assert np.allclose(newton_step(x, weights, gradient, diagonal), dense, rtol=1e-8, atol=1e-10)


def test_word_features_take_their_own_penalty() -> None:
    rows = [{"cue": 1.0, "w_cue": 1.0}] * 3 + [{"cue": 0.0, "w_cue": 0.0}] * 3
    labels = [True] * 3 + [False] * 3
    model = fit_logistic(rows, labels, l2=0.3, word_l2=30.0)
    assert 0 < model.weights["w_cue"] < model.weights["cue"]
