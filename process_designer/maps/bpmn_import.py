"""A BPMN 2.0 file as a process document: its graph becomes the document's flow, tasks its steps, lanes their roles.

Exclusive (and inclusive, complex, event-based) gateways become decisions whose branches keep the
flow's name as their condition and a ``${field op value}`` expression as their rules; the
gateway's default flow is the "otherwise" branch; parallel gateways split and join; end events keep
their names; intermediate events are passed through. Steps are numbered from ``step_N`` ids when the
file has them (a file this package wrote), else in flow order.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from process_designer.domain.flow import FlowEdge, FlowNode, ProcessFlow, Rule
from process_designer.domain.models import Overview, ProcessDocument, Step
from process_designer.knowledge.template_flow import parse_rules
from process_designer.maps.bpmn import BPMN
from process_designer.maps.errors import MapError

__all__ = ["parse_bpmn"]

_TASKS = {"task", "userTask", "serviceTask", "scriptTask", "manualTask", "sendTask", "receiveTask",
          "businessRuleTask", "subProcess", "callActivity"}
_DECISIONS = {"exclusiveGateway", "inclusiveGateway", "complexGateway", "eventBasedGateway"}
_EXPRESSION = re.compile(r"^\$\{(?P<body>.*)\}$", re.DOTALL)
_STEP_ID = re.compile(r"^step_(\d+)$")
_GATEWAY_ID = re.compile(r"^(decision|parallel)_\d+$")
_END_ID = re.compile(r"^end_event(?:_(\d+))?$")
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


def _kind(tag: str) -> str:
    if tag in _TASKS:
        return "task"
    if tag in _DECISIONS:
        return "exclusive"
    if tag == "parallelGateway":
        return "parallel"
    if tag in ("startEvent", "endEvent"):
        return "start" if tag == "startEvent" else "end"
    return "pass"  # intermediate and boundary events, annotations' neighbours: the flow runs through them


def _rules(flow: _Flow) -> list[Rule]:
    """The rules of a ``${field op value [and …]}`` condition; none when it is free text."""
    match = _EXPRESSION.match(flow.condition)
    if match is None:
        return []
    body = re.sub(r"\s*&&\s*", " and ", match.group("body").strip())
    try:
        return parse_rules(body)
    except ValueError:
        return []


class _Graph:
    """The file's flow nodes and sequence flows as a :class:`ProcessFlow`, with readable, stable ids."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.ordered = reader.order()
        self.ids: dict[str, str] = {}

    def _numbers(self, tasks: list[_Node]) -> dict[str, int]:
        found = [_STEP_ID.match(t.id) for t in tasks]
        numbers = [int(m.group(1)) for m in found if m]
        if len(numbers) == len(tasks) and len(set(numbers)) == len(numbers) and all(n > 0 for n in numbers):
            return {t.id: n for t, n in zip(tasks, numbers, strict=True)}
        return {t.id: n for n, t in enumerate(tasks, start=1)}

    def _name(self, node: _Node, kind: str, taken: set[str]) -> str:
        if kind == "start":
            return "start"
        if kind == "end":
            match = _END_ID.match(node.id)
            wanted = ("end" if not match.group(1) else f"end_{match.group(1)}") if match else "end"
        else:
            prefix = "decision" if kind == "exclusive" else "parallel"
            wanted = node.id if _GATEWAY_ID.match(node.id) and node.id.startswith(prefix) else f"{prefix}_1"
        base = re.sub(r"_\d+$", "", wanted)
        count = 1
        while wanted in taken:
            count += 1
            wanted = f"{base}_{count}"
        return wanted

    def build(self) -> tuple[ProcessFlow, dict[str, int]]:
        reader = self.reader
        kinds = {n.id: _kind(n.tag) for n in self.ordered}
        tasks = [n for n in self.ordered if kinds[n.id] == "task"]
        numbers = self._numbers(tasks)
        taken: set[str] = set()
        nodes: list[FlowNode] = []
        starts = [n for n in self.ordered if kinds[n.id] == "start"]
        for node in self.ordered:
            kind = kinds[node.id]
            if kind == "pass" or (kind == "start" and node is not (starts[0] if starts else None)):
                continue
            if kind == "task":
                new_id = f"step_{numbers[node.id]}"
                flow_node = FlowNode(id=new_id, kind="task", label=node.name or node.id, step=numbers[node.id],
                                     performer=reader.lanes.get(node.id, "Unassigned"))
            else:
                new_id = self._name(node, kind, taken)
                label = node.name or ("Start" if kind == "start" else "End" if kind == "end" else "")
                flow_node = FlowNode(id=new_id, kind=kind, label=label)
            taken.add(new_id)
            self.ids[node.id] = new_id
            nodes.append(flow_node)
        for other in starts[1:]:
            self.ids[other.id] = self.ids[starts[0].id]
        if not starts:
            nodes.insert(0, FlowNode(id="start", kind="start", label="Start"))
        edges = self._edges(kinds)
        if not starts:
            heads = [n for n in self.ordered if not n.incoming and kinds[n.id] != "pass"]
            edges[:0] = [FlowEdge(source="start", target=self.ids[n.id]) for n in heads if n.id in self.ids]
        if not any(n.kind == "end" for n in nodes):
            end = FlowNode(id=self._name(self.ordered[0], "end", taken), kind="end", label="End")
            nodes.append(end)
            sources = {e.source for e in edges}
            edges += [FlowEdge(source=n.id, target=end.id) for n in nodes if n.kind != "end" and n.id not in sources]
        return ProcessFlow(nodes=nodes, edges=edges), {self.ids[t.id]: numbers[t.id] for t in tasks}

    def _edges(self, kinds: dict[str, str]) -> list[FlowEdge]:
        """Sequence flows in file order; a flow into a passed-through event continues to where the event leads."""
        edges: list[FlowEdge] = []
        for flow in (f for n in self.ordered for f in n.outgoing):
            if kinds[flow.source] == "pass":
                continue
            targets = self._through(flow.target, kinds, set())
            source = self.reader.nodes[flow.source]
            default = source.element.get("default") == flow.id
            name = "" if default and flow.name.lower() == "otherwise" else flow.name
            condition = name or ("" if _EXPRESSION.match(flow.condition) else flow.condition)
            for target in targets:
                edges.append(FlowEdge(source=self.ids[flow.source], target=self.ids[target],
                                      condition=condition or None, default=default, rules=_rules(flow)))
        return edges

    def _through(self, node_id: str, kinds: dict[str, str], seen: set[str]) -> list[str]:
        if kinds[node_id] != "pass":
            return [node_id]
        if node_id in seen:
            return []
        seen.add(node_id)
        return [t for f in self.reader.nodes[node_id].outgoing for t in self._through(f.target, kinds, seen)]


