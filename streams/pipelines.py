"""spaCy pipelines per language, loaded by package name from a configurable map.

A map entry is an installed package name (``de_core_news_sm``) or the module path of a pipeline
shipped in this package (``streams.models.de_newsenrich_ner``); both load through the module's
``load()``. Only what entity extraction needs is loaded: the ``ner`` component (plus the embedding
layer it listens to, if any) and a rule-based ``sentencizer`` for evidence sentences. When no
package of a language is installed, the language's blank tokenizer is used (or the
multi-language one) and the knowledge base alone finds entities; that fallback is logged once per
language and reported in every record's provenance.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson
import spacy
from spacy.language import Language as SpacyLanguage
from thinc.api import Config

log = logging.getLogger(__name__)

MODELS_FILE = Path(__file__).parent / "data" / "models.json"
MODELS_ENV = "NEWSENRICH_SPACY_MODELS"


@dataclass(frozen=True)
class Pipeline:
    """A loaded pipeline and how it came to be."""

    nlp: SpacyLanguage
    name: str  # package name, or "blank:<lang>"
    fallback: bool


def model_map(env: Mapping[str, str] = os.environ) -> dict[str, list[str]]:
    """Language -> candidate packages: the shipped defaults, overridden per language by
    ``NEWSENRICH_SPACY_MODELS`` (``de=de_core_news_md,en=en_core_web_trf|en_core_web_sm``)."""
    models: dict[str, list[str]] = orjson.loads(MODELS_FILE.read_bytes())["models"]
    override = env.get(MODELS_ENV, "").strip()
    for item in filter(None, (part.strip() for part in override.split(","))):
        lang, sep, names = item.partition("=")
        if not sep or not lang.strip() or not names.strip():
            raise ValueError(f"{MODELS_ENV}: expected lang=package[|package...], got {item!r}")
        models[lang.strip()] = [n.strip() for n in names.split("|") if n.strip()]
    return models


def _package_config(package: str) -> Config | None:
    """The config of an installed pipeline package, or None when it is not installed."""
    if importlib.util.find_spec(package) is None:
        return None
    module = importlib.import_module(package)
    root = Path(module.__file__ or "").parent
    configs = sorted(root.glob("*/config.cfg")) or sorted(root.glob("config.cfg"))
    return spacy.util.load_config(configs[0], interpolate=False) if configs else Config()


def _needed_components(config: Config) -> set[str]:
    """``ner`` plus the shared embedding component it listens to, if it listens to one."""
    components = config.get("components", {})
    needed = {"ner"}
    tok2vec = components.get("ner", {}).get("model", {}).get("tok2vec", {})
    if "Listener" in str(tok2vec.get("@architectures", "")):
        upstream = tok2vec.get("upstream", "*")
        needed |= {
            c for c in components if upstream in ("*", c) and c in ("tok2vec", "transformer")
        }
    return needed


def _load_package(package: str) -> SpacyLanguage | None:
    config = _package_config(package)
    if config is None:
        return None
    pipeline = config.get("nlp", {}).get("pipeline", [])
    needed = _needed_components(config)
    # What spacy.load does for an installed package, without requiring a distribution of that
    # name: so a module shipped inside this package (streams.models.*) loads the same way.
    return spacy.util.load_model_from_package(
        package, exclude=[c for c in pipeline if c not in needed]
    )


def _blank(lang: str) -> SpacyLanguage:
    try:
        return spacy.blank(lang)
    except Exception:  # unknown code, or a tokenizer needing an optional library
        return spacy.blank("xx")


class PipelineRegistry:
    """Loads each language's pipeline once, on first use or by ``preload``."""

    def __init__(self, models: Mapping[str, Sequence[str]] | None = None) -> None:
        self.models = dict(model_map() if models is None else models)
        self._loaded: dict[str, Pipeline] = {}

    def get(self, lang: str) -> Pipeline:
        """The pipeline for an ISO 639-1 code (``und`` gets the multi-language tokenizer)."""
        if lang not in self._loaded:
            self._loaded[lang] = self._load(lang)
        return self._loaded[lang]

    def preload(self, langs: Sequence[str]) -> None:
        for lang in langs:
            self.get(lang)

    def loaded(self) -> dict[str, str]:
        """Language -> pipeline name, for provenance."""
        return {lang: p.name for lang, p in sorted(self._loaded.items())}

    def _load(self, lang: str) -> Pipeline:
        for package in self.models.get(lang, []):
            nlp = _load_package(package)
            if nlp is not None:
                nlp.add_pipe("sentencizer")
                log.info("language %s: spaCy pipeline %s %s", lang, package, nlp.pipe_names)
                return Pipeline(nlp, package, fallback=False)
        nlp = _blank("xx" if lang == "und" else lang)
        nlp.add_pipe("sentencizer")
        name = f"blank:{nlp.lang}"
        if lang != "und":
            tried = ", ".join(self.models.get(lang, [])) or "none configured"
            log.warning(
                "language %s: no spaCy model installed (tried: %s); using %s with "
                "knowledge-base entities only",
                lang,
                tried,
                name,
            )
        return Pipeline(nlp, name, fallback=True)
