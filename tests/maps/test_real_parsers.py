"""Acceptance: exports are read by real implementations — bpmn-moddle for BPMN 2.0, mermaid for the flowchart."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from process_designer.domain.models import ProcessDocument
from process_designer.maps import parse_bpmn, to_bpmn, to_mermaid
from tests.graph_documents import claim, purchase

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "tests" / "js"


@pytest.fixture(scope="session", autouse=True)
def node_packages() -> None:
    """``npm ci`` on a fresh clone, so a plain ``make test`` has the readers too."""
    subprocess.run([str(ROOT / "scripts" / "ensure_node_packages.sh")], check=True, timeout=600)


def run_node(script: str, text: str, suffix: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / f"export{suffix}"
    path.write_text(text, encoding="utf-8")
    return subprocess.run(["node", str(JS / script), str(path)], capture_output=True, text=True, timeout=120,
                          cwd=JS)


def read_bpmn(xml: str, tmp_path: Path) -> dict[str, Any]:
    done = run_node("check_bpmn.mjs", xml, ".bpmn", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_bpmn_export_is_read_by_bpmn_moddle_without_warnings(expense_document: ProcessDocument,
                                                             tmp_path: Path) -> None:
    read = read_bpmn(to_bpmn(expense_document), tmp_path)
    assert read == {
        "warnings": [],
        "tasks": ["Submit claim", "Check receipts", "Manager approval", "Audit sample", "Reimburse employee"],
        "exclusiveGateways": ["Receipts complete?", "Amount over 250 USD?"],
        "parallelGateways": 2,  # the split after the receipt check and the join before reimbursement
        "sequenceFlows": 13,
        "diagramShapes": 17,  # 12 flow nodes (two ends), 4 lanes and the pool
    }


def test_bpmn_of_a_decision_parallel_work_and_a_loop_reimports_cleanly(tmp_path: Path) -> None:
    assert read_bpmn(to_bpmn(purchase()), tmp_path) == {
        "warnings": [],
        "tasks": ["Submit purchase request", "Approve as CFO", "Approve as team lead", "Order from vendor",
                  "Reserve budget", "Close request", "Reject request"],
        "exclusiveGateways": ["Amount over 10,000?", "Approved?"], "parallelGateways": 2, "sequenceFlows": 15,
        "diagramShapes": 20}
    assert read_bpmn(to_bpmn(claim()), tmp_path)["warnings"] == []


def test_bpmn_export_reimports_to_the_same_steps_and_graph(expense_document: ProcessDocument) -> None:
    back = parse_bpmn(to_bpmn(expense_document), "expense.bpmn")
    assert [(s.number, s.name, s.responsible, s.depends_on) for s in back.steps] == [
        (1, "Submit claim", "Employee", []), (2, "Check receipts", "Finance Clerk", [1]),
        (3, "Manager approval", "Manager", [2]), (4, "Audit sample", "Auditor", [2]),
        (5, "Reimburse employee", "Finance Clerk", [2, 3, 4])]
    assert [(r.visited, r.ends) for r in back.flow.paths()] == [
        ([1, 2], ["end_1"]), ([1, 2, 4, 3, 5], ["end"]), ([1, 2, 4, 5], ["end"])]


def test_bpmn_moddle_check_fails_on_a_warning(tmp_path: Path) -> None:
    broken = ('<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions '
              'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">'
              '<bpmn:process id="p"><bpmn:sequenceFlow id="f" sourceRef="missing" targetRef="p"/>'
              '</bpmn:process></bpmn:definitions>')
    done = run_node("check_bpmn.mjs", broken, ".bpmn", tmp_path)
    assert done.returncode == 1
    assert json.loads(done.stdout)["warnings"] == ["unresolved reference <missing>"]


def test_mermaid_export_parses_with_a_node_per_step_and_gateway(expense_document: ProcessDocument,
                                                               tmp_path: Path) -> None:
    done = run_node("check_mermaid.mjs", to_mermaid(expense_document), ".mmd", tmp_path)
    assert done.returncode == 0, done.stderr
    parsed = json.loads(done.stdout)
    assert parsed["diagramType"] == "flowchart-v2"
    shapes = {n["id"]: n["shape"] for n in parsed["nodes"]}
    assert {i: s for i, s in shapes.items() if i.startswith("step_")} == {f"step_{n}": "square" for n in range(1, 6)}
    assert {i: s for i, s in shapes.items() if not i.startswith("step_")} == {
        "start_event": "stadium", "end_event": "stadium", "end_event_1": "stadium", "decision_1": "diamond",
        "decision_2": "diamond", "parallel_1": "hexagon", "parallel_2": "hexagon", "errors": "lean_right",
        "failed": "stadium"}
    branches = sorted((e["from"], e["label"], e["to"]) for e in parsed["edges"] if e["from"].startswith("decision_"))
    assert branches == [("decision_1", "otherwise", "parallel_1"), ("decision_1", "receipts missing", "end_event_1"),
                        ("decision_2", "amount over 250 USD", "step_3"), ("decision_2", "otherwise", "parallel_2")]
    assert sorted(e["to"] for e in parsed["edges"] if e["from"] == "parallel_1") == ["decision_2", "step_4"]
    loop = run_node("check_mermaid.mjs", to_mermaid(claim()), ".mmd", tmp_path)
    assert loop.returncode == 0, loop.stderr
    assert ("decision_1", "step_2", "marked Not OK, again") in [
        (e["from"], e["to"], e["label"]) for e in json.loads(loop.stdout)["edges"]]


def test_mermaid_check_fails_on_text_mermaid_cannot_parse(tmp_path: Path) -> None:
    done = run_node("check_mermaid.mjs", "flowchart TD\n  a -->> ((b\n", ".mmd", tmp_path)
    assert done.returncode == 1
    assert "mermaid cannot parse it: Parse error on line 2" in done.stderr


def render_in_chromium(browser: Browser, text: str) -> str:
    """The SVG mermaid draws for ``text`` in a page that loads mermaid from node_modules and nothing else."""
    page = browser.contexts[0].new_page()
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url))
    try:
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(content=(JS / "node_modules" / "mermaid" / "dist" / "mermaid.min.js").read_text())
        svg: str = page.evaluate("""async (text) => {
            mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
            const { svg } = await mermaid.render("exported", text);
            return svg;
        }""", text)
    finally:
        page.close()
    assert outside == [], f"the render fetched from outside: {outside}"
    return svg


def test_mermaid_export_renders_an_svg_with_a_node_per_step(browser: Browser,
                                                            expense_document: ProcessDocument) -> None:
    svg = render_in_chromium(browser, to_mermaid(expense_document))
    assert svg.startswith('<svg id="exported"')
    assert "Syntax error" not in svg
    drawn = re.findall(r'<g class="node [^"]*" id="exported-flowchart-(\w+?)-\d+"', svg)
    assert sorted(n for n in drawn if n.startswith("step_")) == [f"step_{n}" for n in range(1, 6)]
    assert sorted(n for n in drawn if n.startswith(("decision_", "parallel_"))) == [
        "decision_1", "decision_2", "parallel_1", "parallel_2"]
    lanes = re.findall(r'<g class="cluster" id="exported-(lane_\d+)"', svg)
    assert sorted(lanes) == ["lane_1", "lane_2", "lane_3", "lane_4"]
    for name in ("Submit claim", "Check receipts", "Manager approval", "Audit sample", "Reimburse employee"):
        assert name in svg
