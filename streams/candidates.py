"""The candidate stage of deal detection: the pairs of parties an article's sentences could
report a deal between, each with its roles, features and deal probability.

Each sentence that names a compute resource (lexicon or a product such as H100 or Azure) and at
least two distinct parties is a candidate. For every pair of parties the roles come from two
sources of evidence, added as log-odds (``streams/roles.py``): what the parties are (the learned
provider strength of their knowledge-base types) and how the sentence runs (provider and
customer markers, customer or provider verbs between them). Parties named in one list are not
counterparties, nor are two with a third company between them (``streams/pairing.py``). A
sentence naming one organisation may pair it with one it describes or with those of the
previous sentence or the title (``streams/references.py``). Each pair in each sentence gets the
features of ``streams/features.py`` and the sentence model's score; each pair over the article
gets the deal model's (``streams/scoring.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from streams.cues import Cues
from streams.deals import (
    BODY_LEAD,
    DealAssembler,
    DealDraft,
    Party,
    Sentence,
    depth,
    family,
    sentence_cues,
    sentence_resources,
)
from streams.features import PairEvidence, deal_features, pair_features
from streams.knowledge import KnowledgeBase
from streams.pairing import chained, list_items, listed_together
from streams.parties import MARKER_WINDOW, PartyFinder
from streams.quantities import QuantityParser
from streams.references import Discourse
from streams.roles import provider_log_odds
from streams.scoring import PartnershipModel

MAX_PARTIES = 12  # organisation mentions in one sentence beyond which it is a list
# Entities in one sentence beyond which it is a list whatever they are: checked before any
# per-party work, so an endless sentence naming thousands of companies costs linear time.
MAX_SENTENCE_ENTITIES = 4 * MAX_PARTIES


@dataclass(frozen=True)
class Candidate:
    """A pair of parties the article may report a deal between: the deal record, the
    features of each sentence about it and of the pair overall, and the deal probability."""

    deal: dict[str, Any]
    sentence_features: list[dict[str, float]]
    deal_features: dict[str, float]
    probability: float


LEAD_WORDS = 6  # fewer words: a date line, a place or a caption, not the lead


class _ArticleCues:
    """What the whole article says, read before its sentences."""

    def __init__(self, kb: KnowledgeBase, sentences: Sequence[Sentence], cues: Cues) -> None:
        self._kb, self._cues = kb, cues
        self._lead = [s for s in sentences if s.field == "text"][:BODY_LEAD]
        # "Anthropic raises $13bn", "AMD to acquire ZT Systems"
        self.title_negative = any(
            cues.negative and cues.negative.search(s.text) for s in sentences if s.field == "title"
        )
        self.title_kinds = frozenset().union(
            *(sentence_cues(s, cues).negative for s in sentences if s.field == "title")
        )
        # The lead: the first text sentence that is more than a date line or a place ("Seoul.")
        lead = next((s for s in self._lead if len(s.text.split()) >= LEAD_WORDS), None)
        self.lead_kinds = sentence_cues(lead, cues).negative if lead else frozenset()

    @cached_property
    def body_resources(self) -> set[str]:
        """Resources named in the lead of the text; read only for a deal-naming title."""
        return set().union(*(sentence_resources(self._kb, s, self._cues) for s in self._lead))


class CandidateFinder:
    """Reads an article's sentences into candidate pairs (see the module docstring)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        finder: PartyFinder,
        deals: DealAssembler,
        quantities: QuantityParser,
        prior: dict[str, float],
    ) -> None:
        """``finder`` and ``deals`` are the detector's own: its no-pair fallback uses them too."""
        self._kb = kb
        self._prior = prior  # the lexicon's provider prior per knowledge-base type
        self._finder = finder
        self._quantities = quantities
        self._deals = deals

    def find(
        self, sentences: Sequence[Sentence], lang: str, cues: Cues, model: PartnershipModel
    ) -> list[Candidate]:
        """Every pair of parties the article could report a deal between, scored by ``model``,
        with the features behind the scores (what ``streams.training.partnership`` learns
        from)."""
        drafts: dict[frozenset[str], DealDraft] = {}
        article = _ArticleCues(self._kb, sentences, cues)
        discourse = Discourse(self._kb)
        positions = {"title": 0, "text": 0}
        for sentence in sentences:
            position = positions[sentence.field]
            positions[sentence.field] += 1
            named = self._read_sentence(
                sentence, position, lang, cues, drafts, article, discourse, model
            )
            discourse.add(sentence.field, named)
        finished = []
        for draft in drafts.values():
            result = self._deals.finish(draft, lang, cues, sentences)
            if result is not None:
                finished.append((draft, *result))
        # "Mistral rents Nvidia GPUs from Fluidstack": Nvidia is the make, Fluidstack the provider
        # (and Nvidia supplies neither of them).
        in_real_deals = {
            deal[role]["name"]
            for _, deal, branded in finished
            if not branded
            for role in ("provider", "customer")
        }
        out = []
        for draft, deal, branded in finished:
            if branded and deal["customer"]["name"] in in_real_deals:
                continue
            votes = list(draft.provider_votes.values())
            features = deal_features(
                [score for _, score, _ in draft.sentences],
                in_title=any(s.field == "title" for s, _, _ in draft.sentences),
                votes_margin=max(votes) - min(votes),
                provider_branded=branded,
                unlinked=sum(p.id is None for p in draft.parties.values()),
                pairs_in_article=len(drafts),
                negative_kinds=article.title_kinds | article.lead_kinds,
                remote_only=all(
                    f["previous_sentence_party"] or f["title_party"] for f in draft.features
                ),
                acquired=any(f["acquired_party"] for f in draft.features),
            )
            probability = model.deal.score(features)
            out.append(Candidate(deal, draft.features, features, probability))
        return out

    def _read_sentence(
        self,
        sentence: Sentence,
        position: int,
        lang: str,
        cues: Cues,
        drafts: dict[frozenset[str], DealDraft],
        article: _ArticleCues,
        discourse: Discourse,
        model: PartnershipModel,
    ) -> list[Party]:
        """Add the sentence's pairs to the drafts; return the parties it names."""
        text = sentence.text
        if len(sentence.entities) > MAX_SENTENCE_ENTITIES:
            return []  # a list of names, not a deal (and per-party work would be quadratic)
        named = self._finder.counterparties(sentence, cues)
        parties = named + discourse.antecedent(sentence, named, cues)
        if len(parties) == len(named) and sentence.field == "text":
            parties += discourse.remote(text, named, cues)
        parties.sort(key=lambda p: p.start)
        if not 2 <= len(parties) <= MAX_PARTIES:
            # No pair; or a list of companies, not a deal, whose pairs would grow quadratically.
            return named
        resources = sentence_resources(self._kb, sentence, cues)
        if not resources and sentence.field != "title":
            return named
        # "bezog", "anzumieten", "mietet ... an": verbs by their lemmas too
        read = sentence_cues(sentence, cues)
        said = read.deal
        if not resources and sentence.field == "title" and said:
            # "Le contrat d'Oracle avec OpenAI ...": the title names the deal, the body says
            # what it is about.
            resources = article.body_resources
        if not resources:
            return named
        negative = cues.negative is not None and cues.negative.search(text) is not None
        kinds = read.negative
        money = self._quantities.money(text, lang) is not None
        attributed = _marked(parties, text, cues.attribution_marker)
        acquired = _marked([p for p in parties if not p.remote], text, cues.acquisition_object)
        items = list_items(parties)
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                first, second = (a, b) if a.start < b.start else (b, a)
                if first.remote and second.remote:
                    continue
                if listed_together(first, second, items, text, cues):
                    continue
                if set(self._kb.ancestors(a.key)) & set(self._kb.ancestors(b.key)):
                    continue
                if chained(first, second, parties, text, cues):
                    continue
                log_odds, linked = provider_log_odds(
                    first, second, text, cues, model.provider_strength
                )
                features = pair_features(
                    PairEvidence(
                        first=first,
                        second=second,
                        field=sentence.field,
                        position=position,
                        customer_verb="customer_verb" in said,
                        provider_verb="provider_verb" in said,
                        deal_noun="deal_noun" in said,
                        deal_verb="deal_verb" in said,
                        linked=linked,
                        resources=frozenset(resources),
                        provider_log_odds=log_odds,
                        negative=negative,
                        title_negative=article.title_negative,
                        negative_kinds=kinds,
                        title_kinds=article.title_kinds,
                        attributed=bool({first.key, second.key} & attributed),
                        acquired=bool({first.key, second.key} & acquired),
                        money=money,
                        prior_first=self._prior.get(first.type, 0.4),
                        prior_second=self._prior.get(second.type, 0.4),
                    )
                )
                score = model.sentence.score(features)
                self._vote(drafts, first, second, log_odds * score)
                key = frozenset({family(self._kb, first.key), family(self._kb, second.key)})
                drafts[key].sentences.append((sentence, score, resources))
                drafts[key].features.append(features)
        return named

    def _vote(
        self,
        drafts: dict[frozenset[str], DealDraft],
        first: Party,
        second: Party,
        provider_weight: float,
    ) -> None:
        """Add one sentence's say on who provides to the draft deal of this pair."""
        families = (family(self._kb, first.key), family(self._kb, second.key))
        draft = drafts.setdefault(frozenset(families), DealDraft())
        for party, fam, sign in ((first, families[0], 1.0), (second, families[1], -1.0)):
            draft.branded[fam] = draft.branded.get(fam, True) and party.brand
            known = draft.parties.get(fam)
            if known is None or depth(self._kb, party.key) > depth(self._kb, known.key):
                draft.parties[fam] = party
            draft.provider_votes[fam] = draft.provider_votes.get(fam, 0.0) + sign * provider_weight


def _marked(parties: Sequence[Party], text: str, marker: re.Pattern[str]) -> set[str]:
    """The keys of the parties that ``marker`` stands right before ("according to Reuters",
    "to acquire crypto miner Core Scientific")."""
    return {
        p.key for p in parties if marker.search(text[max(0, p.start - MARKER_WINDOW) : p.start])
    }
