"""The live compute-deal ledger on Kafka: a Faust table, its agent and its HTTP view.

The fold is ``streams.ledger`` (pure); this module is the shell around it.

Partitioning
    ``compute-partnerships`` is keyed ``<provider>|<customer>`` by the enrich agent, which is
    the repartition step: every report of a pair lands in the pair's partition (the producer's
    key hash), whichever article it came from. The table is keyed by the same bytes and writes
    its changelog with the same partitioner, so a worker that owns partition *p* of the reports
    owns partition *p* of the ledger, and Faust's table routing finds a pair's owner from its key.

Table
    One row per pair: the JSON list of the pair's deals (``apply_to_pair``). Every change is
    written to the table's compacted changelog topic and the changed entries to the compacted
    ``compute-deals`` topic (key: the entry key ``pair#seq``). A batch of reports is
    acknowledged (its offsets committed) only after the broker acknowledged all of those
    records; a replayed report changes nothing (the fold is idempotent per article id), so a
    crash or a rebalance never counts a report twice or loses one.

HTTP (on the worker's web server, any worker)
    ``GET /deals/{provider}/{customer}``: the pair's deals, forwarded to the worker that owns
    the pair (Faust's ``router.route_req``). ``GET /deals``: filters and paging
    (``streams.ledger_query``); the asked worker asks every owner for its part (from the
    assignor's table metadata) and merges. While an owner is rebalancing or recovering its
    partitions, the answer is 503 with ``Retry-After``, never a partial ledger.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Iterable, Mapping
from typing import Any

import aiohttp
import faust
import orjson
from aiokafka.partitioner import murmur2
from faust.exceptions import SameNode
from faust.stores.memory import Store as MemoryStore
from faust.types import TP, Message
from faust.web.exceptions import ServiceUnavailable
from yarl import URL

from streams.config import Settings
from streams.contracts import COMPUTE_PARTNERSHIP, violations
from streams.dead_letters import Source, dead_letter
from streams.ledger import apply_to_pair, pair_key
from streams.ledger_query import (
    DealQuery,
    QueryError,
    answer,
    merge,
    partial_answer,
    summary,
)
from streams.metrics import WorkerMetrics
from streams.refetch import GapFiller, RefetchedEvent

log = logging.getLogger(__name__)
TABLE_NAME = "compute-deal-ledger"
LOCAL_HEADER = "X-Newsenrich-Local"  # a worker asking another one for its own part only
RETRY_AFTER_S = 2


class KeepingMemoryStore(MemoryStore[bytes, bytes]):
    """Faust's memory store, except that a finished recovery keeps the rows of partitions this
    worker does not own. Faust's drops them while it goes on reading the changelog of its
    standby partitions from where it was, so a standby promoted after its owner died lacked
    the rows it had read before (test (b): the survivor never served the whole ledger). Rows
    of other partitions are never served (``local_part`` reads only active partitions), and a
    row is only ever replaced by a newer one from the changelog."""

    async def on_recovery_completed(self, active_tps: set[TP], standby_tps: set[TP]) -> None:
        return None


class AckedTable(faust.Table[bytes, bytes]):
    """A Faust table whose changelog records can be awaited, so the agent acknowledges its
    input only after the broker has the table's change (Faust's own flush before a commit
    gives up after 0.1 s of silence)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.unacked: list[Awaitable[Any]] = []

    def _new_store(self) -> KeepingMemoryStore:
        return KeepingMemoryStore(
            "memory://",
            self.app,
            self,
            table_name=self.name,
            key_type=self.key_type,
            key_serializer=self.key_serializer,
            value_serializer=self.value_serializer,
            value_type=self.value_type,
            loop=self.loop,
            options=self.options,
        )

    def send_changelog(self, *args: Any, **kwargs: Any) -> Any:
        sent = super().send_changelog(*args, **kwargs)
        self.unacked.append(sent)
        return sent

    def take_unacked(self) -> list[Awaitable[Any]]:
        """The changelog records sent since the last call."""
        taken, self.unacked = self.unacked, []
        return taken


