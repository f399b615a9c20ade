"""Writes a :class:`ProcessTemplate` back to the TOML schema of ``templates/README.md``."""

from __future__ import annotations

import json
from typing import Any

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


def _step(step: Step) -> list[str]:
    fields: dict[str, Any] = {
        "name": step.name,
        "objective": step.objective,
        "responsible": step.responsible,
        "duration": step.duration,
        "actions": step.actions,
        "validation": step.validation,
        "systems": step.systems,
        "depends_on": step.depends_on,
    }
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
    for step in document.steps:
        lines += _step(step)
    if document.integration is not None:
        spec = document.integration.model_dump()
        mappings = spec.pop("data_mapping")
        lines += ["", "[integration]", *_pairs(spec)]
        for mapping in mappings:
            lines += ["", "[[integration.data_mapping]]", *_pairs(mapping)]
    return "\n".join(lines) + "\n"
