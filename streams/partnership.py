"""Compute-partnership detection: who gets computing capacity from whom, with evidence.

Explainable by construction. Each sentence that names a compute resource (lexicon or a product
such as H100 or Azure) and at least two distinct parties is a candidate. For every pair of
parties the roles come from two sources of evidence, added as log-odds:

* what the parties are (``provider_prior`` by knowledge-base type: a GPU cloud provides, an AI
  lab buys), and
* how the sentence runs: provider markers before a party ("bei Google", "from Oracle", "by
  CoreWeave"), customer markers ("for OpenAI", "für Meta"), and customer or provider verbs
  between the parties ("OpenAI mietet ... bei", "Google is giving OpenAI ...").

Parties joined only by a coordinator ("Amazon und Microsoft") are not counterparties, unless
a between-marker precedes them ("die Partnerschaft zwischen OpenAI und Google Cloud").
Sentence scores are a logistic function of resource, trigger, role and negative-cue features;
a deal's score combines its sentences (noisy-or). All cue words are data, per language, in
``streams/data/partnership_lexicon.json`` (compiled in ``streams/cues.py``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from streams.cues import Cues
from streams.entities import Entity
from streams.knowledge import KnowledgeBase
from streams.quantities import Quantity, QuantityParser

DETECTION_THRESHOLD = 0.5
ANTECEDENT_WINDOW = 4  # parties of the preceding sentences an anaphor may refer to
MAX_PARTIES = 12  # organisation mentions in one sentence beyond which it is a list
STRONG_RESOURCES = {"gpu", "tpu", "compute", "datacenter", "supercomputer"}
STATUS_ORDER = ("ended", "talks", "signed")
HARDWARE_MAKERS = {"chipmaker", "server_maker"}
BODY_LEAD = 3  # sentences of the text whose resources a deal-naming title may borrow
CLOUD_TYPES = {"hyperscaler", "cloud_provider", "gpu_cloud", "sovereign_cloud"}
_POSSESSIVE_END = re.compile(r"(?:'s|’s)$")
_POSSESSIVE = re.compile(r"^(?:'s|’s|s)(?!\w)")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the title or text, with the entities inside it (field offsets)."""

    field: str
    start: int
    end: int
    text: str
    entities: Sequence[Entity]


@dataclass(frozen=True)
class Party:
    key: str  # knowledge-base id, or the name as written
    id: str | None
    name: str
    type: str
    start: int  # offsets within the sentence
    end: int
    brand: bool = False  # a chip or server maker named as the make of hardware ("GPU Nvidia")
    anaphoric: bool = False  # "the company": stands for an organisation named just before


@dataclass
class _DealDraft:
    provider_votes: dict[str, float] = field(default_factory=dict)
    parties: dict[str, Party] = field(default_factory=dict)
    sentences: list[tuple[Sentence, float, set[str]]] = field(default_factory=list)
    branded: dict[str, bool] = field(default_factory=dict)  # family -> only named as a make


@dataclass(frozen=True)
class _ArticleCues:
    """What the whole article says, read before its sentences."""

    title_negative: bool  # "Anthropic raises $13bn", "AMD to acquire ZT Systems"
    body_resources: set[str]  # resources named in the lead of the text


