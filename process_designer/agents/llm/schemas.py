"""What the model is asked to return: the domain models themselves, less the fields the engine fills.

Each answer model is derived from its domain model (:func:`answer_model`) — same field names, types,
defaults and descriptions — so a change to ``Requirement``, ``ProcessDocument`` or the process graph
(``ProcessFlow``) changes what the model is asked for. Dropped are the fields that stay deterministic
(code, quality, history, context). Answers ignore keys of their own; nested domain models validate as
they always do.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from process_designer.domain.models import (
    IntegrationSpec,
    Overview,
    ProcessDocument,
    Requirement,
    RequirementStep,
    Step,
)

__all__ = [
    "DocumentDraft",
    "EditDraft",
    "IntegrationDraft",
    "OverviewDraft",
    "RequirementDraft",
    "RequirementStepDraft",
    "ReviewDraft",
    "RevisionDraft",
    "StepDraft",
    "answer_model",
]

_LENIENT = ConfigDict(extra="ignore", populate_by_name=True)


def answer_model(domain: type[BaseModel], name: str, *, omit: Collection[str] = (),
                 replace: Mapping[str, Any] | None = None) -> type[BaseModel]:
    """``domain`` without the ``omit`` fields; ``replace`` gives fields another (derived) type."""
    replace = replace or {}
    fields: dict[str, Any] = {}
    for field_name, info in domain.model_fields.items():
        if field_name in omit:
            continue
        annotation = replace.get(field_name, info.annotation)
        copied = info._copy()  # default, factory, constraints and description, as the domain has them
        copied.annotation = annotation
        fields[field_name] = (annotation, copied)
    return create_model(name, __config__=_LENIENT, __doc__=domain.__doc__, __module__=__name__, **fields)


RequirementStepDraft = answer_model(RequirementStep, "RequirementStepDraft", omit={"source", "performer_source"})
RequirementDraft = answer_model(Requirement, "RequirementDraft", omit={"text", "context", "open_questions"},
                                replace={"steps": list[RequirementStepDraft]})  # type: ignore[valid-type]
OverviewDraft = answer_model(Overview, "OverviewDraft", omit={"last_updated"})
StepDraft = answer_model(Step, "StepDraft", omit={"code", "performer_source"})
IntegrationDraft = answer_model(IntegrationSpec, "IntegrationDraft", omit={"authentication", "error_recovery"})
DocumentDraft = answer_model(
    ProcessDocument, "DocumentDraft",
    omit={"spy", "quality", "templates_used", "context", "open_questions"},
    replace={"overview": OverviewDraft, "steps": list[StepDraft],  # type: ignore[valid-type]
             "integration": IntegrationDraft | None})


class EditDraft(BaseModel):
    """The edited document, or ``refusal`` when the request cannot be applied."""

    model_config = _LENIENT
    document: DocumentDraft | None = None  # type: ignore[valid-type]
    summary: str = ""
    changed_steps: list[int] = Field(default_factory=list)
    refusal: str | None = None


class RevisionDraft(BaseModel):
    """The revised document and one line per finding fixed."""

    model_config = _LENIENT
    document: DocumentDraft  # type: ignore[valid-type]
    fixed: list[str] = Field(default_factory=list)


class ReviewDraft(BaseModel):
    """Findings the model adds to the computed review."""

    model_config = _LENIENT
    findings: list[str] = Field(default_factory=list, max_length=8)
