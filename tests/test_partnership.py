"""Roles and negatives on short articles written for these tests."""

import math
from dataclasses import replace

import pytest

from streams.enrich import Enricher
from streams.outcomes import Enriched
from streams.partnership import PartnershipDetector
from streams.scoring import LogisticModel


def deals(enricher: Enricher, title: str, text: str) -> list[tuple[str | None, str | None]]:
    [outcome] = enricher.enrich_batch([{"id": "t", "title": title, "text": text}])
    assert isinstance(outcome, Enriched)
    return [
        (d["provider"]["id"], d["customer"]["id"])
        for d in outcome.record["compute_partnership"]["deals"]
    ]


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        (
            "Google gives OpenAI more computing power",
            "Google is giving OpenAI access to more TPU capacity in its data centers.",
            ("google", "openai"),
        ),
        (
            "Microsoft signs five-year deal for AI cloud capacity",
            "Microsoft committed $9.7 billion over five years to IREN for AI cloud capacity.",
            ("iren", "microsoft"),
        ),
        (
            "OpenAI mietet Rechenleistung bei Google",
            "OpenAI mietet zusätzliche Rechenleistung bei Google, teilte das Unternehmen mit.",
            ("google", "openai"),
        ),
        (
            "GPU capacity for Anthropic",
            "Additional GPU capacity will be provided by CoreWeave to Anthropic under the contract.",
            ("coreweave", "anthropic"),
        ),
        (
            "Meta setzt auf die Google Cloud",
            "Meta setzt für sein KI-Training auf die Google Cloud und bucht Rechenkapazität für sechs Jahre.",
            ("google-cloud", "meta"),
        ),
        (
            "Mistral AI loue des GPU auprès de Nebius",
            "Mistral AI a signé un contrat avec Nebius pour louer des GPU dans un centre de données.",
            ("nebius", "mistral-ai"),
        ),
    ],
)
def test_roles_whichever_way_the_sentence_runs(
    enricher: Enricher, title: str, text: str, expected: tuple[str, str]
) -> None:
    assert deals(enricher, title, text) == [expected]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Anthropic raises $5 billion",
            "Anthropic raised $5 billion in a funding round led by investors; the valuation rose to $60 billion.",
        ),
        (
            "Nvidia stellt neuen Chip vor",
            "Nvidia hat am Dienstag einen neuen Chip für Rechenzentren vorgestellt.",
        ),
        (
            "Microsoft baut eigenes Rechenzentrum",
            "Microsoft baut in Bayern ein eigenes Rechenzentrum für seine Cloud.",
        ),
        (
            "Amazon et Microsoft",
            "Comme Amazon et Microsoft, Google exploite de grands centres de données.",
        ),
    ],
)
def test_not_a_compute_deal(enricher: Enricher, title: str, text: str) -> None:
    assert deals(enricher, title, text) == []


