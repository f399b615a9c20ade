"""The writer's answer to reviewer findings: fill what is missing, leave the rest alone."""

from __future__ import annotations

from process_designer.agents.vocabulary import classify_action, system_label
from process_designer.agents.writer.compose import default_error_handling, default_monitoring
from process_designer.agents.writer.phrasing import describe_decision, step_actions, step_validation
from process_designer.domain.models import ProcessDocument, Requirement

__all__ = ["revise_document"]


def revise_document(document: ProcessDocument) -> tuple[ProcessDocument, list[str]]:
    """Fix the gaps a reviewer reports: missing actions, validation, roles, KPIs, recovery lines."""
    fixed: list[str] = []
    steps = []
    for step in document.steps:
        kind = classify_action(step.name)
        updates: dict[str, object] = {}
        if not step.responsible.strip():
            updates["responsible"] = kind.default_role
            fixed.append(f"Step {step.number}: named the responsible role")
        if len(step.actions) < 2:
            extra = step_actions(kind, step.name, step.objective, step.systems, step.responsible or kind.default_role)
            updates["actions"] = [*step.actions, *(a for a in extra if a not in step.actions)][:4]
            fixed.append(f"Step {step.number}: listed concrete actions")
        missing = [describe_decision(d) for d in step.decisions
                   if not any(d.subject.replace("_", " ") in a for a in step.actions)]
        if missing:
            updates["actions"] = [*updates.get("actions", step.actions), *missing]  # type: ignore[misc]
            fixed.append(f"Step {step.number}: described both branches of each decision")
        if not step.validation:
            updates["validation"] = step_validation(kind, step.name, step.systems, step.responsible)
            fixed.append(f"Step {step.number}: added a validation")
        steps.append(step.model_copy(update=updates) if updates else step)
    document = document.model_copy(update={"steps": steps})
    handling = " ".join(document.error_handling).lower()
    absent = [s for s in document.integrations if system_label(s).lower() not in handling and s not in handling]
    if absent:
        lines = default_error_handling([], absent, document.overview.owner)
        document = document.model_copy(update={"error_handling": [*document.error_handling, *lines]})
        fixed.append("Error Handling: added recovery for " + ", ".join(system_label(s) for s in absent))
    if not document.monitoring or not all(any(ch.isdigit() for ch in m) for m in document.monitoring):
        requirement = Requirement(text="", title=document.title, systems=document.integrations)
        measurable = [m for m in document.monitoring if any(ch.isdigit() for ch in m)]
        monitoring = list(dict.fromkeys(measurable + default_monitoring(document.steps, requirement)))
        document = document.model_copy(update={"monitoring": monitoring})
        fixed.append("Monitoring and Metrics: every KPI now has a measurable target")
    return document, fixed
