"""A generated benchmark corpus: long news-style articles in German and English.

Articles are 300 to 1,500 words, built from sentence patterns written for this benchmark, with
company names drawn from the knowledge base; about a third report a compute deal. Deterministic
for a given seed, so runs compare.
"""

from __future__ import annotations

import random
from typing import Any

from streams.knowledge import default_knowledge_base

PROVIDER_TYPES = {"hyperscaler", "gpu_cloud", "cloud_provider", "datacenter_operator"}
CUSTOMER_TYPES = {"ai_lab", "enterprise", "tech_company"}

FILLER = {
    "en": [
        "Analysts said demand for training capacity kept rising across the industry this quarter.",
        "{a} hired hundreds of engineers last year and plans to open an office in {city}.",
        "The company did not comment on its plans for the next generation of its products.",
        "Investors have watched spending on artificial intelligence closely since the spring.",
        "Energy prices in {city} remain a concern for operators of large facilities.",
        "Several start-ups compete for the same pool of specialists, which drives up salaries.",
        "{a} reported higher revenue and said customers were moving more workloads online.",
        "Regulators in Europe are preparing new rules on how models may be trained and deployed.",
        "A spokesperson for {b} declined to give details about the timeline.",
        "The market for servers grew faster than expected, according to an industry survey.",
    ],
    "de": [
        "Nach Einschätzung von Fachleuten wächst der Bedarf an Trainingskapazität weiter stark.",
        "{a} hat im vergangenen Jahr Hunderte Fachkräfte eingestellt und plant ein Büro in {city}.",
        "Zu den Plänen für die nächste Produktgeneration äußerte sich das Unternehmen nicht.",
        "Anleger verfolgen die Ausgaben für künstliche Intelligenz seit dem Frühjahr genau.",
        "Die Strompreise in {city} bleiben für Betreiber großer Anlagen ein Thema.",
        "Viele junge Firmen werben um dieselben Spezialisten, was die Gehälter steigen lässt.",
        "{a} meldete mehr Umsatz und erklärte, Kunden verlagerten mehr Anwendungen ins Netz.",
        "In Europa bereiten die Behörden neue Regeln für das Training von Modellen vor.",
        "Ein Sprecher von {b} wollte sich zum Zeitplan nicht äußern.",
        "Der Markt für Server wuchs laut einer Branchenumfrage schneller als erwartet.",
    ],
}
DEALS = {
    "en": [
        "{c} has signed a multi-year agreement to rent GPU capacity from {p}, worth ${n}bn.",
        "{p} will provide {c} with computing capacity in its data centres for {y} years.",
    ],
    "de": [
        "{c} mietet für {n} Milliarden Dollar zusätzliche Rechenkapazität bei {p}.",
        "{p} stellt {c} über {y} Jahre Grafikprozessoren in seinen Rechenzentren bereit.",
    ],
}
TITLES = {
    "en": ["{a} and the race for capacity", "What {a} plans next", "{c} turns to {p} for compute"],
    "de": ["{a} und das Rennen um Kapazität", "Was {a} vorhat", "{c} setzt auf {p}"],
}
CITIES = ["Frankfurt", "Dublin", "Austin", "Paris", "Madrid", "Stockholm", "Munich", "Lisbon"]


def corpus(
    n: int, seed: int = 7, min_words: int = 300, max_words: int = 1500
) -> list[dict[str, Any]]:
    """``n`` articles (half German, half English) with ids ``bench-<i>``."""
    rng = random.Random(seed)
    kb = default_knowledge_base()
    orgs = [e for e in kb if e.kind == "organisation"]
    providers = [e.name for e in orgs if e.type in PROVIDER_TYPES]
    customers = [e.name for e in orgs if e.type in CUSTOMER_TYPES]
    names = [e.name for e in orgs]
    articles = []
    for i in range(n):
        lang = "de" if i % 2 else "en"
        deal = rng.random() < 1 / 3
        slots = {
            "a": rng.choice(names),
            "b": rng.choice(names),
            "p": rng.choice(providers),
            "c": rng.choice(customers),
            "n": rng.randint(1, 40),
            "y": rng.randint(2, 9),
        }
        target = rng.randint(min_words, max_words)
        sentences: list[str] = []
        if deal:
            sentences.append(rng.choice(DEALS[lang]).format(**slots))
        while sum(len(s.split()) for s in sentences) < target:
            slots["city"] = rng.choice(CITIES)
            slots["a"], slots["b"] = rng.choice(names), rng.choice(names)
            sentences.append(rng.choice(FILLER[lang]).format(**slots))
        paragraphs = [" ".join(sentences[j : j + 5]) for j in range(0, len(sentences), 5)]
        title = rng.choice(TITLES[lang][2:] if deal else TITLES[lang][:2]).format(**slots)
        articles.append({"id": f"bench-{i}", "title": title, "text": "\n\n".join(paragraphs)})
    return articles


def words(articles: list[dict[str, Any]]) -> int:
    """Words in titles and texts."""
    return sum(len(a["title"].split()) + len(a["text"].split()) for a in articles)
