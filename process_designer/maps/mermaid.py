"""A process document as a Mermaid flowchart: steps, decision diamonds with labelled branches, forks and error paths."""

from __future__ import annotations

from process_designer.domain.models import ProcessDocument
from process_designer.maps.flow import FlowNode, build_flow

__all__ = ["to_mermaid"]


def _text(value: str) -> str:
    """Mermaid label text: quotes and markup characters as entity codes so any wording parses."""
    replacements = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;"}
    return "".join(replacements.get(ch, ch) for ch in " ".join(value.split()))


def _shape(node: FlowNode) -> str:
    if node.kind in ("start", "end"):
        return f'{node.id}(["{_text(node.label)}"])'
    if node.kind == "task":
        assert node.step is not None
        return f'{node.id}["{node.step.number}. {_text(node.label)}<br/>{_text(node.lane)}"]'
    if node.kind == "decision":
        return f'{node.id}{{"{_text(node.label)}"}}'
    return f'{node.id}(("{"fork" if node.kind == "fork" else "join"}"))'


def to_mermaid(document: ProcessDocument) -> str:
    """``flowchart TD`` text; every step that can fail has a dashed edge to the error-handling node."""
    flow = build_flow(document)
    lines = ["flowchart TD"]
    lines += [f"    {_shape(node)}" for node in flow.nodes]
    for edge in flow.edges:
        arrow = f"-->|{_text(edge.label)}|" if edge.label else "-->"
        lines.append(f"    {edge.source} {arrow} {edge.target}")
    if document.error_handling and document.steps:
        lines.append(f'    errors[/"Error handling: {_text(document.error_handling[0])}"/]')
        lines.append('    failed(["Failed"])')
        lines += [f"    step_{step.number} -.->|error| errors" for step in document.steps]
        lines.append("    errors --> failed")
    lines += [
        "    classDef decision fill:#fff4d6,stroke:#b7791f",
        "    classDef error fill:#fde2e1,stroke:#c53030",
    ]
    decisions = [node.id for node in flow.nodes if node.kind == "decision"]
    if decisions:
        lines.append(f"    class {','.join(decisions)} decision")
    if document.error_handling and document.steps:
        lines.append("    class errors,failed error")
    return "\n".join(lines) + "\n"
