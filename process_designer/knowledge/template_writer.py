"""Writes a :class:`ProcessTemplate` back to the TOML schema of ``templates/README.md``."""

from __future__ import annotations

import json
from typing import Any

from process_designer.domain.flow import FlowEdge, ProcessFlow, Rule, from_dependencies
from process_designer.domain.models import ProcessDocument, Step
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


def _rule_text(rules: list[Rule]) -> str:
    def value(rule: Rule) -> str:
        if rule.value is None:
            return "null"
        return _value(rule.value)

    return " and ".join(f"{rule.subject} {rule.operator} {value(rule)}" for rule in rules)


def _is_graph(document: ProcessDocument) -> bool:
    """Whether the flow needs ids, ``next`` and gateways (it is not just the steps' ``depends_on``)."""
    plain = from_dependencies((s.number, s.name, s.responsible, s.depends_on) for s in document.steps)
    return document.flow.start is not None and document.flow != plain


def _edge(edge: FlowEdge) -> dict[str, Any]:
    branch: dict[str, Any] = {"condition": edge.condition}
    if edge.rules:
        branch["rule"] = _rule_text(edge.rules)
    if edge.default:
        branch["default"] = True
    branch["to"] = edge.target
    return branch


def _gateways(flow: ProcessFlow) -> list[str]:
    lines: list[str] = []
    for node in flow.gateways:
        out = flow.outgoing(node.id)
        lines += ["", "[[gateways]]", *_pairs({"id": node.id, "kind": node.kind, "label": node.label or None})]
        if len(out) == 1 and not (out[0].condition or out[0].default or out[0].rules):
            lines.append(f"next = {_value(out[0].target)}")
            continue
        for edge in out:
            lines += ["  [[gateways.branches]]", *_pairs(_edge(edge), indent="  ")]
    for node in flow.ends:
        if node.id != "end":
            lines += ["", "[[ends]]", *_pairs({"id": node.id, "label": node.label})]
    return lines


def _step(step: Step, following: str | None = None) -> list[str]:
    fields: dict[str, Any] = {
        "name": step.name,
        "objective": step.objective,
        "responsible": step.responsible,
        "duration": step.duration,
        "actions": step.actions,
        "validation": step.validation,
        "systems": step.systems,
    }
    if following is None:
        fields["depends_on"] = step.depends_on
    else:
        fields["id"] = f"step_{step.number}"
        fields["next"] = following
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
        "sources": template.sources or None,
        "prerequisites": document.prerequisites,
        "error_handling": document.error_handling,
        "monitoring": document.monitoring,
        "related_documents": document.related_documents,
    }
    lines = _pairs(top)
    lines += ["", "[overview]", *_pairs(document.overview.model_dump())]
    graph = _is_graph(document)
    for step in document.steps:
        node = document.flow.task(step.number) if graph else None
        out = document.flow.outgoing(node.id) if node is not None else []
        lines += _step(step, out[0].target if out else None)
    if graph:
        lines += _gateways(document.flow)
    if document.integration is not None:
        lines += _table("integration", document.integration.model_dump(exclude_none=True))
    return "\n".join(lines) + "\n"
