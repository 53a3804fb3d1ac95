"""Features of the partnership detector's two scores (``streams.scoring``).

Named, interpretable values, so a learned weight can be read: cues and roles of one sentence
for one pair of parties, and what the whole article says about a pair. Party types enter as
features, never as rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from streams.deals import Party

STRONG_RESOURCES = frozenset({"gpu", "tpu", "compute", "datacenter", "supercomputer"})
PROVIDER_LIKE = 0.8  # provider prior of a type that usually supplies (cloud, GPU cloud)
BUYER_LIKE = 0.3  # ... and of a type that usually buys (AI lab, enterprise)


@dataclass(frozen=True)
class PairEvidence:
    """What one sentence says about one pair of parties (``first`` is named first)."""

    first: Party
    second: Party
    field: str  # "title" or "text"
    position: int  # index of the sentence within its field
    customer_verb: bool
    provider_verb: bool
    deal_noun: bool
    deal_verb: bool
    linked: bool  # a marker or verb ties the two together
    resources: frozenset[str]
    provider_log_odds: float
    negative: bool  # a negative cue (funding, acquisition, outage, ...) in the sentence
    title_negative: bool  # ... in the article's title
    negative_kinds: frozenset[str]  # classes of negative news (lexicon) in the sentence
    title_kinds: frozenset[str]  # ... in the title
    attributed: bool  # a party is cited as a source ("according to Reuters")
    acquired: bool  # a party is being bought ("to acquire crypto miner Core Scientific")
    money: bool  # the sentence states an amount of money
    prior_first: float
    prior_second: float


def pair_features(e: PairEvidence) -> dict[str, float]:
    """The sentence model's features for one pair in one sentence."""
    trigger = e.customer_verb or e.provider_verb or e.deal_noun or e.deal_verb
    clarity = min(abs(e.provider_log_odds), 3.0)
    unlinked = (e.first.id is None) + (e.second.id is None)
    distance = 0.0 if e.first.remote else (e.second.start - e.first.end) / 100
    kinds = {
        f"negative_{kind}": 1.0 if kind in e.negative_kinds else 0.5
        for kind in e.negative_kinds | e.title_kinds
    }
    return kinds | {
        "trigger": float(trigger),
        "customer_verb": float(e.customer_verb),
        "provider_verb": float(e.provider_verb),
        "deal_noun": float(e.deal_noun),
        "deal_verb": float(e.deal_verb),
        "linked": float(e.linked),
        "strong_resource": float(bool(e.resources & STRONG_RESOURCES)),
        "resource_kinds": float(min(len(e.resources), 3)),
        "role_clarity": clarity,
        "unclear_roles": float(clarity < 0.5),
        "title": float(e.field == "title"),
        "lead": float(e.field == "text" and e.position < 3),
        "negative_cue": float(e.negative),
        "negative_title": float(e.title_negative and not e.negative),
        "hardware_make": float(e.first.brand or e.second.brand),
        "anaphor": float(e.first.anaphoric or e.second.anaphoric),
        "previous_sentence_party": float(e.first.remote == 1 or e.second.remote == 1),
        "title_party": float(e.first.remote == 2 or e.second.remote == 2),
        "unlinked_parties": float(unlinked),
        "attributed": float(e.attributed),
        "acquired_party": float(e.acquired),
        "money": float(e.money),
        "far_apart": min(max(distance, 0.0), 3.0),
        "both_provider_like": float(min(e.prior_first, e.prior_second) >= PROVIDER_LIKE),
        "both_buyer_like": float(max(e.prior_first, e.prior_second) <= BUYER_LIKE),
        # an investor funds; it is rarely a party to a compute deal
        "investor_party": float("investor" in (e.first.type, e.second.type)),
        # peers of one kind (two chipmakers, two hyperscalers) are rivals far more often than
        # supplier and customer
        "same_type": float(
            e.first.id is not None and e.second.id is not None and e.first.type == e.second.type
        ),
        "one_provider_one_buyer": float(
            max(e.prior_first, e.prior_second) >= PROVIDER_LIKE
            and min(e.prior_first, e.prior_second) <= BUYER_LIKE
        ),
    }


def deal_features(
    sentence_scores: Sequence[float],
    in_title: bool,
    votes_margin: float,
    provider_branded: bool,
    unlinked: int,
    pairs_in_article: int,
    remote_only: bool = False,
    negative_kinds: frozenset[str] = frozenset(),
    acquired: bool = False,
) -> dict[str, float]:
    """The deal model's features for one pair over the whole article."""
    miss = 1.0
    for s in sentence_scores:
        miss *= 1.0 - s
    return {
        "noisy_or": 1.0 - miss,
        "best_sentence": max(sentence_scores, default=0.0),
        "sentences": float(min(len(sentence_scores), 5)),
        "in_title": float(in_title),
        "role_margin": min(abs(votes_margin), 3.0),
        "provider_only_a_make": float(provider_branded),
        "unlinked_parties": float(unlinked),
        "crowded_article": float(min(pairs_in_article, 10)) / 10,
        "only_across_sentences": float(remote_only),
        # one sentence says a party buys the other: every sentence about them is a takeover's
        "acquired_pair": float(acquired),
        # kinds of negative news (a launch, a stake, ...) in the title and first sentence
        "negative_news_kinds": float(min(len(negative_kinds), 3)),
    } | {f"article_negative_{k}": 1.0 for k in negative_kinds}
