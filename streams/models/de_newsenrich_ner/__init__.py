"""German NER (PER, LOC, ORG, MISC) trained from GermEval 2014; see MODEL_CARD.md.

Laid out like an installed spaCy pipeline package: ``meta.json`` here, the pipeline in
``de_newsenrich_ner-<version>/``, and ``load()`` as in every official package.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.util import load_model_from_init_py

from streams.models import cluster_embed  # noqa: F401  (registers the embedding architecture)


def load(**overrides: Any) -> Language:
    """The pipeline; keyword arguments as for ``spacy.load`` (``exclude``, ``config``, ...)."""
    return load_model_from_init_py(__file__, **overrides)
