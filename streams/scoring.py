"""Scores of the partnership detector: logistic models whose weights are learned, not set.

Three models, all plain logistic regressions over named features:

* the **sentence model** scores one sentence's say on one pair of parties (features from
  ``streams.features``: cues, roles, resources, attribution, position, party types);
* the **deal model** scores a pair over the whole article (its sentences' scores, how many,
  whether the title names it, how clear the roles are);
* the **article model** scores whether the article reports a deal at all, from its best pair's
  deal probability, what its sentences say of a deal one party at a time, and the words it
  uses (``streams.article_features``).

Beside them, the **provider strength** of each knowledge-base type (a Bradley-Terry model of
who supplies whom in the training deals) gives the roles their prior (``streams.roles``).

The weights live in ``streams/data/partnership_model.json`` (schema
``schemas/knowledge/partnership-model.schema.json``), fitted on the training part of the corpus
by ``python -m streams.training.partnership`` (see its docstring). Scoring needs no training
library: a dot product and a logistic function.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson

MODEL_FILE = Path(__file__).parent / "data" / "partnership_model.json"


def sigmoid(z: float) -> float:
    """The logistic function, safe for any z."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True)
class LogisticModel:
    """``p = sigmoid(bias + sum(weight * feature))``; features it does not know weigh 0."""

    bias: float
    weights: Mapping[str, float]

    def score(self, features: Mapping[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * x for name, x in features.items())
        return sigmoid(z)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LogisticModel:
        return cls(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()})


@dataclass(frozen=True)
class PartnershipModel:
    """The three models, the article probability from which an article reports a deal, and
    the deal probability from which a deal other than the article's best is reported too."""

    sentence: LogisticModel
    deal: LogisticModel
    article: LogisticModel
    # log-odds contribution of a party's knowledge-base type to "it is the provider"
    provider_strength: Mapping[str, float]
    threshold: float
    further_deal_threshold: float = 0.5

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PartnershipModel:
        return cls(
            LogisticModel.from_dict(data["sentence"]),
            LogisticModel.from_dict(data["deal"]),
            LogisticModel.from_dict(data["article"]),
            {k: float(v) for k, v in data["provider_strength"].items()},
            float(data["threshold"]),
            float(data.get("further_deal_threshold", 0.5)),
        )


@cache
def default_model() -> PartnershipModel:
    """The shipped model (loaded once per process)."""
    return PartnershipModel.from_dict(orjson.loads(MODEL_FILE.read_bytes()))
