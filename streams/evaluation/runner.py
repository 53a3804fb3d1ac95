"""``newsenrich eval``: run the real Enricher over annotated files and report the scores."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from streams.contracts import ANNOTATED_ARTICLE, violations
from streams.enrich import Enricher
from streams.evaluation.entities import entity_errors, score_entities
from streams.evaluation.language_corpus import samples, score_detector
from streams.evaluation.metrics import Counts
from streams.evaluation.partnerships import DealScore, score_deals
from streams.language import detect_language
from streams.outcomes import Enriched
from streams.procstats import memory_mb

REPO_EVAL = Path(__file__).resolve().parent.parent.parent / "eval"
DEV_SET = REPO_EVAL / "dev_set.jsonl"
LANGUAGE_SENTENCES = REPO_EVAL / "language_sentences.json"
# The languages whose pipelines a typical worker preloads; their memory is reported separately.
WORKER_LANGUAGES = ("en", "de")


class AnnotationError(ValueError):
    """An annotated file line that does not follow the annotation schema."""


def load_annotated(path: Path) -> list[dict[str, Any]]:
    """Annotated articles of a JSON Lines file, each checked against the annotation schema."""
    rows = []
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        row = orjson.loads(line)
        problems = list(violations(ANNOTATED_ARTICLE, row))
        if problems:
            raise AnnotationError(f"{path}:{number}: {'; '.join(problems)}")
        rows.append(row)
    return rows


@dataclass
class Report:
    """Everything ``newsenrich eval`` measured, as plain data."""

    articles: int = 0
    language_right: int = 0
    entities: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    entities_by_language: dict[str, dict[str, Counts]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counts))
    )
    partnerships: DealScore = field(default_factory=DealScore)
    partnerships_by_language: dict[str, DealScore] = field(
        default_factory=lambda: defaultdict(DealScore)
    )
    errors: dict[str, list[str]] = field(default_factory=dict)
    memory: dict[str, Any] = field(default_factory=dict)
    language_corpus: dict[str, Any] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The headline figures, one flat JSON object."""
        org, deals = self.entities["ORG"], self.partnerships.as_dict()
        return {
            "articles": self.articles,
            "language_accuracy": round(self.language_right / max(self.articles, 1), 4),
            "langid_long_accuracy": self.language_corpus.get("long_accuracy"),
            "langid_languages": self.language_corpus.get("languages"),
            "org_precision": round(org.precision, 4),
            "org_recall": round(org.recall, 4),
            "deal_precision": deals["deals"]["precision"],
            "deal_recall": deals["deals"]["recall"],
            "deal_f1": deals["deals"]["f1"],
            "article_precision": deals["articles"]["precision"],
            "article_recall": deals["articles"]["recall"],
            "article_f1": deals["articles"]["f1"],
            **{
                f"article_recall_{lang}": score.as_dict()["articles"]["recall"]
                for lang, score in sorted(self.partnerships_by_language.items())
                if lang in ("de", "en")
            },
            "role_accuracy": deals["role_accuracy"],
            "value_accuracy": deals["value_accuracy"],
            "brier": deals["brier"],
            **self.memory,
        }


def evaluate(
    dev_set: Path | Sequence[Path] = DEV_SET,
    sentences: Path | None = LANGUAGE_SENTENCES,
    enricher: Enricher | None = None,
) -> Report:
    """Score language, entities and partnerships on one annotated file or several pooled;
    measure memory with en+de loaded."""
    report = Report()
    if sentences is not None:
        corpus = samples(sentences)
        report.language_corpus = score_detector(lambda t: detect_language(t).code, corpus)
    paths = [dev_set] if isinstance(dev_set, Path) else list(dev_set)
    rows = [row for path in paths for row in load_annotated(path)]
    enricher = enricher or Enricher(preload=WORKER_LANGUAGES)
    # Worker languages first, so the peak after them is what an en+de worker needs.
    first = [r for r in rows if r["gold"]["language"] in WORKER_LANGUAGES]
    rest = [r for r in rows if r["gold"]["language"] not in WORKER_LANGUAGES]
    _score_rows(report, enricher, first)
    report.memory["peak_rss_mb_en_de"] = memory_mb(os.getpid(), "VmHWM")
    _score_rows(report, enricher, rest)
    report.memory["peak_rss_mb_all"] = memory_mb(os.getpid(), "VmHWM")
    report.models = enricher.registry.loaded()
    return report


def _score_rows(report: Report, enricher: Enricher, rows: list[dict[str, Any]]) -> None:
    # The gold annotation and any language hint stay out of what the Enricher sees.
    articles = [{k: r[k] for k in ("id", "title", "text")} for r in rows]
    for row, outcome in zip(rows, enricher.enrich_batch(articles), strict=True):
        gold, errors = row["gold"], []
        report.articles += 1
        if not isinstance(outcome, Enriched):
            raise RuntimeError(f"{row['id']}: enrichment failed: {outcome.error}")
        record = outcome.record
        got = record["language"]["code"]
        report.language_right += got == gold["language"]
        if got != gold["language"]:
            errors.append(f"language {got}, want {gold['language']}")
        for label, counts in score_entities(record, gold).items():
            report.entities[label].add(counts)
            report.entities_by_language[gold["language"]][label].add(counts)
        errors += entity_errors(record, gold)
        deal_score, deal_errors = score_deals(
            record["compute_partnership"], gold["deals"], enricher.kb.lineage
        )
        report.partnerships.add(deal_score)
        report.partnerships_by_language[gold["language"]].add(deal_score)
        errors += deal_errors
        if errors:
            report.errors[row["id"]] = errors


def print_report(report: Report, out: IO[str], show_errors: bool) -> None:
    """A readable table, then the summary as the last line (one JSON object)."""
    corpus = report.language_corpus
    if corpus:
        print(
            f"language ID corpus: {corpus['languages']} languages, "
            f"long {corpus['long_accuracy']:.2%} of {corpus['long_samples']}, "
            f"short {corpus['short_accuracy']:.2%} of {corpus['short_samples']}, "
            f"{corpus['us_per_text']} µs/text",
            file=out,
        )
    print(f"annotated set: {report.articles} articles; models {report.models}", file=out)
    print(f"{'label':<10}{'lang':<6}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}", file=out)
    rows = [("all", report.entities), *sorted(report.entities_by_language.items())]
    for lang, by_label in rows:
        for label, c in sorted(by_label.items()):
            print(
                f"{label:<10}{lang:<6}{c.tp:>5}{c.fp:>5}{c.fn:>5}"
                f"{c.precision:>8.3f}{c.recall:>8.3f}",
                file=out,
            )
    deals = report.partnerships.as_dict()
    print(f"partnership deals: {deals['deals']}", file=out)
    print(f"partnership articles: {deals['articles']}", file=out)
    for lang, score in sorted(report.partnerships_by_language.items()):
        by_lang = score.as_dict()
        print(
            f"  {lang}: articles {by_lang['articles']}, role accuracy {by_lang['role_accuracy']}",
            file=out,
        )
    print(
        f"role accuracy {deals['role_accuracy']}, value accuracy {deals['value_accuracy']} "
        f"({deals['values_stated']} stated), resource recall {deals['resource_recall']}, "
        f"Brier {deals['brier']}",
        file=out,
    )
    for row in deals["calibration"]:
        print(f"  calibration {row}", file=out)
    print(f"memory: {report.memory}", file=out)
    if show_errors:
        for article_id, errors in report.errors.items():
            print(f"{article_id}: {'; '.join(errors)}", file=out)
    print(orjson.dumps(report.summary()).decode(), file=out)
