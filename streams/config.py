"""Worker settings, read from environment variables (the README has the table)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import cast


class ConfigError(ValueError):
    """A setting has a value the worker cannot use; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    bootstrap_servers: str = "127.0.0.1:9092"
    group_id: str = "newsenrich"
    topic_raw: str = "articles.raw"
    topic_enriched: str = "articles.enriched"
    topic_partnerships: str = "compute-partnerships"
    topic_dlq: str = "articles.dlq"
    partitions: int = 4
    replication_factor: int = 1
    batch_size: int = 32
    batch_window_s: float = 0.5
    pool_size: int = 1
    max_record_bytes: int = 1_048_576
    dlq_max_original_bytes: int = 65_536
    preload_languages: str = "en,de"
    processing_guarantee: str = "at_least_once"
    # How long the group waits for a silent (killed) worker before handing its partitions on.
    session_timeout_s: float = 30.0
    web_port: int = 6066  # health endpoint (GET /); 0 disables it
    data_dir: str = "/tmp/newsenrich"
    log_level: str = "info"

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        """Settings from ``KAFKA_BOOTSTRAP_SERVERS`` and ``NEWSENRICH_<FIELD>`` variables."""
        values: dict[str, object] = {}
        for f in fields(cls):
            name = (
                "KAFKA_BOOTSTRAP_SERVERS"
                if f.name == "bootstrap_servers"
                else f"NEWSENRICH_{f.name.upper()}"
            )
            raw = env.get(name)
            if raw is None or raw == "":
                continue
            kind = cast(Callable[[str], object], type(f.default))
            try:
                values[f.name] = kind(raw)
            except ValueError:
                raise ConfigError(f"{name}={raw!r}: expected {type(f.default).__name__}") from None
        settings = cls(**values)  # type: ignore[arg-type]
        settings.check()
        return settings

    def check(self) -> None:
        if self.processing_guarantee not in ("at_least_once", "exactly_once"):
            raise ConfigError(
                "NEWSENRICH_PROCESSING_GUARANTEE must be at_least_once or exactly_once, "
                f"not {self.processing_guarantee!r}"
            )
        for name in (
            "partitions",
            "replication_factor",
            "batch_size",
            "pool_size",
            "max_record_bytes",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"NEWSENRICH_{name.upper()} must be at least 1")

    @property
    def languages(self) -> list[str]:
        return [code.strip() for code in self.preload_languages.split(",") if code.strip()]

    @property
    def topics(self) -> list[str]:
        return [self.topic_raw, self.topic_enriched, self.topic_partnerships, self.topic_dlq]
