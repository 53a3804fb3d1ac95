"""The core on whole articles: contract, seed-like German article, isolation of failures."""

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.contracts import ENRICHED_ARTICLE, violations
from streams.enrich import Enricher
from streams.outcomes import Enriched, Failed

# Written for this project in the style of the seed article (not copied from it).
GERMAN_DEAL = {
    "id": "de-openai-google",
    "title": "OpenAI holt sich zusätzliche Rechenleistung bei Google",
    "text": (
        "Der ChatGPT-Entwickler OpenAI bezieht künftig Rechenkapazität aus der Google Cloud. "
        "Damit greift das von Microsoft unterstützte Unternehmen auf Server eines direkten "
        "Konkurrenten zurück. Zuletzt hatte OpenAI-Chef Sam Altman eingeräumt, dass die "
        "eigenen Grafikprozessoren für die Nachfrage nicht ausreichen. Über den Cloud-Vertrag "
        "kann OpenAI nun zusätzliche Rechenzentren von Google Cloud nutzen."
    ),
}


def test_german_seed_like_article(enricher: Enricher) -> None:
    [outcome] = enricher.enrich_batch([GERMAN_DEAL])
    assert isinstance(outcome, Enriched)
    record = outcome.record
    assert record["language"]["code"] == "de"
    orgs = {o["id"] for o in record["organisations"]}
    assert {"openai", "google-cloud", "microsoft"} <= orgs
    part = record["compute_partnership"]
    assert part["detected"] and part["score"] >= 0.5
    [deal] = part["deals"]
    assert deal["provider"]["id"] in {"google", "google-cloud"}
    assert deal["customer"]["id"] == "openai"
    assert "cloud" in deal["resources"]
    for ev in deal["evidence"]:
        source = record["title"] if ev["field"] == "title" else record["text"]
        assert source[ev["start"] : ev["end"]] == ev["text"]
    assert list(violations(ENRICHED_ARTICLE, record)) == []


def test_fallback_is_visible_in_provenance(enricher: Enricher) -> None:
    [outcome] = enricher.enrich_batch(
        [
            {
                "id": "it",
                "text": "Il comune di Bologna ha presentato un nuovo piano per le biciclette e i trasporti pubblici.",
            }
        ]
    )
    assert isinstance(outcome, Enriched)
    assert outcome.record["language"]["code"] == "it"
    assert outcome.record["provenance"]["fallback"] is True
    assert outcome.record["provenance"]["model"].startswith("blank:")


def test_one_failing_article_does_not_fail_its_batch(
    enricher: Enricher, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = enricher._record

    def flaky(article: dict[str, Any], *args: Any) -> dict[str, Any]:
        if article["id"] == "poison":
            raise RuntimeError("model exploded")
        return original(article, *args)

    monkeypatch.setattr(enricher, "_record", flaky)
    batch = [
        {"id": f"ok-{i}", "text": "Nvidia reported strong demand for its chips this quarter."}
        for i in range(3)
    ]
    batch.insert(
        1, {"id": "poison", "text": "Nvidia reported strong demand for its chips this quarter."}
    )
    outcomes = enricher.enrich_batch(batch)
    assert [type(o) for o in outcomes] == [Enriched, Failed, Enriched, Enriched]
    assert isinstance(outcomes[1], Failed) and "model exploded" in outcomes[1].error


words = st.sampled_from(
    [
        "OpenAI",
        "Google",
        "Google Cloud",
        "Googles",
        "Meta",
        "Oracle",
        "mietet",
        "GPUs",
        "bei",
        "the",
        "deal",
        "Microsoft's",
        "X",
        "Apple",
        "H100",
        "-",
        "Rechenzentrum",
        "d'OpenAI",
        "und",
        ".",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(words, st.text(min_size=1, max_size=8)), min_size=1, max_size=40))
def test_entity_offsets_are_exact(enricher: Enricher, tokens: list[str]) -> None:
    text = " ".join(tokens)
    if not text.strip():
        return
    [outcome] = enricher.enrich_batch([{"id": "h", "text": text, "title": text[:50]}])
    assert isinstance(outcome, Enriched)
    record = outcome.record
    for entity in record["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    for entity in record["title_entities"]:
        assert record["title"][entity["start"] : entity["end"]] == entity["text"]


SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_647ef56bc6f5089d.txt"


@pytest.mark.skipif(not SEED.is_file(), reason="the seed lives in the steering repo's shared/")
def test_the_seed_article_reports_exactly_one_deal(enricher: Enricher) -> None:
    """The canonical example: OpenAI rents compute from Google Cloud; Amazon and Microsoft are
    named only as a comparison ("Wie Amazon und Microsoft betreibt Google ...")."""
    title, _, text = SEED.read_text(encoding="utf-8").strip().partition("\n")
    [outcome] = enricher.enrich_batch([{"id": "seed", "title": title, "text": text}])
    assert isinstance(outcome, Enriched)
    deals = outcome.record["compute_partnership"]["deals"]
    assert [(d["provider"]["id"], d["customer"]["id"]) for d in deals] == [
        ("google-cloud", "openai")
    ]
