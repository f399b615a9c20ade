"""Every curated template passes the quality reviewer, and its SPy checks and tests clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from process_designer.agents.coder import compile_document
from process_designer.agents.reviewer import review_document
from process_designer.knowledge.template_model import load_template

TEMPLATES = sorted((Path(__file__).parents[2] / "process_designer" / "knowledge" / "templates").glob("*.toml"))


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.stem for p in TEMPLATES])
def test_template_passes_review_with_clean_spy(path: Path) -> None:
    document = compile_document(load_template(path).document)
    errors = [d for d in document.spy.diagnostics if ": E" in d]
    assert errors == []
    assert document.spy.tests_failed == 0
    assert document.spy.tests_passed >= len(document.steps)
    report = review_document(document)
    findings = [f for f in report.findings if not f.startswith("Efficiency")]
    assert report.score >= 0.9, findings


def test_every_template_is_checked() -> None:
    assert len(TEMPLATES) >= 40
