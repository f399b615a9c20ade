"""The SVG diagram: drawn from the graph in lanes, tasks linked to steps, laid out without overlaps in Chromium."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from playwright.sync_api import Browser

from process_designer.domain.models import ProcessDocument
from process_designer.maps import export_document
from process_designer.maps.svg import SVG, to_svg
from tests.graph_documents import claim, purchase

Q = f"{{{SVG}}}"


def test_tasks_decisions_parallel_work_and_ends_are_drawn_in_lanes() -> None:
    root = ET.fromstring(to_svg(purchase()))
    assert root.findtext(f"{Q}title") == "Purchase Approval: process diagram"
    lanes = [lane.findtext(f"{Q}text") for lane in root.iter(f"{Q}g") if lane.get("class") == "pd-lane"]
    assert lanes == ["Requester", "CFO", "Team Lead", "Procurement", "Finance"]
    kinds: dict[str, list[str]] = {}
    for group in root.iter(f"{Q}g"):
        if (group.get("class") or "").startswith("pd-node "):
            kinds.setdefault(group.get("class", "").split()[1], []).append(group.get("id", ""))
    assert kinds == {"pd-start": ["pd-start_event"], "pd-task": [f"pd-step_{n}" for n in (1, 2, 3, 5, 6, 7, 4)],
                     "pd-decision": ["pd-decision_1", "pd-decision_2"], "pd-split": ["pd-parallel_1"],
                     "pd-join": ["pd-parallel_2"], "pd-end": ["pd-end_event", "pd-end_event_1"]}
    tasks = {g.get("data-step"): g.findtext(f"{Q}title") for g in root.iter(f"{Q}g") if g.get("data-step")}
    assert tasks["2"] == "Step 2: Approve as CFO (CFO, 1 business day)"
    branches = {(g.get("data-from"), g.get("data-to")): (g.get("class"), g.findtext(f"{Q}text"))
                for g in root.iter(f"{Q}g") if (g.get("class") or "").startswith("pd-flow")}
    assert branches[("decision_1", "step_2")] == ("pd-flow", "amount over 10,000")
    assert branches[("decision_1", "step_3")] == ("pd-flow pd-default", "otherwise")
    assert branches[("decision_2", "step_4")] == ("pd-flow pd-default", "otherwise")
    assert branches[("step_4", "end_event_1")] == ("pd-flow", None)
    ends = ["".join(g.find(f"{Q}text").itertext()) for g in root.iter(f"{Q}g")  # type: ignore[union-attr]
            if g.get("class") == "pd-node pd-end"]
    assert ends == ["End", "Request rejected"]
    loop = {(g.get("data-from"), g.get("data-to")): g.get("class") for g in ET.fromstring(to_svg(claim())).iter(
        f"{Q}g") if g.get("data-from")}
    assert loop[("decision_1", "step_2")] == "pd-flow pd-loop"


def test_names_are_escaped_and_the_export_format_is_svg() -> None:
    document = purchase()
    steps = [s.model_copy(update={"name": 'Check <b>"A&B"</b>'}) if s.number == 1 else s for s in document.steps]
    text = export_document(document.model_copy(update={"steps": steps}), "svg")
    root = ET.fromstring(text)
    first = next(g for g in root.iter(f"{Q}g") if g.get("data-step") == "1")
    assert first.findtext(f"{Q}title") == 'Step 1: Check <b>"A&B"</b> (Requester, 15 minutes)'
    assert "<b>" not in text


def boxes(browser: Browser, document: ProcessDocument) -> dict[str, Any]:
    """Chromium's layout of the drawing: every node's box, the canvas, and whether every label fits."""
    page = browser.contexts[0].new_page()
    try:
        page.set_content(f"<!doctype html><html><body style='margin:0'>{to_svg(document)}</body></html>")
        result: dict[str, Any] = page.evaluate("""() => {
            const svg = document.querySelector("svg");
            const canvas = svg.getBoundingClientRect();
            const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
            const nodes = Object.fromEntries([...svg.querySelectorAll(".pd-node")].map(
                (g) => [g.id, box(g.querySelector("rect, polygon, circle"))]));
            const texts = [...svg.querySelectorAll("text")].map(box);
            return { canvas: [canvas.left, canvas.top, canvas.right, canvas.bottom], nodes, texts };
        }""")
    finally:
        page.close()
    return result


def test_chromium_draws_every_node_apart_and_every_label_on_the_canvas(browser: Browser) -> None:
    for document in (purchase(), claim()):
        drawn = boxes(browser, document)
        nodes = list(drawn["nodes"].items())
        assert len(nodes) == len(document.flow.nodes)
        for index, (name, (l1, t1, r1, b1)) in enumerate(nodes):
            assert r1 > l1 and b1 > t1, name
            for other, (l2, t2, r2, b2) in nodes[index + 1:]:
                assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, f"{name} overlaps {other}"
        left, top, right, bottom = drawn["canvas"]
        for x1, y1, x2, y2 in drawn["texts"]:
            assert left <= x1 and x2 <= right and top <= y1 and y2 <= bottom
