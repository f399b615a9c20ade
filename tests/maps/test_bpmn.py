"""BPMN 2.0 export checked structurally, re-imported to the same process, and bad files named precisely."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from process_designer.domain.models import ProcessDocument
from process_designer.maps.bpmn import BPMN, BPMNDI, DC, DI, to_bpmn
from process_designer.maps.bpmn_import import parse_bpmn
from process_designer.maps.errors import MapError
from tests.graph_documents import claim, purchase

Q = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def test_structure_namespaces_lanes_flows_and_shapes(expense_document: ProcessDocument) -> None:
    xml = to_bpmn(expense_document)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="' + BPMN)
    root = ET.fromstring(xml)
    process = root.find("bpmn:process", Q)
    assert process is not None and process.get("isExecutable") == "false"
    participant = root.find("bpmn:collaboration/bpmn:participant", Q)
    assert participant is not None and participant.get("processRef") == process.get("id")
    kinds = [_local(child.tag) for child in process if _local(child.tag) != "documentation"]
    assert kinds[:3] == ["laneSet", "startEvent", "scriptTask"]
    assert kinds.count("exclusiveGateway") == 2 and kinds.count("parallelGateway") == 2
    assert [(e.get("id"), e.get("name")) for e in process.findall("bpmn:endEvent", Q)] == [
        ("end_event_1", "Claim rejected"), ("end_event", "End")]
    lanes = {lane.get("name"): [r.text for r in lane.findall("bpmn:flowNodeRef", Q)]
             for lane in process.findall("bpmn:laneSet/bpmn:lane", Q)}
    assert lanes == {"Employee": ["start_event", "step_1"],
                     "Finance Clerk": ["step_2", "decision_1", "end_event_1", "parallel_1", "decision_2", "parallel_2",
                                       "step_5", "end_event"],
                     "Manager": ["step_3"], "Auditor": ["step_4"]}

    ids = {element.get("id") for element in process.iter() if element.get("id")}
    flows = process.findall("bpmn:sequenceFlow", Q)
    for flow in flows:
        assert flow.get("sourceRef") in ids and flow.get("targetRef") in ids, flow.get("id")
    branches = {}
    for gateway in process.findall("bpmn:exclusiveGateway", Q):
        out = [f for f in flows if f.get("sourceRef") == gateway.get("id")]
        default = gateway.get("default")
        branches[gateway.get("name")] = [
            (f.get("name"), f.get("targetRef"), f.get("id") == default,
             None if (c := f.find("bpmn:conditionExpression", Q)) is None else c.text) for f in out]
    assert branches == {
        "Receipts complete?": [("receipts missing", "end_event_1", False, "${receipts_missing == true}"),
                               ("otherwise", "parallel_1", True, None)],
        "Amount over 250 USD?": [("amount over 250 USD", "step_3", False, "${amount > 250}"),
                                 ("otherwise", "parallel_2", True, None)]}
    directions = {g.get("id"): g.get("gatewayDirection") for g in process.findall("bpmn:parallelGateway", Q)}
    assert directions == {"parallel_1": "Diverging", "parallel_2": "Converging"}

    plane = root.find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", Q)
    assert plane is not None and plane.get("bpmnElement") == "collaboration_1"
    shapes = {s.get("bpmnElement"): s for s in plane.findall("bpmndi:BPMNShape", Q)}
    nodes = {e.get("id") for e in process if _local(e.tag) not in ("laneSet", "sequenceFlow", "documentation")}
    lane_ids = {lane.get("id") for lane in process.iter(f"{{{BPMN}}}lane")}
    assert set(shapes) == nodes | lane_ids | {"participant_1"}
    for element, shape in shapes.items():
        bounds = shape.find("dc:Bounds", Q)
        assert bounds is not None, element
        assert float(bounds.get("width", "0")) > 0 and float(bounds.get("height", "0")) > 0
    edges = {e.get("bpmnElement"): e for e in plane.findall("bpmndi:BPMNEdge", Q)}
    assert set(edges) == {f.get("id") for f in flows}
    assert all(len(e.findall("di:waypoint", Q)) >= 2 for e in edges.values())
    decision = shapes["decision_2"].find("dc:Bounds", Q)
    step_4 = shapes["step_4"].find("dc:Bounds", Q)
    assert decision is not None and step_4 is not None
    assert decision.get("x") != step_4.get("x") or decision.get("y") != step_4.get("y")
    x = {n: float(shapes[n].find("dc:Bounds", Q).get("x", "0")) for n in ("parallel_1", "step_3", "step_4", "step_5")}
    assert x["parallel_1"] < x["step_4"] < x["step_5"] and x["step_3"] < x["step_5"]  # every flow points right


def canonical(document: ProcessDocument) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    flow = document.flow
    return (sorted((n.id, n.kind, n.label, n.step, n.performer) for n in flow.nodes),
            sorted((e.source, e.target, e.condition or "", e.default, tuple(r.text() for r in e.rules))
                   for e in flow.edges))


def test_export_then_import_gives_the_same_process(expense_document: ProcessDocument) -> None:
    back = parse_bpmn(to_bpmn(expense_document), "expense.bpmn")
    assert back.model_dump(exclude={"flow"}) == expense_document.model_dump(exclude={"flow"})
    assert canonical(back) == canonical(expense_document)
    assert [r.visited for r in back.flow.paths()] == [r.visited for r in expense_document.flow.paths()]


def test_a_loop_and_an_ordered_decision_survive_the_round_trip() -> None:
    for document in (claim(), purchase()):
        back = parse_bpmn(to_bpmn(document), "claim.bpmn")
        assert canonical(back) == canonical(document)
        assert back.flow.back_edges() == document.flow.back_edges()


def test_foreign_bpmn_reads_tasks_lanes_gateways_and_events() -> None:
    xml = f"""<definitions xmlns="{BPMN}" id="d"><process id="p" name="Orders">
      <laneSet><lane id="l1" name="Sales"><flowNodeRef>a</flowNodeRef></lane>
               <lane id="l2" name="Warehouse"><flowNodeRef>b</flowNodeRef><flowNodeRef>c</flowNodeRef>
               <flowNodeRef>d</flowNodeRef></lane></laneSet>
      <startEvent id="s"/><userTask id="a" name="Take order"/>
      <exclusiveGateway id="g" name="In stock?" default="f4"/>
      <parallelGateway id="fork"/><parallelGateway id="merge"/>
      <serviceTask id="b" name="Ship goods"/><manualTask id="c" name="Back-order"/>
      <sendTask id="d" name="Send invoice"/><intermediateCatchEvent id="wait" name="2 days"/>
      <endEvent id="e" name="Order closed"/>
      <sequenceFlow id="f1" sourceRef="s" targetRef="a"/><sequenceFlow id="f2" sourceRef="a" targetRef="g"/>
      <sequenceFlow id="f3" sourceRef="g" targetRef="fork" name="yes">
        <conditionExpression>${{in_stock == true}}</conditionExpression></sequenceFlow>
      <sequenceFlow id="f4" sourceRef="g" targetRef="wait" name="no"/>
      <sequenceFlow id="f9" sourceRef="wait" targetRef="c"/>
      <sequenceFlow id="f5" sourceRef="fork" targetRef="b"/><sequenceFlow id="f6" sourceRef="fork" targetRef="d"/>
      <sequenceFlow id="f7" sourceRef="b" targetRef="merge"/><sequenceFlow id="f8" sourceRef="d" targetRef="merge"/>
      <sequenceFlow id="f10" sourceRef="merge" targetRef="e"/><sequenceFlow id="f11" sourceRef="c" targetRef="e"/>
    </process></definitions>"""
    document = parse_bpmn(xml, "orders.bpmn")
    assert [(s.number, s.name, s.responsible, s.depends_on) for s in document.steps] == [
        (1, "Take order", "Sales", []), (2, "Ship goods", "Warehouse", [1]), (3, "Send invoice", "Warehouse", [1]),
        (4, "Back-order", "Warehouse", [1])]
    flow = document.flow
    assert flow.problems() == []
    assert [(n.id, n.kind, n.label) for n in flow.gateways] == [
        ("decision_1", "exclusive", "In stock?"), ("parallel_1", "parallel", ""), ("parallel_2", "parallel", "")]
    assert [(e.target, e.condition, e.default, [r.text() for r in e.rules]) for e in flow.outgoing("decision_1")] == [
        ("parallel_1", "yes", False, ["in_stock == true"]), ("step_4", "no", True, [])]
    assert flow.simulate({"in_stock": True}).visited == [1, 2, 3]
    assert flow.simulate({"in_stock": False}).visited == [1, 4]
    assert [n.label for n in flow.ends] == ["Order closed"]
    assert all(not s.decisions for s in document.steps)


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ("<definitions", "bad.bpmn: line 1, column 1: the XML cannot be parsed (unclosed token)"),
        ("<html/>", "bad.bpmn: <html>: not a BPMN 2.0 file"),
        (f'<definitions xmlns="{BPMN}"/>', "bad.bpmn: definitions: has no bpmn:process"),
        (f'<definitions xmlns="{BPMN}"><process id="p"><startEvent id="s"/></process></definitions>',
         "bad.bpmn: process p: has no tasks"),
        (f'<definitions xmlns="{BPMN}"><process id="p"><task id="t" name="A"/>'
         '<sequenceFlow id="f" sourceRef="t" targetRef="ghost"/></process></definitions>',
         "bad.bpmn: sequenceFlow f: targetRef 'ghost' names no element of the process"),
    ],
)
def test_bad_files_name_file_element_and_why(xml: str, message: str) -> None:
    with pytest.raises(MapError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        parse_bpmn(xml, "bad.bpmn")