def _step(number: int, node: _Node, role: str, depends_on: list[int]) -> Step:
    notes = _notes(node.element)
    script = node.element.find(f"{{{BPMN}}}script")
    systems = [s.strip() for s in _first(notes, "Systems", "").split(",") if s.strip()]
    return Step(number=number, name=node.name or node.id,
                objective=_first(notes, "Objective", " ".join(notes.get("Text", [])) or node.name or node.id),
                responsible=role, duration=_first(notes, "Duration", "Not specified"),
                actions=notes.get("Action", []), validation=notes.get("Validation", []),
                code=(script.text or "").strip("\n") if script is not None else "",
                depends_on=depends_on, systems=systems)


def _document(reader: _Reader, title: str) -> ProcessDocument:
    tasks = [n for n in reader.nodes.values() if n.tag in _TASKS]
    if not tasks:
        raise MapError(reader.source, f"process {reader.process.get('id', '?')}",
                       "has no tasks; a step is read from each bpmn:task (or userTask, serviceTask, …)")
    graph = _Graph(reader)
    flow, numbers = graph.build()
    predecessors = flow.step_predecessors()
    by_number = {numbers[graph.ids[t.id]]: t for t in tasks}
    steps = [_step(number, by_number[number], reader.lanes.get(by_number[number].id, "Unassigned"),
                   predecessors.get(number, []))
             for number in sorted(by_number)]
    notes = _notes(reader.process)
    overview = Overview(purpose=_first(notes, "Purpose", " ".join(notes.get("Text", [])) or title),
                        scope=_first(notes, "Scope", "As drawn in the process map"),
                        owner=_first(notes, "Owner", "Unassigned"), last_updated=_first(notes, "Last Updated", ""))
    return ProcessDocument(title=title, overview=overview, steps=steps, flow=flow,
                           prerequisites=notes.get("Prerequisite", []), error_handling=notes.get("Error Handling", []),
                           monitoring=notes.get("Monitoring", []), related_documents=notes.get("Related Document", []))


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

