"""A process document as a Mermaid flowchart: a lane per performer, decisions with their conditions, parallel work, loops."""

from __future__ import annotations

from process_designer.domain.models import ProcessDocument
from process_designer.maps.flow import FlowEdge, FlowNode, build_flow

__all__ = ["to_mermaid"]


def _text(value: str) -> str:
    """Mermaid label text: quotes and markup characters as entity codes so any wording parses."""
    replacements = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;", "(": "#40;", ")": "#41;", "[": "#91;",
                    "]": "#93;", "{": "#123;", "}": "#125;"}
    return "".join(replacements.get(ch, ch) for ch in " ".join(value.split()))


def _shape(node: FlowNode) -> str:
    if node.kind in ("start", "end"):
        return f'{node.id}(["{_text(node.label)}"])'
    if node.kind == "task":
        assert node.step is not None
        return f'{node.id}["{node.step.number}. {_text(node.label)}"]'
    if node.kind == "decision":
        return f'{node.id}{{"{_text(node.label or "decision")}"}}'
    return f'{node.id}{{{{"{"in parallel" if node.kind == "split" else "all done"}"}}}}'


def _edge(edge: FlowEdge) -> str:
    label = f"{edge.label}, again" if edge.loop and edge.label else "again" if edge.loop else edge.label
    arrow = "-.->" if edge.loop else "-->"
    return f"{edge.source} {arrow}|{_text(label)}| {edge.target}" if label else f"{edge.source} {arrow} {edge.target}"


def to_mermaid(document: ProcessDocument) -> str:
    """``flowchart TD`` text with one subgraph per performer; each step that can fail has a dashed error edge."""
    flow = build_flow(document)
    lines = ["flowchart TD"]
    for index, lane in enumerate(flow.lanes, start=1):
        lines.append(f'    subgraph lane_{index}["{_text(lane)}"]')
        lines += [f"        {_shape(node)}" for node in flow.nodes if node.lane == lane]
        lines.append("    end")
    lines += [f"    {_edge(edge)}" for edge in flow.edges]
    if document.error_handling and document.steps:
        lines.append(f'    errors[/"Error handling: {_text(document.error_handling[0])}"/]')
        lines.append('    failed(["Failed"])')
        lines += [f"    step_{step.number} -.->|error| errors" for step in document.steps]
        lines.append("    errors --> failed")
    lines += [
        "    classDef decision fill:#fff4d6,stroke:#b7791f",
        "    classDef parallel fill:#e6f0ff,stroke:#2b6cb0",
        "    classDef error fill:#fde2e1,stroke:#c53030",
    ]
    for kinds, name in ((("decision",), "decision"), (("split", "join"), "parallel")):
        ids = [node.id for node in flow.nodes if node.kind in kinds]
        if ids:
            lines.append(f"    class {','.join(ids)} {name}")
    if document.error_handling and document.steps:
        lines.append("    class errors,failed error")
    return "\n".join(lines) + "\n"
