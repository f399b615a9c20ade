"""A BPMN 2.0 file as a process document: tasks become steps in flow order, lanes their roles, gateways decisions."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from process_designer.domain.models import Decision, Overview, ProcessDocument, Step
from process_designer.maps.bpmn import BPMN
from process_designer.maps.errors import MapError

__all__ = ["parse_bpmn"]

_TASKS = {"task", "userTask", "serviceTask", "scriptTask", "manualTask", "sendTask", "receiveTask",
          "businessRuleTask", "subProcess", "callActivity"}
_DECISIONS = {"exclusiveGateway", "inclusiveGateway"}
_CONDITION = re.compile(r"^\$\{\s*(?P<subject>[A-Za-z_][\w.]*)\s*(?P<op>==|!=|>=|<=|>|<)\s*(?P<value>.+?)\s*\}$")
_NOTE = re.compile(r"^(?P<key>[A-Z][A-Za-z ]*):\s?(?P<value>.*)$")


@dataclass
class _Node:
    id: str
    tag: str
    name: str
    element: ET.Element
    outgoing: list[_Flow] = field(default_factory=list)
    incoming: list[_Flow] = field(default_factory=list)


@dataclass
class _Flow:
    id: str
    source: str
    target: str
    name: str
    condition: str


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _notes(element: ET.Element) -> dict[str, list[str]]:
    """``Key: value`` lines of the element's documentation; free text goes under ``Text``."""
    found: dict[str, list[str]] = {}
    for doc in element.findall(f"{{{BPMN}}}documentation"):
        for line in (doc.text or "").splitlines():
            match = _NOTE.match(line.strip())
            key, value = (match.group("key"), match.group("value")) if match else ("Text", line.strip())
            if value:
                found.setdefault(key, []).append(value)
    return found


def _first(notes: dict[str, list[str]], key: str, default: str) -> str:
    return notes.get(key, [default])[0]


class _Reader:
    def __init__(self, source: str, process: ET.Element) -> None:
        self.source = source
        self.process = process
        self.nodes: dict[str, _Node] = {}
        self.lanes: dict[str, str] = {}
        for child in process:
            tag = _local(child.tag)
            if tag in ("laneSet", "sequenceFlow", "documentation", "extensionElements") or not child.get("id"):
                continue
            self.nodes[child.get("id", "")] = _Node(child.get("id", ""), tag, (child.get("name") or "").strip(), child)
        for lane in process.iter(f"{{{BPMN}}}lane"):
            for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
                self.lanes.setdefault((ref.text or "").strip(), (lane.get("name") or lane.get("id") or "").strip())
        for element in process.findall(f"{{{BPMN}}}sequenceFlow"):
            self._add_flow(element)

    def _add_flow(self, element: ET.Element) -> None:
        flow_id = element.get("id", "?")
        ends = {}
        for attribute in ("sourceRef", "targetRef"):
            ref = element.get(attribute)
            if not ref:
                raise MapError(self.source, f"sequenceFlow {flow_id}", f"has no {attribute}; every flow needs both ends")
            if ref not in self.nodes:
                raise MapError(self.source, f"sequenceFlow {flow_id}",
                               f"{attribute} {ref!r} names no element of the process")
            ends[attribute] = ref
        expression = element.find(f"{{{BPMN}}}conditionExpression")
        flow = _Flow(flow_id, ends["sourceRef"], ends["targetRef"], (element.get("name") or "").strip(),
                     " ".join((expression.text or "").split()) if expression is not None else "")
        self.nodes[flow.source].outgoing.append(flow)
        self.nodes[flow.target].incoming.append(flow)

    def order(self) -> list[_Node]:
        """Every node in flow order: reverse post-order of a walk from the start events, loops cut."""
        starts = [n for n in self.nodes.values() if n.tag == "startEvent"] or \
                 [n for n in self.nodes.values() if not n.incoming]
        seen: set[str] = set()
        post: list[str] = []

        def visit(node_id: str) -> None:
            stack: list[tuple[str, int]] = [(node_id, 0)]
            seen.add(node_id)
            while stack:
                current, index = stack.pop()
                # Later branches first, so the reversed post-order keeps the file's branch order.
                outgoing = self.nodes[current].outgoing[::-1]
                if index < len(outgoing):
                    stack.append((current, index + 1))
                    target = outgoing[index].target
                    if target not in seen:
                        seen.add(target)
                        stack.append((target, 0))
                else:
                    post.append(current)

        for start in starts:
            if start.id not in seen:
                visit(start.id)
        ordered = list(reversed(post))
        ordered += [node_id for node_id in self.nodes if node_id not in seen]
        return [self.nodes[node_id] for node_id in ordered]

    def task_ancestors(self, node: _Node, position: dict[str, int]) -> list[str]:
        """The nearest tasks before ``node`` through gateways and events, ignoring flows that loop back."""
        found: list[str] = []
        stack, seen = [node.id], {node.id}
        while stack:
            for flow in self.nodes[stack.pop()].incoming:
                if flow.source in seen or position[flow.source] >= position[node.id]:
                    continue
                seen.add(flow.source)
                if self.nodes[flow.source].tag in _TASKS:
                    found.append(flow.source)
                else:
                    stack.append(flow.source)
        return found


