"""The offline quality reviewer: completeness, clarity, best practices, SPy results and efficiency."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from process_designer.agents.reviewer.efficiency import analyse_efficiency
from process_designer.agents.reviewer.grounding import ReviewSource
from process_designer.agents.reviewer.model_checks import review_model
from process_designer.agents.vocabulary import detect_systems, system_label
from process_designer.domain.durations import Span, format_span, parse_duration
from process_designer.domain.models import ProcessDocument, QualityReport
from process_designer.feedback.profile import finding_key

__all__ = ["PLACEHOLDER", "ReviewNote", "review_document", "revisable_score"]

PLACEHOLDER = re.compile(r"\[[A-Z][^\]]*\]|\bTBD\b|\bTODO\b|\.\.\.|…|lorem ipsum|\bplaceholder\b", re.IGNORECASE)
_VAGUE = re.compile(r"\b(?:etc|as needed|as appropriate|appropriately|various|somehow|stuff|things|"
                    r"and so on|if necessary|some)\b", re.IGNORECASE)
_GENERIC_OWNERS = {"", "process owner", "owner", "team", "tbd", "someone"}
WEIGHTS = {"completeness": 0.3, "clarity": 0.15, "best_practices": 0.3, "code": 0.25}
# A check whose finding the tenant dismissed repeatedly (see process_designer.feedback) counts this much.
DISMISSED_WEIGHT = 0.25


@dataclass(frozen=True)
class ReviewNote:
    """A finding; ``target`` says which agent can fix it (``writer`` or ``coder``)."""

    text: str
    target: str
    dismissed: bool = False


def _filled(text: str) -> bool:
    return bool(text and text.strip()) and not PLACEHOLDER.search(text)


def _tally(checks: list[tuple[bool, str]], findings: list[ReviewNote], dismissed: Collection[str]) -> float:
    """The weighted share of passed checks; failed ones become writer findings."""
    passed = total = 0.0
    for ok, message in checks:
        waived = finding_key(message) in dismissed
        weight = DISMISSED_WEIGHT if waived else 1.0
        total += weight
        passed += weight if ok else 0.0
        if not ok:
            findings.append(ReviewNote(message, "writer", dismissed=waived))
    return passed / total


def _completeness(doc: ProcessDocument, findings: list[ReviewNote], dismissed: Collection[str] = ()) -> float:
    checks: list[tuple[bool, str]] = [
        (_filled(doc.title), "the process has no title"),
        (_filled(doc.overview.purpose), "Overview: purpose is missing or a placeholder"),
        (_filled(doc.overview.scope), "Overview: scope is missing or a placeholder"),
        (_filled(doc.overview.owner), "Overview: owner is missing or a placeholder"),
        (_filled(doc.overview.last_updated), "Overview: last updated date is missing"),
        (bool(doc.prerequisites), "Prerequisites: none listed"),
        (len(doc.steps) >= 2, "Process Steps: a process needs at least two steps"),
        (bool(doc.error_handling), "Error Handling: none listed"),
        (bool(doc.monitoring), "Monitoring and Metrics: none listed"),
        (bool(doc.related_documents), "Related Documents: none listed"),
    ]
    if doc.kind == "integration":
        spec = doc.integration
        checks += [
            (spec is not None and bool(spec.systems), "Integration Overview: systems are missing"),
            (spec is not None and _filled(spec.data_flow), "Integration Overview: data flow is missing"),
            (spec is not None and _filled(spec.frequency), "Integration Overview: frequency is missing"),
            (spec is not None and bool(spec.data_mapping), "Data Mapping: the table is empty"),
        ]
    for step in doc.steps:
        label = f"Step {step.number} ({step.name})"
        checks += [
            (_filled(step.name), f"Step {step.number}: the name is missing or a placeholder"),
            (_filled(step.objective), f"{label}: objective is missing or a placeholder"),
            (_filled(step.responsible), f"{label}: no responsible role"),
            (parse_duration(step.duration) is not None, f"{label}: duration '{step.duration}' is not a time span"),
            (len(step.actions) >= 2 and all(_filled(a) for a in step.actions),
             f"{label}: needs at least two specific actions"),
            (bool(step.validation) and all(_filled(v) for v in step.validation), f"{label}: no validation"),
        ]
    return _tally(checks, findings, dismissed)


def _sentence_score(text: str) -> float:
    words = len(text.split())
    length = 1.0 if 4 <= words <= 30 else max(0.0, 1 - abs(words - 17) / 40)
    return length * (0.6 if _VAGUE.search(text) else 1.0)


def _clarity(doc: ProcessDocument, findings: list[ReviewNote]) -> float:
    prose = [doc.overview.purpose, doc.overview.scope, *doc.prerequisites, *doc.error_handling, *doc.monitoring]
    for step in doc.steps:
        prose += [step.objective, *step.actions, *step.validation]
    prose = [p for p in prose if p.strip()]
    if not prose:
        return 0.0
    scores = [_sentence_score(p) for p in prose]
    vague = [p for p in prose if _VAGUE.search(p)]
    if vague:
        findings.append(ReviewNote(f"Vague wording in {len(vague)} line(s), e.g. '{vague[0][:60]}'", "writer"))
    long_lines = [p for p in prose if len(p.split()) > 45]
    if long_lines:
        findings.append(ReviewNote(f"{len(long_lines)} line(s) longer than 45 words; split them", "writer"))
    return sum(scores) / len(scores)


def _shared(a: str, b: str) -> int:
    words = {w for w in re.findall(r"[a-z0-9]{3,}", a.lower())} - {"the", "and", "for", "with", "than", "then"}
    return len(words & set(re.findall(r"[a-z0-9]{3,}", b)))


def _best_practices(doc: ProcessDocument, findings: list[ReviewNote], dismissed: Collection[str] = ()) -> float:
    checks: list[tuple[bool, str]] = [
        (doc.overview.owner.strip().lower() not in _GENERIC_OWNERS, "Name a specific owning team in the Overview"),
        (all(s.validation for s in doc.steps), "Every step needs a validation"),
        (all(s.responsible.strip() for s in doc.steps), "Every step needs a responsible role"),
        (bool(doc.monitoring) and all(re.search(r"\d", m) for m in doc.monitoring),
         "Every KPI in Monitoring and Metrics needs a measurable target (a number)"),
    ]
    handling = " ".join(doc.error_handling).lower()
    named = set(detect_systems(handling))
    for system in doc.integrations:
        label = system_label(system).lower()
        users = [s for s in doc.steps if system in s.systems]
        covered = (system in named or label in handling or system.replace("_", " ") in handling
                   or any(f"step {s.number}" in handling or s.name.lower() in handling for s in users))
        checks.append((covered, f"Error Handling: add recovery for the {system_label(system)} integration"))
    graph_decides = any(node.kind == "exclusive" for node in doc.effective_flow().nodes)
    for step in [] if graph_decides else doc.steps:  # a graph's decisions are shown, and checked, from the graph
        text = " ".join([*step.actions, *step.validation]).lower()
        for decision in step.decisions:
            mentioned = _shared(decision.subject.replace("_", " ") + " " + decision.text + " " + decision.if_true,
                                text) >= 2 or decision.subject.replace("_", " ") in text
            checks.append((mentioned and bool(decision.if_true) and bool(decision.if_false),
                           f"Step {step.number}: describe both branches of the {decision.subject} decision"))
    return _tally(checks, findings, dismissed)


def _code(doc: ProcessDocument, findings: list[ReviewNote]) -> float:
    spy = doc.spy
    missing = [s.number for s in doc.steps if not s.code.strip()]
    errors = spy.check_errors
    checks = [not missing, not errors, spy.tests_failed == 0, spy.tests_passed >= len(doc.steps)]
    if missing:
        findings.append(ReviewNote(f"Steps without SPy code: {', '.join(map(str, missing))}", "coder"))
    if errors:
        findings.append(ReviewNote(f"SPy check reports {len(errors)} error(s), first: {errors[0]}", "coder"))
    if spy.tests_failed:
        findings.append(ReviewNote(f"{spy.tests_failed} SPy test(s) fail", "coder"))
    if spy.tests_passed < len(doc.steps):
        findings.append(ReviewNote("Every step needs at least one passing SPy test", "coder"))
    return sum(checks) / len(checks)


def review_document(document: ProcessDocument, revisions: int = 0, dismissed: Collection[str] = (),
                    source: ReviewSource | None = None) -> QualityReport:
    """Score ``document`` in 0..1 and list what to fix; deterministic.

    The score is the weighted share of passed checks (``WEIGHTS``) times the soundness of the
    process model (``model_checks``: graph, performers, step names, actions, four eyes), whose
    findings are also returned typed in ``issues``.

    ``dismissed`` holds :func:`~process_designer.feedback.finding_key` keys of findings the tenant keeps
    dismissing: their checks weigh less in the score and they are listed last.

    ``source`` is what the design was made from (the requirements and the user's later messages): with it
    the review also checks the design against the text (``grounding``).
    """
    findings: list[ReviewNote] = []
    completeness = _completeness(document, findings, dismissed)
    clarity = _clarity(document, findings)
    practices = _best_practices(document, findings, dismissed)
    code = _code(document, findings)
    model = review_model(document, dismissed, source)
    score = (WEIGHTS["completeness"] * completeness + WEIGHTS["clarity"] * clarity
             + WEIGHTS["best_practices"] * practices + WEIGHTS["code"] * code) * model.soundness
    efficiency = analyse_efficiency(document.steps, document.effective_flow())
    total = Span(efficiency.total_work_minutes, efficiency.total_wait_days)
    critical = Span(efficiency.critical_path_work_minutes, efficiency.critical_path_wait_days)
    notes = [
        f"Efficiency: {format_span(total)} in all steps, critical path {format_span(critical)} through steps "
        f"{', '.join(map(str, efficiency.critical_path))}, {efficiency.handoffs} hand-off(s) between roles",
    ]
    if efficiency.critical_path_branches:
        notes.append(f"Efficiency: the critical path takes the longest branch of each decision: "
                     f"{'; '.join(efficiency.critical_path_branches)}")
    if efficiency.parallel_groups:
        groups = "; ".join(", ".join(map(str, g)) for g in efficiency.parallel_groups)
        notes.append(f"Efficiency: steps {groups} run in parallel")
    for number in efficiency.bottlenecks:
        step = document.step(number)
        if step is not None:
            notes.append(f"Efficiency: Step {number} ({step.name}) takes {step.duration}, the largest share of "
                         "the critical path; consider an SLA or more capacity there")
    return QualityReport(
        score=round(score, 4),
        completeness=round(completeness, 4),
        clarity=round(clarity, 4),
        best_practices=round(practices, 4),
        code=round(code, 4),
        soundness=round(model.soundness, 4),
        findings=[*(f.text for f in findings if not f.dismissed),
                  *(i.text for i in model.issues if finding_key(i.text) not in dismissed), *notes,
                  *(f"{f.text} (dismissed before)" for f in findings if f.dismissed),
                  *(f"{i.text} (dismissed before)" for i in model.issues if finding_key(i.text) in dismissed)],
        issues=model.issues,
        revisions=revisions,
        efficiency=efficiency,
    )


def revisable_score(report: QualityReport) -> float:
    """The part of ``report``'s score the writer and the coder can raise: its dimensions without the model's soundness.

    How the requirements were read (fragment names, assumed performers, steps the text does not say) lowers the
    score, but no revision round of the writer or the coder changes it, so it never sends work back.
    """
    return (WEIGHTS["completeness"] * report.completeness + WEIGHTS["clarity"] * report.clarity
            + WEIGHTS["best_practices"] * report.best_practices + WEIGHTS["code"] * report.code)


def findings_for(report: QualityReport, document: ProcessDocument, target: str) -> list[str]:
    """Re-derive the findings of ``report`` that agent ``target`` can fix."""
    fresh: list[ReviewNote] = []
    _completeness(document, fresh)
    _clarity(document, fresh)
    _best_practices(document, fresh)
    _code(document, fresh)
    return [f.text for f in fresh if f.target == target]
