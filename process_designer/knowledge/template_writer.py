"""Writes a :class:`ProcessTemplate` back to the TOML schema of ``templates/README.md``."""

from __future__ import annotations

import json
import re
from typing import Any

from process_designer.domain.flow import FlowEdge, ProcessFlow, from_dependencies
from process_designer.domain.models import Step
from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["template_to_toml"]


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # JSON string escapes are valid TOML basic-string escapes.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [_value(item) for item in value]
        if sum(len(i) for i in items) < 70:
            return "[" + ", ".join(items) + "]"
        return "[\n" + "".join(f"  {item},\n" for item in items) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _pairs(data: dict[str, Any], indent: str = "") -> list[str]:
    return [f"{indent}{key} = {_value(value)}" for key, value in data.items() if value is not None]


_ID = re.compile(r"^[a-z][a-z0-9_-]*$")


def _graph_ids(flow: ProcessFlow, steps: list[Step]) -> dict[str, str] | None:
    """Template ids for the flow's nodes, or ``None`` when the steps' ``depends_on`` already say everything.

    A flow that the steps' ``depends_on`` do not give back (decisions, loops, several ends) is written as ``id``/``next``, ``[[gateways]]`` and
    ``[[ends]]``; one whose start does not lead to step 1 cannot be written in the template format.
    """
    has_graph = flow != from_dependencies((s.number, s.name, s.responsible, s.depends_on) for s in steps)
    start = flow.start
    first = flow.outgoing(start.id) if start is not None else []
    if not has_graph or flow.problems() or len(first) != 1 or flow.node(first[0].target).step != 1:
        return None
    ids: dict[str, str] = {}
    for index, node in enumerate(flow.nodes):
        if node.kind == "task":
            ids[node.id] = f"step_{node.step}"
        elif node.kind != "start":
            ids[node.id] = node.id if _ID.match(node.id) and not node.id.startswith("step_") else f"node_{index}"
    main_end = flow.ends[0].id
    ids = {key: ("end" if key == main_end else value if value != "end" else f"node_{len(ids)}")
           for key, value in ids.items()}
    return ids


def _branch(edge: FlowEdge, ids: dict[str, str]) -> dict[str, Any]:
    branch: dict[str, Any] = {"condition": edge.condition, "to": ids[edge.target]}
    if edge.rules:
        branch["rule"] = " and ".join(rule.text() for rule in edge.rules)
    if edge.default:
        branch["default"] = True
    return branch


def _flow_tables(flow: ProcessFlow, ids: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for node in flow.nodes:
        if node.kind not in ("exclusive", "parallel"):
            continue
        out = flow.outgoing(node.id)
        lines += ["", "[[gateways]]", *_pairs({"id": ids[node.id], "kind": node.kind, "label": node.label or None})]
        if node.kind == "parallel" and len(out) == 1:
            lines += _pairs({"next": ids[out[0].target]})
            continue
        for edge in out:
            lines += ["  [[gateways.branches]]", *_pairs(_branch(edge, ids), indent="  ")]
    for node in flow.ends:
        if ids[node.id] != "end":
            lines += ["", "[[ends]]", *_pairs({"id": ids[node.id], "label": node.label or "End"})]
    return lines


def _step(step: Step, place: dict[str, Any]) -> list[str]:
    """The ``[[steps]]`` table; ``place`` holds its ``id`` and ``next`` when the template spells out its graph."""
    fields: dict[str, Any] = {
        **place,
        "name": step.name,
        "objective": step.objective,
        "responsible": step.responsible,
        "duration": step.duration,
        "actions": step.actions,
        "validation": step.validation,
        "systems": step.systems,
        "depends_on": step.depends_on,
    }
    if step.performer_source != "stated":
        fields["performer_source"] = step.performer_source
    if step.code:
        fields["code"] = step.code
    lines = ["", "[[steps]]", *_pairs(fields)]
    for decision in step.decisions:
        lines += ["", "  [[steps.decisions]]"]
        lines += _pairs(decision.model_dump(exclude_defaults=False), indent="  ")
    return lines


def template_to_toml(template: ProcessTemplate) -> str:
    """TOML text that :func:`template_from_toml` reads back into an equal template."""
    document = template.document
    top: dict[str, Any] = {
        "id": template.id,
        "title": template.title,
        "category": template.category,
        "business_domain": template.business_domain,
        "tags": template.tags,
        "complexity": template.complexity,
        "integrations": template.integrations,
        "roles": template.roles,
        "kind": document.kind,
        "description": template.description,
        "prerequisites": document.prerequisites,
        "error_handling": document.error_handling,
        "monitoring": document.monitoring,
        "related_documents": document.related_documents,
    }
    lines = _pairs(top)
    lines += ["", "[overview]", *_pairs(document.overview.model_dump())]
    flow = document.effective_flow()
    ids = _graph_ids(flow, document.steps)
    for step in document.steps:
        task = flow.task(step.number)
        out = flow.outgoing(task.id) if task is not None else []
        place = {"id": ids[task.id], "next": ids[out[0].target] if out else None} if ids and task else {}
        lines += _step(step, place)
    if ids is not None:
        lines += _flow_tables(flow, ids)
    if document.integration is not None:
        spec = document.integration.model_dump()
        mappings = spec.pop("data_mapping")
        lines += ["", "[integration]", *_pairs(spec)]
        for mapping in mappings:
            lines += ["", "[[integration.data_mapping]]", *_pairs(mapping)]
    return "\n".join(lines) + "\n"
