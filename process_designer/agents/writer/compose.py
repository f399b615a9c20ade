"""The offline process writer: a Requirement plus templates → a complete ProcessDocument."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from process_designer.agents.reviewer.efficiency import analyse_efficiency
from process_designer.agents.reviewer.model_checks import four_eyes_requested
from process_designer.agents.vocabulary import classify_action, system_label
from process_designer.agents.writer.from_model import (
    field_words,
    model_error_handling,
    model_facts,
    model_purpose,
    model_scope,
)
from process_designer.agents.writer.phrasing import (
    Sequel,
    complete_sentence,
    describe_decision,
    domain_role,
    step_actions,
    step_objective,
    step_validation,
    value_text,
)
from process_designer.agents.writer.rules import keep_stated_rules
from process_designer.domain.durations import format_minutes, parse_duration
from process_designer.domain.flow import ProcessFlow
from process_designer.domain.models import (
    DataMapping,
    Decision,
    IntegrationSpec,
    Overview,
    PerformerSource,
    ProcessDocument,
    Requirement,
    RequirementStep,
    Step,
)
from process_designer.knowledge.step_parts import template_step_named
from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["compose_document", "compose_step", "default_error_handling", "default_monitoring", "default_prerequisites",
           "default_purpose", "default_scope", "process_flow", "sequels"]

_WORD = re.compile(r"[a-z]{3,}")


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower())} - {"the", "and", "for", "with", "from", "into"}


def _action_and_object(name: str) -> tuple[str, set[str]]:
    verb, _, rest = name.lower().partition(" ")
    return verb, _words(rest)


def _template_step_for(step: RequirementStep, templates: Sequence[ProcessTemplate]) -> Step | None:
    """The template step that does the same thing as ``step``: the same action on much the same object.

    "Approve access request" borrows nothing from "Raise access request": another action's
    objective, actions and validation would describe the wrong work.
    """
    verb, wanted = _action_and_object(step.name)
    best: tuple[float, Step | None] = (0.0, None)
    for template in templates:
        for candidate in template.document.steps:
            candidate_verb, have = _action_and_object(candidate.name)
            if candidate_verb != verb or not wanted or not have:
                continue
            overlap = len(wanted & have) / len(wanted | have)
            if overlap > best[0]:
                best = (overlap, candidate)
    return best[1] if best[0] >= 0.5 else None


def _role(step: RequirementStep, requirement: Requirement) -> tuple[str, PerformerSource]:
    """The step's performer and where it came from: the text, or the designer's guess for this kind of work."""
    if step.actor:
        return step.actor, step.performer_source
    kind = classify_action(f"{step.name} {step.description}")
    operator_role, _team = domain_role(requirement.text, requirement.title)
    if kind.name == "approve":
        return "Manager", "assumed"
    if kind.name == "notify":
        return ("Automation Service" if step.systems else operator_role), "assumed"
    if kind.name == "transact" and "Finance" not in operator_role:
        return "Finance Specialist", "assumed"
    return operator_role, "assumed"


def compose_step(step: RequirementStep, number: int, requirement: Requirement,
                 templates: Sequence[ProcessTemplate] = (), sequel: Sequel | None = None,
                 graph_decisions: bool = False) -> Step:
    """One document step from one requirement step.

    ``sequel`` is what follows the step in the process graph; with ``graph_decisions`` the graph's
    gateways carry the decisions, so the step's own ``decisions`` are not written into its actions.
    """
    kind = classify_action(f"{step.name} {step.description}")
    role, performer_source = _role(step, requirement)
    source = _template_step_for(step, templates) if step.source != "template" else None
    if step.source == "template":
        drafted_from = step.template_step or step.name
        source = next((found for t in templates if (found := template_step_named(t.document.steps, drafted_from))),
                      None)
    if source is not None:
        actions = list(source.actions)
        if len(actions) < 2:  # a part of a template step that joined two actions may have one line of its own
            generated = step_actions(kind, step.name, step.instruction or step.description, step.systems, role, sequel)
            actions += [line for line in generated[1:] if line not in actions][:2 - len(actions)]
        said = step.instruction or step.description
        if step.source == "user" and complete_sentence(said) and len(_words(said) - _words(" ".join(actions))) >= 2:
            # the user's own wording carries specifics ("the day before", "including ombudsman rights")
            # that the template's generic actions lack
            actions.insert(0, said[:1].upper() + said[1:])
        validation = list(source.validation)
        duration = source.duration
        objective = source.objective
        if not step.actor:
            role, performer_source = source.responsible, "template"
    else:
        actions = step_actions(kind, step.name, step.instruction or step.description, step.systems, role, sequel)
        validation = step_validation(kind, step.name, step.systems, role, sequel)
        duration = kind.duration
        objective = step_objective(kind, step.name, step.systems)
    for decision in [] if graph_decisions else step.decisions:
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
        performer_source=performer_source,
    )


def _tasks(flow: ProcessFlow) -> list[int]:
    return sorted(n.step for n in flow.nodes if n.kind == "task" and n.step is not None)


def process_flow(requirement: Requirement, templates: Sequence[ProcessTemplate]) -> ProcessFlow | None:
    """The requirement's graph, or the template's when its steps are the template's; ``None`` when neither fits."""
    numbers = list(range(1, len(requirement.steps) + 1))
    if requirement.flow.start is not None and _tasks(requirement.flow) == numbers:
        return requirement.flow
    names = [s.name for s in requirement.steps]
    for template in templates:
        flow = template.document.flow
        if [s.name for s in template.document.steps] == names and flow.start is not None and _tasks(flow) == numbers:
            return flow
    return None


