"""Normalising the numbers in deal sentences: money, capacity and duration.

Number formats: "38bn", "38.5 billion", "38,5 Milliarden", "100,000", "100.000", "10 000".
When a number has one kind of separator followed by exactly three digits it is a thousands
separator (100,000 / 100.000), otherwise a decimal mark (38,5 / 1.5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson

DATA_FILE = Path(__file__).parent / "data" / "quantities.json"
POWER_UNITS = {"GW", "MW"}
_NUMBER = r"\d{1,3}(?:[.,\u202f\u00a0 ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"


@dataclass(frozen=True)
class Quantity:
    amount: float
    unit: str  # ISO currency, capacity unit, or "years"
    text: str


def parse_number(raw: str) -> float:
    """A number as written in English, German, French or Spanish news (see module docstring)."""
    s = re.sub(r"[\u202f\u00a0 ]", "", raw)
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif "," in s or "." in s:
        sep = "," if "," in s else "."
        parts = s.split(sep)
        thousands = all(len(p) == 3 for p in parts[1:])
        s = "".join(parts) if thousands else s.replace(sep, ".")
    return float(s)


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


class QuantityParser:
    """Finds money, capacity and duration expressions in a sentence."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._scales: dict[str, dict[str, float]] = data["scales"]
        scale_words = {w for table in self._scales.values() for w in table}
        scale = _alternation([re.escape(w) for w in scale_words])
        self._currency_of: list[tuple[re.Pattern[str], str]] = [
            (re.compile(rf"^(?:{_alternation(words)})$", re.I), code)
            for code, words in data["currencies"].items()
        ]
        currency = _alternation([w for words in data["currencies"].values() for w in words])
        # "$38bn", "US$ 1.5 billion", "€5 Mrd."
        self._money_prefix = re.compile(
            rf"(?<!\w)(?P<cur>{currency})\s?(?P<num>{_NUMBER})(?:\s?(?P<scale>{scale})(?!\w))?",
            re.I,
        )
        self._number_words: dict[str, int] = data["number_words"]
        words = _alternation([re.escape(w) for w in self._number_words])
        # "38 Milliarden Dollar", "30 Mrd. US-Dollar", "10 milliards de dollars", "5 bn euros",
        # and with a scale also in words: "zehn Milliarden Dollar", "ten billion dollars"
        self._money_suffix = re.compile(
            rf"(?<![\w.,])(?:(?P<num>{_NUMBER})|(?P<word>{words})(?=\s(?:{scale})(?!\w)))"
            rf"\s?(?:(?P<scale>{scale})\s?)?(?:de\s|di\s|d')?"
            rf"(?P<cur>{currency})(?!\w)",
            re.I,
        )
        self._unit_of = [
            (re.compile(rf"^(?:{_alternation(words)})$", re.I), unit)
            for unit, words in data["capacity_units"].items()
        ]
        units = _alternation([w for words in data["capacity_units"].values() for w in words])
        self._capacity = re.compile(
            rf"(?<![\w.,])(?:(?P<num>{_NUMBER})|(?P<word>{words}))(?:\s?(?P<scale>{scale})(?!\w))?\s?"
            rf"(?:(?:nvidia|amd|google|weitere[n]?|more|additional|neue[n]?|new)[\s-]+)?"
            rf"(?:[\w-]+\s)?(?P<unit>{units})(?!\w)",
            re.I,
        )
        numbers = _alternation([*map(re.escape, self._number_words), r"\d+"])
        years = _alternation(data["year_words"])
        self._duration = re.compile(
            rf"(?<!\w)(?P<num>{numbers})[\s-]?(?P<unit>{years})(?!\w)", re.I
        )

    def _scale(self, word: str | None, lang: str) -> float:
        if not word:
            return 1.0
        key = word.lower()
        return self._scales.get(lang, {}).get(key) or self._scales["*"].get(key, 1.0)

    def _amount(self, m: re.Match[str], lang: str) -> float:
        """The number of a money or capacity match, in digits or in words, times its scale."""
        groups = m.groupdict()
        if groups.get("word"):
            number = float(self._number_words[groups["word"].lower()])
        else:
            number = parse_number(groups["num"])
        return number * self._scale(groups.get("scale"), lang)

    def money(self, sentence: str, lang: str) -> Quantity | None:
        """The first amount of money in the sentence, if any (news states the deal's headline
        value first: "weitere 6,5 Milliarden ..., insgesamt 22,4 Milliarden")."""
        found = []
        for pattern in (self._money_prefix, self._money_suffix):
            for m in pattern.finditer(sentence):
                code = next((c for p, c in self._currency_of if p.match(m.group("cur"))), None)
                if code is None:
                    continue
                found.append((m.start(), Quantity(self._amount(m, lang), code, m.group(0).strip())))
        return min(found, key=lambda f: f[0])[1] if found else None

    def capacity(self, sentence: str, lang: str) -> Quantity | None:
        """The first capacity (power or number of accelerators) in the sentence, if any."""
        for m in self._capacity.finditer(sentence):
            unit = next((u for p, u in self._unit_of if p.match(m.group("unit"))), None)
            if unit is None:
                continue
            # "zehn Gigawatt", "one million GPUs"; but "ein GPU-Cluster" is no count
            if m.group("word") and unit not in POWER_UNITS and not m.group("scale"):
                continue
            return Quantity(self._amount(m, lang), unit, m.group(0).strip())
        return None

    def duration(self, sentence: str) -> Quantity | None:
        """The first stated duration in years, if any."""
        for m in self._duration.finditer(sentence):
            raw = m.group("num").lower()
            years = float(raw) if raw.isdigit() else float(self._number_words[raw])
            if 0 < years <= 30:
                return Quantity(years, "years", m.group(0))
        return None


@cache
def default_parser() -> QuantityParser:
    """The parser built from the shipped data file (once per process)."""
    return QuantityParser(orjson.loads(DATA_FILE.read_bytes()))
