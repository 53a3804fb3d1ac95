"""Worker settings, read from environment variables (the README has the table)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import cast

PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
# The broker's default group.min/max.session.timeout.ms: a session outside is refused by Kafka.
SESSION_TIMEOUT_RANGE_S = (6.0, 1800.0)
_HOST_PORT = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")


def env_name(field_name: str) -> str:
    """The environment variable of a setting."""
    if field_name == "bootstrap_servers":
        return "KAFKA_BOOTSTRAP_SERVERS"
    return f"NEWSENRICH_{field_name.upper()}"


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
    # The compute-deal ledger (streams/ledger_table.py): one compacted record per deal.
    topic_deals: str = "compute-deals"
    partitions: int = 4
    replication_factor: int = 1
    batch_size: int = 32
    batch_window_s: float = 0.5
    pool_size: int = 1
    # Batches a worker has in flight: with 2, the pool enriches one batch while the previous
    # one's outputs are sent and the next one fills; offsets are committed only up to the first
    # unfinished one of each partition (streams/offsets.py).
    batches_in_flight: int = 2
    # Time budget of one article in the pool; over it, the article is dead-lettered
    # (enrichment_timeout) and its process replaced.
    article_timeout_s: float = 30.0
    # Text past this many characters is kept in the record but not analysed.
    max_analysed_chars: int = 100_000
    # Largest record the worker sends (Kafka producer max.request.size); larger outputs are
    # dead-lettered as output_too_large. Keep it at or below the broker's message.max.bytes.
    max_output_bytes: int = 1_000_000
    commit_interval_s: float = 2.8
    # How long a starting worker waits for unreachable brokers before giving up (0: forever).
    startup_timeout_s: float = 300.0
    max_record_bytes: int = 1_048_576
    dlq_max_original_bytes: int = 65_536
    preload_languages: str = "en,de"
    processing_guarantee: str = "at_least_once"
    # How long the group waits for a silent (killed) worker before handing its partitions on.
    session_timeout_s: float = 30.0
    # Connection security (see streams/security.py); secrets are kept out of repr and messages.
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "PLAIN"
    sasl_username: str = ""
    sasl_password: str = field(default="", repr=False)
    ssl_cafile: str = ""
    ssl_certfile: str = ""
    ssl_keyfile: str = ""
    ssl_key_password: str = field(default="", repr=False)
    web_port: int = 6066  # metrics, probes and the ledger's /deals; 0 disables it
    # The host other workers reach this one's web server at (Faust's table routing forwards
    # /deals requests there); empty: this machine's hostname. In Kubernetes, the pod IP.
    web_advertised_host: str = ""
    # Workers that keep a warm copy of each ledger partition, to take over without replaying.
    ledger_standby_replicas: int = 1
    data_dir: str = "/tmp/newsenrich"
    log_level: str = "info"
    log_format: str = "text"  # or "json": one JSON object per line

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        """Settings from ``KAFKA_BOOTSTRAP_SERVERS`` and ``NEWSENRICH_<FIELD>`` variables."""
        values: dict[str, object] = {}
        for f in fields(cls):
            name = env_name(f.name)
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

    def as_env(self) -> dict[str, str]:
        """The environment variables that ``from_env`` reads back as these settings (for
        starting worker processes)."""
        return {env_name(f.name): str(getattr(self, f.name)) for f in fields(self)}

    def check(self) -> None:
        """Reject settings the worker cannot use; the message names the variable, never a
        secret's value."""
        self._check_security()
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
            "batches_in_flight",
            "max_record_bytes",
            "max_analysed_chars",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"{env_name(name)} must be at least 1")
        if self.ledger_standby_replicas < 0:
            raise ConfigError("NEWSENRICH_LEDGER_STANDBY_REPLICAS must be 0 or more")
        for name in ("batch_window_s", "article_timeout_s", "commit_interval_s"):
            if not getattr(self, name) > 0:  # also rejects nan
                raise ConfigError(f"{env_name(name)} must be a number of seconds above 0")
        if not self.startup_timeout_s >= 0:
            raise ConfigError(f"{env_name('startup_timeout_s')} must be 0 (forever) or more")
        low, high = SESSION_TIMEOUT_RANGE_S
        if not low <= self.session_timeout_s <= high:
            raise ConfigError(
                f"NEWSENRICH_SESSION_TIMEOUT_S must be between {low:g} and {high:g} seconds "
                "(the broker's default group.min/max.session.timeout.ms)"
            )
        if self.max_output_bytes < 65_536:
            raise ConfigError("NEWSENRICH_MAX_OUTPUT_BYTES must be at least 65536")
        if self.log_level.lower() not in LOG_LEVELS:
            raise ConfigError(
                f"NEWSENRICH_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, "
                f"not {self.log_level!r}"
            )
        if self.log_format not in ("text", "json"):
            raise ConfigError(
                f"NEWSENRICH_LOG_FORMAT must be text or json, not {self.log_format!r}"
            )
        self._check_bootstrap()

    def _check_bootstrap(self) -> None:
        servers = [part.strip() for part in self.bootstrap_servers.split(",")]
        for server in servers:
            match = _HOST_PORT.match(server)
            if match is None or not 0 < int(match.group(1)) < 65536:
                raise ConfigError(
                    f"KAFKA_BOOTSTRAP_SERVERS={self.bootstrap_servers!r}: expected "
                    f"host:port[,host:port...], and {server!r} is not host:port"
                )

    def _check_security(self) -> None:
        protocol = self.security_protocol
        if protocol not in PROTOCOLS:
            raise ConfigError(
                f"NEWSENRICH_SECURITY_PROTOCOL must be one of {', '.join(PROTOCOLS)}, "
                f"not {protocol!r}"
            )
        sasl_given = self.sasl_username or self.sasl_password
        if protocol.startswith("SASL_"):
            if self.sasl_mechanism not in SASL_MECHANISMS:
                raise ConfigError(
                    f"NEWSENRICH_SASL_MECHANISM must be one of {', '.join(SASL_MECHANISMS)}, "
                    f"not {self.sasl_mechanism!r}"
                )
            if not self.sasl_username or not self.sasl_password:
                raise ConfigError(
                    f"NEWSENRICH_SECURITY_PROTOCOL={protocol} needs NEWSENRICH_SASL_USERNAME "
                    "and NEWSENRICH_SASL_PASSWORD"
                )
        elif sasl_given:
            raise ConfigError(
                "SASL credentials are set but NEWSENRICH_SECURITY_PROTOCOL is "
                f"{protocol}; use SASL_SSL (or SASL_PLAINTEXT)"
            )
        ssl_files = {
            "NEWSENRICH_SSL_CAFILE": self.ssl_cafile,
            "NEWSENRICH_SSL_CERTFILE": self.ssl_certfile,
            "NEWSENRICH_SSL_KEYFILE": self.ssl_keyfile,
        }
        if protocol not in ("SSL", "SASL_SSL") and any(ssl_files.values()):
            raise ConfigError(
                f"SSL files are set but NEWSENRICH_SECURITY_PROTOCOL is {protocol}; "
                "use SSL or SASL_SSL"
            )
        for name, path in ssl_files.items():
            if path and not Path(path).is_file():
                raise ConfigError(f"{name}={path!r}: no such file")
        if bool(self.ssl_certfile) != bool(self.ssl_keyfile):
            raise ConfigError(
                "a client certificate needs both NEWSENRICH_SSL_CERTFILE and NEWSENRICH_SSL_KEYFILE"
            )

    @property
    def languages(self) -> list[str]:
        return [code.strip() for code in self.preload_languages.split(",") if code.strip()]

    @property
    def topics(self) -> list[str]:
        return [
            self.topic_raw,
            self.topic_enriched,
            self.topic_partnerships,
            self.topic_dlq,
            self.topic_deals,
        ]
