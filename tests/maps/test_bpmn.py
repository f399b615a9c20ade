"""BPMN 2.0 export checked structurally, re-imported to the same process, and bad files named precisely."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from process_designer.domain.models import ProcessDocument
from process_designer.maps.bpmn import BPMN, BPMNDI, DC, DI, to_bpmn
from process_designer.maps.bpmn_import import parse_bpmn
from process_designer.maps.errors import MapError

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
    assert kinds.count("endEvent") == 1
    lanes = {lane.get("name"): [r.text for r in lane.findall("bpmn:flowNodeRef", Q)]
             for lane in process.findall("bpmn:laneSet/bpmn:lane", Q)}
    assert lanes == {"Employee": ["start_event", "step_1"],
                     "Finance Clerk": ["step_2", "decision_2_1", "fork_2", "join_5", "step_5", "end_event"],
                     "Manager": ["step_3", "decision_3_1"], "Auditor": ["step_4"]}

    ids = {element.get("id") for element in process.iter() if element.get("id")}
    flows = process.findall("bpmn:sequenceFlow", Q)
    for flow in flows:
        assert flow.get("sourceRef") in ids and flow.get("targetRef") in ids, flow.get("id")
    for gateway in process.findall("bpmn:exclusiveGateway", Q):
        out = [f for f in flows if f.get("sourceRef") == gateway.get("id")]
        conditions = [f.find("bpmn:conditionExpression", Q) for f in out]
        assert len(out) == 2 and all(c is not None and c.text for c in conditions)
    amount = [f.find("bpmn:conditionExpression", Q) for f in flows if f.get("sourceRef") == "decision_3_1"]
    assert [c.text for c in amount if c is not None] == ["${amount > 250}", "${not (amount > 250)}"]

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
    step_3 = shapes["step_3"].find("dc:Bounds", Q)
    step_4 = shapes["step_4"].find("dc:Bounds", Q)
    assert step_3 is not None and step_4 is not None
    assert step_3.get("x") == step_4.get("x") and step_3.get("y") != step_4.get("y")  # parallel: one column


def test_export_then_import_gives_the_same_process(expense_document: ProcessDocument) -> None:
    back = parse_bpmn(to_bpmn(expense_document), "expense.bpmn")
    assert back.model_dump() == expense_document.model_dump()


def test_foreign_bpmn_reads_tasks_lanes_and_gateways() -> None:
    xml = f"""<definitions xmlns="{BPMN}" id="d"><process id="p" name="Orders">
      <laneSet><lane id="l1" name="Sales"><flowNodeRef>a</flowNodeRef></lane>
               <lane id="l2" name="Warehouse"><flowNodeRef>b</flowNodeRef><flowNodeRef>c</flowNodeRef></lane></laneSet>
      <startEvent id="s"/><userTask id="a" name="Take order"/>
      <exclusiveGateway id="g" name="In stock?"/>
      <serviceTask id="b" name="Ship goods"/><manualTask id="c" name="Back-order"/><endEvent id="e"/>
      <sequenceFlow id="f1" sourceRef="s" targetRef="a"/><sequenceFlow id="f2" sourceRef="a" targetRef="g"/>
      <sequenceFlow id="f3" sourceRef="g" targetRef="b" name="yes"/>
      <sequenceFlow id="f4" sourceRef="g" targetRef="c" name="no"/>
      <sequenceFlow id="f5" sourceRef="b" targetRef="e"/><sequenceFlow id="f6" sourceRef="c" targetRef="e"/>
    </process></definitions>"""
    document = parse_bpmn(xml, "orders.bpmn")
    assert [(s.number, s.name, s.responsible, s.depends_on) for s in document.steps] == [
        (1, "Take order", "Sales", []), (2, "Ship goods", "Warehouse", [1]), (3, "Back-order", "Warehouse", [1])]
    decision = document.steps[0].decisions[0]
    assert (decision.text, decision.if_true, decision.if_false) == ("In stock?", "continue to Ship goods",
                                                                    "continue to Back-order")


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
