"""GET /sessions/{id}/process/export and /process.svg: a designed process as a download and as a diagram."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx
from http_harness import Designed

from process_designer.maps.bpmn_import import parse_bpmn
from process_designer.maps.svg import SVG


def test_export_bpmn_reimports_to_the_designed_steps(client: httpx.Client, designed: Designed) -> None:
    document = client.get(f"/sessions/{designed.session_id}/process").json()["document"]
    response = client.get(f"/sessions/{designed.session_id}/process/export", params={"format": "bpmn"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/xml"
    assert response.headers["content-disposition"].endswith('.bpmn"')
    back = parse_bpmn(response.text, "export.bpmn")
    assert [(s.name, s.responsible, s.depends_on) for s in back.steps] == [
        (s["name"], s["responsible"], s["depends_on"] or ([s["number"] - 1] if s["number"] > 1 else []))
        for s in document["steps"]]
    assert [r.visited for r in back.flow.paths()] == [[s["number"] for s in document["steps"]]]


def test_export_mermaid_and_markdown(client: httpx.Client, designed: Designed) -> None:
    mermaid = client.get(f"/sessions/{designed.session_id}/process/export", params={"format": "mermaid"})
    first = client.get(f"/sessions/{designed.session_id}/process").json()["document"]["steps"][0]
    assert mermaid.status_code == 200
    assert mermaid.text.startswith(f'flowchart TD\n    subgraph lane_1["{first["responsible"]}"]\n'
                                   '        start_event(["Start"])\n')
    markdown = client.get(f"/sessions/{designed.session_id}/process/export", params={"format": "md"})
    assert markdown.text == client.get(f"/sessions/{designed.session_id}/process", params={"format": "md"}).text


def test_export_errors(client: httpx.Client, designed: Designed) -> None:
    assert client.get(f"/sessions/{designed.session_id}/process/export", params={"format": "pdf"}).status_code == 422
    assert client.get("/sessions/no-such-session/process/export").status_code == 404


def test_the_process_diagram_is_an_svg_with_a_linked_task_per_step(client: httpx.Client, designed: Designed) -> None:
    document = client.get(f"/sessions/{designed.session_id}/process").json()["document"]
    response = client.get(f"/sessions/{designed.session_id}/process.svg")
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    assert response.headers["cache-control"] == "no-store"
    root = ET.fromstring(response.text)
    assert root.tag == f"{{{SVG}}}svg"
    tasks = root.findall(f".//{{{SVG}}}g[@data-step]")
    assert [(t.get("data-step"), t.findtext(f"{{{SVG}}}title")) for t in tasks] == [
        (str(s["number"]), f"Step {s['number']}: {s['name']} ({s['responsible']}, {s['duration']})")
        for s in document["steps"]]
    missing = client.get("/sessions/no-such-session/process.svg")
    assert missing.status_code == 404 and missing.json()["detail"].startswith("session 'no-such-session' does not exist")
