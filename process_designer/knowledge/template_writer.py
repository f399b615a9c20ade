"""Writes a :class:`ProcessTemplate` back to the TOML schema of ``templates/README.md``."""

from __future__ import annotations

import json
from typing import Any

from process_designer.domain.flow import FlowNode, ProcessFlow, from_dependencies
from process_designer.domain.models import ProcessDocument, Step
from process_designer.errors import TemplateError
from process_designer.knowledge.template_model import ProcessTemplate, template_from_toml

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


def _table(name: str, data: dict[str, Any]) -> list[str]:
    """``[name]`` with its plain keys first, then its sub-tables and arrays of tables (TOML's order)."""
    nested = {k: v for k, v in data.items() if isinstance(v, dict) or (isinstance(v, list) and v
                                                                     and all(isinstance(i, dict) for i in v))}
    lines = ["", f"[{name}]", *_pairs({k: v for k, v in data.items() if k not in nested})]
    for key, value in nested.items():
        if isinstance(value, dict):
            lines += _table(f"{name}.{key}", value)
        else:
            for item in value:
                lines += ["", f"[[{name}.{key}]]", *_pairs(item)]
    return lines


def _step(step: Step, flow: ProcessFlow | None) -> list[str]:
    """One ``[[steps]]`` table: with ``id`` and ``next`` from ``flow``, else with ``depends_on``."""
    fields: dict[str, Any] = {
        "name": step.name,
        "objective": step.objective,
        "responsible": step.responsible,
        "duration": step.duration,
        "actions": step.actions,
        "validation": step.validation,
        "systems": step.systems,
    }
    if step.performer_source != "stated":
        fields["performer_source"] = step.performer_source
    if flow is None:
        fields["depends_on"] = step.depends_on
    else:
        fields["id"] = f"step_{step.number}"
        fields["next"] = flow.outgoing(f"step_{step.number}")[0].target
    if step.code:
        fields["code"] = step.code
    lines = ["", "[[steps]]", *_pairs(fields)]
    for decision in step.decisions:
        lines += ["", "  [[steps.decisions]]"]
        lines += _pairs(decision.model_dump(exclude_defaults=False), indent="  ")
    return lines


def _graph(document: ProcessDocument) -> ProcessFlow | None:
    """The flow to write as ``next``, ``[[gateways]]`` and ``[[ends]]``; None when ``depends_on`` says it all."""
    flow = document.effective_flow()
    implied = from_dependencies((s.number, s.name, s.responsible, s.depends_on) for s in document.steps)
    if flow == implied:
        return None
    first = flow.outgoing("start")
    tasks_lead_once = all(len(flow.outgoing(f"step_{s.number}")) == 1 for s in document.steps)
    if not (first and first[0].target == "step_1" and tasks_lead_once):
        return None  # a shape the file format cannot hold; its steps' order and dependencies remain
    return flow


def _gateway(flow: ProcessFlow, node: FlowNode) -> list[str]:
    lines = ["", "[[gateways]]", *_pairs({"id": node.id, "kind": node.kind, "label": node.label or None})]
    edges = flow.outgoing(node.id)
    if node.kind == "parallel" and len(edges) == 1:
        return [*lines, *_pairs({"next": edges[0].target})]
    for edge in edges:
        branch: dict[str, Any] = {"condition": edge.condition,
                                  "rule": " and ".join(rule.text() for rule in edge.rules) or None,
                                  "default": True if edge.default else None, "to": edge.target}
        lines += ["  [[gateways.branches]]", *_pairs(branch, indent="  ")]
    return lines


def _flow_tables(flow: ProcessFlow) -> list[str]:
    lines: list[str] = []
    for node in flow.gateways:
        lines += _gateway(flow, node)
    for node in flow.ends:
        if node.id != "end":
            lines += ["", "[[ends]]", *_pairs({"id": node.id, "label": node.label})]
    return lines


def template_to_toml(template: ProcessTemplate) -> str:
    """TOML text that :func:`template_from_toml` reads back into an equal template.

    A flow the file format cannot hold as ``next`` and gateways is written as ``depends_on``.
    """
    flow = _graph(template.document)
    if flow is not None:
        text = _text(template, flow)
        try:
            template_from_toml(text, f"{template.id}.toml")
        except TemplateError:
            return _text(template, None)
        return text
    return _text(template, None)


def _text(template: ProcessTemplate, flow: ProcessFlow | None) -> str:
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
        "sources": template.sources,
        "prerequisites": document.prerequisites,
        "error_handling": document.error_handling,
        "monitoring": document.monitoring,
        "related_documents": document.related_documents,
    }
    lines = _pairs(top)
    lines += ["", "[overview]", *_pairs(document.overview.model_dump())]
    for step in document.steps:
        lines += _step(step, flow)
    if flow is not None:
        lines += _flow_tables(flow)
    if document.integration is not None:
        lines += _table("integration", document.integration.model_dump(exclude_none=True))
    return "\n".join(lines) + "\n"
