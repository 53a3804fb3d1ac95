"""GermEval 2014 conversion and the split of the German NER recipe, on hand-made lines."""

from pathlib import Path

import pytest
import spacy

from streams.training.germeval import (
    HELDOUT_SENTENCES,
    Sentence,
    entity_spans,
    german_quotes,
    read_germeval,
    spaces_after,
    split_corpus,
    to_doc,
)

GERMEVAL = (
    "#\thttp://de.wikipedia.org/wiki/Beispiel\t[2009-08-13]\n"
    "1\tDie\tO\tO\n"
    "2\tUniversität\tB-ORG\tO\n"
    "3\tHamburg\tI-ORG\tB-LOC\n"
    "4\tlud\tO\tO\n"
    "5\tAngela\tB-PER\tO\n"
    "6\tMerkel\tI-PER\tO\n"
    "7\t(\tO\tO\n"
    "8\tCDU\tB-ORG\tO\n"
    "9\t)\tO\tO\n"
    "10\tzum\tO\tO\n"
    "11\tdeutschen\tB-LOCderiv\tO\n"
    "12\tEU-Gipfel\tB-ORGpart\tO\n"
    '13\t"\tO\tO\n'
    "14\tEcce\tB-OTH\tO\n"
    "15\thomo\tI-OTH\tO\n"
    '16\t"\tO\tO\n'
    "17\t.\tO\tO\n"
    "\n"
    "#\thttp://www.example.org/\t[2010-01-01]\n"
    "1\tBerlin\tB-LOC\tO\t\n"
    "2\tliegt\tO\tO\n"
    "\n"
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    (tmp_path / "NER-de-test.tsv").write_text(GERMEVAL, encoding="utf-8")
    (tmp_path / "NER-de-dev.tsv").write_text(GERMEVAL * 800, encoding="utf-8")
    return tmp_path


def test_reads_sentences_with_outer_tags(data_dir: Path) -> None:
    first, second = read_germeval(data_dir / "NER-de-test.tsv")
    assert first.words[:3] == ("Die", "Universität", "Hamburg")
    assert first.tags[2] == "I-ORG"  # the outer level, not the nested B-LOC
    assert second == Sentence("NER-de-test.tsv", 1, ("Berlin", "liegt"), ("B-LOC", "O"))


def test_labels_map_to_per_loc_org_misc_and_deriv_part_are_dropped(data_dir: Path) -> None:
    first, _ = read_germeval(data_dir / "NER-de-test.tsv")
    assert entity_spans(first.tags) == [
        (1, 3, "ORG"),
        (4, 6, "PER"),
        (7, 8, "ORG"),
        (13, 15, "MISC"),
    ]


def test_a_place_adjective_before_a_noun_is_a_place_a_demonym_is_not() -> None:
    words = ["Der", "Münchner", "Konzern", "schlug", "die", "Franzosen", "."]
    tags = ["O", "B-LOCderiv", "O", "O", "O", "B-LOCderiv", "O"]
    assert entity_spans(tags, words) == [(1, 2, "LOC")]
    assert entity_spans(tags) == []


def test_an_i_tag_without_its_b_starts_an_entity() -> None:
    assert entity_spans(["O", "I-PER", "I-PER", "B-LOCpart", "I-LOC"]) == [
        (1, 3, "PER"),
        (4, 5, "LOC"),
    ]


def test_text_reads_like_the_original(data_dir: Path) -> None:
    first, _ = read_germeval(data_dir / "NER-de-test.tsv")
    doc = to_doc(spacy.blank("de"), first)
    assert doc.text == (
        'Die Universität Hamburg lud Angela Merkel (CDU) zum deutschen EU-Gipfel "Ecce homo".'
    )
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Universität Hamburg", "ORG"),
        ("Angela Merkel", "PER"),
        ("CDU", "ORG"),
        ("Ecce homo", "MISC"),
    ]
    assert spaces_after(["a", ",", "b", "."]) == [False, True, False, False]
    assert german_quotes(['"', "x", '"', '"', "y", '"']) == ["„", "x", "“", "„", "y", "“"]


def test_split_holds_out_the_first_dev_sentences(data_dir: Path) -> None:
    split = split_corpus(data_dir, news=10)
    assert len(split.heldout) == HELDOUT_SENTENCES
    assert [s.number for s in split.heldout] == list(range(HELDOUT_SENTENCES))
    assert {s.source for s in split.heldout} == {"NER-de-dev.tsv"}
    assert [s.number for s in split.tune] == list(range(HELDOUT_SENTENCES, 1600))
    assert {s.source for s in split.train} == {"NER-de-test.tsv", "news_sentences"}
    assert len(split.train) == 2 + 10
