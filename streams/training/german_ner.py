"""Train the shipped German NER pipeline from GermEval 2014 — one command, data path as argument.

```
.venv/bin/python -m streams.training.german_ner /path/to/germeval2014 --output /tmp/de_ner --install
```

reads ``NER-de-dev.tsv`` and ``NER-de-test.tsv`` from the given folder (never copied into the
repository), converts them to spaCy's binary corpus format, trains with
``training/de_ner/config.cfg`` (needs the ``train`` extra: the German word clusters of
``spacy-lookups-data``, see ``streams/models/cluster_embed.py``), scores the held-out sentences
and, with ``--install``, writes the pipeline into ``streams/models/de_newsenrich_ner/`` with its
figures in ``meta.json``. ``--score tune`` scores the tune sentences instead, to compare variants
without looking at the held-out ones.

The GermEval corpus, its labels and its fixed split: ``streams.training.germeval``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from streams.models import cluster_embed  # noqa: F401  (registers the embedding architecture)
from streams.training.germeval import Sentence, split_corpus, to_doc, write_corpus

REPO = Path(__file__).resolve().parent.parent.parent
CONFIG = REPO / "training" / "de_ner" / "config.cfg"
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "de_newsenrich_ner"
MODEL_NAME = "newsenrich_ner"  # spaCy meta name; with lang "de" the package is de_newsenrich_ner
MODEL_VERSION = "0.1.0"

SWAPS = 0  # mention-swapped copies of the training sentences
NEWS_SENTENCES = 1200  # written sentences added to training (streams/training/news_sentences.py)
SCORED_LABELS = ("PER", "LOC", "ORG")


@dataclass
class LabelCounts:
    """Exact-match span counts for one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def as_dict(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "p": round(p, 4),
            "r": round(r, 4),
            "f": round(f, 4),
        }


@dataclass
class Scores:
    """Held-out figures: per label, micro over PER/LOC/ORG, micro over all, speed."""

    per_label: dict[str, LabelCounts] = field(default_factory=dict)
    sentences: int = 0
    words: int = 0
    seconds: float = 0.0

    def micro(self, labels: Iterable[str]) -> dict[str, float | int]:
        total = LabelCounts()
        for label in labels:
            counts = self.per_label.get(label, LabelCounts())
            total.tp, total.fp, total.fn = (
                total.tp + counts.tp,
                total.fp + counts.fp,
                total.fn + counts.fn,
            )
        return total.as_dict()

    def as_dict(self) -> dict[str, Any]:
        return {
            "sentences": self.sentences,
            "words": self.words,
            "per_label": {k: v.as_dict() for k, v in sorted(self.per_label.items())},
            "micro_per_loc_org": self.micro(SCORED_LABELS),
            "micro_all": self.micro(self.per_label),
            "words_per_second_nlp_pipe": round(self.words / self.seconds) if self.seconds else 0,
        }


def train(config: Path, corpus: dict[str, Path], output: Path, overrides: dict[str, Any]) -> Path:
    """Run ``spacy train`` with the config; returns the best checkpoint (scored on tune)."""
    from spacy.cli.train import train as spacy_train

    settings = {"paths.train": str(corpus["train"]), "paths.dev": str(corpus["tune"]), **overrides}
    spacy_train(config, output, use_gpu=-1, overrides=settings)
    return output / "model-best"


def score(nlp: Language, sentences: Sequence[Sentence]) -> Scores:
    """Exact-match span P/R/F per label of ``nlp`` on the sentences, and ``nlp.pipe``'s speed.

    The pipeline tokenizes the sentence text itself, as it does in production; a predicted span
    counts when its characters and label equal a gold span's."""
    gold_docs = [to_doc(nlp, s) for s in sentences]
    texts = [d.text for d in gold_docs]
    started = time.perf_counter()
    predicted = list(nlp.pipe(texts, batch_size=64))
    result = Scores(sentences=len(sentences), seconds=time.perf_counter() - started)
    result.words = sum(len(d) for d in predicted)
    for gold, pred in zip(gold_docs, predicted, strict=True):
        want = {(e.start_char, e.end_char, e.label_) for e in gold.ents}
        got = {(e.start_char, e.end_char, e.label_) for e in pred.ents}
        for label in {x[2] for x in want | got}:
            counts = result.per_label.setdefault(label, LabelCounts())
            counts.tp += len({x for x in want & got if x[2] == label})
            counts.fp += len({x for x in got - want if x[2] == label})
            counts.fn += len({x for x in want - got if x[2] == label})
    return result


