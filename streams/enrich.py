"""The functional core: raw article dicts in, enriched records out. No Kafka, no asyncio.

``Enricher.enrich_batch`` is the one entry point used by the CLI's offline mode, the Faust
worker's process pool, the evaluation and the benchmark. Articles are grouped by language and
run through ``nlp.pipe``; if a batch fails, its articles are retried one by one so that only
the article that fails is reported as failed.

Titles are analysed separately from the text: ``entities`` index into ``text`` and
``title_entities`` into ``title``; partnership evidence names the field it comes from.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from streams import __version__
from streams.articles import METADATA_FIELDS
from streams.cues import default_lexicon
from streams.deals import Sentence
from streams.entities import Entity, extract_entities, organisation_counts
from streams.knowledge import KnowledgeBase, default_knowledge_base
from streams.language import UNDETERMINED, detect_language
from streams.outcomes import SCHEMA_VERSION, Enriched, Failed, Outcome
from streams.partnership import PartnershipDetector
from streams.pipelines import PipelineRegistry
from streams.quantities import default_parser

log = logging.getLogger(__name__)
# Bounds that keep every record's cost and size linear and small whatever the input: text past
# MAX_CHARS is kept in the record but not analysed; lists past their cap are cut (the record's
# ``truncated`` says so and gives the full lengths). Real articles stay far below both.
MAX_CHARS = 100_000
MAX_ENTITIES = 1_000
MAX_ORGANISATIONS = 200
_DATA_DIR = Path(__file__).parent / "data"


def _pipeline_version() -> str:
    """Package version plus a digest of the knowledge files, so records say which data made them."""
    digest = hashlib.sha256()
    for path in sorted(_DATA_DIR.glob("*.json*")):
        digest.update(path.read_bytes())
    return f"{__version__}+data.{digest.hexdigest()[:10]}"


class Enricher:
    """Holds the loaded pipelines and knowledge; cheap to call, expensive to build."""

    def __init__(
        self,
        registry: PipelineRegistry | None = None,
        kb: KnowledgeBase | None = None,
        preload: Sequence[str] = (),
        max_chars: int = MAX_CHARS,
    ) -> None:
        self.max_chars = max_chars
        self.registry = registry or PipelineRegistry()
        self.kb = kb or default_knowledge_base()
        self.detector = PartnershipDetector(default_lexicon(), self.kb, default_parser())
        self.version = _pipeline_version()
        self.process_name = f"{socket.gethostname()}:{os.getpid()}"
        self.registry.preload(preload)

    def enrich_batch(self, articles: Sequence[dict[str, Any]]) -> list[Outcome]:
        """Enrich validated articles (see ``streams.articles``): one outcome each, in order."""
        langs = [self._language(a) for a in articles]
        outcomes: list[Outcome | None] = [None] * len(articles)
        for lang in dict.fromkeys(code for code, _ in langs):
            indices = [i for i, (code, _) in enumerate(langs) if code == lang]
            try:
                results = self._run(
                    lang, [articles[i] for i in indices], [langs[i] for i in indices]
                )
            except Exception:  # isolate: retry one by one so only the failing article fails
                log.exception(
                    "batch of %d %s articles failed; retrying one by one", len(indices), lang
                )
                results = [self._run_one(lang, articles[i], langs[i]) for i in indices]
            for i, result in zip(indices, results, strict=True):
                outcomes[i] = result
        return [o for o in outcomes if o is not None]

    def prepare(self, article: dict[str, Any]) -> str:
        """Load the pipeline the article needs (once per language); return the language.
        Lets a caller time the enrichment apart from a one-time model load."""
        lang, _ = self._language(article)
        self.registry.get(lang)
        return lang

    def _run_one(self, lang: str, article: dict[str, Any], detected: tuple[str, Any]) -> Outcome:
        try:
            return self._run(lang, [article], [detected])[0]
        except Exception as exc:
            log.exception("article %s failed", article.get("id"))
            return Failed(str(article.get("id")), f"{type(exc).__name__}: {exc}")

    def _language(self, article: dict[str, Any]) -> tuple[str, Any]:
        """(language whose pipeline to use, detected Language)."""
        detected = detect_language(f"{article.get('title', '')}\n{article['text']}")
        lang = detected.code
        if lang == UNDETERMINED and article.get("language"):
            lang = str(article["language"]).split("-")[0].lower()
        return lang, detected

    def _run(
        self, lang: str, articles: Sequence[dict[str, Any]], detected: Sequence[tuple[str, Any]]
    ) -> list[Outcome]:
        pipeline = self.registry.get(lang)
        nlp = pipeline.nlp
        texts: list[str] = []
        for article in articles:
            texts.append(_analysed(article["text"], self.max_chars))
            texts.append(_analysed(article.get("title", ""), self.max_chars))
        nlp.max_length = max([nlp.max_length, *(len(t) + 1 for t in texts)])
        models = self.registry.loaded()
        results: list[Outcome] = []
        # memory_zone frees the strings each batch adds to the vocab: flat memory on long runs.
        with nlp.memory_zone():
            docs = list(nlp.pipe(texts, batch_size=64))
            for k, article in enumerate(articles):
                text_doc, title_doc = docs[2 * k], docs[2 * k + 1]
                record = self._record(article, detected[k][1], text_doc, title_doc, lang)
                record["provenance"] = {
                    "pipeline_version": self.version,
                    "model": pipeline.name,
                    "fallback": pipeline.fallback,
                    "models": models,
                    "processed_by": self.process_name,
                    "processed_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                }
                results.append(Enriched(article["id"], record))
        return results

    def sentences(self, article: dict[str, Any]) -> tuple[list[Sentence], str]:
        """The sentences (with entities) the detector reads for one article, and the
        article's language: what training the partnership model starts from."""
        lang, _ = self._language(article)
        nlp = self.registry.get(lang).nlp
        text = _analysed(article["text"], self.max_chars)
        title = _analysed(article.get("title", ""), self.max_chars)
        nlp.max_length = max(nlp.max_length, len(text) + 1, len(title) + 1)
        with nlp.memory_zone():
            return self._read(article, nlp(text), nlp(title))[2], lang

    def _read(
        self, article: dict[str, Any], text_doc: Doc, title_doc: Doc
    ) -> tuple[list[Entity], list[Entity], list[Sentence]]:
        """Entities of text and title, and the sentences of both with their entities."""
        context = f"{article.get('title', '')}\n{article['text']}"
        entities = extract_entities(text_doc, self.kb, context)
        title_entities = (
            extract_entities(title_doc, self.kb, context) if article.get("title") else []
        )
        sentences = [
            *_sentences("title", title_doc, title_entities),
            *_sentences("text", text_doc, entities),
        ]
        return entities, title_entities, sentences

    def _record(
        self, article: dict[str, Any], language: Any, text_doc: Doc, title_doc: Doc, lang: str
    ) -> dict[str, Any]:
        entities, title_entities, sentences = self._read(article, text_doc, title_doc)
        record: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "id": article["id"]}
        record.update({k: article[k] for k in METADATA_FIELDS if k in article})
        if "language" in article:
            record["language_hint"] = article["language"]
        record["text"] = article["text"]
        record["language"] = language.as_dict()
        organisations = organisation_counts([title_entities, entities])
        truncated: dict[str, int] = {}
        if len(text_doc.text) < len(article["text"]):
            truncated["analysed_chars"] = len(text_doc.text)
        record["entities"] = _capped("entities", entities, MAX_ENTITIES, truncated)
        record["title_entities"] = _capped(
            "title_entities", title_entities, MAX_ENTITIES, truncated
        )
        record["organisations"] = _capped(
            "organisations", organisations, MAX_ORGANISATIONS, truncated
        )
        if truncated:
            record["truncated"] = truncated
        record["compute_partnership"] = self.detector.detect(sentences, lang)
        return record


def _analysed(text: str, max_chars: int) -> str:
    """The part of ``text`` that is analysed: all of it, or its first ``max_chars`` characters
    cut back to the last whitespace (offsets into the prefix are offsets into the text)."""
    if len(text) <= max_chars:
        return text
    cut = text.rfind(" ", 0, max_chars)
    return text[: cut if cut > max_chars // 2 else max_chars]


def _capped(name: str, items: Sequence[Any], cap: int, truncated: dict[str, int]) -> list[Any]:
    """The first ``cap`` items as dicts; notes the full length in ``truncated`` when cut."""
    if len(items) > cap:
        truncated[name] = len(items)
    return [item.as_dict() if isinstance(item, Entity) else item for item in items[:cap]]


def _sentences(field: str, doc: Doc, entities: Iterable[Entity]) -> list[Sentence]:
    ordered = sorted(entities, key=lambda e: e.start)
    starts = [e.start for e in ordered]
    out = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        if not sent.text.strip():
            continue
        first = bisect_left(starts, start)
        inside = [e for e in ordered[first : bisect_left(starts, end)] if e.end <= end]
        out.append(Sentence(field, start, end, sent.text, inside))
    return out
