"""Entities of one text: statistical NER merged with knowledge-base matches.

A knowledge-base match wins over any NER span it overlaps (it brings ``id``, ``name`` and a
consistent label); NER organisation spans that are not in the knowledge base stay unlinked. NER
labels are normalised across models (PER -> PERSON); numeric and date labels are dropped.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from streams.knowledge import KnowledgeBase

NER_LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "MISC": "MISC",
    "PRODUCT": "PRODUCT",
    "NORP": "NORP",
    "FAC": "FAC",
    "EVENT": "EVENT",
}


@dataclass(frozen=True)
class Entity:
    """A span of the analysed text; ``id``/``name`` are set when linked to the knowledge base."""

    text: str
    label: str
    start: int
    end: int
    source: str
    id: str | None = None
    name: str | None = None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "text": self.text,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "source": self.source,
        }
        if self.id is not None:
            out["id"] = self.id
            out["name"] = self.name
        return out


def extract_entities(doc: Doc, kb: KnowledgeBase, context: str) -> list[Entity]:
    """Entities of ``doc.text``, ordered by offset, never overlapping.

    ``context`` is the whole article (title and text), used to confirm context aliases.
    """
    text = doc.text
    ner = [
        (ent.start_char, ent.end_char, NER_LABELS[ent.label_])
        for ent in doc.ents
        if ent.label_ in NER_LABELS and text[ent.start_char : ent.end_char].strip()
    ]
    org_spans = [(s, e) for s, e, label in ner if label == "ORG"]
    linked = [
        Entity(text[m.start : m.end], m.entry.label, m.start, m.end, "kb", m.entry.id, m.entry.name)
        for m in kb.find(text, context=context, org_spans=org_spans)
    ]
    entities = list(linked)
    # kb.find returns non-overlapping matches in text order: one bisect per NER span finds
    # the only linked span that can overlap it from the left, and the next one.
    linked_starts = [e.start for e in linked]
    for start, end, label in ner:
        i = bisect_right(linked_starts, start)
        if (i > 0 and linked[i - 1].end > start) or (i < len(linked) and linked[i].start < end):
            continue
        entry = kb.lookup(text[start:end]) if label == "ORG" else None
        if entry is not None:
            entities.append(
                Entity(text[start:end], entry.label, start, end, "kb", entry.id, entry.name)
            )
        else:
            entities.append(Entity(text[start:end], label, start, end, "ner"))
    return sorted(entities, key=lambda e: (e.start, -e.end))


def organisation_counts(groups: Iterable[Sequence[Entity]]) -> list[dict[str, object]]:
    """Distinct organisations over several entity lists, with mention counts, most first.

    Linked organisations are counted by id; unlinked ORG spans by their text.
    """
    counts: Counter[tuple[str | None, str]] = Counter()
    for entities in groups:
        for e in entities:
            if e.label == "ORG":
                counts[(e.id, e.name or e.text)] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][1]))
    return [{"id": key[0], "name": key[1], "count": n} for key, n in ordered]