def _branch_text(flow: _Flow, nodes: dict[str, _Node], prefix: str) -> str:
    name = re.sub(rf"^{prefix}\s*:?\s*", "", flow.name, flags=re.IGNORECASE) if flow.name else ""
    return name or f"continue to {nodes[flow.target].name or flow.target}"


def _decision(gateway: _Node, nodes: dict[str, _Node]) -> Decision:
    flows = gateway.outgoing
    positive = [f for f in flows if not f.condition.startswith("${not (")]
    first = positive[0] if positive else flows[0]
    others = [f for f in flows if f is not first]
    unit = _first(_notes(gateway.element), "Unit", "")
    decision = Decision(text=gateway.name or first.name or f"Decision {gateway.id}", unit=unit,
                        if_true=_branch_text(first, nodes, "yes"),
                        if_false=" / ".join(_branch_text(f, nodes, "no") for f in others))
    match = _CONDITION.match(first.condition)
    if match is None:
        return decision
    raw = match.group("value")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw.strip("'\"")
    if isinstance(value, (list, dict)):
        value = raw
    operator = match.group("op")
    if isinstance(value, bool) and operator in ("==", "!="):
        operator = "is" if operator == "==" else "is_not"
    return decision.model_copy(update={"subject": match.group("subject"), "operator": operator, "value": value})


def _step(number: int, node: _Node, role: str, depends_on: list[int], decisions: list[Decision]) -> Step:
    notes = _notes(node.element)
    script = node.element.find(f"{{{BPMN}}}script")
    systems = [s.strip() for s in _first(notes, "Systems", "").split(",") if s.strip()]
    return Step(number=number, name=node.name or node.id,
                objective=_first(notes, "Objective", " ".join(notes.get("Text", [])) or node.name or node.id),
                responsible=role, duration=_first(notes, "Duration", "Not specified"),
                actions=notes.get("Action", []), validation=notes.get("Validation", []),
                code=(script.text or "").strip("\n") if script is not None else "",
                depends_on=depends_on, decisions=decisions, systems=systems)


def _document(reader: _Reader, title: str) -> ProcessDocument:
    ordered = reader.order()
    position = {n.id: i for i, n in enumerate(ordered)}
    tasks = [n for n in ordered if n.tag in _TASKS]
    if not tasks:
        raise MapError(reader.source, f"process {reader.process.get('id', '?')}",
                       "has no tasks; a step is read from each bpmn:task (or userTask, serviceTask, …)")
    numbers = {n.id: i for i, n in enumerate(tasks, start=1)}
    decisions: dict[str, list[Decision]] = {n.id: [] for n in tasks}
    for node in ordered:
        if node.tag in _DECISIONS and len(node.outgoing) > 1:
            owners = reader.task_ancestors(node, position)
            if owners:
                decisions[max(owners, key=lambda o: position[o])].append(_decision(node, reader.nodes))
    steps = [
        _step(numbers[n.id], n, reader.lanes.get(n.id, "Unassigned"),
              sorted(numbers[a] for a in reader.task_ancestors(n, position)), decisions[n.id])
        for n in tasks
    ]
    notes = _notes(reader.process)
    overview = Overview(purpose=_first(notes, "Purpose", " ".join(notes.get("Text", [])) or title),
                        scope=_first(notes, "Scope", "As drawn in the process map"),
                        owner=_first(notes, "Owner", "Unassigned"), last_updated=_first(notes, "Last Updated", ""))
    return ProcessDocument(title=title, overview=overview, steps=steps, prerequisites=notes.get("Prerequisite", []),
                           error_handling=notes.get("Error Handling", []), monitoring=notes.get("Monitoring", []),
                           related_documents=notes.get("Related Document", []))


def parse_bpmn(text: str, source: str = "<bpmn>") -> ProcessDocument:
    """The process of a BPMN 2.0 document (the first ``bpmn:process`` that has tasks)."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise MapError(source, f"line {line}, column {column + 1}", f"the XML cannot be parsed ({reason})") from None
    if root.tag != f"{{{BPMN}}}definitions":
        raise MapError(source, f"<{_local(root.tag)}>",
                       f"not a BPMN 2.0 file: the root must be definitions in the namespace {BPMN}")
    processes = root.findall(f"{{{BPMN}}}process")
    if not processes:
        raise MapError(source, "definitions", "has no bpmn:process; export the process model, not only a diagram")
    with_tasks = [p for p in processes if any(_local(c.tag) in _TASKS for c in p)]
    process = with_tasks[0] if with_tasks else processes[0]
    participants = {p.get("processRef"): p.get("name") for p in root.iter(f"{{{BPMN}}}participant")}
    title = (process.get("name") or participants.get(process.get("id")) or source.rsplit('/', 1)[-1].rsplit('.', 1)[0]).strip()
    return _document(_Reader(source, process), title)

