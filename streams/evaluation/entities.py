"""Entity scoring per article: linked ids for ORG and PRODUCT, names for PERSON and LOC.

Gold entities are annotated per article (the set of things it mentions), which is what a
consumer routing "every article about Nvidia" relies on. Linked labels are compared by
knowledge-base id. PERSON and LOC are compared by name; a predicted name that is a run of whole
words of a gold name ("Pichai" for "Sundar Pichai"), also with a genitive s ("Elon Musks"),
counts as that name; so does a place adjective for its place ("Münchner" for "München").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from streams.evaluation.metrics import Counts

LINKED_LABELS = {"ORG": "orgs", "PRODUCT": "products"}
NAMED_LABELS = {"PERSON": ("persons", {"PERSON"}), "LOC": ("places", {"GPE", "LOC"})}


def _mentions(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [*record.get("title_entities", []), *record["entities"]]


def _linked(mentions: list[dict[str, Any]], label: str) -> set[str]:
    return {m["id"] for m in mentions if m["label"] == label and m.get("id")}


def _set_counts(predicted: set[str], gold: set[str]) -> Counts:
    return Counts(len(predicted & gold), len(predicted - gold), len(gold - predicted))


def _words(name: str) -> list[str]:
    return name.casefold().replace("’", "'").split()


def _part_of(short: str, full: str) -> bool:
    small, big = _words(short), _words(full)
    if not small:
        return False
    if _run_of(small, big):
        return True
    # A genitive or possessive s on the last word ("Elon Musks", "Nvidia's") names the same one.
    last = small[-1].removesuffix("'s")
    last = last if last != small[-1] else last.removesuffix("s")
    return last != small[-1] and bool(last) and _run_of([*small[:-1], last], big)


def _run_of(small: list[str], big: list[str]) -> bool:
    return any(big[i : i + len(small)] == small for i in range(len(big) - len(small) + 1))


def _place_adjective(short: str, full: str) -> bool:
    """A German place adjective names the place: "Münchner" München, "Pariser" Paris,
    "Karlsruher" Karlsruhe ("der Münchner Konzern" says where the company is)."""
    word, big = _words(short), _words(full)
    if len(word) != 1 or not word[0].endswith("er"):
        return False
    stems = {word[0][:-2], word[0][:-3] if word[0].endswith("ner") else ""}
    return any(
        len(stem) >= 3 and w.startswith(stem) and len(w) - len(stem) <= 2
        for stem in stems
        for w in big
    )


def _name_counts(predicted: Iterable[str], gold: Iterable[str], places: bool = False) -> Counts:
    gold_names, found = set(gold), set()
    counts = Counts()
    for name in set(predicted):
        matches = {
            g for g in gold_names if _part_of(name, g) or (places and _place_adjective(name, g))
        }
        if matches:
            found |= matches
        else:
            counts.fp += 1
    counts.tp = len(found)
    counts.fn = len(gold_names - found)
    return counts


def score_entities(record: dict[str, Any], gold: dict[str, Any]) -> dict[str, Counts]:
    """Counts per label for one enriched record against its gold annotation.

    PERSON and LOC are scored only when the gold annotation lists them (key present)."""
    mentions = _mentions(record)
    scores: dict[str, Counts] = {}
    for label, key in LINKED_LABELS.items():
        scores[label] = _set_counts(_linked(mentions, label), set(gold.get(key, [])))
    for label, (key, ner_labels) in NAMED_LABELS.items():
        if key in gold:
            names = [m["text"] for m in mentions if m["label"] in ner_labels and not m.get("id")]
            scores[label] = _name_counts(names, gold[key], places=label == "LOC")
    return scores


def entity_errors(record: dict[str, Any], gold: dict[str, Any]) -> list[str]:
    """Readable misses and false alarms of linked labels, for the error listing."""
    mentions = _mentions(record)
    errors = []
    for label, key in LINKED_LABELS.items():
        predicted, expected = _linked(mentions, label), set(gold.get(key, []))
        errors += [f"missed {label} {i}" for i in sorted(expected - predicted)]
        for i in sorted(predicted - expected):
            surface = sorted({m["text"] for m in mentions if m.get("id") == i})
            errors.append(f"spurious {label} {i} ({', '.join(surface)})")
    return errors
