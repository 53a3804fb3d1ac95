"""``newsenrich bench``: core, shell, end-to-end and naive throughput; latency; CPU; memory.

The last line printed is one JSON object (see ``SUMMARY_KEYS`` in the README's table). The
end-to-end runs use ``KAFKA_BOOTSTRAP_SERVERS`` when set, otherwise the project's own broker is
started on ``NEWSENRICH_BENCH_KAFKA_PORT`` (default 19096) and stopped at the end.
"""

from __future__ import annotations

import asyncio
import os
import platform
import time
from dataclasses import dataclass, replace
from typing import IO, Any

import orjson

from streams.bench.corpus import corpus, words
from streams.bench.endtoend import NAIVE, Result, Scenario, run
from streams.bench.hostile import slowest_per_kb
from streams.bench.ledger_recovery import measure_recovery
from streams.config import Settings
from streams.dead_letters import Source
from streams.enrich import Enricher
from streams.localbroker import LocalBroker
from streams.outcomes import Outcome
from streams.processing import InRecord, process_batch
from streams.procstats import rss_mb


@dataclass(frozen=True)
class Plan:
    """How big each part of the benchmark is."""

    core_articles: int
    e2e_articles: int
    memory_articles: int
    ledger_entries: int
    pool_scenario: bool  # 1 worker with a pool of 2 as well


# The quick plan is CI's smoke run: every measurement once, as small as still gives a figure.
QUICK = Plan(
    core_articles=24,
    e2e_articles=36,
    memory_articles=200,
    ledger_entries=1_000,
    pool_scenario=False,
)
FULL = Plan(
    core_articles=300,
    e2e_articles=400,
    memory_articles=50_000,
    ledger_entries=100_000,
    pool_scenario=True,
)


def measure_core(
    enricher: Enricher, articles: list[dict[str, Any]], batch: int
) -> dict[str, float]:
    """In-process enrichment throughput of one process, in the worker's batch size."""
    enricher.enrich_batch(articles[:4])  # warm caches
    started = time.perf_counter()
    for i in range(0, len(articles), batch):
        enricher.enrich_batch(articles[i : i + batch])
    seconds = time.perf_counter() - started
    return {"articles_per_s": len(articles) / seconds, "words_per_s": words(articles) / seconds}


def measure_languages(
    enricher: Enricher, articles: list[dict[str, Any]], batch: int
) -> dict[str, dict[str, float | str]]:
    """Per language of the corpus: the core's words/s against ``nlp.pipe`` of the same spaCy
    pipeline alone over the same titles and texts (what NER costs; the rest is ours)."""
    out: dict[str, dict[str, float | str]] = {}
    for lang in ("en", "de"):
        subset = [a for i, a in enumerate(articles) if (i % 2 == 1) == (lang == "de")]
        nlp = enricher.registry.get(lang).nlp
        texts = [t for a in subset for t in (a["text"], a["title"])]
        list(nlp.pipe(texts[:8]))  # warm caches
        started = time.perf_counter()
        with nlp.memory_zone():
            for _ in nlp.pipe(texts, batch_size=64):
                pass
        pipe_seconds = time.perf_counter() - started
        core = measure_core(enricher, subset, batch)
        out[lang] = {
            "core_words_per_s": round(core["words_per_s"]),
            "nlp_words_per_s": round(words(subset) / pipe_seconds),
            "model": enricher.registry.get(lang).name,
        }
    return out


class _Replay:
    """Returns outcomes computed beforehand, so that only the shell is timed."""

    def __init__(self, outcomes: list[Outcome]) -> None:
        self.outcomes = outcomes

    async def enrich(self, articles: Any) -> list[Outcome]:
        return self.outcomes


def measure_shell(enricher: Enricher, articles: list[dict[str, Any]], settings: Settings) -> float:
    """Milliseconds per article for decode, validate and encode (``process_batch`` without NLP)."""
    records = [
        InRecord(orjson.dumps(a), Source("raw", 0, i, a["id"].encode()))
        for i, a in enumerate(articles)
    ]
    replay = _Replay(enricher.enrich_batch(articles))
    started = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        asyncio.run(process_batch(records, replay, settings))
    return 1000 * (time.perf_counter() - started) / (rounds * len(articles))


def measure_memory(enricher: Enricher, n: int, batch: int) -> dict[str, float]:
    """RSS after a tenth of ``n`` short articles and after all of them."""
    pool = corpus(200, seed=11, min_words=60, max_words=200)
    checkpoints = {}
    for start in range(0, n, batch):
        chunk = [
            {**pool[(start + k) % len(pool)], "id": f"mem-{start + k}"}
            for k in range(min(batch, n - start))
        ]
        enricher.enrich_batch(chunk)
        done = start + len(chunk)
        if done >= n // 10 and "rss_mb_at_10pct" not in checkpoints:
            checkpoints["rss_mb_at_10pct"] = rss_mb(os.getpid())
    checkpoints["rss_mb_at_end"] = rss_mb(os.getpid())
    checkpoints["growth"] = checkpoints["rss_mb_at_end"] / checkpoints["rss_mb_at_10pct"] - 1
    return checkpoints


