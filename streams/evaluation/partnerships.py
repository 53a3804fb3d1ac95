"""Compute-partnership scoring: deals matched by their pair of parties.

A predicted deal matches a gold deal when its two parties match the gold pair in either order;
a party matches when the ids are equal, one is a parent of the other (Google Cloud counts for
Google), or, for parties outside the knowledge base, the names are equal ignoring case. Roles
are right when the order matches too; values are right when currency matches and the amount is
within 1%.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from streams.evaluation.metrics import Counts, ratio

Ancestors = Callable[[str], list[str]]


@dataclass
class DealScore:
    """Deal-level counts plus role, value and resource agreement on the matched deals."""

    deals: Counts = field(default_factory=Counts)
    articles: Counts = field(default_factory=Counts)  # `detected` against "gold has a deal"
    roles_right: int = 0
    values_stated: int = 0
    values_right: int = 0
    resources_gold: int = 0
    resources_found: int = 0
    # (score, gold label) per article, for calibration
    scored: list[tuple[float, bool]] = field(default_factory=list)

    def add(self, other: DealScore) -> None:
        self.deals.add(other.deals)
        self.articles.add(other.articles)
        self.roles_right += other.roles_right
        self.values_stated += other.values_stated
        self.values_right += other.values_right
        self.resources_gold += other.resources_gold
        self.resources_found += other.resources_found
        self.scored += other.scored

    def as_dict(self) -> dict[str, Any]:
        return {
            "deals": self.deals.as_dict(),
            "articles": self.articles.as_dict(),
            "role_accuracy": round(ratio(self.roles_right, self.deals.tp), 4),
            "value_accuracy": round(ratio(self.values_right, self.values_stated), 4),
            "values_stated": self.values_stated,
            "resource_recall": round(ratio(self.resources_found, self.resources_gold), 4),
            "brier": round(brier(self.scored), 4),
            "calibration": calibration_table(self.scored),
        }


def _party_key(party: dict[str, Any]) -> str:
    return str(party.get("id") or party["name"])


def party_matches(predicted: str, gold: str, ancestors: Ancestors) -> bool:
    """Same id, one the parent (or grandparent) of the other, or the same name as written
    (``names_match``)."""
    if names_match(predicted, gold):
        return True
    return gold in ancestors(predicted) or predicted in ancestors(gold)


# what may follow a one-word name of the same party: a legal form, "University", a possessive
NAME_SUFFIXES = frozenset(
    "s inc corp corporation co ltd llc plc gmbh ag se sa nv bv "  # noqa: SIM905
    "group gruppe university universität".split()
)
LEADING_ARTICLES = frozenset(
    "the der die das den dem des le la les el los las il lo gli i o a os as de het".split()  # noqa: SIM905
)


def _name_words(name: str) -> list[str]:
    words = re.findall(r"\w+", name.casefold())
    return words[1:] if len(words) > 1 and words[0] in LEADING_ARTICLES else words


def _same_word(a: str, b: str) -> bool:
    # an inflected form of the same word: "Deutschen" / "Deutscher", "Universität" / "Universitäts"
    if a == b:
        return True
    stem = max(len(a), len(b)) - 2
    return min(len(a), len(b)) >= 5 and stem <= min(len(a), len(b)) and a[:stem] == b[:stem]


def names_match(a: str, b: str) -> bool:
    """Two names of a party outside the knowledge base as annotators and the NER write them:
    equal ignoring case, a leading article ("the University of Cambridge") and inflection
    ("Deutschen Wetterdienst" for "Deutscher Wetterdienst"); one the other's first words, when
    those are two or more ("Medizinische Universität Lausitz - Carl Thiem") or the rest is a
    legal form or possessive ("Cornell University's"); or one the initials of the other
    ("BAT", "British American Tobacco")."""
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return a.casefold() == b.casefold()
    short, long = sorted((wa, wb), key=len)
    if all(_same_word(x, y) for x, y in zip(short, long, strict=False)) and (
        len(short) == len(long) or len(short) >= 2 or set(long[len(short) :]) <= NAME_SUFFIXES
    ):
        return True
    return _initials_of(a, b) or _initials_of(b, a)


def _initials_of(acronym: str, name: str) -> bool:
    # the initials of the name's capitalised words: "für" in "Karlsruher Institut für
    # Technologie" does not count
    initials = "".join(w[0] for w in re.findall(r"\w+", name) if w[0].isupper())
    return len(acronym) >= 2 and acronym.isupper() and len(initials) >= 2 and acronym == initials


def score_deals(
    predicted: dict[str, Any], gold_deals: list[dict[str, Any]], ancestors: Ancestors
) -> tuple[DealScore, list[str]]:
    """Score one article's ``compute_partnership`` against its gold deals; also list errors."""
    score, errors = DealScore(), []
    deals = list(predicted["deals"])
    detected = bool(predicted["detected"])
    score.articles = Counts(
        tp=int(detected and bool(gold_deals)),
        fp=int(detected and not gold_deals),
        fn=int(not detected and bool(gold_deals)),
    )
    score.scored.append((float(predicted["score"]), bool(gold_deals)))
    unmatched = list(range(len(deals)))
    for gold in gold_deals:
        match = next((i for i in unmatched if _pairing(deals[i], gold, ancestors)), None)
        if match is None:
            score.deals.fn += 1
            errors.append(f"missed deal {gold['provider']} -> {gold['customer']}")
            continue
        unmatched.remove(match)
        deal = deals[match]
        score.deals.tp += 1
        if _pairing(deal, gold, ancestors) == "same":
            score.roles_right += 1
        else:
            got = f"{_party_key(deal['provider'])} -> {_party_key(deal['customer'])}"
            errors.append(f"roles swapped: got {got}")
        wanted = set(gold["resources"])
        score.resources_gold += len(wanted)
        score.resources_found += len(wanted & set(deal["resources"]))
        if "value" in gold:
            score.values_stated += 1
            if _value_right(deal.get("value"), gold["value"]):
                score.values_right += 1
            else:
                errors.append(f"value: got {deal.get('value')}, want {gold['value']}")
    for i in unmatched:
        score.deals.fp += 1
        d = deals[i]
        errors.append(f"spurious deal {_party_key(d['provider'])} -> {_party_key(d['customer'])}")
    return score, errors


