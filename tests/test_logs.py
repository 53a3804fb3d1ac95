"""Logs: storms of one message held back, and JSON lines with the article's context."""

from __future__ import annotations

import logging

import orjson

from streams.logs import JsonFormatter, RepeatFilter


def test_a_storm_of_one_message_is_let_through_once_per_interval() -> None:
    now = [0.0]
    repeat = RepeatFilter(interval_s=10.0, clock=lambda: now[0])

    def record(msg: str, level: int = logging.ERROR) -> logging.LogRecord:
        return logging.LogRecord("aiokafka", level, __file__, 1, msg, ("node-1",), None)

    passed = [repeat.filter(record("Unable to connect to %s")) for _ in range(100)]
    assert passed.count(True) == 1
    assert repeat.filter(record("another message %s"))
    assert repeat.filter(record("debug lines always pass %s", logging.DEBUG))
    now[0] = 11.0
    summary = record("Unable to connect to %s")
    assert repeat.filter(summary)
    assert "99 repeats held back" in summary.getMessage()


def test_json_log_lines_carry_the_article_context() -> None:
    record = logging.LogRecord(
        "streams.processing", logging.WARNING, __file__, 1, "dead letter %s", ("x",), None
    )
    record.article_id, record.partition, record.offset = "a-1", 2, 17
    line = orjson.loads(JsonFormatter().format(record))
    assert line["message"] == "dead letter x" and line["level"] == "warning"
    assert (line["article_id"], line["partition"], line["offset"]) == ("a-1", 2, 17)
