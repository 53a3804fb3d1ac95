"""Parties a sentence refers to without naming them: the thread of an article.

Real reports rarely name both parties of a deal in one sentence. "Der Vertrag mit OpenAI
bringt dem Softwarehaus ..." refers to an organisation named before by a description (an
anaphor); "Den dicksten Brocken macht Nebius aus. ... stehen Microsoft ... zur Verfügung"
names the other party in the sentence before, or in the title. ``Discourse`` keeps the
parties of the sentences read so far in one article and offers them as candidates, marked
(``anaphoric``, ``remote``) so the features weigh them; nothing is assumed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from streams.cues import Cues
from streams.deals import Party, Sentence, family
from streams.knowledge import KnowledgeBase

ANTECEDENT_WINDOW = 4  # parties of the preceding sentences an anaphor may refer to


class Discourse:
    """The parties named so far in one article, read sentence by sentence in order."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._recent: list[Party] = []  # of the last sentences, latest last
        self._title: list[Party] = []
        self._previous: list[Party] = []  # of the last text sentence that named any

    def add(self, field_name: str, named: Sequence[Party]) -> None:
        """Record the parties a sentence of ``field_name`` ("title" or "text") named."""
        self._recent = (self._recent + list(named))[-ANTECEDENT_WINDOW:]
        own = [p for p in named if not p.anaphoric]
        if field_name == "title":
            self._title += own
        elif named:  # a sentence that names nobody does not break the thread
            self._previous = own

    def antecedent(self, sentence: Sentence, named: Sequence[Party], cues: Cues) -> list[Party]:
        """ "OpenAI ... Der Vertrag mit OpenAI bringt dem Softwarehaus ...": when a sentence names
        one organisation and refers to another by a description, that description stands for
        the latest other organisation named before it. Never with two or more names present."""
        families = {family(self._kb, p.key) for p in named}
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
        for party in reversed(self._recent):
            if family(self._kb, party.key) not in families and not party.brand:
                return [replace(party, start=found.start(), end=found.end(), anaphoric=True)]
        return []

    def remote(self, text: str, named: Sequence[Party], cues: Cues) -> list[Party]:
        """When a sentence names one organisation, the parties of the sentence before
        (``remote`` 1) and of the title (``remote`` 2), placed before the sentence."""
        families = {family(self._kb, p.key) for p in named}
        if len(families) != 1 or (cues.anaphor is not None and cues.anaphor.search(text)):
            return []  # "OpenAI said the company would ...": it speaks of itself
        out: list[Party] = []
        for distance, group in ((1, self._previous), (2, self._title)):
            for party in group:
                fam = family(self._kb, party.key)
                if fam not in families:
                    families.add(fam)
                    out.append(replace(party, start=0, end=0, remote=distance))
        return out
