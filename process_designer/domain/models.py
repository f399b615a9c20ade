"""Pydantic models of the domain; ``ProcessDocument.to_json`` is the ``design --format json`` contract."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from process_designer.domain.flow import ProcessFlow, from_dependencies

__all__ = [
    "Constraint",
    "DataFlow",
    "DataMapping",
    "Decision",
    "DesignContext",
    "Efficiency",
    "Finding",
    "IntegrationSpec",
    "IntegrationTrigger",
    "Overview",
    "PerformerSource",
    "ProcessDocument",
    "ProcessKind",
    "QualityReport",
    "RateLimit",
    "RecoveryPolicy",
    "Requirement",
    "RequirementStep",
    "Severity",
    "SpyArtifacts",
    "Step",
    "SystemAuth",
    "flow_of",
]

ProcessKind = Literal["standard", "integration"]
Complexity = Literal["low", "medium", "high"]
PerformerSource = Literal["stated", "template", "assumed"]
"""Where a step's performer came from: the user's text, the matched template, or the designer's assumption."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class DesignContext(_Model):
    """What a user or a SYSTEM message says about the process's surroundings."""

    business_domain: str | None = None
    complexity: Complexity | None = None
    integrations: list[str] = Field(default_factory=list)
    owner: str | None = None

    @field_validator("integrations")
    @classmethod
    def _normalise_integrations(cls, value: list[str]) -> list[str]:
        seen: list[str] = []
        for name in value:
            clean = name.strip().lower().replace("-", "_").replace(" ", "_")
            if clean and clean not in seen:
                seen.append(clean)
        return seen


class Decision(_Model):
    """A decision point: ``subject operator value`` with what happens on either branch."""

    text: str
    subject: str = ""
    operator: Literal[">", ">=", "<", "<=", "==", "!=", "is", "is_not"] = "=="
    value: bool | int | float | str | None = None
    unit: str = ""
    if_true: str = ""
    if_false: str = ""


class Constraint(_Model):
    """An SLA, threshold, deadline or rule the process must respect (a deadline is the point in time or the
    event a case must be done by: "ready for day one", "before the audit")."""

    text: str
    kind: Literal["sla", "threshold", "rule", "frequency", "deadline"] = "rule"
    value: float | None = None
    unit: str = ""


class RequirementStep(_Model):
    """A step as the analyst understood it from the user's words."""

    name: str
    description: str  # the clause as the user wrote it
    instruction: str = ""  # the same clause as an instruction to the performer, when the analyst could say it
    actor: str | None = None
    systems: list[str] = Field(default_factory=list)
    depends_on: list[int] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    source: Literal["user", "template", "inferred"] = "user"
    performer_source: PerformerSource = "stated"
    # the name of the template step it was drafted from, when the draft renamed it to the request's words
    template_step: str = ""


class Requirement(_Model):
    """The analyst's structured reading of free-text requirements plus context."""

    text: str
    title: str
    kind: ProcessKind = "standard"
    purpose: str = ""
    scope: str = ""
    owner: str = ""
    trigger: str = ""
    actors: list[str] = Field(default_factory=list)
    systems: list[str] = Field(default_factory=list)
    steps: list[RequirementStep] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    error_cases: list[str] = Field(default_factory=list)
    kpis: list[str] = Field(default_factory=list)
    context: DesignContext = Field(default_factory=DesignContext)
    questions: list[str] = Field(default_factory=list)
    templates: list[str] = Field(default_factory=list)
    flow: ProcessFlow = Field(default_factory=ProcessFlow)  # the steps' control flow; task ``step`` = index + 1
    open_questions: list[str] = Field(default_factory=list)  # what the analyst had to assume
    integration: IntegrationSpec | None = None  # what the user said about the integration, when it is one


class Overview(_Model):
    purpose: str
    scope: str
    owner: str
    last_updated: str


class Step(_Model):
    """One step of the document; ``code`` is the SPy define that implements it."""

    number: int
    name: str
    objective: str
    responsible: str
    duration: str
    actions: list[str] = Field(default_factory=list)
    validation: list[str] = Field(default_factory=list)
    code: str = ""
    depends_on: list[int] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    systems: list[str] = Field(default_factory=list)
    performer_source: PerformerSource = "stated"


class DataMapping(_Model):
    """A row of the data-mapping table; ``example`` marks a sample row the user has not given."""

    source: str
    target: str
    transformation: str
    example: bool = False


class DataFlow(_Model):
    """What moves which way: ``objects`` of ``source`` arrive in ``target`` (as ``target_objects``)."""

    objects: str
    source: str
    target: str
    target_objects: str = ""


class IntegrationTrigger(_Model):
    """What starts a run: a schedule ("every 15 minutes"), an event, a webhook, or a person."""

    kind: Literal["schedule", "event", "webhook", "manual"]
    text: str


class SystemAuth(_Model):
    """How the integration authenticates to one system, as the user states it."""

    system: str
    method: str  # an id of integration/data/auth.toml, e.g. "oauth2_jwt_bearer"
    label: str = ""


class RateLimit(_Model):
    """A stated rate limit; ``system`` empty when it applies to every call."""

    system: str = ""
    limit: str


class RecoveryPolicy(_Model):
    """What happens to records that fail: retries, back-off, the queue they land in and who reviews it."""

    retries: int | None = None
    backoff: str = ""
    queue: str = ""
    reviewer: str = ""
    review_frequency: str = ""