def test_values_duration_and_capacity(enricher: Enricher) -> None:
    [outcome] = enricher.enrich_batch(
        [
            {
                "id": "v",
                "title": "OpenAI signs $38bn cloud deal with Amazon Web Services",
                "text": "OpenAI signed a seven-year agreement worth $38bn with Amazon Web Services for access to hundreds of thousands of Nvidia GPUs.",
            }
        ]
    )
    assert isinstance(outcome, Enriched)
    [deal] = outcome.record["compute_partnership"]["deals"]
    assert (deal["provider"]["id"], deal["customer"]["id"]) == ("aws", "openai")
    assert deal["value"]["amount"] == 38e9 and deal["value"]["currency"] == "USD"
    assert deal["duration"]["years"] == 7
    assert deal["status"] == "signed"


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        (  # a descriptor between marker and party: "beim Cloud-Anbieter"
            "Vertrag gekündigt",
            "Siemens hat seine Rechenkapazität beim Cloud-Anbieter Nebius gekündigt.",
            [("nebius", "siemens")],
        ),
        (  # the name only describes the next one: "Nvidia-backed"
            "Capacity for Spotify",
            "The Nvidia-backed cloud company CoreWeave will provide GPU capacity to Spotify.",
            [("coreweave", "spotify")],
        ),
        (  # a chain: the builder serves the lessor, the lessor serves the lab
            "Campus in Wyoming",
            "Vantage Data Centers builds a data-centre campus in Wyoming that Microsoft will lease to run GPU capacity for Anthropic.",
            [("microsoft", "anthropic"), ("vantage", "microsoft")],
        ),
        (  # a customer marker wins over a provider marker: "a disposición de"
            "Acuerdo de centros de datos",
            "Telefónica pondrá a disposición de Cohere espacio en sus centros de datos durante cinco años.",
            [("telefonica", "cohere")],
        ),
        (  # the title names the deal, the body what it is about
            "Le contrat de CoreWeave avec Mistral AI",
            "Le groupe fournira des GPU à la start-up pendant quatre ans.",
            [("coreweave", "mistral-ai")],
        ),
    ],
)
def test_harder_constructions(
    enricher: Enricher, title: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert sorted(deals(enricher, title, text)) == expected


def test_a_negative_title_holds_back_the_body(enricher: Enricher) -> None:
    title = "AMD to acquire server maker Sanmina unit"
    text = "AMD will buy the server business of Sanmina, which builds racks for data centres."
    assert deals(enricher, title, text) == []


def test_a_long_list_of_companies_is_not_read_as_deals(enricher: Enricher) -> None:
    names = "Nvidia, AMD, Intel, CoreWeave, Nebius, Lambda, Oracle, Google, Microsoft, Amazon, "
    text = f"GPU capacity was discussed by {names * 3}and OpenAI at the summit."
    assert deals(enricher, "Summit on data centres", text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # an object-role description stands for the organisation named before
            "Die Oracle-Aktie stieg stark. Grund ist der Rechenzentrumsvertrag mit OpenAI, der dem "
            "Softwarehaus rund 300 Milliarden Dollar einbringen soll.",
            [("oracle", "openai")],
        ),
        (
            "Microsoft reported results on Tuesday. OpenAI said it would rent more GPU capacity "
            "from the cloud provider next year.",
            [("microsoft", "openai")],
        ),
        (  # as a subject it means the organisation just named: no deal
            "Microsoft reported results on Tuesday. OpenAI said the company would rent more GPU "
            "capacity next year.",
            [],
        ),
    ],
)
def test_descriptions_that_refer_back(
    enricher: Enricher, text: str, expected: list[tuple[str, str]]
) -> None:
    assert deals(enricher, "Market report", text) == expected


def _with_article_bias(enricher: Enricher, bias: float) -> PartnershipDetector:
    model = enricher.detector.model
    return enricher.detector.with_model(replace(model, article=LogisticModel(bias, {})))


def test_an_article_reporting_a_deal_without_a_pair_names_its_two_main_organisations(
    enricher: Enricher,
) -> None:
    sentences, lang = enricher.sentences(
        {
            "id": "t",
            "title": "OpenAI braucht mehr Rechenleistung",
            "text": "OpenAI hat zusätzliche Rechenkapazität gebucht. "
            "Der Vertrag läuft fünf Jahre. "
            "Google Cloud baut dafür seine Rechenzentren aus. "
            "OpenAI äußerte sich nicht.",
        }
    )
    result = _with_article_bias(enricher, 5.0).detect(sentences, lang)
    assert result["detected"]
    [deal] = result["deals"]
    assert (deal["provider"]["id"], deal["customer"]["id"]) == ("google-cloud", "openai")
    assert deal["evidence"]


def test_an_article_reporting_a_deal_with_one_nameable_party_is_detected_without_a_deal(
    enricher: Enricher,
) -> None:
    # the customer, a city, is no organisation the pipeline knows: the article model's
    # decision stands, but a deal record needs both names
    sentences, lang = enricher.sentences(
        {
            "id": "t",
            "title": "Stadt lagert Rechenzentrum aus",
            "text": "Die Verwaltung mietet künftig Rechenkapazität bei Microsoft. "
            "Der Vertrag läuft fünf Jahre.",
        }
    )
    result = _with_article_bias(enricher, 5.0).detect(sentences, lang)
    assert result["detected"] and result["deals"] == []


def test_the_article_model_decides_whether_any_deal_is_reported(enricher: Enricher) -> None:
    sentences, lang = enricher.sentences(
        {"id": "t", "title": "", "text": "OpenAI mietet Rechenleistung bei Google."}
    )
    result = _with_article_bias(enricher, -5.0).detect(sentences, lang)
    assert result == {"detected": False, "score": round(1 / (1 + math.exp(5.0)), 4), "deals": []}
