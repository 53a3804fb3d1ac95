"""Faust's aiokafka transport with an idempotent producer in every mode.

Faust turns on ``enable_idempotence`` only in exactly-once mode; at-least-once delivery also
wants it, so that a producer retry after a lost acknowledgement cannot write an output twice.
Registered as the ``newsenrich://`` broker scheme through the ``faust.transports`` entry point
(see ``pyproject.toml``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka


class IdempotentProducer(faust_aiokafka.Producer):
    """acks=all and idempotence, whatever the processing guarantee."""

    def _settings_extra(self) -> Mapping[str, Any]:
        return {"acks": "all", "enable_idempotence": True}


class Transport(faust_aiokafka.Transport):
    """The aiokafka transport, producing with ``IdempotentProducer``."""

    Producer = IdempotentProducer
