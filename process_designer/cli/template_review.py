"""How ``templates add`` reviews a template file: with the SPy the designer would generate, findings by field.

A template file carries no SPy code (the format in ``knowledge/templates/README.md`` has no place for
it), so the reviewer scores the document after the offline coder has compiled its steps, as the
designer does before it saves a chat result. A refusal names the TOML field each finding is about.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this module for every command; the models load only on use
    from process_designer.domain.models import ProcessDocument, QualityReport

__all__ = ["field_of", "file_reviewer"]

Reviewer = Callable[["ProcessDocument"], "QualityReport"]

# Reviewer finding → the template field it is about; ``{n}`` is the step number the finding names.
_FIELDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), field)
    for pattern, field in (
        (r"^Step (?P<n>\d+)(?: \(.*\))?: objective", "steps[{n}].objective"),
        (r"^Step (?P<n>\d+)(?: \(.*\))?: no responsible role", "steps[{n}].responsible"),
        (r"^Step (?P<n>\d+)(?: \(.*\))?: duration", "steps[{n}].duration"),
        (r"^Step (?P<n>\d+)(?: \(.*\))?: needs at least two specific actions", "steps[{n}].actions"),
        (r"^Step (?P<n>\d+)(?: \(.*\))?: no validation", "steps[{n}].validation"),
        (r"^Step (?P<n>\d+): the name", "steps[{n}].name"),
        (r"^Step (?P<n>\d+): describe both branches", "steps[{n}].decisions"),
        (r"^the process has no title", "title"),
        (r"^Overview: purpose", "overview.purpose"),
        (r"^Overview: scope", "overview.scope"),
        (r"^Overview: owner|owning team", "overview.owner"),
        (r"^Overview: last updated", "overview.last_updated"),
        (r"^Prerequisites", "prerequisites"),
        (r"^Process Steps|^Every step needs a validation", "steps"),
        (r"^Every step needs a responsible role", "steps"),
        (r"^Error Handling", "error_handling"),
        (r"Monitoring and Metrics", "monitoring"),
        (r"^Related Documents", "related_documents"),
        (r"^Integration Overview: systems", "integration.systems"),
        (r"^Integration Overview: data flow", "integration.data_flow"),
        (r"^Integration Overview: frequency", "integration.frequency"),
        (r"^Data Mapping", "integration.data_mapping"),
        (r"^Vague wording|longer than 45 words", "the prose of objectives, actions, validations and lists"),
        (r"SPy", "steps and gateways (the SPy generated from them)"),
    )
)


def field_of(finding: str) -> str:
    """The template field a reviewer finding is about, e.g. ``steps[3].actions``; ``document`` when unknown."""
    for pattern, field in _FIELDS:
        match = pattern.search(finding)
        if match:
            return field.format(**match.groupdict())
    return "document"


def file_reviewer(review: Reviewer) -> Reviewer:
    """``review`` run on the compiled document, its findings prefixed with their field.

    Efficiency notes are advice, not faults, and never block a template, so they are left out.
    """
    from process_designer.agents.coder import compile_document

    def reviewed(document: ProcessDocument) -> QualityReport:
        report = review(compile_document(document))
        faults = [f for f in report.findings if not f.startswith("Efficiency:")]
        return report.model_copy(update={"findings": [f"{field_of(f)}: {f}" for f in faults]})

    return reviewed