def _pairing(deal: dict[str, Any], gold: dict[str, Any], ancestors: Ancestors) -> str | None:
    """``"same"`` when the parties match in order, ``"swapped"`` in reverse, else None."""
    provider, customer = _party_key(deal["provider"]), _party_key(deal["customer"])
    if party_matches(provider, gold["provider"], ancestors) and party_matches(
        customer, gold["customer"], ancestors
    ):
        return "same"
    if party_matches(provider, gold["customer"], ancestors) and party_matches(
        customer, gold["provider"], ancestors
    ):
        return "swapped"
    return None


def _value_right(value: dict[str, Any] | None, gold: dict[str, Any]) -> bool:
    if not value or value.get("currency") != gold["currency"]:
        return False
    return abs(float(value["amount"]) - float(gold["amount"])) <= 0.01 * float(gold["amount"])


def brier(scored: list[tuple[float, bool]]) -> float:
    """Mean squared difference between score and outcome (0 is perfect)."""
    return sum((s - float(y)) ** 2 for s, y in scored) / len(scored) if scored else 0.0


def calibration_table(scored: list[tuple[float, bool]], bins: int = 5) -> list[dict[str, Any]]:
    """Per score bin: how many articles, mean score, and the share that truly report a deal."""
    table = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(s, y) for s, y in scored if low <= s < high or (b == bins - 1 and s == 1.0)]
        if inside:
            table.append(
                {
                    "bin": f"{low:.1f}-{high:.1f}",
                    "n": len(inside),
                    "mean_score": round(sum(s for s, _ in inside) / len(inside), 3),
                    "positive_rate": round(sum(y for _, y in inside) / len(inside), 3),
                }
            )
    return table
