"""Scoring the German NER pipeline on GermEval sentences (exact spans per label)."""

import spacy

from streams.training.german_ner import score
from streams.training.germeval import Sentence


def test_score_counts_exact_spans_per_label() -> None:
    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [{"label": "LOC", "pattern": "Berlin"}, {"label": "PER", "pattern": "liegt"}]
    )
    result = score(nlp, [Sentence("x", 0, ("Berlin", "liegt"), ("B-LOC", "O"))]).as_dict()
    assert result["per_label"]["LOC"] == {"tp": 1, "fp": 0, "fn": 0, "p": 1.0, "r": 1.0, "f": 1.0}
    assert result["per_label"]["PER"]["fp"] == 1
    assert result["micro_per_loc_org"]["p"] == 0.5