def sequels(flow: ProcessFlow, requirement: Requirement) -> dict[int, Sequel]:
    """What follows each step in ``flow``: the decision right after it, or the steps it hands to."""
    steps = {n: s for n, s in enumerate(requirement.steps, start=1)}
    roles = {n: _role(s, requirement)[0] for n, s in steps.items()}
    found: dict[int, Sequel] = {}
    for number in steps:
        gateway = flow.gateway_after(number)
        if gateway is not None and gateway.kind == "exclusive":
            data = tuple(dict.fromkeys(field_words(r) for e in flow.outgoing(gateway.id) for r in e.rules))
            found[number] = Sequel(decision=" ".join(gateway.label.split()) or gateway.id, decision_data=data)
            continue
        task = flow.task(number)
        following = flow.first_steps(task.id) if task is not None else []
        found[number] = Sequel(next_steps=tuple((n, steps[n].name, roles[n]) for n in following if n in steps),
                               parallel=gateway is not None and flow.is_split(gateway.id))
    return found


def _has_decisions(flow: ProcessFlow | None) -> bool:
    return flow is not None and any(node.kind == "exclusive" for node in flow.nodes)


def default_error_handling(steps: Sequence[Step], systems: Sequence[str], owner: str,
                           flow: ProcessFlow | None = None) -> list[str]:
    """Recovery lines for the process: from its graph (``flow``, or the steps' order), its systems and approvals."""
    lines = []
    for system in systems:
        users = [s.number for s in steps if system in s.systems]
        where = f" (Step {', '.join(map(str, users))})" if users else ""
        lines.append(
            f"{system_label(system)} unavailable or returning errors{where}: retry up to 3 times with exponential "
            f"backoff (2, 4, 8 seconds); if it still fails, park the case, alert {owner} and resume when the "
            "service recovers"
        )
    if steps:
        lines += model_error_handling(steps, model_facts(steps, flow), owner)
    for step in steps:
        for decision in [] if _has_decisions(flow) else step.decisions:
            lines.append(
                f"Data for the {decision.subject.replace('_', ' ')} decision (Step {step.number}) missing or invalid: "
                "stop before deciding, ask the requester for the data and record the reason"
            )
        if classify_action(step.name).name == "approve":
            lines.append(
                f"No decision from the {step.responsible} within 1 business day (Step {step.number}): "
                "send a reminder, then escalate to the next approver after a further business day"
            )
    return list(dict.fromkeys(lines))


# SLA texts read back from lines this module wrote ("Cycle time: …", "SLA adherence: … meet '…'").
_OWN_SLA = re.compile(r"^(?:cycle )?time: \d+% of cases completed end to end", re.IGNORECASE)
_SLA_WRAPPER = re.compile(r"^SLA adherence: at least 95% of cases meet ", re.IGNORECASE)


def _sla_text(text: str) -> str | None:
    """A stated SLA as written, without the wrapping of an earlier monitoring line; ``None`` for our own KPI."""
    while True:
        bare = _SLA_WRAPPER.sub("", text.strip()).strip("'\" ")
        if bare == text:
            break
        text = bare
    return None if _OWN_SLA.match(text) else text


