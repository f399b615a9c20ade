"""Markdown of a process document in the seed's Standard Process Structure / Integration Process Pattern."""

from __future__ import annotations

from process_designer.domain.flow_text import DecisionText, StepFlowText, describe_flow
from process_designer.domain.models import ProcessDocument, Step

__all__ = ["ASSUMED", "render_markdown", "render_step", "responsible_text"]

ASSUMED = "(assumed)"


def _bullets(items: list[str], empty: str) -> list[str]:
    return [f"- {item}" for item in items] if items else [f"- {empty}"]


def responsible_text(step: Step) -> str:
    """The step's role, marked ``(assumed)`` when the requirements named no one for it."""
    return f"{step.responsible} {ASSUMED}" if step.performer_source == "assumed" else step.responsible


def _decision_lines(decisions: list[DecisionText]) -> list[str]:
    lines: list[str] = []
    for decision in decisions:
        lines += ["", f"**Decision**: {decision.label}", *(f"- {branch}" for branch in decision.branches)]
    return lines


def render_step(step: Step, flow: StepFlowText | None = None) -> str:
    """One ``### Step N: Name`` section with its fields, what the process graph adds to it, and its code."""
    lines = [
        f"### Step {step.number}: {step.name}",
        f"**Objective**: {step.objective}",
        f"**Responsible**: {responsible_text(step)}",
        f"**Duration**: {step.duration}",
    ]
    if step.depends_on and step.depends_on != [step.number - 1]:
        after = ", ".join(f"Step {n}" for n in step.depends_on)
        lines.append(f"**Depends On**: {after}")
    if flow is not None and flow.parallel:
        lines.append(f"**In Parallel**: {flow.parallel}")
    lines += ["", "**Actions**:"]
    lines += [f"{i}. {action}" for i, action in enumerate(step.actions, start=1)]
    lines += ["", "**Validation**:"]
    lines += _bullets(step.validation, "Step owner confirms completion")
    if flow is not None:
        lines += _decision_lines(flow.decisions)
        lines += [f"**Loop**: {loop}" for loop in flow.loops]
        if flow.next:
            lines += ["", f"**Next**: {flow.next}"]
    if step.code.strip():
        lines += ["", "**Code Implementation**:", "```spy", step.code.rstrip(), "```"]
    return "\n".join(lines)


def _integration_sections(document: ProcessDocument) -> list[str]:
    spec = document.integration
    if spec is None:
        return []
    lines = [
        "## Integration Overview",
        f"- **Systems**: {', '.join(spec.systems)}",
        f"- **Data Flow**: {spec.data_flow}",
        f"- **Frequency**: {spec.frequency}",
    ]
    lines += [f"- **Rate Limit**: {limit.limit}{f' ({limit.system})' if limit.system else ''}"
              for limit in spec.rate_limits]
    lines += ["", "## Authentication Setup"]
    lines += [f"- **{auth.system}**: {auth.label or auth.method}" for auth in spec.auth]
    if spec.authentication.strip():
        lines += ["```spy", spec.authentication.rstrip(), "```"]
    elif not spec.auth:
        lines.append("- Credentials are read with `get_secret` and refreshed before each run")
    lines += [
        "",
        "## Data Mapping",
        "| Source Field | Target Field | Transformation |",
        "|--------------|--------------|----------------|",
    ]
    lines += [f"| {m.source} | {m.target or '(not stated)'} | {m.transformation}{' (example)' if m.example else ''} |"
              for m in spec.data_mapping]
    if any(m.example for m in spec.data_mapping):
        lines += ["", "_Example rows: no field mapping was given; replace them with the fields to map._"]
    lines.append("")
    return lines


def _recovery_lines(document: ProcessDocument) -> list[str]:
    """The ``## Error Recovery`` section: the stated policy, then its code."""
    spec = document.integration
    if spec is None:
        return []
    lines = ["## Error Recovery"]
    policy = spec.recovery
    if policy is not None:
        if policy.retries is not None:
            lines.append(f"- **Retries**: {policy.retries}{f' with {policy.backoff}' if policy.backoff else ''}")
        if policy.queue:
            lines.append(f"- **Failed records**: go to the {policy.queue}")
        if policy.reviewer or policy.review_frequency:
            who = policy.reviewer or "the process owner"
            lines.append(f"- **Review**: {who}{f', {policy.review_frequency}' if policy.review_frequency else ''}")
    if spec.error_recovery.strip():
        lines += ["```spy", spec.error_recovery.rstrip(), "```"]
    lines.append("")
    return lines


def render_markdown(document: ProcessDocument) -> str:
    """The whole document as markdown, SPy code fenced as ```spy."""
    suffix = "Integration Process" if document.kind == "integration" else "Process Documentation"
    overview = document.overview
    lines = [
        f"# {document.title} - {suffix}",
        "",
        "## Overview",
        f"- **Purpose**: {overview.purpose}",
        f"- **Scope**: {overview.scope}",
        f"- **Owner**: {overview.owner}",
        f"- **Last Updated**: {overview.last_updated}",
        "",
    ]
    lines += _integration_sections(document)
    lines += ["## Prerequisites", *_bullets(document.prerequisites, "None"), "", "## Process Steps", ""]
    flow = describe_flow(document)
    if flow.at_start:
        lines += [*_decision_lines(flow.at_start)[1:], ""]
    for step in document.steps:
        lines += [render_step(step, flow.steps.get(step.number)), ""]
    lines += _recovery_lines(document)
    lines += ["## Error Handling", *_bullets(document.error_handling, "None identified"), ""]
    lines += ["## Monitoring and Metrics", *_bullets(document.monitoring, "None defined"), ""]
    lines += ["## Related Documents", *_bullets(document.related_documents, "None"), ""]
    if document.open_questions:
        lines += ["## Open Questions", *_bullets(document.open_questions, ""), ""]
    return "\n".join(lines)