def install(model: Path, target: Path, scores: dict[str, Any]) -> Path:
    """Write the trained pipeline as the importable package ``target`` (its ``__init__.py``
    stays): ``target/de_newsenrich_ner-<version>/`` plus ``target/meta.json``.

    Only what inference needs is written: the string store is reduced to the labels (the
    hash embeddings need no strings)."""
    nlp = spacy.load(model)
    nlp.meta.update(
        {
            "name": MODEL_NAME,
            "version": MODEL_VERSION,
            "description": "German NER (PER, LOC, ORG, MISC) trained on GermEval 2014 "
            "for newsenrich; see MODEL_CARD.md",
            "license": "CC BY 4.0 (training data); model weights under the same terms",
            "author": "newsenrich",
            "sources": [
                {
                    "name": "GermEval 2014 NER (dev and test splits)",
                    "license": "CC BY 4.0",
                    "author": "D. Benikova, C. Biemann, M. Reznicek",
                    "url": "https://sites.google.com/site/germeval2014ner/",
                },
                {
                    "name": "spacy-lookups-data 1.0.5: German Brown clusters and word "
                    "probabilities (de_lexeme_cluster, de_lexeme_prob), carried as a table in "
                    "the tok2vec weights",
                    "license": "MIT",
                    "author": "Explosion",
                    "url": "https://pypi.org/project/spacy-lookups-data/",
                },
            ],
            "performance": {"heldout": scores},
        }
    )
    data_dir = target / f"de_{MODEL_NAME}-{MODEL_VERSION}"
    for old in target.glob(f"de_{MODEL_NAME}-*"):
        shutil.rmtree(old)
    nlp.to_disk(data_dir, exclude=["vocab"])
    (data_dir / "vocab").mkdir()
    ner: Any = nlp.get_pipe("ner")
    labels = sorted(str(label) for label in ner.labels)
    (data_dir / "vocab" / "strings.json").write_text(json.dumps(labels), encoding="utf-8")
    shutil.copy(data_dir / "meta.json", target / "meta.json")
    return data_dir


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m streams.training.german_ner", description=__doc__.split("\n")[0]
    )
    parser.add_argument("data", type=Path, help="folder with NER-de-dev.tsv and NER-de-test.tsv")
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("/tmp/de_newsenrich_ner"),
        help="working folder: corpus, checkpoints, scores",
    )
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument(
        "--swaps",
        type=int,
        default=SWAPS,
        help="mention-swapped copies of each training sentence with entities (0: none)",
    )
    parser.add_argument(
        "--news-sentences",
        type=int,
        default=NEWS_SENTENCES,
        help="sentences written for this project to add to training (0: GermEval only)",
    )
    parser.add_argument(
        "--install",
        action="store_true",
        help=f"write the trained pipeline into {MODEL_DIR.relative_to(REPO)}",
    )
    parser.add_argument(
        "--score-only",
        type=Path,
        metavar="MODEL",
        help="skip training; score this pipeline on the held-out sentences",
    )
    parser.add_argument(
        "--score",
        choices=("heldout", "tune"),
        default="heldout",
        help="the sentences to score the result on: the held-out ones (the final figures), or "
        "the tune ones (to compare variants without looking at the held-out sentences)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="config override, e.g. training.max_steps=4000 (repeatable)",
    )
    args = parser.parse_args(argv)
    if args.install and args.score != "heldout":
        parser.error("--install writes the held-out figures: use it with --score heldout")

    split = split_corpus(args.data, args.news_sentences, args.swaps)
    corpus = write_corpus(split, args.output / "corpus")
    print(
        f"sentences: train {len(split.train)}, tune {len(split.tune)}, "
        f"held-out {len(split.heldout)}",
        file=sys.stderr,
    )
    if args.score_only:
        model = args.score_only
    else:
        overrides: dict[str, Any] = {}
        for item in args.set:
            key, _, value = item.partition("=")
            try:
                overrides[key] = json.loads(value)
            except json.JSONDecodeError:
                overrides[key] = value
        model = train(args.config, corpus, args.output, overrides)
    scores = score(spacy.load(model), getattr(split, args.score)).as_dict()
    (args.output / f"{args.score}_scores.json").write_text(json.dumps(scores, indent=2))
    print(json.dumps(scores, indent=2))
    if args.install:
        print(f"installed: {install(model, MODEL_DIR, scores)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
