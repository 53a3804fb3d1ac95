"""The naive baseline: a plain Faust agent calling ``nlp(text)`` per message on the event loop.

Same models and the same language identification as the worker, but no batching, no process
pool, no knowledge base or partnership detection: what a first version of this service would
look like. Run by ``newsenrich bench`` as ``python -m streams.bench.naive`` with the worker's
environment variables.
"""

from __future__ import annotations

import faust
import orjson

from streams.config import Settings
from streams.language import detect_language
from streams.pipelines import PipelineRegistry


def create_naive_app(settings: Settings) -> faust.App:
    """A Faust app that reads the raw topic and writes entities to the enriched topic."""
    app = faust.App(
        settings.group_id,
        broker=[f"kafka://{server}" for server in settings.bootstrap_servers.split(",")],
        key_serializer="raw",
        value_serializer="raw",
        web_enabled=False,
        datadir=settings.data_dir,
        autodiscover=False,
        store="memory://",
    )
    registry = PipelineRegistry()
    registry.preload(settings.languages)
    source = app.topic(settings.topic_raw, value_type=bytes, key_type=bytes)
    target = app.topic(settings.topic_enriched, value_type=bytes, key_type=bytes)

    @app.agent(source)
    async def naive(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            article = orjson.loads(event.value)
            lang = detect_language(article["text"]).code
            doc = registry.get(lang).nlp(article["text"])
            entities = [(e.text, e.label_) for e in doc.ents]
            await target.send(
                key=event.key, value=orjson.dumps({"id": article["id"], "entities": entities})
            )

    return app


def main() -> None:
    settings = Settings.from_env()
    faust.Worker(create_naive_app(settings), loglevel=settings.log_level).execute_from_commandline()


if __name__ == "__main__":
    main()
