"""Markdown of a process document in the seed's Standard Process Structure / Integration Process Pattern."""

from __future__ import annotations

from process_designer.domain.models import ProcessDocument, Step

__all__ = ["render_markdown", "render_step"]


def _bullets(items: list[str], empty: str) -> list[str]:
    return [f"- {item}" for item in items] if items else [f"- {empty}"]


def render_step(step: Step) -> str:
    """One ``### Step N: Name`` section with its fields and code."""
    lines = [
        f"### Step {step.number}: {step.name}",
        f"**Objective**: {step.objective}",
        f"**Responsible**: {step.responsible}",
        f"**Duration**: {step.duration}",
    ]
    if step.depends_on and step.depends_on != [step.number - 1]:
        after = ", ".join(f"Step {n}" for n in step.depends_on)
        lines.append(f"**Depends On**: {after}")
    lines += ["", "**Actions**:"]
    lines += [f"{i}. {action}" for i, action in enumerate(step.actions, start=1)]
    lines += ["", "**Validation**:"]
    lines += _bullets(step.validation, "Step owner confirms completion")
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
        "",
        "## Authentication Setup",
    ]
    if spec.authentication.strip():
        lines += ["```spy", spec.authentication.rstrip(), "```"]
    else:
        lines.append("- Credentials are read with `get_secret` and refreshed before each run")
    lines += [
        "",
        "## Data Mapping",
        "| Source Field | Target Field | Transformation |",
        "|--------------|--------------|----------------|",
    ]
    lines += [f"| {m.source} | {m.target} | {m.transformation} |" for m in spec.data_mapping]
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
    for step in document.steps:
        lines += [render_step(step), ""]
    if document.integration is not None:
        lines.append("## Error Recovery")
        if document.integration.error_recovery.strip():
            lines += ["```spy", document.integration.error_recovery.rstrip(), "```"]
        lines.append("")
    lines += ["## Error Handling", *_bullets(document.error_handling, "None identified"), ""]
    lines += ["## Monitoring and Metrics", *_bullets(document.monitoring, "None defined"), ""]
    lines += ["## Related Documents", *_bullets(document.related_documents, "None"), ""]
    return "\n".join(lines)
