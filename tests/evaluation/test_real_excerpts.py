"""The labels of the real excerpts (``eval/real_excerpts/``): they obey their schema, and no
corpus article was written from a held-out excerpt's page (which would make it no outside
test; the analysis part shares 69 pages with the corpus, its README says so)."""

from pathlib import Path

import orjson

from streams.contracts import REAL_EXCERPT_LABEL, violations
from streams.evaluation.runner import load_annotated

EVAL = Path(__file__).resolve().parents[2] / "eval"


def labels() -> list[dict[str, object]]:
    lines = (EVAL / "real_excerpts" / "labels.jsonl").read_bytes().splitlines()
    return [orjson.loads(line) for line in lines if line.strip()]


def test_every_label_obeys_its_schema() -> None:
    rows = labels()
    assert len(rows) >= 250
    assert {row["id"]: list(violations(REAL_EXCERPT_LABEL, row)) for row in rows} == {
        row["id"]: [] for row in rows
    }


def test_no_corpus_article_was_written_from_a_held_out_excerpt_s_page() -> None:
    pages = {row["source_url"] for row in labels() if row["part"] == "held_out"}
    corpus = {
        row.get("source_url")
        for path in sorted((EVAL / "corpus").glob("*.jsonl"))
        for row in load_annotated(path)
    }
    assert pages & corpus == set()
