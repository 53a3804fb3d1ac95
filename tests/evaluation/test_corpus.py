"""The real-news corpus (issue 11): its mix and split, and floors under the test parts' figures.

The floors guard against regressions: issue 11's targets where they are met (roles, every
article target on the seen part, the fresh part's recall overall, German and English), else
below them (on the fresh part article P >= 0.92 is not met: README, Evaluation).
``test.jsonl`` is the part whose errors were read in the fourth round; the fresh part was drawn
after that and is the honest one. It spans ``test_fresh.jsonl`` and ``test_fresh_2.jsonl``
because no tracked file may pass 2 MiB; both are measured pooled, as one part.
"""

from collections import Counter
from pathlib import Path

import orjson
import pytest

from streams.enrich import Enricher
from streams.evaluation.runner import evaluate, load_annotated
from streams.training.partnership import TRAIN_FILES

CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus"


TRAIN = tuple(path.name for path in TRAIN_FILES)  # the trainer's training part
FRESH = ("test_fresh.jsonl", "test_fresh_2.jsonl")  # one part, split only by file size
PARTS = (*TRAIN, "test.jsonl", *FRESH)


def test_the_corpus_has_the_mix_issue_11_asks_for() -> None:
    rows = [row for part in PARTS for row in load_annotated(CORPUS / part)]
    languages = Counter(r["gold"]["language"] for r in rows)
    assert len(rows) >= 400
    assert languages["de"] / len(rows) >= 0.45 and languages["en"] / len(rows) >= 0.30
    assert sum(1 for lang, n in languages.items() if lang not in ("de", "en") and n >= 3) >= 8
    assert sum(1 for r in rows if not r["gold"]["deals"]) / len(rows) >= 0.40
    assert all(r.get("source_url", "").startswith("http") for r in rows)


def test_the_test_parts_are_the_committed_split() -> None:
    split = orjson.loads((CORPUS / "split.json").read_bytes())
    test = {r["id"] for r in load_annotated(CORPUS / "test.jsonl")}
    fresh = {r["id"] for part in FRESH for r in load_annotated(CORPUS / part)}
    train = {r["id"] for part in TRAIN for r in load_annotated(CORPUS / part)}
    assert test == set(split["test"]) and fresh == set(split["fresh"]["test"])
    assert train == set(split["train"]) | set(split["fresh"]["train"])
    assert not (test | fresh) & train and not test & fresh
    assert len(test | fresh) / (len(test | fresh) + len(train)) >= 0.30


# Floors: the issue's targets where the shipped model meets them (the seen part's P 0.92,
# R 0.90, DE and EN R 0.88; the fresh part's R 0.90, DE and EN R 0.88; roles 0.90), else its
# figures less a margin. Seen part (142): P 0.922, R 0.947, DE R 0.947, EN R 0.957, roles
# 0.942; fresh part (1,061): P 0.835, R 0.909, DE R 0.917, EN R 0.909, roles 0.967.
FLOORS = {
    ("test.jsonl",): {
        "article_precision": 0.92,
        "article_recall": 0.90,
        "article_recall_de": 0.88,
        "article_recall_en": 0.88,
        "role_accuracy": 0.90,
    },
    FRESH: {
        "article_precision": 0.83,
        "article_recall": 0.90,
        "article_recall_de": 0.88,
        "article_recall_en": 0.88,
        "role_accuracy": 0.90,
    },
}


@pytest.mark.parametrize("part", sorted(FLOORS), ids=lambda part: "+".join(part))
def test_test_part_figures_do_not_fall(enricher: Enricher, part: tuple[str, ...]) -> None:
    paths = [CORPUS / name for name in part]
    summary = evaluate(paths, sentences=None, enricher=enricher).summary()
    for figure, floor in FLOORS[part].items():
        assert summary[figure] >= floor, (figure, summary)
