"""Hand-made ``compute-partnerships`` reports for the ledger's tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from streams.contracts import COMPUTE_PARTNERSHIP, violations

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PROVIDER = {"id": "google-cloud", "name": "Google Cloud"}
CUSTOMER = {"id": "openai", "name": "OpenAI"}


def usd(billions: float, text: str | None = None) -> dict[str, Any]:
    return {"amount": billions * 1e9, "currency": "USD", "text": text or f"${billions} billion"}


def report(
    article_id: str,
    day: float = 0,
    *,
    score: float = 0.9,
    language: str = "en",
    status: str = "signed",
    value: dict[str, Any] | None = None,
    capacity: dict[str, Any] | None = None,
    duration: dict[str, Any] | None = None,
    resources: tuple[str, ...] = ("cloud",),
    url: str | None = None,
    provider: dict[str, Any] = PROVIDER,
    customer: dict[str, Any] = CUSTOMER,
) -> dict[str, Any]:
    """A compute-partnerships record as ``partnership_events`` writes it."""
    published = (START + timedelta(days=day)).isoformat().replace("+00:00", "Z")
    key = f"{provider['id'] or provider['name']}|{customer['id'] or customer['name']}"
    event: dict[str, Any] = {
        "schema_version": 1,
        "key": key,
        "article_id": article_id,
        "detected_at": "2026-11-26T10:00:00.000+00:00",
        "score": score,
        "language": language,
        "title": f"Report {article_id}",
        "published_at": published,
        "deal": {
            "provider": dict(provider),
            "customer": dict(customer),
            "resources": list(resources),
            "status": status,
            "value": value,
            "capacity": capacity,
            "duration": duration,
            "evidence": [{"field": "title", "text": f"Report {article_id}", "start": 0, "end": 9}],
        },
    }
    if url is not None:
        event["url"] = url
    assert list(violations(COMPUTE_PARTNERSHIP, event)) == []
    return event


# One deal reported in two languages (raw articles written for the tests).
GERMAN_AND_ENGLISH = [
    {
        "id": "ledger-de-aws",
        "published_at": "2026-03-02T08:15:00Z",
        "url": "https://www.beispielkurier.example/anthropic-aws",
        "title": "Anthropic mietet zusätzliche Rechenkapazität bei Amazon Web Services",
        "text": "Das KI-Start-up Anthropic hat mit Amazon Web Services einen mehrjährigen "
        "Vertrag über zusätzliche Rechenkapazität unterzeichnet. Nach Angaben beider Firmen "
        "geht es um rund 8 Milliarden US-Dollar über fünf Jahre.",
    },
    {
        "id": "ledger-en-aws",
        "published_at": "2026-03-02T15:40:00Z",
        "url": "https://wire.example/anthropic-aws",
        "title": "Anthropic signs $8 billion cloud deal with Amazon Web Services",
        "text": "Anthropic has signed a five-year agreement with Amazon Web Services for "
        "additional computing capacity worth about $8 billion, the companies said. "
        "Anthropic will train its models on AWS Trainium chips.",
    },
]
