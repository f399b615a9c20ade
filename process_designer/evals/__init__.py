"""Offline eval suite: cases, metrics, runner, reports, regression gate and the WorFBench adapter."""

from __future__ import annotations

from process_designer.evals.cases import (
    EvalCase,
    GoldStep,
    list_suites,
    load_cases,
    load_suite,
    select_cases,
)
from process_designer.evals.chat import (  # registers the "chat" case kind and its runner
    ChatCase,
    ChatTurn,
)
from process_designer.evals.coverage import contains_all, coverage, normalise_text
from process_designer.evals.integrations import (
    IntegrationCase,  # registers the "integration" case kind
)
from process_designer.evals.matching import (
    DEFAULT_THRESHOLD,
    ChainScore,
    chain_score,
    match_one_to_one,
    similarity_matrix,
)
from process_designer.evals.metrics import CaseResult, score_case
from process_designer.evals.report import load_baseline, report_data, write_reports
from process_designer.evals.runner import EvalRun, run_cases
from process_designer.evals.summary import TARGETS, aggregate, check_targets, find_regressions
from process_designer.evals.worfbench import f1_chain, f1_graph, load_worfbench, parse_workflow

__all__ = [
    "DEFAULT_THRESHOLD",
    "TARGETS",
    "CaseResult",
    "ChainScore",
    "ChatCase",
    "ChatTurn",
    "EvalCase",
    "EvalRun",
    "GoldStep",
    "IntegrationCase",
    "aggregate",
    "chain_score",
    "check_targets",
    "contains_all",
    "coverage",
    "f1_chain",
    "f1_graph",
    "find_regressions",
    "list_suites",
    "load_baseline",
    "load_cases",
    "load_suite",
    "load_worfbench",
    "match_one_to_one",
    "normalise_text",
    "parse_workflow",
    "report_data",
    "run_cases",
    "score_case",
    "select_cases",
    "similarity_matrix",
    "write_reports",
]
