"""From what the sentences said about one pair of parties to the published deal: roles,
resources, status, value, capacity, duration and the evidence sentences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from dataclasses import field as _field
from typing import Any

from streams.cues import Cues
from streams.entities import Entity
from streams.knowledge import KnowledgeBase
from streams.quantities import Quantity, QuantityParser

STATUS_ORDER = ("ended", "talks", "signed")
BODY_LEAD = 3  # sentences of the text whose resources a deal-naming title may borrow
CLOUD_TYPES = {"hyperscaler", "cloud_provider", "gpu_cloud", "sovereign_cloud"}


@dataclass(frozen=True)
class SentenceCues:
    """What the lexicon finds in one sentence: its deal cues (``Cues.deal_cues``) and its
    classes of negative news (``Cues.negative_kinds``)."""

    deal: frozenset[str]
    negative: frozenset[str]


@dataclass(frozen=True)
class Sentence:
    """One sentence of the title or text, with the entities inside it (field offsets)."""

    field: str
    start: int
    end: int
    text: str
    entities: Sequence[Entity]
    # resources per cue language, filled by sentence_resources (read again for every pair)
    resources_by_lang: dict[str, frozenset[str]] = _field(
        default_factory=dict, compare=False, repr=False
    )
    # cue reading per cue language, filled by sentence_cues (the article model reads every
    # sentence, the candidate pairs read theirs again)
    cues_by_lang: dict[str, SentenceCues] = _field(default_factory=dict, compare=False, repr=False)


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
    remote: int = 0  # named in another sentence: 1 the previous one, 2 the title, else 0


@dataclass
class DealDraft:
    """What the sentences said about one pair of parties (keyed by corporate family)."""

    provider_votes: dict[str, float] = field(default_factory=dict)
    parties: dict[str, Party] = field(default_factory=dict)
    sentences: list[tuple[Sentence, float, set[str]]] = field(default_factory=list)
    features: list[dict[str, float]] = field(default_factory=list)  # per entry of sentences
    branded: dict[str, bool] = field(default_factory=dict)  # family -> only named as a make


def family(kb: KnowledgeBase, key: str) -> str:
    """The root of an organisation's parent chain: Google Cloud and Google are one family."""
    return kb.ancestors(key)[-1]


def depth(kb: KnowledgeBase, key: str) -> int:
    """How far down its parent chain an organisation sits: of two names of one party, the
    deeper one is the more specific ("Google Cloud" rather than "Google")."""
    return len(kb.ancestors(key))


def sentence_resources(kb: KnowledgeBase, sentence: Sentence, cues: Cues) -> set[str]:
    """The compute resources a sentence names (computed once per sentence and language)."""
    known = sentence.resources_by_lang.get(cues.lang)
    if known is None:
        known = sentence.resources_by_lang[cues.lang] = frozenset(_resources(kb, sentence, cues))
    return set(known)


def sentence_cues(sentence: Sentence, cues: Cues) -> SentenceCues:
    """The deal cues and negative classes of a sentence (read once per sentence and language)."""
    known = sentence.cues_by_lang.get(cues.lang)
    if known is None:
        text = sentence.text
        known = SentenceCues(cues.deal_cues(text), cues.negative_kinds(text))
        sentence.cues_by_lang[cues.lang] = known
    return known


def _resources(kb: KnowledgeBase, sentence: Sentence, cues: Cues) -> set[str]:
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
            resource = kb.entries[e.id].resource
            if resource and resource != "software":
                found.add(resource)
    return found


class DealAssembler:
    """Turns a draft into the deal record of the ``compute_partnership`` contract."""

    def __init__(self, kb: KnowledgeBase, quantities: QuantityParser) -> None:
        self._kb = kb
        self._quantities = quantities

    def finish(
        self, draft: DealDraft, lang: str, cues: Cues, sentences: Sequence[Sentence]
    ) -> tuple[dict[str, Any], bool] | None:
        """(deal, provider only named as a hardware make) for one pair of parties; its score
        comes from the deal model (``streams.features.deal_features``)."""
        if len(draft.parties) != 2:
            return None
        (fam_a, party_a), (fam_b, party_b) = sorted(draft.parties.items())
        if draft.provider_votes.get(fam_a, 0.0) >= draft.provider_votes.get(fam_b, 0.0):
            provider, customer = party_a, party_b
        else:
            provider, customer = party_b, party_a
        if draft.branded.get(family(self._kb, customer.key), False):
            # A hardware make ("GPU Nvidia") is never the customer: if anyone, it supplies.
            if draft.branded.get(family(self._kb, provider.key), False):
                return None
            provider, customer = customer, provider
        resources: set[str] = set()
        evidence = []
        seen: set[tuple[str, int]] = set()
        for sentence, _, found in draft.sentences:
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
        provider_branded = draft.branded.get(family(self._kb, provider.key), False)
        return deal, provider_branded

    def _resources_around(
        self, draft: DealDraft, sentences: Sequence[Sentence], cues: Cues
    ) -> set[str]:
        """Resources of text sentences that name one of the deal's parties and no other
        organisation ("Nebius will dafür ein neues Rechenzentrum nutzen"): what the deal is
        about is often said next to, not inside, the sentence naming both parties."""
        families = set(draft.parties)
        found: set[str] = set()
        for sentence in sentences:
            named = {
                family(self._kb, e.id or e.text) for e in sentence.entities if e.label == "ORG"
            }
            if sentence.field == "text" and named and named <= families:
                found |= sentence_resources(self._kb, sentence, cues)
        return found

    def _stated_value(
        self,
        draft: DealDraft,
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
            orgs = [e for e in sentence.entities if e.label == "ORG"]
            named = {family(self._kb, e.id or e.text) for e in orgs}
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
