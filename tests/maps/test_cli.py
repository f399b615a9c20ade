"""``export``, ``import`` and ``gap`` as a user runs them: outputs, exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from process_designer.cli.main import main
from process_designer.domain.models import ProcessDocument
from process_designer.maps.bpmn import to_bpmn
from process_designer.maps.mermaid import to_mermaid
from process_designer.maps.svg import to_svg


@pytest.fixture
def document_json(tmp_path: Path, expense_document: ProcessDocument) -> Path:
    path = tmp_path / "expense.json"
    path.write_text(json.dumps(expense_document.to_json()), encoding="utf-8")
    return path


def test_export_formats(document_json: Path, expense_document: ProcessDocument,
                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(document_json), "--format", "mermaid"]) == 0
    assert capsys.readouterr().out == to_mermaid(expense_document)
    assert main(["export", str(document_json), "--format", "bpmn"]) == 0
    assert capsys.readouterr().out == to_bpmn(expense_document)
    assert main(["export", str(document_json), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == expense_document.to_json()
    assert main(["export", str(document_json), "--format", "svg"]) == 0
    assert capsys.readouterr().out == to_svg(expense_document)


def test_import_bpmn_prints_the_document(tmp_path: Path, expense_document: ProcessDocument,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    bpmn = tmp_path / "expense.bpmn"
    bpmn.write_text(to_bpmn(expense_document), encoding="utf-8")
    assert main(["import", str(bpmn), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in data["steps"]] == [s.name for s in expense_document.steps]
    assert data["steps"][4]["depends_on"] == [2, 3, 4]  # after the approval, or straight on when none is needed
    assert [(n["id"], n["kind"]) for n in data["flow"]["nodes"] if n["kind"] in ("exclusive", "parallel")] == [
        ("decision_1", "exclusive"), ("parallel_1", "parallel"), ("decision_2", "exclusive"), ("parallel_2", "parallel")]


def test_gap_json(tmp_path: Path, document_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
    current = tmp_path / "current.txt"
    current.write_text("1. Submit claim (Employee)\n2. Reimburse employee (Finance Clerk)\n", encoding="utf-8")
    assert main(["gap", str(current), str(document_json), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["missing_steps"] == ["Step 2: Check receipts", "Step 3: Manager approval", "Step 4: Audit sample"]
    assert report["extra_steps"] == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "{missing}", "--format", "md"], "{missing}: no such file"),
        (["export", "--format", "md"], "export needs exactly one of DOCUMENT.json or --thread ID"),
        (["export", "{document}", "--format", "spy"], "Expense Claims: spy: the document has no SPy program yet"),
        (["import", "{bad}"], "{bad}: steps.0.responsible: field required"),
    ],
)
def test_errors_are_one_line_and_exit_1(argv: list[str], message: str, tmp_path: Path, document_json: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "X", "overview": {"purpose": "p", "scope": "s", "owner": "o", "last_updated": "d"},'
                   ' "steps": [{"number": 1, "name": "A", "objective": "o", "duration": "1 hour"}]}')
    names = {"missing": str(tmp_path / "nope.json"), "document": str(document_json), "bad": str(bad)}
    assert main([arg.format(**names) for arg in argv]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("process-designer: error: " + message.format(**names))


def test_unknown_thread_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PD_DATA_DIR", str(tmp_path / "data"))
    assert main(["export", "--thread", "no-such-thread", "--format", "md"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["process-designer: error: thread 'no-such-thread' has no process document yet; design one with "
                   "`process-designer chat --thread ID` or pass DOCUMENT.json"]


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["export", "x.json", "--format", "pdf"])
    assert exited.value.code == 2
