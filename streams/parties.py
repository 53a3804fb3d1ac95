"""The parties a sentence names: organisations that could be one side of a compute deal.

An organisation named only as a description ("Nvidia-backed", "Abu Dhabi's G42", a model's
"DeepSeek-V3", a site's "Foxconn-Fabrik") is no party, nor is a name outside the knowledge base
that names a machine or a site ("der Supercomputer Blue Lion", "the Beacon Point data center
campus"); a chip or server maker named as the make of hardware ("Nvidia H100", "GPU von
Nvidia") is a party marked as a brand; a cloud service stands for its operator (Azure for
Microsoft). Names in a comparison ("Wie Amazon ...", "unlike Google", "statt ... bei AWS") are
no counterparties.
"""

from __future__ import annotations

import re

from streams.cues import Cues
from streams.deals import Party, Sentence
from streams.entities import Entity
from streams.knowledge import KnowledgeBase

_LOOKAHEAD = 80  # characters around a name read for a possessive, a resource word, a site
MARKER_WINDOW = 60  # characters before a name in which a marker right before it is found
HARDWARE_MAKERS = {"chipmaker", "server_maker"}
_POSSESSIVE_END = re.compile(r"(?:'s|’s)$")
_POSSESSIVE = re.compile(r"^(?:'s|’s|s)(?!\w)")


class PartyFinder:
    """Finds the parties of a sentence with the knowledge base's types and products."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb

    def parties(self, sentence: Sentence, cues: Cues) -> list[Party]:
        """Every organisation the sentence names that could be a party, in order; a cloud
        service stands for its operator (Azure for Microsoft)."""
        parties: list[Party] = []
        text = sentence.text
        starts = {e.start: e.label for e in sentence.entities}
        for e in sentence.entities:
            start, end = e.start - sentence.start, e.end - sentence.start
            if e.label == "ORG":
                entry = self._kb.entries.get(e.id) if e.id else None
                if entry is None and (
                    len(e.text) < 3
                    or _names_a_thing(
                        e.text,
                        text[max(0, start - _LOOKAHEAD) : start],
                        text[end : end + _LOOKAHEAD],
                        cues,
                    )
                ):
                    continue
                if cues.attributive.match(text, end) or _possessive_modifier(e, starts):
                    continue
                kind = entry.type if entry else "unknown"
                after = _POSSESSIVE.sub("", text[end : end + _LOOKAHEAD], count=1).lstrip(" -")
                brand = kind in HARDWARE_MAKERS and bool(
                    cues.any_resource.match(after)
                    or cues.any_resource.search(text[max(0, start - 12) : start])
                    or _product_follows(e, starts)
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

    def counterparties(self, sentence: Sentence, cues: Cues) -> list[Party]:
        """The sentence's parties, less those named as a comparison ("Wie Amazon ...",
        "unlike Google") and anyone coordinated with them ("Wie Amazon und Microsoft ...")."""
        text = sentence.text
        parties: list[Party] = []
        excluded: Party | None = None
        for party in self.parties(sentence, cues):
            # The marker stands right before the name: a bounded window keeps this linear.
            before = text[max(0, party.start - MARKER_WINDOW) : party.start]
            if cues.comparison_marker.search(before) or (
                excluded is not None and cues.coordinated.match(text[excluded.end : party.start])
            ):
                excluded = party
            else:
                parties.append(party)
        return parties


def _names_a_thing(name: str, before: str, after: str, cues: Cues) -> bool:
    """An unlinked "organisation" that is a resource ("GPU", NER's mistake), a machine or
    service named after one ("Industrial AI Cloud", "der Supercomputer Blue Lion") or a site
    ("the Beacon Point data center campus", "Lancium Clean Campus"), not its owner; a
    description in between keeps it an organisation ("beim Rechenzentrumsbetreiber Polarise")."""
    return bool(
        cues.resource_end.search(name)
        or cues.site_end.search(name)
        or cues.site_after.match(after)
        or (cues.resource_before.search(before) and not cues.descriptor_before.search(before))
    )


def _possessive_modifier(org: Entity, starts: dict[int, str]) -> bool:
    """ "Abu Dhabi's G42": an unlinked name in the possessive only qualifies the next one."""
    return (
        org.id is None
        and bool(_POSSESSIVE_END.search(org.text))
        and any(starts.get(org.end + gap) == "ORG" for gap in (0, 1))
    )


def _product_follows(org: Entity, starts: dict[int, str]) -> bool:
    """ "Nvidia H100", "Nvidias H20", "Nvidia's Blackwell"."""
    return any(starts.get(org.end + gap) == "PRODUCT" for gap in range(4))
