"""Whether a design may become a template: the reviewer's findings that keep it out, and the user's override.

A template is copied into every design that matches it, so one whose step names are fragments or
whose performers nobody stated would spread those defects. A performer is stated only when the user
said who does the step: one the designer assumed, or took from a template because the text named no
one (``performer_source`` "assumed" or "template"; the open questions ask about both), keeps the
design out as well. Such a design is saved only when the user says so explicitly: "save it as a
template anyway" in the chat, ``--override`` on ``templates add``, ``?override=true`` on
``POST …/templates``. The refusal names each finding; a template file's findings name their field.

The chat, the command line and the REST API share this gate; the last two through :func:`admit_template`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from process_designer.agents.reviewer.model_checks import TEMPLATE_BLOCKERS, soundness
from process_designer.domain.models import Finding, ProcessDocument, QualityReport
from process_designer.errors import TemplateError
from process_designer.knowledge.template_fields import with_field

if TYPE_CHECKING:
    from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["TEMPLATE_MIN_SCORE", "Admission", "admit_template", "min_score_with", "template_blockers",
           "template_refusal", "wants_override"]

TEMPLATE_MIN_SCORE = 0.9
_OVERRIDE = re.compile(r"\b(?:anyway|anyhow|regardless|even so|all the same|nevertheless|as it is|as is|"
                       r"despite (?:the|these|those|its) (?:findings|warnings|issues|problems)|override)\b",
                       re.IGNORECASE)
_OVERRIDE_HOW = "add it with `templates add --override` or `POST …/templates?override=true` to save it as it is"

Review = Callable[[ProcessDocument], QualityReport]


class _Library(Protocol):
    def add(self, template: ProcessTemplate, *, review: Review | None = ...,
            min_score: float = ...) -> ProcessTemplate: ...


def template_performer_findings(document: ProcessDocument) -> list[Finding]:
    """Steps whose performer came from a template, not from the user: a gate finding, not a review deduction."""
    return [Finding(code="template_performer", step=s.number, node=f"step_{s.number}",
                    text=f"Step {s.number} ({s.name}): no performer was stated; '{s.responsible}' comes from a "
                         "template — confirm who does it")
            for s in document.steps if s.performer_source == "template"]


def template_blockers(report: QualityReport, document: ProcessDocument) -> list[Finding]:
    """The findings that keep ``document`` (reviewed in ``report``) out of the template library."""
    return [issue for issue in report.issues if issue.code in TEMPLATE_BLOCKERS] + template_performer_findings(document)


def wants_override(text: str) -> bool:
    """Whether the user's message insists on saving despite the findings."""
    return bool(_OVERRIDE.search(text))


def template_refusal(title: str, blockers: Sequence[Finding]) -> str:
    """The answer that says why ``title`` was not saved, one finding a line, and how to save it anyway."""
    lines = [f"Not saved as a template: '{title}' has {len(blockers)} finding(s) a template must not carry:"]
    lines += [f"- {finding.text}" for finding in blockers]
    lines.append("Fix them (rename the steps, name who does them), or say 'save it as a template anyway' to save "
                 "it as it is.")
    return "\n".join(lines)


def min_score_with(accepted: Sequence[Finding], steps: int, min_score: float = TEMPLATE_MIN_SCORE) -> float:
    """The review score a template must reach when the user accepted ``accepted``: those defects no longer count.

    Only the reviewer's own findings lowered the score; the gate's (template performers) did not.
    """
    deducted = [finding for finding in accepted if finding.code in TEMPLATE_BLOCKERS]
    return round(min_score * soundness(deducted, steps), 4)


@dataclass(frozen=True)
class Admission:
    """A saved template with its review: the score, the findings that did not stop it and the overridden
    ones, each prefixed with its field."""

    template: ProcessTemplate
    score: float
    findings: list[str]
    overridden: list[str]


def _file_review(document: ProcessDocument) -> QualityReport:
    """The review of a template's document with the SPy the designer would generate (a file carries none),
    its findings prefixed with their field; efficiency notes are advice, never a fault of a template."""
    from process_designer.agents.coder import compile_document
    from process_designer.agents.reviewer.offline import review_document

    report = review_document(compile_document(document))
    faults = [with_field(f) for f in report.findings if not f.startswith("Efficiency:")]
    return report.model_copy(update={"findings": faults})


def admit_template(library: _Library, template: ProcessTemplate, *, override: bool = False,
                   min_score: float = TEMPLATE_MIN_SCORE) -> Admission:
    """Review ``template`` and save it into ``library`` if it passes the gate (see the module).

    Raises :class:`TemplateError` naming each blocking finding by field unless ``override``, and (from
    ``library.add``) when the score is below ``min_score`` less what the overridden findings cost.
    """
    report = _file_review(template.document)
    blockers = template_blockers(report, template.document)
    named = [with_field(b.text) for b in blockers]
    if blockers and not override:
        raise TemplateError(f"template {template.id!r} is not saved: {len(blockers)} finding(s) a template must not "
                            f"carry: {'; '.join(named)}; fix them, or {_OVERRIDE_HOW}")
    saved = library.add(template, review=lambda _document: report,
                        min_score=min_score_with(blockers, len(template.document.steps), min_score))
    return Admission(template=saved, score=report.score, findings=list(report.findings), overridden=named)
