"""The template field a reviewer finding is about, so a refused or noted template names what to fix where.

Light on purpose: the command line imports it for every command.
"""

from __future__ import annotations

import re

__all__ = ["field_of", "with_field"]

# Reviewer finding → the template field it is about; ``{n}`` is the step number the finding names.
_FIELDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), field)
    for pattern, field in (
        (r"^Step (?P<n>\d+)(?: \(.*\))?: objective", "steps[{n}].objective"),
        (r"^Step (?P<n>\d+)(?: \(.*\))?: no responsible role", "steps[{n}].responsible"),
        (r"^Step (?P<n>\d+)(?: \(.*\))?: duration", "steps[{n}].duration"),
        (r"^Step (?P<n>\d+)(?: \(.*\))?: needs at least two specific actions", "steps[{n}].actions"),
        (r"^Step (?P<n>\d+)(?: \(.*\))?: no validation", "steps[{n}].validation"),
        (r"^Step (?P<n>\d+)(?: \(.*\))?: the name", "steps[{n}].name"),
        (r"^Step (?P<n>\d+)(?: \(.*\))?: (?:the requirements name no performer|no performer was stated)",
         "steps[{n}].responsible"),
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


def with_field(finding: str) -> str:
    """``finding`` prefixed with its field, e.g. ``steps[3].actions: Step 3 (…): needs …``."""
    return f"{field_of(finding)}: {finding}"
