"""Which two parties of one sentence can be each other's counterparties.

Two names in one list ("Apple, Meta oder Amazon und Microsoft") are not; nor are two with a
third company between them that pairs with each ("Crusoe builds the campus that Oracle leases
to OpenAI"). Both read the gaps between the names with the language's ``Cues.coordinated``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from streams.cues import Cues
from streams.deals import Party


def list_items(parties: Sequence[Party]) -> list[list[Party]]:
    """A sentence's own parties (``parties`` in the order of the text) as the items of a list:
    a description and the name it goes with ("Facebook-Mutter Meta") are one item, so the gaps
    run between names, the description counting as the gap's ("die Facebook-Mutter"). Once per
    sentence, for ``listed_together``."""
    items: list[list[Party]] = []
    for p in parties:
        if p.remote:
            continue
        if items and items[-1][-1].key == p.key:
            items[-1].append(p)
        else:
            items.append([p])
    return items


def listed_together(
    first: Party, second: Party, items: Sequence[Sequence[Party]], text: str, cues: Cues
) -> bool:
    """Whether two parties are named in one list ("Apple, die Facebook-Mutter Meta oder die
    Cloud-Betreiber Amazon und Microsoft"): every gap between the ``list_items`` from
    ``first``'s to ``second``'s is a coordinator, so they are not each other's counterparties;
    unless a "between" marker precedes the list ("Vertrag zwischen Google und OpenAI")."""
    if first.remote or second.remote:
        return False  # a party of another sentence is in no list of this one
    a = next(i for i, item in enumerate(items) if first in item)
    b = next(i for i, item in enumerate(items) if second in item)
    if not _one_list([item[-1] for item in items[a : b + 1]], text, cues):
        return False
    return not cues.between_marker.search(text[: first.start])


def chained(first: Party, second: Party, parties: Sequence[Party], text: str, cues: Cues) -> bool:
    """Another organisation stands between the two: "Crusoe builds the campus that Oracle
    leases to OpenAI" pairs Crusoe with Oracle and Oracle with OpenAI, not Crusoe with
    OpenAI. A hardware make in between ("Meta rents Nvidia GPUs from CoreWeave") or a
    party listed with the second ("supplies Anthropic and Mistral") does not break it."""
    between = [p for p in parties if first.end <= p.start and p.end <= second.start]
    for i, p in enumerate(between):
        if p.brand or p.key in (first.key, second.key):
            continue
        # unless listed with the second ("X, Y und Z")
        if not _one_list([*between[i:], second], text, cues):
            return True
    return False


def _one_list(names: Sequence[Party], text: str, cues: Cues) -> bool:
    """Whether every gap between consecutive ``names`` is a coordinator ("X, Y und Z")."""
    return all(cues.coordinated.match(text[a.end : b.start]) for a, b in pairwise(names))