def default_monitoring(steps: Sequence[Step], requirement: Requirement, flow: ProcessFlow | None = None) -> list[str]:
    """KPIs with targets: cycle time over the critical path, SLAs, decision shares, integrations, first pass."""
    elapsed = analyse_efficiency(steps, flow).critical_path_minutes if steps else 0.0
    total = elapsed or sum(parse_duration(s.duration) or 0 for s in steps)
    target = format_minutes(max(total * 1.5, 30))
    kpis = [f"Cycle time: 90% of cases completed end to end within {target}"]
    for constraint in requirement.constraints:
        sla = _sla_text(constraint.text) if constraint.kind == "sla" else None
        if sla:
            kpis.append(f"SLA adherence: at least 95% of cases meet '{sla}'")
        elif constraint.kind == "deadline":
            kpis.append(f"Deadline adherence: at least 95% of cases {constraint.unit or constraint.text}; "
                        "a case at risk of missing it is escalated to the process owner")
    if flow is not None and _has_decisions(flow):
        for node in flow.nodes:
            if node.kind == "exclusive":
                before = [n for n, after in ((s.number, flow.gateway_after(s.number)) for s in steps)
                          if after is not None and after.id == node.id]
                where = f" (Step {before[0]})" if before else ""
                kpis.append(f"Share of cases on each branch of '{' '.join(node.label.split())}'{where}: reviewed "
                            "monthly, alert on a change above 10 points")
    else:
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
    return list(dict.fromkeys(kpis))


_EXCLUDED = "changes to the underlying policies"


def _excluded(systems: Sequence[str]) -> str:
    if not systems:
        return _EXCLUDED
    return f"{_EXCLUDED} and the configuration of the " + ", ".join(system_label(s) for s in systems)


def _gateways_after(flow: ProcessFlow, number: int) -> list[str]:
    """The exclusive gateways step ``number`` leads to before any other step (chained decisions too)."""
    task = flow.task(number)
    found: list[str] = []
    frontier = [e.target for e in flow.outgoing(task.id)] if task is not None else []
    while frontier:
        node = flow.node(frontier.pop(0))
        if node.kind != "exclusive" or node.id in found:
            continue
        found.append(node.id)
        frontier += [e.target for e in flow.outgoing(node.id)]
    return found


def decisions_after(flow: ProcessFlow, number: int) -> list[Decision]:
    """The decisions the graph takes after step ``number``, one per conditional branch: the step's view of
    its gateways, which chat edits of thresholds and conditions read and the graph keeps in step."""

    def where(node_id: str) -> str:
        node = flow.node(node_id)
        if node.step is None:
            return (node.label or "end").lower()
        by = f", by the {node.performer}" if node.performer else ""
        return f"go to step {node.step} ({node.label}{by})"

    found: list[Decision] = []
    for gateway in _gateways_after(flow, number):
        edges = flow.outgoing(gateway)
        fallback = next((e for e in edges if e.default), None)
        for edge in edges:
            rule = edge.rules[0] if edge.rules and not edge.default else None
            if rule is None:
                continue
            found.append(Decision(text=edge.condition or rule.text(), subject=rule.subject, operator=rule.operator,
                                  value=rule.value, unit=rule.unit, if_true=where(edge.target),
                                  if_false=where(fallback.target) if fallback is not None else ""))
    return found


def default_purpose(title: str, steps: Sequence[Step], flow: ProcessFlow | None = None, trigger: str = "") -> str:
    """The Purpose the writer derives from the process model (steps and graph)."""
    return model_purpose(title, model_facts(steps, flow), trigger)


def default_scope(steps: Sequence[Step], systems: Sequence[str], flow: ProcessFlow | None = None) -> str:
    """The Scope the writer derives from the process model: steps, roles, decisions, outcomes."""
    return model_scope(model_facts(steps, flow), len(steps), _excluded(systems))


def default_prerequisites(steps: Sequence[Step], systems: Sequence[str], flow: ProcessFlow | None = None) -> list[str]:
    """The prerequisites the writer derives: system access, the policy behind each decision, named roles."""
    requirement = Requirement(text="", title="", systems=list(systems))
    return _prerequisites(requirement, steps, flow)


def _integration(requirement: Requirement, templates: Sequence[ProcessTemplate]) -> IntegrationSpec:
    """The user's integration as read; what they left out from the template, sample rows marked as examples."""
    source = next((t.document.integration for t in templates if t.document.integration), None)
    stated = requirement.integration
    systems = stated.systems if stated else requirement.systems or (source.systems if source else [])
    frequency = (stated.frequency if stated and stated.frequency else None) or next(
        (c.text.removeprefix("Runs ").capitalize() for c in requirement.constraints if c.kind == "frequency"),
        source.frequency if source else "Every 15 minutes (scheduled)")
    mapping = list(stated.data_mapping) if stated and stated.data_mapping else [
        row.model_copy(update={"example": True}) for row in (source.data_mapping if source else [
            DataMapping(source="customer_id", target="external_id", transformation="string"),
            DataMapping(source="email", target="contact_email", transformation="lowercase"),
        ])]
    if stated and stated.flows:
        flow = stated.data_flow
    else:
        labels = [system_label(s) for s in systems]
        flow = (f"One-way from the {labels[0]} to the {', '.join(labels[1:])}; changed records only"
                if len(labels) > 1 else source.data_flow if source else "One-way, changed records only")
    base = stated or IntegrationSpec(systems=systems, data_flow=flow, frequency=frequency)
    return base.model_copy(update={"systems": systems, "data_flow": flow, "frequency": frequency,
                                   "data_mapping": mapping})


