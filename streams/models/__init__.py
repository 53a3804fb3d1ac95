"""spaCy pipelines trained for newsenrich and shipped inside the package (see each MODEL_CARD.md).

Each one is an importable module with a ``load()`` function, like an installed spaCy pipeline
package, so ``streams/data/models.json`` names it by module path and ``streams.pipelines`` loads
it the same way as an official package.
"""
