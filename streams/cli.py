"""``newsenrich``: enrich offline, run the worker, produce, set up topics, evaluate, benchmark."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

from streams.articles import InputError, decode_article
from streams.config import ConfigError, Settings

if TYPE_CHECKING:
    from streams.outcomes import Outcome

SAMPLE = Path(__file__).parent / "data" / "sample_articles.jsonl"
CHUNK = 64


def _lines(source: str) -> Iterator[tuple[int, bytes]]:
    stream: IO[bytes] = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    with stream:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                yield number, line.rstrip(b"\r\n")


def run_enrich(
    source: str, out: IO[bytes], err: IO[str], max_bytes: int, max_chars: int | None = None
) -> int:
    """The embedded default: JSON Lines in, enriched JSON Lines out, no broker.

    Rejected lines are reported on ``err`` with their line number; the rest are still
    processed; returns the number of rejected lines. Progress goes to ``err`` when it is a
    terminal (with an ETA for a file), and a summary line ends the job either way."""
    from streams.enrich import MAX_CHARS, Enricher
    from streams.outcomes import Enriched
    from streams.progress import Progress, count_lines

    with Progress(err, "enriched", total=lambda: count_lines(source)) as progress:
        enricher = Enricher(max_chars=max_chars or MAX_CHARS)
        batch: list[tuple[int, dict[str, Any]]] = []

        def flush() -> None:
            outcomes = enricher.enrich_batch([article for _, article in batch])
            for (number, _), outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, Enriched):
                    out.write(orjson.dumps(outcome.record) + b"\n")
                    progress.advance()
                else:
                    progress.reject()
                    progress.note(f"line {number}: {outcome.reason}: {outcome.error}")
            out.flush()
            batch.clear()

        for number, line in _lines(source):
            try:
                batch.append((number, decode_article(line, max_bytes)))
            except InputError as exc:
                progress.reject()
                progress.note(f"line {number}: {exc}")
            if len(batch) >= CHUNK:
                flush()
        if batch:
            flush()
    return progress.rejected


def run_deals(source: str, out: IO[bytes], err: IO[str], as_json: bool = False) -> int:
    """The deal ledger offline: each enriched record (JSON Lines, ``-`` for stdin) turned into
    its ``compute-partnerships`` reports and folded (``streams.ledger.fold``); written as a
    table, newest deal first, or as JSON Lines. Lines that are not enriched records are
    reported on ``err`` and skipped; returns their number."""
    from streams.contracts import ENRICHED_ARTICLE, violations
    from streams.ledger import fold
    from streams.ledger_text import format_table
    from streams.outcomes import partnership_events

    rejected = 0
    reports: list[dict[str, Any]] = []
    for number, line in _lines(source):
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            rejected += 1
            print(f"line {number}: invalid_json: {exc}", file=err)
            continue
        problems = list(violations(ENRICHED_ARTICLE, record))
        if problems:
            rejected += 1
            print(f"line {number}: not_enriched: {problems[0]}", file=err)
            continue
        for _, report in partnership_events(record):
            if isinstance(record.get("source"), str):
                report["source"] = record["source"]  # a source name when the url is missing
            reports.append(report)
    entries = fold(reports)
    if as_json:
        out.writelines(orjson.dumps(entry) + b"\n" for entry in entries)
    else:
        out.write(format_table(entries).encode())
    out.flush()
    return rejected


async def run_produce(path: str, settings: Settings, err: IO[str] | None = None) -> int:
    """Send each non-empty line of a JSON Lines file to the raw topic; return the count.
    Lines that are not valid articles are sent too (without a key: the worker dead-letters
    them) and counted as invalid. Progress and the summary line go to ``err`` (stderr)."""
    from aiokafka import AIOKafkaProducer

    from streams.progress import Progress, count_lines
    from streams.topics import ensure_topics

    await ensure_topics(settings)
    from streams.security import client_options

    producer = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers, acks="all", **client_options(settings)
    )
    await producer.start()
    progress = Progress(
        err or sys.stderr,
        "sent",
        target=f"to {settings.topic_raw}",
        rejected="invalid",
        total=lambda: count_lines(path),
        unit="record",
    )
    try:
        for _, line in _lines(path):
            try:
                key: bytes | None = decode_article(line, settings.max_record_bytes)["id"].encode()
            except InputError:
                key = None  # still sent: the worker dead-letters it with the reason
            await producer.send(settings.topic_raw, line, key=key)
            if key is None:
                progress.reject()
            else:
                progress.advance()
        await producer.flush()
    finally:
        await producer.stop()
        progress.close()
    return progress.done + progress.rejected


def run_worker(settings: Settings) -> int:
    """Wait for the brokers, create missing topics, then run the Faust worker until it is
    stopped; returns 1 when the brokers never answered."""
    from streams.pool import EnrichmentPool

    pool = EnrichmentPool.for_settings(settings)
    pool.launch()  # its processes load the models while the rest starts

    import faust

    from streams.app import create_app
    from streams.startup import BrokersUnreachable, wait_for_brokers
    from streams.topics import ensure_topics

    try:
        asyncio.run(wait_for_brokers(settings))
    except BrokersUnreachable as exc:
        pool.close()
        print(f"newsenrich: {exc}", file=sys.stderr)
        return 1
    asyncio.run(ensure_topics(settings))
    app = create_app(settings, pool)
    faust.Worker(app, loglevel=settings.log_level).execute_from_commandline()
    return 0


def run_eval(dev_sets: list[str] | None, show_errors: bool, err: IO[str] | None = None) -> int:
    """Print the evaluation report of the annotated files (pooled); the last line is the
    summary as JSON. Progress over the articles and a summary line go to ``err`` (stderr)."""
    from streams.enrich import Enricher
    from streams.evaluation.runner import DEV_SET, WORKER_LANGUAGES, evaluate, print_report
    from streams.progress import Progress, count_lines

    logging.getLogger().setLevel(logging.WARNING)
    paths = [Path(p) for p in dev_sets] if dev_sets else [DEV_SET]
    progress = Progress(
        err or sys.stderr,
        "evaluated",
        rejected=None,
        total=lambda: sum(count_lines(path) or 0 for path in paths),
    )

    class CountingEnricher(Enricher):
        """Counts enriched articles; a large set goes in slices of 128 so that progress moves.
        The bundled set's batches are smaller, so its peak-memory figure is measured as
        before (one batch of the en/de articles)."""

        def enrich_batch(self, articles: Sequence[dict[str, Any]]) -> list[Outcome]:
            outcomes: list[Outcome] = []
            for start in range(0, len(articles), 128):
                done = super().enrich_batch(articles[start : start + 128])
                outcomes += done
                progress.advance(len(done))
            return outcomes

    try:
        report = evaluate(paths, enricher=CountingEnricher(preload=WORKER_LANGUAGES))
        progress.stop()
        print_report(report, sys.stdout, show_errors)
    finally:
        progress.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsenrich", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    enrich = commands.add_parser("enrich", help="enrich JSON Lines offline (no broker)")
    enrich.add_argument(
        "file",
        nargs="?",
        default=str(SAMPLE),
        help="JSON Lines file, or - for stdin (default: the bundled sample)",
    )
    deals = commands.add_parser("deals", help="the compute-deal ledger of an enriched file")
    deals.add_argument("file", help="enriched JSON Lines (newsenrich enrich output), - for stdin")
    deals.add_argument("--json", action="store_true", help="JSON Lines, one ledger entry each")
    commands.add_parser("worker", help="run the Kafka worker (settings from the environment)")
    produce = commands.add_parser("produce", help="send a JSON Lines file to the raw topic")
    produce.add_argument("file")
    commands.add_parser("topics", help="create the topics with their configured partition counts")
    bench = commands.add_parser("bench", help="measure throughput, latency, CPU and memory")
    bench.add_argument("--quick", action="store_true", help="a small run (a few minutes)")
    evaluation = commands.add_parser("eval", help="score language, entities and deals on gold data")
    evaluation.add_argument(
        "--set",
        dest="dev_sets",
        action="append",
        help="annotated JSON Lines; repeat to pool several (default: eval/dev_set.jsonl)",
    )
    evaluation.add_argument("--errors", action="store_true", help="list each article's errors")
    args = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    try:
        settings = Settings.from_env()
        if args.command in ("worker", "produce", "topics"):
            from streams.security import ssl_context

            ssl_context(settings)  # fail at start-up, not at the first connection
    except ConfigError as exc:
        print(f"newsenrich: configuration error: {exc}", file=sys.stderr)
        return 2

    if args.command == "enrich":
        logging.getLogger().setLevel(logging.WARNING)
        rejected = run_enrich(
            args.file,
            sys.stdout.buffer,
            sys.stderr,
            settings.max_record_bytes,
            settings.max_analysed_chars,
        )
        return 1 if rejected else 0
    if args.command == "deals":
        return 1 if run_deals(args.file, sys.stdout.buffer, sys.stderr, args.json) else 0
    if args.command == "produce":
        asyncio.run(run_produce(args.file, settings, sys.stderr))
        return 0
    if args.command == "bench":
        from streams.bench.runner import bench as run_bench
        from streams.progress import StageLines

        logging.getLogger().setLevel(logging.WARNING)
        with StageLines(sys.stdout, sys.stderr, "bench") as stages:
            run_bench(args.quick, stages)  # type: ignore[arg-type]  # write and flush suffice
        return 0
    if args.command == "eval":
        return run_eval(args.dev_sets, args.errors, sys.stderr)
    if args.command == "topics":
        from streams.topics import ensure_topics

        created = asyncio.run(ensure_topics(settings))
        print(f"created: {', '.join(created) or 'nothing (all exist)'}", file=sys.stderr)
        return 0
    return run_worker(settings)


if __name__ == "__main__":
    sys.exit(main())
