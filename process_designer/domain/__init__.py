"""The domain: requirements, process documents, SPy artefacts and quality reports."""

from __future__ import annotations

from process_designer.domain.durations import format_minutes, parse_duration
from process_designer.domain.models import (
    Constraint,
    DataMapping,
    Decision,
    DesignContext,
    Efficiency,
    IntegrationSpec,
    Overview,
    ProcessDocument,
    ProcessKind,
    QualityReport,
    Requirement,
    RequirementStep,
    SpyArtifacts,
    Step,
)

__all__ = [
    "Constraint",
    "DataMapping",
    "Decision",
    "DesignContext",
    "Efficiency",
    "IntegrationSpec",
    "Overview",
    "ProcessDocument",
    "ProcessKind",
    "QualityReport",
    "Requirement",
    "RequirementStep",
    "SpyArtifacts",
    "Step",
    "format_minutes",
    "parse_duration",
]
