"""The partnership lexicon (``streams/data/partnership_lexicon.json``) compiled per language.

Every cue is a regular expression matched case-insensitively at a word start; a language without
its own entry in a section uses all languages' cues of that section.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from streams.lemmas import lemma_text

LEXICON_FILE = Path(__file__).parent / "data" / "partnership_lexicon.json"


SPACELESS = frozenset({"ja", "zh"})  # languages written without spaces between words


def _compile_for(patterns: list[str], spaceless: bool = False) -> re.Pattern[str] | None:
    if not patterns:
        return None
    if spaceless:  # no word boundaries to hold on to
        return re.compile("(?:" + "|".join(patterns) + ")", re.I)
    return re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)", re.I)


def _lemma_cues(lemmas: list[str] | None) -> re.Pattern[str] | None:
    if not lemmas:
        return None
    return re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, lemmas)) + r")(?!\S)")


def _either(
    forms: re.Pattern[str] | None, lemmas: re.Pattern[str] | None, text: str, lang: str
) -> bool:
    if forms is not None and forms.search(text):
        return True
    return lemmas is not None and lemmas.search(lemma_text(text, lang)) is not None


def _class_cues(table: dict[str, list[str]], lang: str) -> list[str]:
    own = table.get(lang) or [p for code, ps in table.items() if code != "xx" for p in ps]
    return own + table.get("xx", [])


class Cues:
    """The lexicon compiled for one language."""

    def customer_verb_in(self, text: str) -> bool:
        """A customer verb ("mietet", "rents") in any form: as written, or by its lemma."""
        return _either(self.customer_verbs, self.customer_lemmas, text, self.lang)

    def provider_verb_in(self, text: str) -> bool:
        """A provider verb ("liefert", "supplies") in any form: as written, or by its lemma."""
        return _either(self.provider_verbs, self.provider_lemmas, text, self.lang)

    def deal_cues(self, text: str) -> frozenset[str]:
        """The kinds of deal cue the text contains: "customer_verb", "provider_verb",
        "deal_noun" ("Vertrag"), "deal_verb" ("unterzeichnet")."""
        found = {
            name
            for name, rx in (("deal_noun", self.deal_nouns), ("deal_verb", self.deal_verbs))
            if rx is not None and rx.search(text)
        }
        if self.customer_verb_in(text):
            found.add("customer_verb")
        if self.provider_verb_in(text):
            found.add("provider_verb")
        return frozenset(found)

    def negative_kinds(self, text: str) -> frozenset[str]:
        """The classes of negative news whose cues the text contains."""
        if self.negative_classes is None:
            return frozenset()
        return frozenset(
            m.lastgroup for m in self.negative_classes.finditer(text) if m.lastgroup is not None
        )

    def __init__(self, lexicon: dict[str, Any], lang: str) -> None:
        self.lang = lang

        def pick(section: str) -> list[str]:
            table: dict[str, list[str]] = lexicon[section]
            if lang in table:
                return table[lang]
            return [p for patterns in table.values() for p in patterns]

        spaceless = lang in SPACELESS

        def _compile(patterns: list[str]) -> re.Pattern[str] | None:
            return _compile_for(patterns, spaceless)

        self.resources = {name: _compile(p) for name, p in lexicon["resources"].items()}
        every = "(?:" + "|".join(p for ps in lexicon["resources"].values() for p in ps) + ")"
        self.any_resource = re.compile(every + r"(?!\w)", re.I)
        # "der Supercomputer Blue Lion", "the Industrial AI Cloud": a machine's or a service's
        # name, not an organisation's
        self.resource_before = re.compile(r"(?<!\w)" + every + r"[\s\"'„“”»«-]*$", re.I)
        self.resource_end = re.compile(r"(?<!\w)" + every + "$", re.I)
        # "the Beacon Point data center campus", "Lancium Clean Campus": a site's name
        sites = "|".join(pick("site_nouns"))
        self.site_end = re.compile(rf"(?<!\w)(?:{sites})$", re.I)
        self.site_after = re.compile(rf"[\s-]*(?:{every}[\s-]+)?(?:{sites})(?!\w)", re.I)
        self.customer_verbs = _compile(pick("customer_verbs"))
        # Verb lemmas, matched on streams.lemmas.lemma_text (no entry: no lemma cues).
        self.customer_lemmas = _lemma_cues(lexicon.get("customer_lemmas", {}).get(lang))
        self.provider_lemmas = _lemma_cues(lexicon.get("provider_lemmas", {}).get(lang))
        self.provider_verbs = _compile(pick("provider_verbs"))
        # "Microsoft committed $9.7bn to IREN": the one paid is the provider.
        self.payment_verbs = _compile(pick("payment_verbs")) if "payment_verbs" in lexicon else None
        self.deal_nouns = _compile(pick("deal_nouns"))
        self.deal_verbs = _compile(pick("deal_verbs"))
        self.anaphor = _compile(pick("anaphors"))
        self.aggregate = _compile(pick("aggregate_cues"))
        obliques = "|".join(pick("oblique_articles"))
        self.oblique = re.compile(rf"^(?:{obliques})\s", re.I)
        self.negative = _compile(pick("negative_cues"))
        # Kinds of news that are no deal (a chip launch, a model in a marketplace, a stake):
        # each a feature of the model.
        # One pass for all classes: a named group per class (which class matched is the
        # group's name; a cue of another class overlapping it is not seen, which is rare).
        # "xx" (spaCy's code for any language) holds the cues of every language: product names.
        groups = [
            f"(?P<{name}>{'|'.join(_class_cues(table, lang))})"
            for name, table in lexicon.get("negative_classes", {}).items()
        ]
        self.negative_classes = _compile(["|".join(groups)]) if groups else None
        self.status = {name: _compile(p) for name, p in lexicon["status_cues"].items()}
        # A marker right before a party: then at most one short word (an article: "bei der",
        # "from the"), and for role markers optionally a descriptor ("beim Cloud-Anbieter",
        # "from data-centre operator").
        # A descriptor may be inflected: "des Bitcoin-Mining-Unternehmens Core Scientific".
        descriptors = "(?:" + "|".join(pick("descriptor_nouns")) + r")(?:e?[sn])?"
        described = rf"(?:(?:[\w-]+\s+){{0,2}}?[\w-]*?{descriptors}\s+)?"
        # "beim Rechenzentrumsbetreiber Polarise": a resource word inside a description
        self.descriptor_before = re.compile(rf"{descriptors}[\s\"'„“”»«-]*$", re.I)

        def before_party(section: str, descriptor: str = described) -> re.Pattern[str]:
            words = "|".join(pick(section))
            return re.compile(rf"(?<!\w)(?:{words})\s+(?:\w{{1,4}}\s+)?{descriptor}$", re.I)

        # "to acquire crypto miner Core Scientific", "Übernahme der Northern Data": the party
        # is bought, which is not a compute deal with its buyer.
        acquisition = "|".join(_class_cues(lexicon["negative_classes"]["acquisition"], lang))
        self.acquisition_object = re.compile(
            rf"(?<!\w)(?:{acquisition})\s+(?:\w{{1,4}}\s+)?{described}$", re.I
        )
        self.provider_marker = before_party("provider_markers")
        self.customer_marker = before_party("customer_markers")
        self.counterparty_marker = before_party("counterparty_markers")
        self.between_marker = before_party("between_markers", descriptor="")
        self.comparison_marker = before_party("comparison_markers", descriptor="")
        # "according to Reuters", "sagte ... der Nachrichtenagentur Reuters": a source.
        sources = "|".join(pick("attribution_markers"))
        self.attribution_marker = re.compile(
            rf"(?<!\w)(?:{sources})\s+(?:[\w.-]+\s+){{0,3}}$", re.I
        )
        # "the Nvidia-backed cloud provider": the name only describes someone else.
        self.attributive = re.compile("|".join(lexicon["attributive_suffixes"]), re.I)
        coordinators = "|".join(pick("coordinators"))
        # "Amazon und Microsoft", "Nscale gemeinsam mit dem Industriekonzern Aker", "Apple, die
        # Facebook-Mutter Meta". After a bare comma an article needs a descriptor: "OpenAI, der
        # dem Softwarehaus ..." starts a relative clause, not a list.
        separators = rf"(?:[,;/][\s,]*)*(?:{coordinators})(?!\w)[\s,]*"
        described_only = rf"(?:\w{{1,4}}\s+)?[\w-]*?{descriptors}\s+"
        self.coordinated = re.compile(
            rf"^\s*(?:{separators}(?:\w{{1,4}}\s+)?(?:[\w-]*?{descriptors}\s+)?"
            rf"|[,;/][\s,]*(?:{described_only})?)?$",
            re.I,
        )


@cache
def default_lexicon() -> dict[str, Any]:
    """The shipped cue lexicon (loaded once per process)."""
    lexicon: dict[str, Any] = orjson.loads(LEXICON_FILE.read_bytes())
    return lexicon
