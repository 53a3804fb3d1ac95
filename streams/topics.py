"""Creating the worker's topics with explicit partition counts (auto-creation would use the
broker's default count, and Faust raises PartitionsMismatch when counts disagree). The ledger's
``compute-deals`` topic is compacted: it keeps the latest record of each deal. (The ledger
table's changelog topic is Faust's own, also compacted, created by Faust.)"""

from __future__ import annotations

import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from streams.config import Settings
from streams.security import client_options

log = logging.getLogger(__name__)


async def ensure_topics(settings: Settings) -> list[str]:
    """Create whichever of the topics is missing; return the names created."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers, **client_options(settings)
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in settings.topics if t not in existing]
        created = []
        for name in missing:
            try:
                configs = {"cleanup.policy": "compact"} if name == settings.topic_deals else {}
                await admin.create_topics(
                    [
                        NewTopic(
                            name,
                            settings.partitions,
                            settings.replication_factor,
                            topic_configs=configs,
                        )
                    ]
                )
                created.append(name)
            except TopicAlreadyExistsError:  # another worker won the race
                pass
        if created:
            log.info("created topics %s with %d partitions", created, settings.partitions)
        return created
    finally:
        await admin.close()
