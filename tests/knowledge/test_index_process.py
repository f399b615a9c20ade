"""The template library served by a second process answers as the library in this process does."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from process_designer.config import Settings
from process_designer.domain.models import QualityReport
from process_designer.errors import ProcessDesignerError, StorageError, TemplateError
from process_designer.knowledge import TemplateLibrary
from process_designer.knowledge.index_process import IndexProcess

QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("customers ask for their money back and a manager approves large refunds", {}),
    ("new hire laptop, accounts and first-day training", {"top": 3}),
    ("sync the CRM with billing every night", {"integrations": ["crm"]}),
    ("onboard a customer and integrate their systems", {"complexity": "high", "top": 2}),
]


@pytest.fixture
def both(tmp_path: Path, starter_dir: Path) -> Iterator[tuple[TemplateLibrary, IndexProcess, list[str], list[str]]]:
    """The library here and the same library in another process, each over its own new data directory;
    with the progress lines each printed while indexing."""
    here_lines: list[str] = []
    there_lines: list[str] = []
    library = TemplateLibrary(Settings(data_dir=tmp_path / "here"), templates_dir=starter_dir)
    library.ensure_index(progress=here_lines.append)
    index = IndexProcess.start(Settings(data_dir=tmp_path / "there"), templates_dir=starter_dir)
    index.ensure_index(progress=there_lines.append)
    yield library, index, here_lines, there_lines
    index.close()
    library.close()


def _error(call: Callable[[], object]) -> tuple[type[BaseException], str]:
    with pytest.raises(ProcessDesignerError) as raised:
        call()
    return type(raised.value), str(raised.value)


def test_a_first_start_reports_the_same_progress(both: tuple[TemplateLibrary, IndexProcess, list[str], list[str]]) -> None:
    _, _, here_lines, there_lines = both
    assert there_lines == here_lines
    assert any(line.startswith("embedding ") for line in there_lines)


def test_searches_and_templates_are_the_same(both: tuple[TemplateLibrary, IndexProcess, list[str], list[str]]) -> None:
    library, index, _, _ = both
    for query, filters in QUERIES:
        assert index.search(query, **filters) == library.search(query, **filters), query
    assert index.get("refund-request") == library.get("refund-request")
    assert index.embedder.embed(["refund a customer"]) == library.embedder.embed(["refund a customer"])
    assert (index.embedder.name, index.embedder.dimensions) == (library.embedder.name, library.embedder.dimensions)
    assert index.ensure_index() == library.ensure_index()


def test_errors_are_raised_with_their_type_and_message(
        both: tuple[TemplateLibrary, IndexProcess, list[str], list[str]]) -> None:
    library, index, _, _ = both
    assert _error(lambda: index.get("refund-requets")) == _error(lambda: library.get("refund-requets"))
    assert _error(lambda: index.search("   ")) == _error(lambda: library.search("   "))
    assert _error(lambda: index.search("refunds", complexity="huge")) == _error(
        lambda: library.search("refunds", complexity="huge"))


def test_adding_asks_this_process_for_the_review(both: tuple[TemplateLibrary, IndexProcess, list[str], list[str]]) -> None:
    library, index, _, _ = both
    template = library.get("refund-request").model_copy(update={"id": "refund-copy"})
    reviewed: list[str] = []

    def poor(document: Any) -> QualityReport:
        reviewed.append(document.title)
        return QualityReport(score=0.5, findings=["step 2 has no performer"])

    refused = _error(lambda: index.add(template, review=poor, min_score=0.9))
    assert refused == _error(lambda: library.add(template, review=poor, min_score=0.9))
    assert refused[0] is TemplateError
    assert reviewed == [template.document.title] * 2

    def failing(document: Any) -> QualityReport:
        raise TemplateError(f"no reviewer for {document.title}")

    assert _error(lambda: index.add(template, review=failing)) == _error(lambda: library.add(template, review=failing))
    added = index.add(template, review=lambda document: QualityReport(score=0.95), min_score=0.9)
    assert added == index.get("refund-copy")
    assert _error(lambda: index.add(template))[1].startswith("a template with id 'refund-copy' already exists")


def test_use_is_recorded_in_the_other_process(tmp_path: Path, starter_dir: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    index = IndexProcess.start(settings, templates_dir=starter_dir)
    try:
        index.record_use(["refund-request", "refund-request"])
    finally:
        index.close()
    assert TemplateLibrary(settings, templates_dir=starter_dir).usage() == {"refund-request": 2}


def test_an_index_that_cannot_open_fails_as_the_library_does(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    settings.data_dir.mkdir()
    settings.chroma_path.write_text("not a folder", encoding="utf-8")
    index = IndexProcess.start(settings)
    try:
        there = _error(index.ensure_index)
    finally:
        index.close()
    assert there == _error(TemplateLibrary(settings).ensure_index)
    assert there[0] is StorageError


def test_a_process_that_ended_is_one_clear_error(tmp_path: Path, starter_dir: Path) -> None:
    index = IndexProcess.start(Settings(data_dir=tmp_path / "data"), templates_dir=starter_dir)
    try:
        index.ensure_index()
        os.kill(index.pid, signal.SIGKILL)
        kind, message = _error(lambda: index.search("refunds"))
    finally:
        index.close()
    assert kind is TemplateError
    assert "template index process" in message and "\n" not in message
