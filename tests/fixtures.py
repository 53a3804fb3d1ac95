"""Test articles written for this project (not taken from any publication)."""

from __future__ import annotations

import itertools
from typing import Any

# (language, title, text, provider, customer) — {p} provider, {c} customer.
POSITIVE_TEMPLATES = [
    (
        "de",
        "{c} mietet Rechenleistung bei {p}",
        "{c} hat mit {p} einen Vertrag über zusätzliche Rechenkapazität unterzeichnet. Der Auftrag hat "
        "einen Wert von 4 Milliarden Dollar und läuft drei Jahre. Die Server stehen in mehreren "
        "Rechenzentren in Europa.",
    ),
    (
        "de",
        "{p} liefert GPU-Kapazität an {c}",
        "Der Anbieter {p} stellt {c} in den kommenden Jahren Zehntausende Grafikprozessoren zur "
        "Verfügung. Beide Firmen sprachen von einer langfristigen Partnerschaft.",
    ),
    (
        "en",
        "{c} signs cloud deal with {p}",
        "{c} has signed a $2.5 billion agreement to rent GPU capacity from {p} over five years, the "
        "companies said on Thursday. The capacity will sit in data centers in Texas.",
    ),
    (
        "en",
        "{p} to supply compute to {c}",
        "{p} will provide {c} with 50,000 GPUs under a new multi-year contract. Financial terms were "
        "not disclosed.",
    ),
    (
        "fr",
        "{c} loue des GPU auprès de {p}",
        "{c} a signé un contrat avec {p} pour louer de la capacité de calcul dans un centre de données "
        "près de Lyon. L'accord porte sur 1 milliard d'euros.",
    ),
    (
        "es",
        "{p} suministrará capacidad de cómputo a {c}",
        "{p} suministrará a {c} capacidad de cómputo en la nube durante cuatro años, según un "
        "comunicado publicado el martes.",
    ),
]

NEGATIVE_TEMPLATES = [
    (
        "de",
        "{c} sammelt Geld ein",
        "{c} hat in einer Finanzierungsrunde 600 Millionen Euro eingesammelt. Die Bewertung liegt nun "
        "bei sechs Milliarden Euro. Das Geld soll in Forschung und neue Mitarbeiter fließen.",
    ),
    (
        "en",
        "{c} releases a new model",
        "{c} released a new language model on Tuesday that it says writes better code. The model is "
        "available to paying users from today.",
    ),
    (
        "it",
        "{c} apre un nuovo ufficio a Milano",
        "La società {c} ha aperto un nuovo ufficio a Milano con cinquanta dipendenti. L'azienda "
        "prevede di assumere altri ingegneri entro la fine dell'anno.",
    ),
    (
        "pt",
        "{c} anuncia resultados trimestrais",
        "A empresa {c} anunciou resultados trimestrais acima das expectativas dos analistas, com "
        "receitas em forte crescimento no mercado europeu.",
    ),
]

# (name as written, knowledge-base id)
PROVIDERS = [
    ("CoreWeave", "coreweave"),
    ("Oracle", "oracle"),
    ("Google Cloud", "google-cloud"),
    ("Microsoft", "microsoft"),
    ("Nebius", "nebius"),
    ("Amazon Web Services", "aws"),
    ("Crusoe", "crusoe"),
    ("Lambda Labs", "lambda"),
]
CUSTOMERS = [
    ("OpenAI", "openai"),
    ("Anthropic", "anthropic"),
    ("Mistral AI", "mistral-ai"),
    ("xAI", "xai"),
    ("Cohere", "cohere"),
    ("Aleph Alpha", "aleph-alpha"),
    ("Perplexity", "perplexity"),
    ("DeepL", "deepl"),
]


def without_expectations(article: dict[str, Any]) -> dict[str, Any]:
    """The article as the raw topic carries it: without the generator's ``expected_*`` keys."""
    return {k: v for k, v in article.items() if not k.startswith("expected_")}


def generated_articles(n: int) -> list[dict[str, Any]]:
    """``n`` valid articles, about half positives, cycling languages and companies.

    ``expected_deal`` is (provider id, customer id) for positives, None for negatives."""
    pairs = itertools.cycle(itertools.product(PROVIDERS, CUSTOMERS))
    out = []
    for i in range(n):
        provider, customer = next(pairs)
        templates = POSITIVE_TEMPLATES if i % 2 == 0 else NEGATIVE_TEMPLATES
        lang, title, text = templates[(i // 2) % len(templates)]
        out.append(
            {
                "id": f"gen-{i:05d}",
                "title": title.format(p=provider[0], c=customer[0]),
                "text": text.format(p=provider[0], c=customer[0]),
                "source": "test-fixtures",
                "published_at": "2026-06-01T12:00:00Z",
                "expected_lang": lang,
                "expected_deal": (provider[1], customer[1])
                if templates is POSITIVE_TEMPLATES
                else None,
            }
        )
    return out


MALFORMED: list[bytes] = [
    b"this is not json",
    b'{"text": ""}',
    b'{"title": "no text"}',
    b'{"text": 42}',
    b"[1, 2, 3]",
    b'{"text": "bad date", "published_at": "yesterday"}',
    b"\xff\xfe\x00garbage",
    b'{"text": "unknown version", "schema_version": 7}',
    b'{"text": "   "}',
    b'{"text": "nul \\u0000 inside"}',
    b"[" * 5000 + b"]" * 5000,
    b'{"text": "' + b"x" * 300_000 + b'"}',
]


def endless_sentence(article_id: str, n_chars: int) -> dict[str, Any]:
    """A hostile article: one sentence of ``n_chars`` characters naming companies over and
    over, with deal words in between (the shape that once took time quadratic in its length)."""
    words = ["rents", "GPU", "capacity", "from", "and", "cloud", "compute", "with", "deal"]
    names = [name for name, _ in PROVIDERS + CUSTOMERS]
    parts: list[str] = []
    size = 0
    for i in itertools.count():
        part = names[i % len(names)] if i % 3 == 0 else words[i % len(words)]
        parts.append(part)
        size += len(part) + 1
        if size >= n_chars:
            break
    return {"id": article_id, "title": "Endless", "text": " ".join(parts)}
