"""Reading skipped messages again (``streams.refetch``), on the real broker."""

from __future__ import annotations

import pytest

from streams.refetch import read_offsets
from streams.topics import ensure_topics
from tests.broker_helpers import produce, run_settings

pytestmark = pytest.mark.integration


async def test_the_asked_offsets_come_back_in_order_and_nothing_else(kafka_bootstrap: str) -> None:
    settings = run_settings(kafka_bootstrap, partitions=1)
    await ensure_topics(settings)
    await produce(settings, [(b"k", f"article {i}".encode()) for i in range(12)])
    records = await read_offsets(settings, settings.topic_raw, 0, [2, 3, 7])
    assert [(r.offset, r.value) for r in records] == [
        (2, b"article 2"),
        (3, b"article 3"),
        (7, b"article 7"),
    ]


async def test_offsets_past_the_log_end_time_out_with_a_message(kafka_bootstrap: str) -> None:
    settings = run_settings(kafka_bootstrap, partitions=1)
    await ensure_topics(settings)
    await produce(settings, [(b"k", b"only one")])
    with pytest.raises(TimeoutError, match="were not read within"):
        await read_offsets(settings, settings.topic_raw, 0, [5], timeout_s=2.0)
