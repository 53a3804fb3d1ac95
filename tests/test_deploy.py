"""The deployment files parse, validate against Kubernetes' and KEDA's schemas, and agree with
the worker's settings and with each other (no Docker engine or cluster here)."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from cloudcoil.models.keda import v1alpha1 as keda  # KEDA 2.16's CRDs as pydantic models
from pydantic import BaseModel, RootModel

from streams.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
# Kubernetes version the manifests are validated for (a schema set kubernetes-validate ships).
KUBERNETES_VERSION = "1.30"
# The metric names the worker serves on GET /metrics (issue 14's contract).
COUNTERS = {
    "newsenrich_articles_consumed_total",
    "newsenrich_articles_enriched_total",
    "newsenrich_articles_dead_lettered_total",
    "newsenrich_deals_detected_total",
    "newsenrich_enrichment_cpu_seconds_total",
    "newsenrich_pool_restarts_total",
    "newsenrich_rebalances_total",
    "newsenrich_ledger_reports_total",
}
HISTOGRAMS = {"newsenrich_batch_size", "newsenrich_batch_seconds"}
GAUGES = {"newsenrich_consumer_lag"}


def manifests() -> list[tuple[str, dict[str, Any]]]:
    """Every Kubernetes object in deploy/, as (file:index, object)."""
    found = []
    for path in sorted([*DEPLOY.glob("*.yaml"), *DEPLOY.glob("*.yml")]):
        for index, document in enumerate(yaml.safe_load_all(path.read_text())):
            if document is not None:
                found.append((f"{path.name}:{index}", document))
    return found


def manifest(kind: str) -> dict[str, Any]:
    (only,) = [m for _, m in manifests() if m["kind"] == kind]
    return only


def configmap() -> dict[str, str]:
    data: dict[str, str] = manifest("ConfigMap")["data"]
    return data


def worker_container() -> dict[str, Any]:
    (container,) = manifest("Deployment")["spec"]["template"]["spec"]["containers"]
    found: dict[str, Any] = container
    return found


# --- schemas -------------------------------------------------------------------------------


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models a field annotation can hold (through Optional, list, Union)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def unknown_fields(model: type[BaseModel], data: Any, path: str = "$") -> list[str]:
    """Fields the CRD does not define (``kubectl apply --validate=strict`` rejects them; the API
    server would silently prune them). The generated models accept extra fields, so walk them."""
    if issubclass(model, RootModel):
        root = model.model_fields["root"].annotation
        return [e for m in _models_in(root) for e in unknown_fields(m, data, path)]
    if not isinstance(data, dict):
        return []
    fields = {(f.alias or name): f for name, f in model.model_fields.items()}
    errors = []
    for key, value in data.items():
        if key not in fields:
            errors.append(f"{path}.{key}: not a field of {model.__name__}")
            continue
        for sub in _models_in(fields[key].annotation):
            for item in value if isinstance(value, list) else [value]:
                errors += unknown_fields(sub, item, f"{path}.{key}")
    return errors


def validate(document: dict[str, Any]) -> None:
    """Raise unless the object is valid: built-in kinds with kubernetes-validate (strict: unknown
    fields are errors); KEDA's with the models generated from KEDA's CRDs (cloudcoil-models-keda
    on PyPI) in pydantic's strict mode, plus unknown fields and the CRD's CEL rule."""
    if document["apiVersion"] == "keda.sh/v1alpha1":
        model = getattr(keda, document["kind"])
        model.model_validate(document, strict=True)
        errors = unknown_fields(model, document)
        if errors:
            raise ValueError("; ".join(errors))
        spec = document["spec"]
        # The CRD's x-kubernetes-validations rule, and its required trigger list.
        if not spec.get("minReplicaCount", 0) <= spec.get("maxReplicaCount", 100):
            raise ValueError("minReplicaCount must not exceed maxReplicaCount")
        if not spec.get("triggers"):
            raise ValueError("a ScaledObject needs at least one trigger")
    else:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize(("name", "document"), manifests(), ids=[n for n, _ in manifests()])
def test_every_manifest_validates(name: str, document: dict[str, Any]) -> None:
    validate(document)


def test_deploy_holds_the_expected_objects() -> None:
    kinds = sorted(m["kind"] for _, m in manifests())
    assert kinds == ["ConfigMap", "Deployment", "PodDisruptionBudget", "ScaledObject"]


def test_the_validators_catch_mistakes() -> None:
    deployment = manifest("Deployment")
    misspelt = json.loads(json.dumps(deployment))
    misspelt["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(misspelt)
    scaled = manifest("ScaledObject")
    for path, value in (
        (("spec", "maxReplicaCount"), "12"),  # a string where the CRD wants an integer
        (("spec", "triggers", 0, "metadata", "lagThreshold"), 400),  # metadata are strings
        (("spec", "minReplicaCout"), 1),  # unknown field
        (("spec", "triggers"), []),  # minItems 1
    ):
        broken = json.loads(json.dumps(scaled))
        target = broken
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        with pytest.raises(ValueError):  # pydantic's ValidationError is a ValueError
            validate(broken)


# --- agreement between the files -----------------------------------------------------------


def test_compose_has_broker_topics_and_worker() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["worker"]["command"] == ["worker"]
    assert services["topics"]["command"] == ["topics"]
    assert (ROOT / "Dockerfile").is_file()


def test_kubernetes_manifests_use_known_settings() -> None:
    Settings.from_env(configmap())  # every value parses
    container = worker_container()
    assert {"livenessProbe", "readinessProbe", "startupProbe", "resources"} <= set(container)
    assert container["envFrom"] == [
        {"configMapRef": {"name": manifest("ConfigMap")["metadata"]["name"]}}
    ]
    # The pod's own address, where other workers forward /deals requests (table routing).
    assert container["env"] == [
        {
            "name": "NEWSENRICH_WEB_ADVERTISED_HOST",
            "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}},
        }
    ]
    assert Settings.from_env({"NEWSENRICH_WEB_ADVERTISED_HOST": "10.0.0.7"}).web_advertised_host


def test_scaledobject_follows_the_configmap() -> None:
    settings = Settings.from_env(configmap())
    scaled = manifest("ScaledObject")["spec"]
    (trigger,) = scaled["triggers"]
    assert trigger["type"] == "kafka"
    assert trigger["metadata"]["topic"] == settings.topic_raw == configmap()["NEWSENRICH_TOPIC_RAW"]
    assert (
        trigger["metadata"]["consumerGroup"]
        == settings.group_id
        == configmap()["NEWSENRICH_GROUP_ID"]
    )
    assert trigger["metadata"]["bootstrapServers"] == configmap()["KAFKA_BOOTSTRAP_SERVERS"]
    assert int(trigger["metadata"]["lagThreshold"]) > 0
    assert scaled["minReplicaCount"] == 1
    assert (
        scaled["maxReplicaCount"]
        == settings.partitions
        == int(configmap()["NEWSENRICH_PARTITIONS"])
    )
    deployment = manifest("Deployment")
    assert scaled["scaleTargetRef"] == {
        "apiVersion": deployment["apiVersion"],
        "kind": "Deployment",
        "name": deployment["metadata"]["name"],
    }
    assert "replicas" not in deployment["spec"]  # KEDA owns the count


def test_probes_and_scrape_annotations_use_the_web_port() -> None:
    settings = Settings.from_env(configmap())
    container = worker_container()
    (port,) = container["ports"]
    assert port == {"name": "web", "containerPort": settings.web_port}
    assert container["livenessProbe"]["httpGet"] == {"path": "/livez", "port": "web"}
    assert container["startupProbe"]["httpGet"] == {"path": "/livez", "port": "web"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "web"}
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] > settings.startup_timeout_s
    annotations = manifest("Deployment")["spec"]["template"]["metadata"]["annotations"]
    assert annotations == {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": str(settings.web_port),
        "prometheus.io/path": "/metrics",
    }


def mebibytes(quantity: str) -> float:
    """A Kubernetes memory quantity with a binary suffix (768Mi, 1Gi) in MiB."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(Ki|Mi|Gi)", quantity)
    assert match, f"write memory as Ki, Mi or Gi: {quantity}"
    return float(match[1]) * {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024}[match[2]]


