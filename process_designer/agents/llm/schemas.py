"""What the model is asked to return: lenient drafts that are turned into the domain models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from process_designer.domain.models import Constraint, DataMapping, Decision

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
]


class _Draft(BaseModel):
    model_config = ConfigDict(extra="ignore")  # models add keys of their own; drop them, keep what we need


class RequirementStepDraft(_Draft):
    name: str
    description: str
    actor: str | None = None
    systems: list[str] = Field(default_factory=list)
    depends_on: list[int] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)


class RequirementDraft(_Draft):
    """The analyst's reading of the requirements."""

    title: str
    kind: Literal["standard", "integration"] = "standard"
    purpose: str = ""
    scope: str = ""
    owner: str = ""
    trigger: str = ""
    actors: list[str] = Field(default_factory=list)
    systems: list[str] = Field(default_factory=list)
    steps: list[RequirementStepDraft] = Field(min_length=1)
    decisions: list[Decision] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    error_cases: list[str] = Field(default_factory=list)
    kpis: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    templates: list[str] = Field(default_factory=list)


class OverviewDraft(_Draft):
    purpose: str
    scope: str
    owner: str


class StepDraft(_Draft):
    number: int = Field(ge=1)
    name: str
    objective: str
    responsible: str
    duration: str = Field(description="e.g. '15 minutes', '2 hours', '1 day'")
    actions: list[str] = Field(min_length=1)
    validation: list[str] = Field(min_length=1)
    depends_on: list[int] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    systems: list[str] = Field(default_factory=list)


class IntegrationDraft(_Draft):
    systems: list[str]
    data_flow: str
    frequency: str
    data_mapping: list[DataMapping] = Field(default_factory=list)


class DocumentDraft(_Draft):
    """A process document without code, quality and history (those stay deterministic)."""

    title: str
    kind: Literal["standard", "integration"] = "standard"
    overview: OverviewDraft
    prerequisites: list[str] = Field(default_factory=list)
    steps: list[StepDraft] = Field(min_length=1)
    error_handling: list[str] = Field(default_factory=list)
    monitoring: list[str] = Field(default_factory=list)
    related_documents: list[str] = Field(default_factory=list)
    integration: IntegrationDraft | None = None


class EditDraft(_Draft):
    """The edited document, or ``refusal`` when the request cannot be applied."""

    document: DocumentDraft | None = None
    summary: str = ""
    changed_steps: list[int] = Field(default_factory=list)
    refusal: str | None = None


class RevisionDraft(_Draft):
    document: DocumentDraft
    fixed: list[str] = Field(default_factory=list)


class ReviewDraft(_Draft):
    findings: list[str] = Field(default_factory=list, max_length=8)

