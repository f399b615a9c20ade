"""A real ``langgraph dev`` server on the designer graph: assistants, the drawn graph, wait and stream runs."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
REFUND = ("When a refund request arrives, look up the order in the CRM; if the order is older than 30 days "
          "reject it; issue the refund in billing; e-mail the customer")
AGENTS = ["requirement_analyst", "process_writer", "spy_coder", "quality_reviewer"]
DESIGN_EDGES = {
    ("__start__", "route_turn"),
    *(("route_turn", agent) for agent in AGENTS),
    ("requirement_analyst", "process_writer"), ("process_writer", "spy_coder"),
    ("spy_coder", "quality_reviewer"), ("quality_reviewer", "process_writer"), ("quality_reviewer", "respond"),
    ("respond", "__end__"),
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _offline_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("LANGSMITH_", "LANGCHAIN_", "OPENAI_", "PD_"))}
    env.update(LANGGRAPH_CLI_NO_ANALYTICS="1", LANGGRAPH_NO_VERSION_CHECK="true", LANGSMITH_TRACING="false",
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    return env


@pytest.fixture
def dev_server(tmp_path: Path) -> Iterator[tuple[httpx.Client, Path]]:
    """The project's langgraph.json, paths made absolute, run from ``tmp_path`` so its data dir lands there."""
    config = json.loads((ROOT / "langgraph.json").read_text(encoding="utf-8"))
    config["dependencies"] = [str(ROOT)]
    graph = config["graphs"]["process_designer"]
    graph["path"] = str(ROOT / graph["path"].removeprefix("./"))
    (tmp_path / "langgraph.json").write_text(json.dumps(config), encoding="utf-8")
    port = _free_port()
    langgraph = shutil.which("langgraph", path=str(Path(sys.executable).parent))
    assert langgraph is not None, "langgraph-cli[inmem] is part of the dev extra"
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [langgraph, "dev", "--no-browser", "--no-reload", "--port", str(port), "--config", "langgraph.json"],
        cwd=tmp_path, env=_offline_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120.0) as client:
            deadline = time.monotonic() + 90
            while True:
                assert process.poll() is None, (tmp_path / "server.log").read_text(errors="replace")
                try:
                    if client.get("/ok", timeout=2.0).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "langgraph dev did not answer /ok within 90 s"
                time.sleep(0.5)
            yield client, tmp_path
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.close()


def _sse_events(body: str) -> list[tuple[str, Any]]:
    events: list[tuple[str, Any]] = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            events.append((fields["event"], json.loads(fields.get("data", "null"))))
    return events


@pytest.mark.slow
def test_studio_serves_the_designer_graph_and_runs_a_design(
    dev_server: tuple[httpx.Client, Path],
) -> None:
    client, workdir = dev_server
    assert client.get("/ok").json()["ok"] is True

    assistants = client.post("/assistants/search", json={"graph_id": "process_designer"}).json()
    assert [a["graph_id"] for a in assistants] == ["process_designer"]
    assistant = assistants[0]
    assert assistant["description"].startswith("Designs a business process from plain-language requirements")

    drawn = client.get(f"/assistants/{assistant['assistant_id']}/graph").json()
    assert [node["id"] for node in drawn["nodes"]] == [
        "__start__", "route_turn", *AGENTS, "answer_question", "compare_processes", "manage_versions",
        "save_as_template", "update_context", "respond", "__end__"]
    edges = {(edge["source"], edge["target"]) for edge in drawn["edges"]}
    assert edges >= DESIGN_EDGES
    assert len(edges) == 26  # route_turn → manage_versions → respond included

    thread = client.post("/threads", json={}).json()
    state = client.post(
        f"/threads/{thread['thread_id']}/runs/wait",
        json={"assistant_id": assistant["assistant_id"], "input": {"input": REFUND}},
        timeout=180.0,
    ).json()
    assert state["intent"] == "design"
    document = state["document"]
    steps = document["steps"]
    assert [step["number"] for step in steps] == [1, 2, 3, 4, 5]
    names = [step["name"] for step in steps]
    assert [name for name in names if name.startswith("Look up")] == ["Look up order"]
    assert [name for name in names if name.startswith("Issue")] == ["Issue refund"]
    assert [step["systems"] for step in steps if step["name"] in ("Look up order", "Issue refund")] == [
        ["crm"], ["billing"]]
    assert [entry["role"] for entry in state["messages"]] == ["USER", "ASSISTANT"]
    assert [version["number"] for version in state["versions"]] == [1]
    # Studio's data never lands in the service's default directory.
    assert (workdir / ".process-designer" / "studio").is_dir()

    # Saving as a template waits for a person's approval (an interrupt), then resumes with the answer. The
    # text names no performer, so the user insists (the roles come from a template, which the gate refuses).
    waiting = client.post(
        f"/threads/{thread['thread_id']}/runs/wait",
        json={"assistant_id": assistant["assistant_id"], "input": {"input": "save this as a template anyway"}},
        timeout=120.0,
    ).json()
    asked = waiting["__interrupt__"][0]["value"]
    assert asked["template_id"] == document["title"].lower().replace(" ", "-")
    assert asked["question"].startswith(f"Save '{document['title']}'")
    resumed = client.post(
        f"/threads/{thread['thread_id']}/runs/wait",
        json={"assistant_id": assistant["assistant_id"], "command": {"resume": {"approved": True}}},
        timeout=120.0,
    ).json()
    assert resumed["reply"].startswith(f"Saved as the template '{asked['template_id']}'")
    assert (workdir / ".process-designer" / "studio" / "templates" / f"{asked['template_id']}.toml").is_file()

    second = client.post("/threads", json={}).json()
    with client.stream(
        "POST", f"/threads/{second['thread_id']}/runs/stream",
        json={"assistant_id": assistant["assistant_id"], "input": {"input": REFUND}, "stream_mode": ["updates"]},
        timeout=180.0,
    ) as response:
        assert response.status_code == 200
        events = _sse_events(response.read().decode("utf-8"))
    assert events[0][0] == "metadata"
    updates = [next(iter(data)) for name, data in events if name == "updates"]
    assert updates == ["route_turn", *AGENTS, "respond"]
    assert [name for name, _ in events if name == "error"] == []


@pytest.mark.slow
def test_studio_draws_the_input_and_state_forms_from_the_schemas(dev_server: tuple[httpx.Client, Path]) -> None:
    client, _ = dev_server
    (assistant,) = client.post("/assistants/search", json={"graph_id": "process_designer"}).json()
    response = client.get(f"/assistants/{assistant['assistant_id']}/schemas")
    assert response.status_code == 200, response.text
    schemas = response.json()
    assert schemas["graph_id"] == "process_designer"
    assert sorted(schemas["input_schema"]["properties"]) == ["context", "input", "role", "title"]
    assert schemas["input_schema"]["properties"]["input"]["type"] == "string"
    for name in ("state_schema", "output_schema"):  # both draw the full state, with its typed entries
        schema = schemas[name]
        assert list(schema["properties"]) == [
            "input", "role", "title", "context", "messages", "versions", "intent", "requirement", "document",
            "changed", "changed_steps", "revisions", "fixed", "summary", "reply", "stage"]
        assert schema["properties"]["stage"]["$ref"] == "#/$defs/Stage"
        assert schema["$defs"]["Stage"]["required"] == ["agent", "content"]
        assert schema["$defs"]["ChatEntry"]["required"] == ["role", "content", "agent", "at"]
    # The designer's dependencies (engines, stores) are nothing a client can send.
    assert schemas["context_schema"] is None
