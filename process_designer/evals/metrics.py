"""Per-case quality metrics of a generated process document against an eval case's expectations."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from process_designer.domain.models import ProcessDocument
from process_designer.evals.cases import EvalCase
from process_designer.evals.coverage import contains_all, coverage, normalise_text
from process_designer.evals.gateways import score_gateways
from process_designer.evals.matching import (
    DEFAULT_THRESHOLD,
    TextEmbedder,
    chain_score,
    match_one_to_one,
    similarity_matrix,
    topological_orders,
)
from process_designer.evals.paths import path_coverage
from process_designer.evals.performers import score_performers
from process_designer.wording.fragments import check_names

__all__ = [
    "CASE_SCORERS",
    "CaseResult",
    "CaseScorer",
    "StepMatch",
    "document_text",
    "failed_case",
    "score_case",
    "spy_check_clean",
    "spy_test_pass_rate",
]

_ERROR_CODE = re.compile(r"(?<![A-Za-z0-9])E\d{3}\b")

CaseScorer = Callable[[EvalCase, ProcessDocument], dict[str, float | None]]
CASE_SCORERS: dict[str, CaseScorer] = {}
"""Extra figures per case ``kind`` (see ``cases.register_case_kind``): ``{name: value}`` per case,
kept in :attr:`CaseResult.figures` and aggregated by a ``Metric`` whose field is ``figures.<name>``."""


class StepMatch(BaseModel):
    """A predicted step paired with the gold step it stands for."""

    model_config = ConfigDict(frozen=True)

    predicted: str
    gold: str
    similarity: float


class CaseResult(BaseModel):
    """Every metric of one case; coverages are ``None`` when the case expects nothing of that kind."""

    id: str
    domain: str
    style: str
    kind: str = "process"
    multi_turn: bool = False
    error: str | None = None
    step_precision: float = 0.0
    step_recall: float = 0.0
    step_f1: float = 0.0
    order_precision: float = 0.0
    order_recall: float = 0.0
    order_f1: float = 0.0
    decision_coverage: float | None = None
    constraint_coverage: float | None = None
    integration_coverage: float | None = None
    error_case_coverage: float | None = None
    final_coverage: float | None = None
    completeness: float = 0.0
    clarity: float = 0.0
    reviewer_score: float = 0.0
    revisions: int = 0
    spy_check_clean: bool = False
    spy_test_pass_rate: float = 0.0
    latency_s: float = 0.0
    steps_predicted: int = 0
    performers_scored: int = 0
    performers_right: int = 0
    performer_accuracy: float | None = None
    fragment_steps: int = 0
    fragment_share: float | None = None
    gateways_gold: int = 0
    gateways_predicted: int = 0
    gateways_matched: int = 0
    gateway_precision: float | None = None
    gateway_recall: float | None = None
    paths_total: int = 0
    paths_tested: int = 0
    path_coverage: float | None = None
    figures: dict[str, float | None] = Field(default_factory=dict)
    predicted_steps: list[str] = Field(default_factory=list)
    matches: list[StepMatch] = Field(default_factory=list)
    missing_steps: list[str] = Field(default_factory=list)
    missed: dict[str, list[str]] = Field(default_factory=dict)


def document_text(document: ProcessDocument) -> str:
    """The markdown and JSON of ``document``: what coverage searches."""
    try:
        data: dict[str, Any] = document.to_json()
    except ImportError:
        # The markdown renderer is optional for scoring: the JSON fields carry the same facts.
        data = document.model_dump(mode="json")
    markdown = str(data.pop("markdown", ""))
    return markdown + "\n" + json.dumps(data, ensure_ascii=False)


def spy_check_clean(document: ProcessDocument) -> bool:
    """True when ``spy check`` reported no error (``E…``) diagnostics; warnings are allowed."""
    return not any(_ERROR_CODE.search(line) for line in document.spy.diagnostics)


def spy_test_pass_rate(document: ProcessDocument) -> float:
    """Passed share of the generated SPy tests; 0 when no test ran (untested code does not pass)."""
    total = document.spy.tests_passed + document.spy.tests_failed
    return document.spy.tests_passed / total if total else 0.0


def _missed(text: str, expectations: list[list[str]]) -> list[str]:
    return [" + ".join(words) for words in expectations if not contains_all(text, words)]


def _integration_coverage(
    document: ProcessDocument, text: str, expected: list[str]
) -> tuple[float | None, list[str]]:
    if not expected:
        return None, []
    declared = {normalise_text(name).replace("_", " ") for name in document.integrations}
    missing = [
        name
        for name in expected
        if normalise_text(name).replace("_", " ") not in declared and not contains_all(text, [name])
    ]
    return (len(expected) - len(missing)) / len(expected), missing


def _first_step_matching(
    phrase: str, names: list[str], similarities: list[float], threshold: float
) -> int | None:
    needle = normalise_text(phrase)
    for index, name in enumerate(names):
        if needle in normalise_text(name) or similarities[index] > threshold:
            return index
    return None


def _final_checks(
    case: EvalCase, document: ProcessDocument, text: str, embedder: TextEmbedder, threshold: float
) -> tuple[float | None, list[str]]:
    """Multi-turn expectations: what the last document must (not) say and which step comes first."""
    total = len(case.final_must_contain) + len(case.final_must_not_contain) + len(case.final_order)
    if not total:
        return None, []
    failed = _missed(text, case.final_must_contain)
    failed += [
        "not " + " + ".join(words)
        for words in case.final_must_not_contain
        if contains_all(text, words)
    ]
    names = [step.name for step in document.steps]
    phrases = [phrase for pair in case.final_order for phrase in pair]
    sims = similarity_matrix(embedder, phrases, names)
    for k, (before, after) in enumerate(case.final_order):
        first = _first_step_matching(before, names, list(sims[2 * k]) if names else [], threshold)
        second = _first_step_matching(
            after, names, list(sims[2 * k + 1]) if names else [], threshold
        )
        if first is None or second is None or first >= second:
            failed.append(f"{before} before {after}")
    return (total - len(failed)) / total, failed


def score_case(
    case: EvalCase,
    document: ProcessDocument,
    embedder: TextEmbedder,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    latency_s: float = 0.0,
) -> CaseResult:
    """Score ``document`` against ``case``: steps, order, coverages, SPy and reviewer figures."""
    predicted = [step.name for step in document.steps]
    gold = case.gold_names
    similarities = similarity_matrix(embedder, predicted, gold)
    mapping = match_one_to_one(similarities, threshold)
    matched = len(mapping)
    precision = matched / len(predicted) if predicted else 0.0
    recall = matched / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if matched else 0.0
    orders = topological_orders(len(gold), case.gold_dependencies)
    chain = chain_score(mapping, len(predicted), len(gold), orders)

    text = document_text(document)
    integration_cov, missing_integrations = _integration_coverage(document, text, case.integrations)
    final_cov, final_failed = _final_checks(case, document, text, embedder, threshold)
    performers = score_performers(document.steps, case.gold_performers, mapping)
    fragments = [
        check
        for check in check_names(predicted, [step.responsible for step in document.steps])
        if check.fragment
    ]
    gateways = score_gateways(document, case.gateways, mapping)
    paths = path_coverage(document)
    scorer = CASE_SCORERS.get(case.kind)
    missed = {
        "decisions": _missed(text, case.decisions),
        "constraints": _missed(text, case.constraints),
        "integrations": missing_integrations,
        "error_cases": _missed(text, case.error_cases),
        "final": final_failed,
        "performers": list(performers.wrong),
        "fragments": [f"{check.name} ({check.reason})" for check in fragments],
        "gateways": list(gateways.missed),
    }
    return CaseResult(
        id=case.id,
        domain=case.domain,
        style=case.style,
        kind=case.kind,
        multi_turn=case.multi_turn,
        step_precision=precision,
        step_recall=recall,
        step_f1=f1,
        order_precision=chain.precision,
        order_recall=chain.recall,
        order_f1=chain.f1,
        decision_coverage=coverage(text, case.decisions),
        constraint_coverage=coverage(text, case.constraints),
        integration_coverage=integration_cov,
        error_case_coverage=coverage(text, case.error_cases),
        final_coverage=final_cov,
        completeness=document.quality.completeness,
        clarity=document.quality.clarity,
        reviewer_score=document.quality.score,
        revisions=document.quality.revisions,
        spy_check_clean=spy_check_clean(document),
        spy_test_pass_rate=spy_test_pass_rate(document),
        latency_s=latency_s,
        steps_predicted=len(predicted),
        performers_scored=performers.scored,
        performers_right=performers.right,
        performer_accuracy=performers.accuracy,
        fragment_steps=len(fragments),
        fragment_share=len(fragments) / len(predicted) if predicted else None,
        gateways_gold=gateways.gold,
        gateways_predicted=gateways.predicted,
        gateways_matched=gateways.matched,
        gateway_precision=gateways.precision,
        gateway_recall=gateways.recall,
        paths_total=paths.paths,
        paths_tested=paths.tested,
        path_coverage=paths.share,
        figures=scorer(case, document) if scorer is not None else {},
        predicted_steps=predicted,
        matches=[
            StepMatch(
                predicted=predicted[p], gold=gold[g], similarity=round(float(similarities[p, g]), 4)
            )
            for p, g in sorted(mapping.items())
        ],
        missing_steps=[name for index, name in enumerate(gold) if index not in mapping.values()],
        missed={kind: items for kind, items in missed.items() if items},
    )


def failed_case(case: EvalCase, error: str, latency_s: float = 0.0) -> CaseResult:
    """The result of a case whose design failed: every score 0, every expectation missed."""
    performers = sum(1 for names in case.gold_performers if names)
    return CaseResult(
        id=case.id,
        domain=case.domain,
        style=case.style,
        kind=case.kind,
        multi_turn=case.multi_turn,
        error=error,
        decision_coverage=0.0 if case.decisions else None,
        constraint_coverage=0.0 if case.constraints else None,
        integration_coverage=0.0 if case.integrations else None,
        error_case_coverage=0.0 if case.error_cases else None,
        final_coverage=0.0
        if (case.final_must_contain or case.final_must_not_contain or case.final_order)
        else None,
        latency_s=latency_s,
        performers_scored=performers,
        performer_accuracy=0.0 if performers else None,
        gateways_gold=len(case.gateways),
        gateway_recall=0.0 if case.gateways else None,
        missing_steps=case.gold_names,
    )
