"""The offline process writer: a Requirement plus templates → a complete ProcessDocument."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from process_designer.agents.vocabulary import classify_action, system_label
from process_designer.agents.writer.phrasing import (
    describe_decision,
    domain_role,
    step_actions,
    step_objective,
    step_validation,
    value_text,
)
from process_designer.agents.writer.rules import keep_stated_rules
from process_designer.domain.durations import format_minutes, parse_duration
from process_designer.domain.models import (
    DataMapping,
    IntegrationSpec,
    Overview,
    ProcessDocument,
    Requirement,
    RequirementStep,
    Step,
)
from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["compose_document", "compose_step", "default_error_handling", "default_monitoring", "default_prerequisites",
           "default_purpose", "default_scope"]

_WORD = re.compile(r"[a-z]{3,}")


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower())} - {"the", "and", "for", "with", "from", "into"}


def _template_step_for(step: RequirementStep, templates: Sequence[ProcessTemplate]) -> Step | None:
    """The template step most like ``step`` by shared words, when the overlap is convincing."""
    wanted = _words(step.name)
    best: tuple[float, Step | None] = (0.0, None)
    for template in templates:
        for candidate in template.document.steps:
            have = _words(candidate.name)
            if not wanted or not have:
                continue
            overlap = len(wanted & have) / len(wanted | have)
            if overlap > best[0]:
                best = (overlap, candidate)
    return best[1] if best[0] >= 0.5 else None


def compose_step(step: RequirementStep, number: int, requirement: Requirement,
                 templates: Sequence[ProcessTemplate] = ()) -> Step:
    """One document step from one requirement step."""
    kind = classify_action(f"{step.name} {step.description}")
    operator_role, _team = domain_role(f"{requirement.title} {requirement.text}")
    if step.actor:
        role = step.actor
    elif kind.name in ("approve",):
        role = "Manager"
    elif kind.name == "notify" and not step.systems:
        role = operator_role
    elif kind.name == "notify":
        role = "Automation Service"
    elif kind.name == "transact" and "Finance" not in operator_role:
        role = "Finance Specialist"
    else:
        role = operator_role
    source = _template_step_for(step, templates) if step.source != "template" else None
    if step.source == "template":
        source = next((s for t in templates for s in t.document.steps if s.name == step.name), None)
    if source is not None:
        actions = list(source.actions)
        if step.source == "user" and len(_words(step.description) - _words(" ".join(actions))) >= 2:
            # the user's own wording carries specifics ("the day before", "including ombudsman rights")
            # that the template's generic actions lack
            actions.insert(0, step.description[:1].upper() + step.description[1:])
        validation = list(source.validation)
        duration = source.duration
        objective = source.objective
        role = step.actor or source.responsible
    else:
        actions = step_actions(kind, step.name, step.description, step.systems, role)
        validation = step_validation(kind, step.name, step.systems, role)
        duration = kind.duration
        objective = step_objective(kind, step.name, step.systems)
    for decision in step.decisions:
        line = describe_decision(decision)
        if line not in actions:
            actions.append(line)
        validation.append(f"Decision on {decision.subject.replace('_', ' ')} recorded with the rule applied "
                          f"({decision.subject} {decision.operator} {value_text(decision)})")
    for constraint in requirement.constraints:
        if constraint.kind == "sla" and _words(constraint.text) & _words(step.name):
            actions.append(f"Complete this step {constraint.text.split(' ', 1)[-1] if constraint.text.lower().startswith(('approve', 'respond')) else 'in line with the SLA: ' + constraint.text}")
    return Step(
        number=number,
        name=step.name,
        objective=objective,
        responsible=role,
        duration=duration,
        actions=actions,
        validation=validation,
        depends_on=[d for d in step.depends_on if 0 < d < number],
        decisions=list(step.decisions),
        systems=list(step.systems),
    )


def default_error_handling(steps: Sequence[Step], systems: Sequence[str], owner: str) -> list[str]:
    lines = []
    for system in systems:
        users = [s.number for s in steps if system in s.systems]
        where = f" (Step {', '.join(map(str, users))})" if users else ""
        lines.append(
            f"{system_label(system)} unavailable or returning errors{where}: retry up to 3 times with exponential "
            f"backoff (2, 4, 8 seconds); if it still fails, park the case, alert {owner} and resume when the "
            "service recovers"
        )
    for step in steps:
        for decision in step.decisions:
            lines.append(
                f"Data for the {decision.subject.replace('_', ' ')} decision (Step {step.number}) missing or invalid: "
                "stop before deciding, ask the requester for the data and record the reason"
            )
        if classify_action(step.name).name == "approve":
            lines.append(
                f"No decision from the {step.responsible} within 1 business day (Step {step.number}): "
                "send a reminder, then escalate to the next approver after a further business day"
            )
    return lines


def default_monitoring(steps: Sequence[Step], requirement: Requirement) -> list[str]:
    total = sum(parse_duration(s.duration) or 0 for s in steps)
    target = format_minutes(max(total * 1.5, 30))
    kpis = [f"Cycle time: 90% of cases completed end to end within {target}"]
    for constraint in requirement.constraints:
        if constraint.kind == "sla":
            kpis.append(f"SLA adherence: at least 95% of cases meet '{constraint.text}'")
    for step in steps:
        for decision in step.decisions:
            kpis.append(
                f"Share of cases where {decision.subject.replace('_', ' ')} {decision.operator} "
                f"{value_text(decision)} (Step {step.number}): reviewed monthly, alert on a change above 10 points"
            )
    if requirement.systems:
        names = ", ".join(system_label(s) for s in requirement.systems)
        kpis.append(f"Integration error rate below 1% of calls per system ({names})")
    kpis.append("First-pass completion: at least 90% of cases finish without rework")
    kpis.extend(f"{kpi[:1].upper() + kpi[1:]}: reported weekly against a target of 95%" for kpi in requirement.kpis)
    return kpis


def _names(steps: Sequence[Step]) -> list[str]:
    return [s.name[:1].lower() + s.name[1:] for s in steps]


def default_purpose(title: str, steps: Sequence[Step]) -> str:
    names = _names(steps) or [title.lower()]
    return (f"Run {title.lower()} consistently from '{names[0]}' to '{names[-1]}', "
            "with every decision recorded and every integration failure handled")


def default_scope(steps: Sequence[Step], systems: Sequence[str]) -> str:
    excluded = "changes to the underlying policies"
    if systems:
        excluded += " and the configuration of the " + ", ".join(system_label(s) for s in systems)
    return f"Included: {', '.join(_names(steps))}. Excluded: {excluded}"


def default_prerequisites(steps: Sequence[Step], systems: Sequence[str]) -> list[str]:
    prerequisites = [f"Access to the {system_label(s)} with the permissions the steps need" for s in systems]
    for step in steps:
        for decision in step.decisions:
            prerequisites.append(
                f"An approved policy that defines the {decision.subject.replace('_', ' ')} rule "
                f"({decision.operator} {value_text(decision)})")
    roles = sorted({s.responsible for s in steps if s.responsible != "Automation Service"})
    prerequisites.append(f"Named people in each role ({', '.join(roles)}) with cover for absences")
    return prerequisites


def _integration(requirement: Requirement, templates: Sequence[ProcessTemplate]) -> IntegrationSpec:
    source = next((t.document.integration for t in templates if t.document.integration), None)
    systems = requirement.systems or (source.systems if source else [])
    frequency = next((c.text.removeprefix("Runs ").capitalize() for c in requirement.constraints
                      if c.kind == "frequency"), source.frequency if source else "Every 15 minutes (scheduled)")
    mapping = list(source.data_mapping) if source else [
        DataMapping(source="customer_id", target="external_id", transformation="string"),
        DataMapping(source="email", target="contact_email", transformation="lowercase"),
    ]
    labels = [system_label(s) for s in systems]
    flow = (f"One-way from the {labels[0]} to the {', '.join(labels[1:])}; changed records only"
            if len(labels) > 1 else source.data_flow if source else "One-way, changed records only")
    return IntegrationSpec(systems=systems, data_flow=flow, frequency=frequency, data_mapping=mapping)


def compose_document(requirement: Requirement, templates: Sequence[ProcessTemplate] = (),
                     today: date | None = None) -> ProcessDocument:
    """A complete document for ``requirement``: every section filled for this process."""
    used = [t for t in templates if t.id in requirement.templates] or list(templates[:1])
    _operator_role, team = domain_role(f"{requirement.title} {requirement.text}")
    owner = requirement.owner or requirement.context.owner or (
        used[0].document.overview.owner if used and requirement.steps and requirement.steps[0].source == "template"
        else team)
    steps = [compose_step(step, n, requirement, used) for n, step in enumerate(requirement.steps, start=1)]
    purpose = requirement.purpose or default_purpose(requirement.title, steps)
    scope = default_scope(steps, requirement.systems)
    prerequisites = default_prerequisites(steps, requirement.systems)
    if used and steps and requirement.steps[0].source == "template":
        prerequisites.extend(p for p in used[0].document.prerequisites if p not in prerequisites)
    error_handling = default_error_handling(steps, requirement.systems, owner)
    error_handling.extend(
        f"{case}: follow the documented fallback and tell the process owner ({owner})" for case in requirement.error_cases
    )
    if used and requirement.steps and requirement.steps[0].source == "template":
        error_handling.extend(e for e in used[0].document.error_handling if e not in error_handling)
    related = [f"{requirement.title} policy"]
    related += [f"Template: {t.title}" for t in used]
    related += [f"{system_label(s)} runbook" for s in requirement.systems[:3]]
    document = ProcessDocument(
        title=requirement.title,
        kind=requirement.kind,
        overview=Overview(purpose=purpose, scope=scope, owner=owner,
                          last_updated=(today or date.today()).isoformat()),
        prerequisites=prerequisites[:8],
        steps=steps,
        error_handling=error_handling,
        monitoring=default_monitoring(steps, requirement),
        related_documents=related,
        integration=_integration(requirement, used) if requirement.kind == "integration" else None,
        templates_used=[t.id for t in used],
        context=requirement.context.model_copy(update={"integrations": requirement.systems}),
    )
    return keep_stated_rules(document, requirement.text)