def attach_ledger(
    app: faust.App,
    settings: Settings,
    topics: Mapping[str, faust.TopicT],
    metrics: WorkerMetrics,
) -> AckedTable:
    """Add the ledger table, the agent that feeds it and its HTTP views to ``app``."""
    table = AckedTable(
        app,
        name=TABLE_NAME,
        default=None,
        key_type=bytes,
        value_type=bytes,
        partitions=settings.partitions,
        # In memory (KeepingMemoryStore), rebuilt from the changelog when a partition moves
        # here. Faust's RocksDB store (rocksdict) hung in recovery when a partition came back
        # after a scale-in (test (c) of tests/test_ledger_table.py), so it is not offered.
        use_partitioner=True,  # the producer's key hash: the reports' partitioning
        beacon=app.tables.beacon,
        help="compute-deal ledger: the deals of each provider|customer pair",
    )
    app.tables.add(table)
    partitions = settings.partitions
    deals_topic = topics[settings.topic_deals]
    dlq_topic = topics[settings.topic_dlq]

    async def count(message: Message) -> tuple[str, list[Awaitable[Any]]]:
        """Fold one report into its pair's row: the outcome (``counted``, ``replayed``,
        ``invalid``) and the records to wait for."""
        key, value = message.key or b"", message.value or b""
        try:
            report = orjson.loads(value)
            problems = list(violations(COMPUTE_PARTNERSHIP, report))
            if problems:
                raise ValueError("; ".join(problems[:3]))
            if pair_key(report).encode() != key:
                raise ValueError(f"record key {key!r} is not the pair {pair_key(report)!r}")
        except (orjson.JSONDecodeError, ValueError, TypeError, KeyError) as exc:
            source = Source(message.topic, message.partition, message.offset, message.key)
            letter = dead_letter(
                value,
                source,
                reason="invalid_report",
                error=str(exc),
                stage="ledger",
                max_original_bytes=settings.dlq_max_original_bytes,
            )
            log.error("invalid report at %s: %s (dead-lettered)", source.fallback_key, exc)
            return "invalid", [await dlq_topic.send(key=key or None, value=orjson.dumps(letter))]
        stored = table.get(key)
        before = orjson.loads(stored) if stored else []
        after = apply_to_pair(before, report)
        if after == before:
            return "replayed", []  # already counted: nothing changes
        table[key] = orjson.dumps(after)
        old = {entry["key"]: entry for entry in before}
        sends = [
            await deals_topic.send(key=entry["key"].encode(), value=orjson.dumps(entry))
            for entry in after
            if old.get(entry["key"]) != entry
        ]
        return "counted", [*table.take_unacked(), *sends]

    @app.agent(topics[settings.topic_partnerships], name="ledger")
    async def ledger(stream: faust.StreamT[bytes]) -> None:
        batches = stream.take_events(  # type: ignore[attr-defined]  # not in stubs
            settings.batch_size, within=settings.batch_window_s
        )
        async for events in batches:
            pending: list[Awaitable[Any]] = []
            outcomes: list[str] = []
            batch = await inputs.fill(events)
            for event in batch:
                outcome, sends = await count(event.message)
                outcomes.append(outcome)
                pending += sends
            try:
                await asyncio.gather(*pending)  # take_events acks the batch after this
                metrics.ledger_done(outcomes)
            except Exception as exc:
                # Not acknowledged: the next owner replays the batch, which is harmless.
                log.exception("ledger records were not acknowledged; stopping the worker")
                await app.crash(exc)
                return
            for event in batch:
                if isinstance(event, RefetchedEvent):
                    event.ack()  # so Faust's commits can pass its offset

    inputs = GapFiller(app, settings, settings.topic_partnerships)

    def serving() -> bool:
        return not (app.rebalancing or app.in_recovery)

    rows = RowCache(partitions)

    def local_part(query: DealQuery) -> dict[str, Any]:
        """This worker's part of an answer, over the partitions it owns (the store may also
        hold standby partitions): matched on summaries, only the part's entries decoded."""
        changelog = table.changelog_topic.get_topic_name()
        summaries = [
            summary
            for partition, row_summaries in rows.refresh(table.items())
            if app.assignor.is_active(TP(changelog, partition))
            for summary in row_summaries
        ]
        part = partial_answer(summaries, query)
        part["deals"] = [rows.entry(table.get(s["pair"].encode()), s["key"]) for s in part["deals"]]
        return part

    def unavailable(web: faust.web.View, why: str) -> faust.web.Response:
        return web.json(
            {"error": why, "retry_after_s": RETRY_AFTER_S},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )

    @app.page("/deals/{provider}/{customer}")
    async def pair_deals(
        web: faust.web.View, request: faust.web.Request, provider: str, customer: str
    ) -> faust.web.Response:
        key = f"{provider}|{customer}".encode()
        try:
            return await app.router.route_req(TABLE_NAME, key, web.web, request)
        except SameNode:
            pass  # this worker owns the pair
        except ServiceUnavailable:
            return unavailable(web, "no worker owns this pair's partition yet")
        except (aiohttp.ClientError, OSError) as exc:  # the owner went away: a rebalance is due
            return unavailable(web, f"the worker owning this pair did not answer ({exc})")
        if not serving():
            return unavailable(web, "this worker is rebalancing or recovering the ledger")
        stored = table.get(key)
        if not stored:
            return web.json({"error": f"no deal of {provider} with {customer}"}, status=404)
        deals = orjson.loads(stored)
        return web.json(answer(deals, DealQuery(limit=max(len(deals), 1))))

    @app.page("/deals")
    async def all_deals(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        try:
            query = DealQuery.from_params(dict(request.query))
        except QueryError as exc:
            return web.json({"error": str(exc)}, status=400)
        if request.headers.get(LOCAL_HEADER):
            if not serving():
                return unavailable(web, "this worker is rebalancing or recovering the ledger")
            return web.json(local_part(query))
        owners = _owners(app, table, partitions)
        if owners is None:
            return unavailable(web, "not every ledger partition has an owner yet")
        parts = []
        for url in owners:
            if url == str(app.conf.canonical_url):
                if not serving():
                    return unavailable(web, "this worker is rebalancing or recovering the ledger")
                parts.append(local_part(query))
                continue
            owner = URL(url)
            target = request.url.with_host(owner.host or "").with_port(owner.port)
            try:
                async with app.http_client.get(target, headers={LOCAL_HEADER: "1"}) as response:
                    if response.status != 200:
                        return unavailable(web, f"{url} answered {response.status}")
                    parts.append(orjson.loads(await response.read()))
            except (aiohttp.ClientError, OSError) as exc:
                return unavailable(web, f"{url} did not answer ({exc})")
        return web.json(merge(parts, query))

    return table


def key_partition(key: bytes, partitions: int) -> int:
    """The partition of ``key``: the Kafka producer's default partitioner (murmur2), which
    placed the reports and the changelog records."""
    return int(murmur2(key) & 0x7FFFFFFF) % partitions


class RowCache:
    """Each table row's partition and entry summaries (``ledger_query.summary``), kept while
    the row's bytes stay the same object: a query over 100,000 deals decodes only the rows
    that changed since the last one (decoding them all takes seconds; murmur2 is pure
    Python), and only the entries it returns in full."""

    def __init__(self, partitions: int) -> None:
        self.partitions = partitions
        self._rows: dict[bytes, tuple[bytes, int, list[dict[str, Any]]]] = {}

    def refresh(self, items: Iterable[tuple[bytes, bytes | None]]) -> list[Any]:
        """(partition, summaries) of every row in ``items``; rows no longer there are dropped."""
        fresh: dict[bytes, tuple[bytes, int, list[dict[str, Any]]]] = {}
        for key, value in items:
            if not value:
                continue
            cached = self._rows.get(key)
            if cached is None or cached[0] is not value:
                entries = orjson.loads(value)
                cached = (value, key_partition(key, self.partitions), [summary(e) for e in entries])
            fresh[key] = cached
        self._rows = fresh
        return [(partition, summaries) for _, partition, summaries in fresh.values()]

    @staticmethod
    def entry(row: bytes | None, key: str) -> dict[str, Any]:
        """The full entry ``key`` of a row."""
        (found,) = [e for e in orjson.loads(row or b"[]") if e["key"] == key]
        return dict(found)


def _owners(app: faust.App, table: AckedTable, partitions: int) -> list[str] | None:
    """The web URLs of the workers owning the ledger's partitions, or None while some
    partition has no owner (before the first assignment, or mid-rebalance)."""
    changelog = table.changelog_topic.get_topic_name()
    metadata = app.router.table_metadata(TABLE_NAME)
    owned: set[int] = set()
    owners = []
    for url, topics in metadata.items():
        held = topics.get(changelog, [])
        if held:
            owners.append(str(url))
            owned.update(held)
    return sorted(owners) if owned == set(range(partitions)) else None
