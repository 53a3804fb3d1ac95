"""Compute-partnership detection: does an article report that one organisation gets computing
capacity from another, and if so who provides, who is the customer, what and how much.

Explainable by construction, in stages, one module each: the parties a sentence names
(``streams/parties.py``) or refers to (``streams/references.py``) → candidate pairs with their
roles and per-sentence features (``streams/candidates.py``, ``streams/roles.py``,
``streams/features.py``) → scores (``streams/scoring.py``: a learned sentence model, a deal
model per pair over the article, and the article model over its best pair, its words and what
its sentences say of a deal, ``streams/article_features.py``; weights in
``streams/data/partnership_model.json``) → deal records (``streams/deals.py``). This module
holds the last decision: whether the article reports a deal, and which pairs it reports. All
cue words are data, per language, in ``streams/data/partnership_lexicon.json`` (compiled in
``streams/cues.py``).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from streams.article_features import DealSignals, article_features, deal_signals
from streams.candidates import MAX_PARTIES, MAX_SENTENCE_ENTITIES, Candidate, CandidateFinder
from streams.cues import Cues
from streams.deals import (
    DealAssembler,
    DealDraft,
    Party,
    Sentence,
    depth,
    family,
    sentence_resources,
)
from streams.knowledge import KnowledgeBase
from streams.parties import PartyFinder
from streams.quantities import QuantityParser
from streams.roles import type_strength
from streams.scoring import PartnershipModel, default_model


class PartnershipDetector:
    """Finds compute deals in the sentences of one article."""

    def __init__(
        self,
        lexicon: dict[str, Any],
        kb: KnowledgeBase,
        quantities: QuantityParser,
        model: PartnershipModel | None = None,
    ):
        self._lexicon = lexicon
        self._model = model or default_model()
        self._kb = kb
        self._finder = PartyFinder(kb)
        self._deals = DealAssembler(kb, quantities)
        self._candidates = CandidateFinder(
            kb, self._finder, self._deals, quantities, lexicon["provider_prior"]
        )
        self._cues: dict[str, Cues] = {}

    @property
    def model(self) -> PartnershipModel:
        """The scoring model in use."""
        return self._model

    def with_model(self, model: PartnershipModel) -> PartnershipDetector:
        """The same detector scoring with ``model`` (for training and evaluation)."""
        other = copy.copy(self)
        other._model = model
        return other

    def cues(self, lang: str) -> Cues:
        if lang not in self._cues:
            self._cues[lang] = Cues(self._lexicon, lang)
        return self._cues[lang]

    def detect(self, sentences: Sequence[Sentence], lang: str) -> dict[str, Any]:
        """``{detected, score, deals}`` for one article (the contract's compute_partnership).

        ``score`` is the article model's probability that the article reports a deal, and
        ``detected`` its decision (score at or above the threshold). A detected article
        reports its best candidate pair, and any other pair whose deal probability reaches
        ``further_deal_threshold``; when it has no candidate pair, the two organisations it
        names most (``_article_pair``); when it names fewer than two (the other party is a
        city, a ministry or a firm the pipeline does not recognise), no deal: the article
        still reports one, so it stays detected, but a deal record needs both parties' names.
        On the training part (cross-validated) 36 articles of 2,335 were so: 22 report a
        deal."""
        found = sorted(self.candidates(sentences, lang), key=lambda c: -c.probability)
        best = found[0].probability if found else 0.0
        features = article_features(
            (s.text for s in sentences), best, self.signals(sentences, lang)
        )
        score = self._model.article.score(features)
        detected = score >= self._model.threshold
        kept: list[dict[str, Any]] = []
        if detected:
            kept = [
                c.deal
                for i, c in enumerate(found)
                if i == 0 or c.probability >= self._model.further_deal_threshold
            ]
            if not kept:
                kept = self._article_pair(sentences, lang)
        return {"detected": detected, "score": round(score, 4), "deals": kept}

    def signals(self, sentences: Sequence[Sentence], lang: str) -> DealSignals:
        """What the article's sentences say of a deal one party at a time (article model)."""
        return deal_signals(sentences, self._kb, self.cues(lang))

    def _article_pair(self, sentences: Sequence[Sentence], lang: str) -> list[dict[str, Any]]:
        """The deal of an article that reports one without any sentence pairing its parties:
        the two organisations (corporate families) it names most, the first named first on a
        tie; roles by their types' provider strengths. Evidence: the sentences that name either
        of them and a resource (else where each is first named). A sentence naming more than
        ``MAX_PARTIES`` is a list and counts for no one. Empty when the article names fewer
        than two."""
        cues = self.cues(lang)
        mentions: dict[str, list[tuple[Sentence, Party]]] = {}
        for sentence in sentences:
            if len(sentence.entities) > MAX_SENTENCE_ENTITIES:
                continue
            parties = self._finder.parties(sentence, cues)
            if len(parties) > MAX_PARTIES:
                continue  # a list of names, as for the candidate pairs (``streams.candidates``)
            for party in parties:
                if not party.brand:
                    mentions.setdefault(family(self._kb, party.key), []).append((sentence, party))
        top = sorted(mentions, key=lambda fam: -len(mentions[fam]))[:2]
        if len(top) < 2:
            return []
        draft = DealDraft()
        for fam in top:
            party = max((p for _, p in mentions[fam]), key=lambda p: depth(self._kb, p.key))
            draft.parties[fam] = party
            draft.provider_votes[fam] = type_strength(party.type, self._model.provider_strength)
            draft.branded[fam] = False
            said = [(s, sentence_resources(self._kb, s, cues)) for s, _ in mentions[fam]]
            # its first mention when none names a resource: every deal shows its evidence
            said = [(s, r) for s, r in said if r] or said[:1]
            draft.sentences += [(s, 0.0, r) for s, r in said]
        result = self._deals.finish(draft, lang, cues, sentences)
        return [result[0]] if result else []

    def candidates(self, sentences: Sequence[Sentence], lang: str) -> list[Candidate]:
        """Every pair of parties the article could report a deal between, scored by this
        detector's model, with the features behind the scores (``streams.candidates``)."""
        return self._candidates.find(sentences, lang, self.cues(lang), self._model)