def test_memory_covers_the_measured_peak_with_headroom() -> None:
    performance = (ROOT / "README.md").read_text()
    measured = re.search(r"worker main (\d+) MB, enrichment process \**≤ (\d+) MB", performance)
    assert measured, "README's Performance table no longer states the peak RSS per process"
    main_mib, process_mib = (int(g) for g in measured.groups())  # procstats reports MiB
    peak = main_mib + process_mib * Settings.from_env(configmap()).pool_size
    resources = worker_container()["resources"]
    request = mebibytes(resources["requests"]["memory"])
    limit = mebibytes(resources["limits"]["memory"])
    assert request >= 1.25 * peak, (request, peak)
    assert limit >= 1.5 * peak and limit >= request, (limit, peak)


def test_disruption_budget_covers_the_workers() -> None:
    budget = manifest("PodDisruptionBudget")["spec"]
    assert budget["maxUnavailable"] == 1
    labels = manifest("Deployment")["spec"]["template"]["metadata"]["labels"]
    assert budget["selector"]["matchLabels"].items() <= labels.items()


# --- Grafana dashboard ---------------------------------------------------------------------

# PromQL functions a dashboard query may call (aggregations included).
PROMQL_FUNCTIONS = {
    "avg",
    "clamp_min",
    "count",
    "histogram_quantile",
    "increase",
    "irate",
    "max",
    "min",
    "rate",
    "sum",
    "topk",
}