def bench(quick: bool, out: IO[str]) -> dict[str, Any]:
    """Run everything, print the table, return the summary."""
    plan = QUICK if quick else FULL
    base = replace(Settings.from_env(), preload_languages="en,de")
    machine = f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(f"machine: {machine}", file=out)
    articles = corpus(max(plan.core_articles, plan.e2e_articles))
    mean_words = words(articles) // len(articles)
    print(f"corpus: {len(articles)} articles of {mean_words} words on average, de/en", file=out)

    enricher = Enricher(preload=base.languages)
    core = measure_core(enricher, articles[: plan.core_articles], base.batch_size)
    core_rss = rss_mb(os.getpid())
    by_language = measure_languages(enricher, articles[: plan.core_articles], base.batch_size)
    for lang, figures in by_language.items():
        print(
            f"core {lang} ({figures['model']}): {figures['core_words_per_s']} words/s; "
            f"nlp.pipe alone: {figures['nlp_words_per_s']} words/s",
            file=out,
        )
    shell_ms = measure_shell(enricher, articles[:64], base)
    memory = measure_memory(enricher, plan.memory_articles, base.batch_size)
    # Up to the analysed-text bound: past it the text is kept, not analysed.
    worst = slowest_per_kb(enricher, [10_000, base.max_analysed_chars])
    print(
        f"slowest hostile article: {worst['ms_per_kb']} ms per KB ({worst['shape']}, "
        f"{worst['chars']} characters)",
        file=out,
    )
    print(
        f"core: {core['articles_per_s']:.1f} articles/s, {core['words_per_s']:.0f} words/s, "
        f"RSS {core_rss} MB",
        file=out,
    )
    print(f"shell (decode, validate, encode): {shell_ms:.3f} ms/article", file=out)
    print(
        f"memory: RSS {memory['rss_mb_at_10pct']} MB after {plan.memory_articles // 10} articles, "
        f"{memory['rss_mb_at_end']} MB after {plan.memory_articles} ({memory['growth']:+.1%})",
        file=out,
    )
    del enricher  # its memory is not the workers'

    e2e, ledger = asyncio.run(_end_to_end(articles[: plan.e2e_articles], base, plan))
    _print_table(e2e, out)
    print(
        f"ledger: {ledger['entries']} deals recovered from the changelog in "
        f"{ledger['recovery_s']} s (worker start-up without them: {ledger['start_empty_s']} s); "
        f"{ledger['bytes_per_entry_memory']} B per deal in memory, "
        f"{ledger['bytes_per_entry_topic']} B in the changelog topic",
        file=out,
    )
    one, two = e2e["1w"], e2e["2w"]
    summary = {
        "core_articles_per_s": round(core["articles_per_s"], 2),
        "core_words_per_s": round(core["words_per_s"]),
        "e2e_1w_articles_per_s": round(one.articles_per_s, 2),
        "e2e_2w_articles_per_s": round(two.articles_per_s, 2),
        **(
            {"e2e_1w_pool2_articles_per_s": round(e2e["1w-pool2"].articles_per_s, 2)}
            if "1w-pool2" in e2e
            else {}
        ),
        "naive_articles_per_s": round(e2e["naive"].articles_per_s, 2),
        "ratio_e2e_core": round(one.articles_per_s / core["articles_per_s"], 3),
        "scaling_2w": round(two.articles_per_s / one.articles_per_s, 3),
        "speedup_vs_naive": round(one.articles_per_s / e2e["naive"].articles_per_s, 3),
        "p99_latency_ms": round(e2e["half-load"].latency(0.99)),
        "shell_ms_per_article": round(shell_ms, 3),
        "peak_rss_mb_per_worker": max(p.peak_rss_mb for r in e2e.values() for p in r.processes),
        "rss_growth_long_run": round(memory["growth"], 4),
        **{
            f"{key}_{lang}": value
            for lang, figures in by_language.items()
            for key, value in figures.items()
        },
        "slowest_ms_per_kb": worst["ms_per_kb"],
        "ledger_entries": ledger["entries"],
        "ledger_recovery_s": ledger["recovery_s"],
        "ledger_entries_per_gb_memory": ledger["entries_per_gb_memory"],
        "ledger_entries_per_gb_topic": ledger["entries_per_gb_topic"],
        "slowest_shape": worst["shape"],
        "quick": quick,
    }
    print(orjson.dumps(summary).decode(), file=out)
    return summary


async def _end_to_end(
    articles: list[dict[str, Any]], base: Settings, plan: Plan
) -> tuple[dict[str, Result], dict[str, float]]:
    given = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    broker = (
        None if given else LocalBroker(int(os.environ.get("NEWSENRICH_BENCH_KAFKA_PORT", "19096")))
    )
    if broker is not None:
        await asyncio.to_thread(broker.start)
    bootstrap = given or (broker.bootstrap if broker else "")
    results: dict[str, Result] = {}
    try:
        pool = (Scenario("1w-pool2", pool_size=2),) if plan.pool_scenario else ()
        for scenario in (
            Scenario("1w"),
            Scenario("2w", workers=2),
            *pool,
            Scenario("naive", command=tuple(NAIVE)),
        ):
            results[scenario.name] = await run(bootstrap, scenario, articles, base)
        half = results["1w"].articles_per_s / 2
        results["half-load"] = await run(
            bootstrap, Scenario("half-load", rate=half), articles, base
        )
        ledger = await measure_recovery(bootstrap, base, plan.ledger_entries)
    finally:
        if broker is not None:
            await asyncio.to_thread(broker.stop)
    return results, ledger


def _print_table(results: dict[str, Result], out: IO[str]) -> None:
    print(
        f"{'run':<11}{'art/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        "  processes (CPU s / peak RSS MB)",
        file=out,
    )
    for r in results.values():
        procs = ", ".join(f"{p.cpu_s:.1f}/{p.peak_rss_mb:.0f}" for p in r.processes)
        print(
            f"{r.name:<11}{r.articles_per_s:>8.2f}{r.latency(0.5):>9.0f}{r.latency(0.95):>9.0f}"
            f"{r.latency(0.99):>9.0f}  {procs}",
            file=out,
        )
