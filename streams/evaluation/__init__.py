"""Rerunnable evaluation: language, entities and compute partnerships against gold files.

``newsenrich eval`` runs the real ``Enricher`` over annotated JSON Lines (schema
``schemas/eval/annotated-article.schema.json``) and scores what comes out. The scoring
functions are plain data in, counts out, so tests can check them without models.
"""
