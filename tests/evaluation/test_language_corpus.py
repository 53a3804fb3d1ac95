"""The language-ID target of issue 3, on the hand-written corpus in eval/."""

from pathlib import Path

from streams.evaluation.language_corpus import LONG, samples, score_detector
from streams.language import detect_language

CORPUS = Path(__file__).resolve().parents[2] / "eval" / "language_sentences.json"


def test_corpus_has_long_samples_in_at_least_15_languages() -> None:
    corpus = samples(CORPUS)
    long_languages = {s.language for s in corpus if s.long}
    assert len(long_languages) >= 15
    assert all(len(s.text) >= LONG for s in corpus if s.long)


def test_whole_text_detection_is_at_least_99_percent_on_long_texts() -> None:
    result = score_detector(lambda text: detect_language(text).code, samples(CORPUS))
    assert result["long_accuracy"] >= 0.99, result["errors"]