class IntegrationSpec(_Model):
    """The seed's *Integration Process Pattern* sections.

    ``authentication`` and ``error_recovery`` hold the SPy code the coder writes; ``auth`` and
    ``recovery`` what the user stated, which that code follows.
    """

    systems: list[str]
    data_flow: str
    frequency: str
    data_mapping: list[DataMapping] = Field(default_factory=list)
    authentication: str = ""
    error_recovery: str = ""
    direction: Literal["one-way", "two-way"] = "one-way"
    flows: list[DataFlow] = Field(default_factory=list)
    trigger: IntegrationTrigger | None = None
    auth: list[SystemAuth] = Field(default_factory=list)
    rate_limits: list[RateLimit] = Field(default_factory=list)
    recovery: RecoveryPolicy | None = None


_CHECK_ERROR = re.compile(r"^\S+:\d+:\d+: E\d{3} ")


class SpyArtifacts(_Model):
    program: str = ""
    tests: str = ""
    diagnostics: list[str] = Field(default_factory=list)
    tests_passed: int = 0
    tests_failed: int = 0

    @property
    def check_errors(self) -> list[str]:
        """The diagnostics that are checker errors (``process.spy:3:5: E101 …``), not warnings or notes."""
        return [line for line in self.diagnostics if _CHECK_ERROR.search(line)]


class Efficiency(_Model):
    """The reviewer's efficiency analysis of the process graph.

    Minutes are elapsed working minutes (``domain.durations.Span.minutes``): working time as it is,
    calendar waits as the working time that passes during them. The ``*_work_minutes`` and
    ``*_wait_days`` fields keep the two apart.
    """

    total_minutes: float = 0.0
    critical_path: list[int] = Field(default_factory=list)
    critical_path_minutes: float = 0.0
    handoffs: int = 0
    parallel_groups: list[list[int]] = Field(default_factory=list)
    bottlenecks: list[int] = Field(default_factory=list)
    total_work_minutes: float = 0.0
    total_wait_days: float = 0.0  # calendar days
    critical_path_work_minutes: float = 0.0
    critical_path_wait_days: float = 0.0  # calendar days
    # The branch the critical path takes at each decision it passes: "Amount over 10,000? → amount over 10,000".
    critical_path_branches: list[str] = Field(default_factory=list)


Severity = Literal["error", "warning", "info"]


class Finding(_Model):
    """One reviewer finding as data: what kind (``code``), where (``step`` or flow ``node``), how bad, and the text.

    ``QualityReport.findings`` keeps the texts (the JSON contract); ``QualityReport.issues`` holds these.
    """

    code: str
    text: str
    severity: Severity = "warning"
    step: int | None = None
    node: str | None = None


class QualityReport(_Model):
    score: float = 0.0
    completeness: float = 0.0
    clarity: float = 0.0
    best_practices: float = 0.0
    code: float = 0.0
    soundness: float = 1.0  # 1 minus the weighted defects of the process model (see agents.reviewer.model_checks)
    findings: list[str] = Field(default_factory=list)
    issues: list[Finding] = Field(default_factory=list)  # the typed findings of the process model
    revisions: int = 0
    fixed: list[str] = Field(default_factory=list)
    efficiency: Efficiency = Field(default_factory=Efficiency)


def flow_of(steps: Sequence[Step], flow: ProcessFlow | None) -> ProcessFlow:
    """``flow`` when it holds exactly one task per step of ``steps``; otherwise the flow of their ``depends_on``."""
    if flow is not None and flow.start is not None and sorted(
            node.step for node in flow.nodes if node.kind == "task" and node.step is not None) == sorted(
            step.number for step in steps):
        return flow
    return from_dependencies((step.number, step.name, step.responsible, step.depends_on) for step in steps)


class ProcessDocument(_Model):
    """A process in the seed's *Standard Process Structure* or *Integration Process Pattern*."""

    title: str
    kind: ProcessKind = "standard"
    overview: Overview
    prerequisites: list[str] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    error_handling: list[str] = Field(default_factory=list)
    monitoring: list[str] = Field(default_factory=list)
    related_documents: list[str] = Field(default_factory=list)
    integration: IntegrationSpec | None = None
    spy: SpyArtifacts = Field(default_factory=SpyArtifacts)
    quality: QualityReport = Field(default_factory=QualityReport)
    templates_used: list[str] = Field(default_factory=list)
    context: DesignContext = Field(default_factory=DesignContext)
    flow: ProcessFlow = Field(default_factory=ProcessFlow)
    open_questions: list[str] = Field(default_factory=list)

    def step(self, number: int) -> Step | None:
        return next((s for s in self.steps if s.number == number), None)

    def effective_flow(self) -> ProcessFlow:
        """The process graph everything downstream is drawn from.

        ``flow`` when it holds exactly one task per step; otherwise (a document stored before
        processes were graphs, or whose flow no longer matches its steps) the flow of the steps'
        ``depends_on``, without decisions.
        """
        return flow_of(self.steps, self.flow)

    @property
    def integrations(self) -> list[str]:
        """Connector names the process declares (the SPy host bindings of its steps)."""
        names: list[str] = list(self.context.integrations)
        for step in self.steps:
            for system in step.systems:
                if system not in names:
                    names.append(system)
        return names

    def to_json(self) -> dict[str, Any]:
        """The ``design --format json`` object of DESIGN.md (plus additive fields)."""
        from process_designer.domain.markdown import render_markdown

        data = self.model_dump(mode="json")
        data["markdown"] = render_markdown(self)
        return data