def dashboard_queries() -> list[tuple[str, str]]:
    dashboard = json.loads((DEPLOY / "grafana-dashboard.json").read_text())
    return [
        (panel["title"], target["expr"])
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
    ]


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (functions and label names left out)."""
    rest = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)  # string literals
    rest = re.sub(r"\{[^}]*\}", "", rest)  # label matchers
    rest = re.sub(r"\[[^\]]*\]", "", rest)  # range selectors
    rest = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", rest)
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", rest):
        following = rest[match.end() :].lstrip()
        if following.startswith("("):
            assert match.group() in PROMQL_FUNCTIONS, f"unknown function {match.group()} in {expr}"
        elif match.group() not in {"and", "or", "unless", "bool", "offset", "e", "Inf", "NaN"}:
            names.add(match.group())
    return names


def test_dashboard_queries_only_contract_metrics() -> None:
    allowed = (
        COUNTERS
        | GAUGES
        | {f"{h}_{suffix}" for h in HISTOGRAMS for suffix in ("bucket", "sum", "count")}
    )
    used = set()
    for title, expr in dashboard_queries():
        names = metric_names(expr)
        assert names, f"{title}: {expr} selects no metric"
        assert names <= allowed, f"{title}: {sorted(names - allowed)} not served by the worker"
        used |= names
    assert "newsenrich_consumer_lag" in used


def test_contract_is_what_the_worker_serves() -> None:
    """The dashboard's metric list is the worker's: every name, with its sample suffixes."""
    from prometheus_client.parser import text_string_to_metric_families

    from streams.metrics import WorkerMetrics

    metrics = WorkerMetrics("articles.enriched", "compute-partnerships", "articles.dlq")
    metrics.set_lag({("articles.raw", 0): 3}, [("articles.raw", 0)])
    metrics.dead_lettered.labels("invalid_json").inc()
    metrics.ledger_done(["counted", "replayed", "invalid"])
    served = {
        sample.name
        for family in text_string_to_metric_families(metrics.render().decode())
        for sample in family.samples
    }
    contract = (
        COUNTERS
        | GAUGES
        | {f"{h}_{suffix}" for h in HISTOGRAMS for suffix in ("bucket", "sum", "count")}
    )
    assert contract <= served, sorted(contract - served)
    assert {name for name in served if not name.endswith("_created")} == contract


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("throughput", r"rate\(newsenrich_articles_enriched_total\["),
        ("lag by partition", r"sum by \(partition\) \(newsenrich_consumer_lag\)"),
        (
            "dead letters by reason",
            r"sum by \(reason\) \(rate\(newsenrich_articles_dead_lettered_total\[",
        ),
        (
            "batch latency",
            r"histogram_quantile\(0\.\d+, sum by \(le\) \(rate\(newsenrich_batch_seconds_bucket\[",
        ),
        ("enrichment CPU", r"rate\(newsenrich_enrichment_cpu_seconds_total\["),
    ],
)
def test_dashboard_has_the_panel(what: str, pattern: str) -> None:
    assert any(re.search(pattern, expr) for _, expr in dashboard_queries()), what


def test_metric_names_reads_promql() -> None:
    assert metric_names(
        'histogram_quantile(0.9, sum by (le) (rate(x_bucket{job="a", le!="1"}[5m]))) / y'
    ) == {"x_bucket", "y"}
