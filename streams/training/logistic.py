"""Logistic regression with an L2 penalty, fitted by Newton's method in numpy (which spaCy
brings). The trainer (``streams.training.partnership``) fits every partnership model with it;
the runtime reads only the weights (``streams.scoring.LogisticModel``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from streams.article_features import WORD_PREFIXES
from streams.scoring import LogisticModel


def fit_logistic(
    rows: Sequence[dict[str, float]],
    labels: Sequence[bool],
    names: Sequence[str] | None = None,
    *,
    l2: float,
    word_l2: float,
) -> LogisticModel:
    """Logistic regression over ``names`` (default: every feature seen), penalised by ``l2``
    (``word_l2`` for word features, ``WORD_PREFIXES``); the bias is not penalised."""
    names = sorted(names if names is not None else {name for row in rows for name in row})
    x = np.zeros((len(rows), len(names) + 1))
    x[:, 0] = 1.0
    column = {n: j + 1 for j, n in enumerate(names)}
    for i, row in enumerate(rows):
        for n, v in row.items():
            if n in column:
                x[i, column[n]] = v
    y = np.array([float(label) for label in labels])
    w = np.zeros(x.shape[1])
    penalty = np.array([0.0] + [word_l2 if n.startswith(WORD_PREFIXES) else l2 for n in names])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        step = newton_step(x, p * (1 - p), gradient, penalty + 1e-9)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return LogisticModel(
        round(float(w[0]), 4), {n: round(float(v), 4) for n, v in zip(names, w[1:], strict=True)}
    )


def newton_step(
    x: np.ndarray, weights: np.ndarray, gradient: np.ndarray, diagonal: np.ndarray
) -> np.ndarray:
    """The Newton step ``H⁻¹ gradient`` for ``H = xᵀ diag(weights) x + diag(diagonal)``, where
    column 0 of ``x`` is the bias.

    With more features than rows (the article model's words: some 10,000 stems and stem pairs
    over 1,500 articles) the step is solved in the rows' space instead, exactly: Woodbury's
    identity for the penalised columns and the bias by its Schur complement. That is an n x n
    system instead of a d x d one (seconds instead of minutes per step)."""
    n, d = x.shape
    if d <= n:
        hessian = (x.T * weights) @ x + np.diag(diagonal)
        return np.asarray(np.linalg.solve(hessian, gradient))
    rest, rest_diagonal = x[:, 1:], diagonal[1:]
    scaled = rest / rest_diagonal
    rows = scaled @ rest.T + np.diag(1.0 / np.maximum(weights, 1e-12))
    bias_column = rest.T @ weights  # the bias's row of H, without its own entry
    rhs = np.column_stack([gradient[1:], bias_column])
    solved = rhs / rest_diagonal[:, None] - scaled.T @ np.linalg.solve(rows, scaled @ rhs)
    to_gradient, to_bias = solved[:, 0], solved[:, 1]
    bias = (gradient[0] - bias_column @ to_gradient) / (
        weights.sum() + diagonal[0] - bias_column @ to_bias
    )
    return np.concatenate([[bias], to_gradient - to_bias * bias])
