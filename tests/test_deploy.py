"""The deployment files parse and agree with the worker's settings (no Docker engine here)."""

from pathlib import Path

import yaml

from streams.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_compose_has_broker_topics_and_worker() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["worker"]["command"] == ["worker"]
    assert services["topics"]["command"] == ["topics"]
    assert (ROOT / "Dockerfile").is_file()


def test_kubernetes_manifests_use_known_settings() -> None:
    config = yaml.safe_load((ROOT / "deploy" / "configmap.yaml").read_text())
    assert config["kind"] == "ConfigMap"
    Settings.from_env(config["data"])  # every value parses
    deployment = yaml.safe_load((ROOT / "deploy" / "deployment.yaml").read_text())
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert {"livenessProbe", "readinessProbe", "resources"} <= set(container)


def test_settings_survive_the_trip_through_the_environment() -> None:
    from streams.config import Settings

    settings = Settings(group_id="g", partitions=6, batch_window_s=0.25, security_protocol="SSL")
    assert Settings.from_env(settings.as_env()) == settings
