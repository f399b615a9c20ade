"""A process document as BPMN 2.0 XML with diagram interchange, so standard modelers open it laid out.

Drawn from the process graph: a pool holds one lane per performer; steps are tasks (script tasks
carrying their SPy code); decisions are exclusive gateways whose branches carry their condition (the
words as the flow's name, the rules as a ``${…}`` condition expression) and whose "otherwise" branch
is the gateway's default flow; parallel work splits and joins at parallel gateways; each end is an
end event with its label. The step's objective, duration, actions and validation travel in its
``documentation`` as ``Key: value`` lines, which :mod:`process_designer.maps.bpmn_import` reads back.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from process_designer.domain.models import ProcessDocument, Step
from process_designer.maps.flow import Flow, FlowNode, build_flow
from process_designer.maps.layout import Bounds, layout_flow

__all__ = ["BPMN", "BPMNDI", "DC", "DI", "NAMESPACES", "XSI", "process_notes", "step_notes", "to_bpmn"]

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NAMESPACES = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "xsi": XSI}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)

_ELEMENT = {"start": "startEvent", "end": "endEvent", "decision": "exclusiveGateway", "split": "parallelGateway",
            "join": "parallelGateway"}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def step_notes(step: Step) -> str:
    """The step's fields other than name, role and code as ``Key: value`` lines."""
    lines = [f"Objective: {_one_line(step.objective)}", f"Duration: {_one_line(step.duration)}"]
    lines += [f"Action: {_one_line(a)}" for a in step.actions]
    lines += [f"Validation: {_one_line(v)}" for v in step.validation]
    if step.systems:
        lines.append(f"Systems: {', '.join(step.systems)}")
    return "\n".join(lines)


def process_notes(document: ProcessDocument) -> str:
    """The overview and the document-wide sections as ``Key: value`` lines."""
    o = document.overview
    lines = [f"Purpose: {_one_line(o.purpose)}", f"Scope: {_one_line(o.scope)}", f"Owner: {_one_line(o.owner)}",
             f"Last Updated: {_one_line(o.last_updated)}"]
    for key, items in (("Prerequisite", document.prerequisites), ("Error Handling", document.error_handling),
                       ("Monitoring", document.monitoring), ("Related Document", document.related_documents)):
        lines += [f"{key}: {_one_line(item)}" for item in items]
    return "\n".join(lines)


def _sub(parent: ET.Element, namespace: str, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{namespace}}}{tag}", attrs)


def _documentation(parent: ET.Element, text: str) -> None:
    if text:
        _sub(parent, BPMN, "documentation").text = text


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_") or "process"


def _flow_node(process: ET.Element, flow: Flow, node: FlowNode) -> None:
    step = node.step
    if node.kind == "task":
        assert step is not None
        tag = "scriptTask" if step.code.strip() else "task"
        element = _sub(process, BPMN, tag, id=node.id, name=node.label)
        if tag == "scriptTask":
            element.set("scriptFormat", "spy")
        _documentation(element, step_notes(step))
    else:
        element = _sub(process, BPMN, _ELEMENT[node.kind], id=node.id)
        if node.label:
            element.set("name", node.label)
        if node.kind in ("split", "join"):
            element.set("gatewayDirection", "Diverging" if node.kind == "split" else "Converging")
        default = next((e.id for e in flow.edges if e.source == node.id and e.default), None)
        if node.kind == "decision" and default is not None:
            element.set("default", default)
    for edge in flow.edges:
        if edge.target == node.id:
            _sub(element, BPMN, "incoming").text = edge.id
    for edge in flow.edges:
        if edge.source == node.id:
            _sub(element, BPMN, "outgoing").text = edge.id
    if node.kind == "task" and step is not None and step.code.strip():
        _sub(element, BPMN, "script").text = step.code.rstrip() + "\n"


def _process(definitions: ET.Element, document: ProcessDocument, flow: Flow, process_id: str) -> None:
    process = _sub(definitions, BPMN, "process", id=process_id, name=document.title, isExecutable="false")
    _documentation(process, process_notes(document))
    lane_set = _sub(process, BPMN, "laneSet", id=f"{process_id}_lanes")
    for index, lane in enumerate(flow.lanes, start=1):
        element = _sub(lane_set, BPMN, "lane", id=f"lane_{index}", name=lane)
        for node in flow.nodes:
            if node.lane == lane:
                _sub(element, BPMN, "flowNodeRef").text = node.id
    for node in flow.nodes:
        _flow_node(process, flow, node)
    for edge in flow.edges:
        element = _sub(process, BPMN, "sequenceFlow", id=edge.id, sourceRef=edge.source, targetRef=edge.target)
        if edge.label:
            element.set("name", edge.label)
        if not edge.default and (edge.expression or edge.label):
            condition = _sub(element, BPMN, "conditionExpression")
            condition.set(f"{{{XSI}}}type", "bpmn:tFormalExpression")
            condition.text = "${" + edge.expression + "}" if edge.expression else edge.label


def _bounds(parent: ET.Element, bounds: Bounds) -> None:
    _sub(parent, DC, "Bounds", x=f"{bounds.x:g}", y=f"{bounds.y:g}", width=f"{bounds.width:g}",
         height=f"{bounds.height:g}")


def _diagram(definitions: ET.Element, flow: Flow) -> None:
    layout = layout_flow(flow)
    diagram = _sub(definitions, BPMNDI, "BPMNDiagram", id="diagram_1")
    plane = _sub(diagram, BPMNDI, "BPMNPlane", id="plane_1", bpmnElement="collaboration_1")
    _bounds(_sub(plane, BPMNDI, "BPMNShape", id="participant_1_di", bpmnElement="participant_1",
                 isHorizontal="true"), layout.pool)
    for index, lane in enumerate(flow.lanes, start=1):
        _bounds(_sub(plane, BPMNDI, "BPMNShape", id=f"lane_{index}_di", bpmnElement=f"lane_{index}",
                     isHorizontal="true"), layout.lanes[lane])
    for node in flow.nodes:
        shape = _sub(plane, BPMNDI, "BPMNShape", id=f"{node.id}_di", bpmnElement=node.id)
        if node.kind == "decision":
            shape.set("isMarkerVisible", "true")
        _bounds(shape, layout.shapes[node.id])
    for edge in flow.edges:
        element = _sub(plane, BPMNDI, "BPMNEdge", id=f"{edge.id}_di", bpmnElement=edge.id)
        for x, y in layout.waypoints[edge.id]:
            _sub(element, DI, "waypoint", x=f"{x:g}", y=f"{y:g}")


def to_bpmn(document: ProcessDocument) -> str:
    """BPMN 2.0 XML of ``document``: a collaboration with one pool, its process and the laid-out diagram."""
    flow = build_flow(document)
    process_id = f"Process_{_slug(document.title)}"
    definitions = ET.Element(f"{{{BPMN}}}definitions", {
        "id": "definitions_1", "targetNamespace": "http://process-designer/bpmn",
        "exporter": "process-designer", "exporterVersion": "1"})
    collaboration = _sub(definitions, BPMN, "collaboration", id="collaboration_1")
    _sub(collaboration, BPMN, "participant", id="participant_1", name=document.title, processRef=process_id)
    _process(definitions, document, flow, process_id)
    _diagram(definitions, flow)
    ET.indent(definitions, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(definitions, encoding="unicode") + "\n"
