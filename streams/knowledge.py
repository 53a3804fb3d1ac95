"""The knowledge base of the compute economy and the alias matcher built from it.

Data: ``streams/data/knowledge_base.jsonl`` (one entry a line, schema in
``schemas/knowledge/knowledge-base-entry.schema.json``). Matching rules:

* aliases are case-sensitive whole words; a genitive/possessive ``s``, ``'s`` or ``'`` may follow
  (Googles, Microsoft's, Nvidias) and is left outside the reported span;
* a space in an alias also matches a hyphen and vice versa (Google-Cloud, OpenAI-Chef: the
  hyphen ends the word, so the compound's head is still found);
* overlapping candidates resolve to the leftmost, then longest one;
* ``context_aliases`` (words with an everyday sense: Meta, Oracle, Apple, X, Arm, Orange) only
  count when the document also holds one of the entry's ``context_terms`` or one of its plain
  aliases, or when the statistical NER labels the same span as an organisation;
* names the press writes in other capitals are found too: inner capitals flattened
  ("Coreweave") as plain aliases, all-caps names as words ("Iren" for IREN) as context aliases.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import orjson

DATA_FILE = Path(__file__).parent / "data" / "knowledge_base.jsonl"
_SPACELESS = "\u3040-\u309f\u3400-\u4dbf\u4e00-\u9fff"  # hiragana and CJK ideographs
_SEPARATORS = re.compile(r"[\s\-‐‑]+")


@dataclass(frozen=True)
class Entry:
    """One organisation or product."""

    id: str
    name: str
    kind: str
    type: str
    parent: str | None = None
    maker: str | None = None
    resource: str | None = None
    wikidata: str | None = None

    @property
    def label(self) -> str:
        return "ORG" if self.kind == "organisation" else "PRODUCT"


@dataclass(frozen=True)
class Mention:
    """An alias occurrence: ``text[start:end]`` is the alias as written."""

    start: int
    end: int
    entry: Entry


def normalise_alias(alias: str) -> str:
    """The lookup key of an alias: runs of spaces and hyphens become one space."""
    return _SEPARATORS.sub(" ", alias.strip())


_CAMEL = re.compile(r"[a-z][A-Z]")


def _flattened_camel_case(alias: str) -> str | None:
    """ "Coreweave" for "CoreWeave", "Terawulf" for "TeraWulf": how much of the press writes
    a name with inner capitals. Such names are distinctive, so the variant is a plain alias
    (all-caps names are not: "Iren" is also a word, so it only counts in context)."""
    if not alias[:1].isupper() or not _CAMEL.search(alias):
        return None
    return " ".join(w[:1] + w[1:].lower() for w in alias.split(" "))


def _trie_pattern(aliases: Iterable[str]) -> str:
    """A regex matching any alias, built as a character trie so matching cost does not grow
    with the number of aliases (Python's ``re`` would try a flat alternation one by one)."""
    trie: dict[str, Any] = {}
    for alias in aliases:
        node = trie
        for ch in alias:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        terminal = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            token = r"[\s\-‐‑]" if ch == " " else re.escape(ch)
            branches.append(token + render(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if terminal:
            return "(?:" + body + ")?"
        return body

    return render(trie)


class KnowledgeBase:
    """Entries by id, and a matcher over all their aliases."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.entries: dict[str, Entry] = {}
        self._plain: dict[str, Entry] = {}
        self._contextual: dict[str, Entry] = {}
        self._context_terms: dict[str, re.Pattern[str]] = {}
        variants: list[tuple[str, Entry]] = []  # flattened inner capitals: plain aliases
        shouted: list[tuple[str, Entry]] = []  # all-caps names written as words: in context
        for row in rows:
            entry = Entry(
                id=row["id"],
                name=row["name"],
                kind=row["kind"],
                type=row["type"],
                parent=row.get("parent"),
                maker=row.get("maker"),
                resource=row.get("resource"),
                wikidata=row.get("wikidata"),
            )
            if row.get("context_terms"):
                # Left word boundary only: terms may be stems (Rechenzentr...), but "AI" must
                # not fire inside "OpenAI".
                self._context_terms[entry.id] = re.compile(
                    r"(?<!\w)(?:" + "|".join(map(re.escape, row["context_terms"])) + ")"
                )
            if entry.id in self.entries:
                raise ValueError(f"knowledge base: duplicate id {entry.id!r}")
            self.entries[entry.id] = entry
            for alias in row["aliases"]:
                self._add(self._plain, alias, entry)
                variant = _flattened_camel_case(alias)
                if variant:
                    variants.append((normalise_alias(variant), entry))
                elif len(alias) >= 4 and alias.isalpha() and alias.isupper():
                    # "Iren" for "IREN": also a word ("die Iren"), so only with context
                    shouted.append((normalise_alias(alias.capitalize()), entry))
            for alias in row.get("context_aliases", ()):
                self._add(self._contextual, alias, entry)
        for table, added in ((self._plain, variants), (self._contextual, shouted)):
            for key, entry in added:  # never over an alias as written
                if key not in self._plain and key not in self._contextual:
                    table[key] = entry
        # Japanese and Chinese write no spaces: a name may touch kanji or hiragana
        # ("大手エヌビディアと"), never other letters or katakana (デル inside モデル).
        self._pattern = re.compile(
            rf"(?<![^\W{_SPACELESS}])(?P<alias>"
            + _trie_pattern([*self._plain, *self._contextual])
            + rf")(?:['’]s|['’]|s)?(?![^\W{_SPACELESS}])"
        )

    def _add(self, table: dict[str, Entry], alias: str, entry: Entry) -> None:
        key = normalise_alias(alias)
        other = self._plain.get(key) or self._contextual.get(key)
        if other is not None and other.id != entry.id:
            raise ValueError(f"knowledge base: alias {alias!r} names {other.id} and {entry.id}")
        table[key] = entry

    def lookup(self, name: str) -> Entry | None:
        """The entry a name (as written) resolves to by its unambiguous aliases, if any."""
        return self._plain.get(normalise_alias(name))

    def ancestors(self, entry_id: str) -> list[str]:
        """The id itself, then its parent or maker chain (Google Cloud -> Google -> Alphabet)."""
        chain = [entry_id]
        current = self.entries.get(entry_id)
        while current is not None:
            nxt = current.parent or current.maker
            if nxt is None or nxt in chain:
                break
            chain.append(nxt)
            current = self.entries.get(nxt)
        return chain

    def lineage(self, key: str) -> list[str]:
        """``ancestors`` of an id, or of the entry a name resolves to ("Danish Centre for AI
        Innovation" -> dcai); just the name for one the knowledge base does not know. Gold
        annotations written before an organisation joined the knowledge base still match."""
        if key not in self.entries:
            entry = self.lookup(key)
            if entry is None:
                return [key]
            key = entry.id
        return self.ancestors(key)

    def find(
        self, text: str, *, context: str | None = None, org_spans: Iterable[tuple[int, int]] = ()
    ) -> list[Mention]:
        """All alias mentions in ``text``. ``context`` (default: ``text``) is what context
        terms are looked up in, e.g. title plus body; ``org_spans`` are NER organisation spans
        that confirm a context alias they overlap."""
        context = text if context is None else context
        plain: list[Mention] = []
        pending: list[Mention] = []
        for match in self._pattern.finditer(text):
            start, end = match.span("alias")
            key = normalise_alias(match.group("alias"))
            entry = self._plain.get(key)
            if entry is not None:
                plain.append(Mention(start, end, entry))
            else:
                pending.append(Mention(start, end, self._contextual[key]))
        if not pending:
            return plain
        confirmed_ids = {m.entry.id for m in plain}
        # Linear in mentions and spans: each entry's context is searched once, and an NER span
        # overlapping a mention is found by bisection over the spans sorted by start.
        with_context = {
            entry_id: self._has_context(entry_id, context)
            for entry_id in {m.entry.id for m in pending} - confirmed_ids
        }
        spans = sorted(org_spans)
        span_starts = [s for s, _ in spans]
        reach = list(accumulate((e for _, e in spans), max))  # furthest end among spans[:i+1]

        def overlaps_org_span(m: Mention) -> bool:
            i = bisect_left(span_starts, m.end)  # spans[:i] start before the mention ends
            return i > 0 and reach[i - 1] > m.start

        accepted = [
            m
            for m in pending
            if m.entry.id in confirmed_ids or with_context[m.entry.id] or overlaps_org_span(m)
        ]
        return sorted(plain + accepted, key=lambda m: m.start)

    def _has_context(self, entry_id: str, context: str) -> bool:
        terms = self._context_terms.get(entry_id)
        return terms is not None and terms.search(context) is not None

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())


def read_rows(path: Path = DATA_FILE) -> list[dict[str, Any]]:
    """The raw JSON rows of a knowledge-base file."""
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


@cache
def default_knowledge_base() -> KnowledgeBase:
    """The knowledge base shipped with the package (loaded once per process)."""
    return KnowledgeBase(read_rows())