class PartnershipDetector:
    """Finds compute deals in the sentences of one article."""

    def __init__(self, lexicon: dict[str, Any], kb: KnowledgeBase, quantities: QuantityParser):
        self._lexicon = lexicon
        self._prior: dict[str, float] = lexicon["provider_prior"]
        self._weights: dict[str, float] = lexicon["sentence_weights"]
        self._kb = kb
        self._quantities = quantities
        self._cues: dict[str, Cues] = {}

    def cues(self, lang: str) -> Cues:
        if lang not in self._cues:
            self._cues[lang] = Cues(self._lexicon, lang)
        return self._cues[lang]

    def detect(self, sentences: Sequence[Sentence], lang: str) -> dict[str, Any]:
        """``{detected, score, deals}`` for one article (the contract's compute_partnership)."""
        cues = self.cues(lang)
        drafts: dict[frozenset[str], _DealDraft] = {}
        article = self._article_cues(sentences, cues)
        recent: list[Party] = []  # parties of the last sentences, latest last
        for sentence in sentences:
            named = self._read_sentence(sentence, cues, drafts, article, recent)
            recent = (recent + named)[-ANTECEDENT_WINDOW:]
        finished = [self._finish(draft, lang, cues, sentences) for draft in drafts.values()]
        deals = [d for d in finished if d is not None]
        # "Mistral rents Nvidia GPUs from Fluidstack": Nvidia is the make, Fluidstack the provider.
        real_providers = {(d[1]["customer"]["name"]) for d in deals if not d[2]}
        deals = [d for d in deals if not (d[2] and d[1]["customer"]["name"] in real_providers)]
        deals.sort(key=lambda d: -d[0])
        score = round(deals[0][0], 4) if deals else 0.0
        kept = [deal for s, deal, _ in deals if s >= DETECTION_THRESHOLD]
        return {"detected": bool(kept), "score": score, "deals": kept}

    def _article_cues(self, sentences: Sequence[Sentence], cues: Cues) -> _ArticleCues:
        title = [s for s in sentences if s.field == "title"]
        body = [s for s in sentences if s.field == "text"][:BODY_LEAD]
        return _ArticleCues(
            title_negative=any(cues.negative and cues.negative.search(s.text) for s in title),
            body_resources=set().union(*(self._resources(s, cues) for s in body)),
        )

    # -- sentences ---------------------------------------------------------------------------

    def _parties(self, sentence: Sentence, cues: Cues) -> list[Party]:
        parties: list[Party] = []
        text = sentence.text
        for e in sentence.entities:
            start, end = e.start - sentence.start, e.end - sentence.start
            if e.label == "ORG":
                entry = self._kb.entries.get(e.id) if e.id else None
                if entry is None and (len(e.text) < 3 or cues.any_resource.fullmatch(e.text)):
                    continue  # NER sometimes calls "GPU" or "AI" an organisation
                if cues.attributive.match(text, end) or self._possessive_modifier(sentence, e):
                    continue
                kind = entry.type if entry else "unknown"
                after = _POSSESSIVE.sub("", text[end:], count=1).lstrip(" -")
                brand = kind in HARDWARE_MAKERS and bool(
                    cues.any_resource.match(after)
                    or cues.any_resource.search(text[max(0, start - 12) : start])
                    or self._product_follows(sentence, e)
                )
                parties.append(
                    Party(e.id or e.text, e.id, e.name or e.text, kind, start, end, brand)
                )
            elif e.label == "PRODUCT" and e.id:
                # Cloud services stand for their operator (Azure -> Microsoft); hardware names
                # only tell the resource.
                product = self._kb.entries[e.id]
                maker = self._kb.entries.get(product.maker or "")
                if maker is not None and product.resource == "cloud":
                    parties.append(Party(maker.id, maker.id, maker.name, maker.type, start, end))
        return parties

    @staticmethod
    def _possessive_modifier(sentence: Sentence, org: Entity) -> bool:
        # "Abu Dhabi's G42": an unlinked name in the possessive only qualifies the next one.
        return (
            org.id is None
            and bool(_POSSESSIVE_END.search(org.text))
            and any(e.label == "ORG" and 0 <= e.start - org.end <= 1 for e in sentence.entities)
        )

    @staticmethod
    def _product_follows(sentence: Sentence, org: Entity) -> bool:
        # "Nvidia H100", "Nvidias H20", "Nvidia's Blackwell"
        return any(e.label == "PRODUCT" and 0 <= e.start - org.end <= 3 for e in sentence.entities)

    def _resources(self, sentence: Sentence, cues: Cues) -> set[str]:
        # Organisation names are masked: "Oracle Cloud Summit" does not make a cloud deal. Names
        # that are a cloud service themselves (AWS, Google Cloud) say "cloud" through the
        # knowledge base, as products such as Azure do.
        text = sentence.text
        for e in sentence.entities:
            if e.label == "ORG" and e.id:
                s, t = e.start - sentence.start, e.end - sentence.start
                text = text[:s] + " " * (t - s) + text[t:]
        found = {name for name, rx in cues.resources.items() if rx and rx.search(text)}
        for e in sentence.entities:
            if e.id:
                resource = self._kb.entries[e.id].resource
                if resource and resource != "software":
                    found.add(resource)
        return found

    def _read_sentence(
        self,
        sentence: Sentence,
        cues: Cues,
        drafts: dict[frozenset[str], _DealDraft],
        article: _ArticleCues,
        recent: Sequence[Party],
    ) -> list[Party]:
        """Add the sentence's pairs to the drafts; return the parties it names."""
        text = sentence.text
        named = self._counterparty_candidates(sentence, cues)
        parties = named + self._antecedent(sentence, named, recent, cues)
        parties.sort(key=lambda p: p.start)
        if not 2 <= len(parties) <= MAX_PARTIES:
            # No pair; or a list of companies, not a deal, whose pairs would grow quadratically.
            return named
        trigger = any(
            rx is not None and rx.search(text)
            for rx in (cues.customer_verbs, cues.provider_verbs, cues.deal_nouns, cues.deal_verbs)
        )
        resources = self._resources(sentence, cues)
        if not resources and sentence.field == "title" and trigger:
            # "Le contrat d'Oracle avec OpenAI ...": the title names the deal, the body says
            # what it is about.
            resources = article.body_resources
        if not resources:
            return named
        negative = cues.negative is not None and cues.negative.search(text) is not None
        weights = self._weights
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                first, second = (a, b) if a.start < b.start else (b, a)
                if self._not_counterparties(first, second, text, cues):
                    continue
                if set(self._kb.ancestors(a.key)) & set(self._kb.ancestors(b.key)):
                    continue
                if self._chained(first, second, parties, text, cues):
                    continue
                log_odds, linked = self._provider_log_odds(first, second, text, cues)
                z = (
                    weights["bias"]
                    + weights["trigger"] * trigger
                    + weights["linked"] * linked
                    + weights["strong_resource"] * bool(resources & STRONG_RESOURCES)
                    + weights["role_clarity"] * min(abs(log_odds), 3.0)
                    + weights["unclear_roles"] * (abs(log_odds) < 0.5)
                    + weights["title"] * (sentence.field == "title")
                    + weights["negative_cue"] * negative
                    + weights["negative_title"] * (article.title_negative and not negative)
                    + weights["hardware_make"] * (first.brand or second.brand)
                    + weights["anaphor"] * (first.anaphoric or second.anaphoric)
                )
                score = 1.0 / (1.0 + math.exp(-z))
                self._vote(drafts, first, second, log_odds * score)
                key = frozenset({self._family(first.key), self._family(second.key)})
                drafts[key].sentences.append((sentence, score, resources))
        return named

    def _antecedent(
        self, sentence: Sentence, named: Sequence[Party], recent: Sequence[Party], cues: Cues
    ) -> list[Party]:
        """ "OpenAI ... Der Vertrag mit OpenAI bringt dem Softwarehaus ...": when a sentence names
        one organisation and refers to another by a description, that description stands for
        the latest other organisation named before it. Never with two or more names present."""
        families = {self._family(p.key) for p in named}
        if len(families) != 1 or cues.anaphor is None:
            return []
        found = cues.anaphor.search(sentence.text)
        if found is None or any(p.start <= found.start() < p.end for p in named):
            return []
        # Only in an object role ("from the cloud provider", "dem Softwarehaus"): as a subject
        # ("OpenAI said the company would ...") it usually means the organisation just named.
        before = sentence.text[: found.start()]
        if not (
            cues.oblique.match(found.group(0))
            or cues.provider_marker.search(before)
            or cues.customer_marker.search(before)
            or cues.counterparty_marker.search(before)
        ):
            return []
        for party in reversed(recent):
            if self._family(party.key) not in families and not party.brand:
                return [replace(party, start=found.start(), end=found.end(), anaphoric=True)]
        return []

    def _counterparty_candidates(self, sentence: Sentence, cues: Cues) -> list[Party]:
        """The sentence's parties, less those named as a comparison ("Wie Amazon ...",
        "unlike Google") and anyone coordinated with them ("Wie Amazon und Microsoft ...")."""
        text = sentence.text
        parties: list[Party] = []
        excluded: Party | None = None
        for party in self._parties(sentence, cues):
            if cues.comparison_marker.search(text[: party.start]) or (
                excluded is not None and cues.coordinated.match(text[excluded.end : party.start])
            ):
                excluded = party
            else:
                parties.append(party)
        return parties

    @staticmethod
    def _chained(
        first: Party, second: Party, parties: Sequence[Party], text: str, cues: Cues
    ) -> bool:
        """Another organisation stands between the two: "Crusoe builds the campus that Oracle
        leases to OpenAI" pairs Crusoe with Oracle and Oracle with OpenAI, not Crusoe with
        OpenAI. A hardware make in between ("Meta rents Nvidia GPUs from CoreWeave") or a
        party listed with the second ("supplies Anthropic and Mistral") does not break it."""
        between = [p for p in parties if first.end <= p.start and p.end <= second.start]
        for i, p in enumerate(between):
            if p.brand or p.key in (first.key, second.key):
                continue
            # listed with the second: every gap from p on is a coordinator ("X, Y und Z")
            ends = [q.end for q in between[i:]]
            starts = [q.start for q in between[i + 1 :]] + [second.start]
            if not all(
                cues.coordinated.match(text[a:b]) for a, b in zip(ends, starts, strict=True)
            ):
                return True
        return False

    def _vote(
        self,
        drafts: dict[frozenset[str], _DealDraft],
        first: Party,
        second: Party,
        provider_weight: float,
    ) -> None:
        """Add one sentence's say on who provides to the draft deal of this pair."""
        families = (self._family(first.key), self._family(second.key))
        draft = drafts.setdefault(frozenset(families), _DealDraft())
        for party, family, sign in ((first, families[0], 1.0), (second, families[1], -1.0)):
            draft.branded[family] = draft.branded.get(family, True) and party.brand
            known = draft.parties.get(family)
            if known is None or self._depth(party.key) > self._depth(known.key):
                draft.parties[family] = party
            draft.provider_votes[family] = (
                draft.provider_votes.get(family, 0.0) + sign * provider_weight
            )

    def _not_counterparties(self, first: Party, second: Party, text: str, cues: Cues) -> bool:
        between = text[first.end : second.start]
        if not cues.coordinated.match(between):
            return False
        return not cues.between_marker.search(text[: first.start])

    def _provider_log_odds(
        self, first: Party, second: Party, text: str, cues: Cues
    ) -> tuple[float, bool]:
        """Log-odds that ``first`` (the earlier party) is the provider, and whether a marker or
        verb in the sentence ties the two parties together."""
        prior = self._prior.get(first.type, 0.4) - self._prior.get(second.type, 0.4)
        before_first = text[: first.start]
        # +1 when a party is marked as provider ("bei Google"), -1 as customer ("for OpenAI").
        # A customer marker wins where both match: "a disposición de IBM", "used by Anthropic".
        cue = 1.5 * (self._marked(before_first, cues) - self._marked(text[: second.start], cues))
        middle = text[first.end : second.start]
        if cues.customer_verbs and cues.customer_verbs.search(middle):
            cue -= 1.0
        if cues.provider_verbs and cues.provider_verbs.search(middle):
            cue += 1.0
        if cues.customer_verbs and cues.customer_verbs.search(before_first[-40:]):
            cue -= 0.75  # German verb-second: "Nun mietet OpenAI ... bei Google"
        after_second = text[second.end : second.end + 25]
        if cues.customer_verbs and cues.customer_verbs.search(after_second):
            cue += 0.75  # a relative clause: "... a campus that Microsoft will lease"
        if cues.provider_verbs and cues.provider_verbs.search(after_second):
            cue -= 0.75
        linked = cue != 0.0 or bool(cues.counterparty_marker.search(text[: second.start]))
        return 2.5 * prior + cue, linked

    @staticmethod
    def _marked(before: str, cues: Cues) -> int:
        if cues.customer_marker.search(before):
            return -1
        return 1 if cues.provider_marker.search(before) else 0

    def _family(self, key: str) -> str:
        return self._kb.ancestors(key)[-1]

    def _depth(self, key: str) -> int:
        return len(self._kb.ancestors(key))

    # -- deals -------------------------------------------------------------------------------

    def _finish(
        self, draft: _DealDraft, lang: str, cues: Cues, sentences: Sequence[Sentence]
    ) -> tuple[float, dict[str, Any], bool] | None:
        """(score, deal, provider only named as a hardware make) for one pair of parties."""
        if len(draft.parties) != 2:
            return None
        (fam_a, party_a), (fam_b, party_b) = sorted(draft.parties.items())
        if draft.provider_votes.get(fam_a, 0.0) >= draft.provider_votes.get(fam_b, 0.0):
            provider, customer = party_a, party_b
        else:
            provider, customer = party_b, party_a
        if draft.branded.get(self._family(customer.key), False):
            return None  # a hardware make ("GPU Nvidia") is never the customer
        miss = 1.0
        resources: set[str] = set()
        evidence = []
        seen: set[tuple[str, int]] = set()
        for sentence, score, found in draft.sentences:
            miss *= 1.0 - score
            resources |= found
            if (sentence.field, sentence.start) not in seen:
                seen.add((sentence.field, sentence.start))
                evidence.append(sentence)
        if provider.type in CLOUD_TYPES:
            resources.add("cloud")  # capacity from a cloud provider is cloud capacity
        resources |= self._resources_around(draft, sentences, cues)
        evidence.sort(key=lambda s: (s.field != "title", s.start))
        joined = " ".join(s.text for s in evidence)
        # Titles round ("$14bn" for "$14.2bn"): amounts come from the text first.
        body_first = " ".join(s.text for s in sorted(evidence, key=lambda s: s.field == "title"))
        # Amounts often come in the sentence after the one naming the parties; a total over
        # several deals ("insgesamt ...") is not this deal's value.
        following = " ".join(
            nxt.text
            for s in evidence
            for nxt in sentences
            if nxt.field == s.field
            and s.end <= nxt.start <= s.end + 2
            and not (cues.aggregate and cues.aggregate.search(nxt.text))
        )
        value = (
            self._quantities.money(body_first, lang)
            or self._quantities.money(following, lang)
            or self._stated_value(draft, evidence, sentences, lang, cues)
        )
        capacity = self._quantities.capacity(joined, lang) or self._quantities.capacity(
            following, lang
        )
        duration = self._quantities.duration(joined) or self._quantities.duration(following)
        deal = {
            "provider": {"id": provider.id, "name": provider.name},
            "customer": {"id": customer.id, "name": customer.name},
            "resources": sorted(resources),
            "status": self._status(joined, cues),
            "value": value and {"amount": value.amount, "currency": value.unit, "text": value.text},
            "capacity": capacity
            and {"amount": capacity.amount, "unit": capacity.unit, "text": capacity.text},
            "duration": duration and {"years": duration.amount, "text": duration.text},
            "evidence": [
                {"field": s.field, "text": s.text, "start": s.start, "end": s.end} for s in evidence
            ],
        }
        provider_branded = draft.branded.get(self._family(provider.key), False)
        return 1.0 - miss, deal, provider_branded

    def _resources_around(
        self, draft: _DealDraft, sentences: Sequence[Sentence], cues: Cues
    ) -> set[str]:
        """Resources of text sentences that name one of the deal's parties and no other
        organisation ("Nebius will dafür ein neues Rechenzentrum nutzen"): what the deal is
        about is often said next to, not inside, the sentence naming both parties."""
        families = set(draft.parties)
        found: set[str] = set()
        for sentence in sentences:
            named = {self._family(e.id) for e in sentence.entities if e.label == "ORG" and e.id} | {
                e.text for e in sentence.entities if e.label == "ORG" and not e.id
            }
            if sentence.field == "text" and named and named <= families:
                found |= self._resources(sentence, cues)
        return found

    def _stated_value(
        self,
        draft: _DealDraft,
        evidence: Sequence[Sentence],
        sentences: Sequence[Sentence],
        lang: str,
        cues: Cues,
    ) -> Quantity | None:
        """The first amount in a text sentence that talks about a deal ("Die Vereinbarung hat
        einen Wert von ..."), when the evidence itself names none. The sentence must name both
        parties, or name no organisation and follow the evidence closely (the lead when the
        evidence is the title): long articles state other deals' values too."""
        text_sentences = [s for s in sentences if s.field == "text"]
        near: set[int] = set()
        for position, sentence in enumerate(text_sentences):
            if any(e.field == "text" and e.start == sentence.start for e in evidence):
                near |= {position + 1, position + 2}
        if all(e.field == "title" for e in evidence):
            near |= set(range(BODY_LEAD))
        talks_deal = (cues.deal_nouns, cues.deal_verbs, cues.provider_verbs, cues.customer_verbs)
        for position, sentence in enumerate(text_sentences):
            text = sentence.text
            if any(rx and rx.search(text) for rx in (cues.negative, cues.aggregate)):
                continue
            if not any(rx and rx.search(text) for rx in talks_deal):
                continue
            named = {self._family(e.id or e.text) for e in sentence.entities if e.label == "ORG"}
            if (named and named >= set(draft.parties)) or (not named and position in near):
                value = self._quantities.money(text, lang)
                if value is not None:
                    return value
        return None

    def _status(self, text: str, cues: Cues) -> str:
        for status in STATUS_ORDER:
            rx = cues.status.get(status)
            if rx is not None and rx.search(text):
                return status
        return "announced"
