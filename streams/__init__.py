"""Real-time news enrichment: language, entities and compute partnerships on Kafka."""

__version__ = "0.1.0"