def _open_questions(requirement: Requirement, steps: Sequence[Step]) -> list[str]:
    """The analyst's questions, plus one for each performer the writer had to assume."""
    questions = list(requirement.open_questions)
    asked = {n for n, s in enumerate(requirement.steps, start=1) if s.performer_source == "assumed"}
    for step in steps:
        if step.performer_source == "assumed" and step.number not in asked and \
                not any(step.name.lower() in q.lower() for q in questions):
            questions.append(f"Who does Step {step.number} ({step.name})? The requirements name no one; "
                             f"the document assumes the {step.responsible}.")
    return questions


def _prerequisites(requirement: Requirement, steps: Sequence[Step], flow: ProcessFlow | None) -> list[str]:
    found = [f"Access to the {system_label(s)} with the permissions the steps need" for s in requirement.systems]
    if flow is not None and _has_decisions(flow):
        for node in flow.nodes:
            rules = [r.text() for e in flow.outgoing(node.id) for r in e.rules] if node.kind == "exclusive" else []
            if rules:
                found.append(f"An approved policy that defines the rule for '{' '.join(node.label.split())}' "
                             f"({'; '.join(dict.fromkeys(rules))})")
    else:
        for step in steps:
            for decision in step.decisions:
                found.append(f"An approved policy that defines the {decision.subject.replace('_', ' ')} rule "
                             f"({decision.operator} {value_text(decision)})")
    if four_eyes_requested(requirement.text):
        found.append("Four-eyes principle: nobody approves work they did themselves")
    roles = sorted({s.responsible for s in steps if s.responsible != "Automation Service"})
    found.append(f"Named people in each role ({', '.join(roles)}) with cover for absences")
    return found


def compose_document(requirement: Requirement, templates: Sequence[ProcessTemplate] = (),
                     today: date | None = None) -> ProcessDocument:
    """A complete document for ``requirement``: every section filled for this process, drawn from its graph."""
    used = [t for t in templates if t.id in requirement.templates] or list(templates[:1])
    _operator_role, team = domain_role(requirement.text, requirement.title)
    from_template = bool(used and requirement.steps and requirement.steps[0].source == "template")
    owner = requirement.owner or requirement.context.owner or (
        used[0].document.overview.owner if from_template else team)
    flow = process_flow(requirement, used)
    after = sequels(flow, requirement) if flow is not None else {}
    steps = [compose_step(step, n, requirement, used, after.get(n), _has_decisions(flow))
             for n, step in enumerate(requirement.steps, start=1)]
    if flow is not None:
        predecessors = flow.step_predecessors()
        steps = [s.model_copy(update={"depends_on": predecessors.get(s.number, []),
                                      "decisions": s.decisions or decisions_after(flow, s.number)}) for s in steps]
        roles = {s.number: s.responsible for s in steps}
        flow = flow.model_copy(update={"nodes": [n.model_copy(update={"performer": roles[n.step]})
                                                 if n.kind == "task" and n.step in roles else n for n in flow.nodes]})
    facts = model_facts(steps, flow)
    excluded = _excluded(requirement.systems)
    purpose = requirement.purpose or model_purpose(requirement.title, facts, requirement.trigger)
    prerequisites = _prerequisites(requirement, steps, flow)
    if from_template:
        prerequisites.extend(p for p in used[0].document.prerequisites if p not in prerequisites)
    error_handling = default_error_handling(steps, requirement.systems, owner, flow)
    error_handling.extend(
        f"{case}: follow the documented fallback and tell the process owner ({owner})" for case in requirement.error_cases
    )
    if from_template:
        error_handling.extend(e for e in used[0].document.error_handling if e not in error_handling)
    related = [f"{requirement.title} policy"]
    related += [f"Template: {t.title}" for t in used]
    related += [f"{system_label(s)} runbook" for s in requirement.systems[:3]]
    document = ProcessDocument(
        title=requirement.title,
        kind=requirement.kind,
        overview=Overview(purpose=purpose, scope=model_scope(facts, len(steps), excluded), owner=owner,
                          last_updated=(today or date.today()).isoformat()),
        prerequisites=prerequisites[:8],
        steps=steps,
        error_handling=error_handling,
        monitoring=default_monitoring(steps, requirement, flow),
        related_documents=related,
        integration=_integration(requirement, used) if requirement.kind == "integration" else None,
        templates_used=[t.id for t in used],
        context=requirement.context.model_copy(update={"integrations": requirement.systems}),
        flow=flow if flow is not None else ProcessFlow(),
        open_questions=_open_questions(requirement, steps),
    )
    return keep_stated_rules(document, requirement.text)
