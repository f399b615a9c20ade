"""``process-designer design`` as a user runs it: JSON contract, files written, clear errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from process_designer.cli.main import main

CONTRACT_KEYS = {"title", "kind", "overview", "prerequisites", "steps", "error_handling", "monitoring",
                 "related_documents", "integration", "spy", "quality", "templates_used", "markdown"}


def test_design_json_and_out_files_and_linked_spy_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], designer_settings) -> None:
    monkeypatch.setenv("PD_DATA_DIR", str(designer_settings.data_dir / "cli"))
    out = tmp_path / "out"
    code = main(["design", "Expense claims: the employee submits receipts, if the amount is over $250 the manager "
                 "approves, then finance reimburses the employee through payroll", "--out", str(out),
                 "--format", "json", "--quiet"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    data = json.loads(captured.out)
    assert set(data) >= CONTRACT_KEYS
    assert set(data["overview"]) == {"purpose", "scope", "owner", "last_updated"}
    assert {"number", "name", "objective", "responsible", "duration", "actions", "validation", "code",
            "depends_on"} <= set(data["steps"][0])
    assert set(data["spy"]) == {"program", "tests", "diagnostics", "tests_passed", "tests_failed"}
    # a faithful design of a three-step text: the reviewer's only finding is that the process is thin
    assert [issue["code"] for issue in data["quality"]["issues"]] == ["thin_process"]
    assert 0.75 <= data["quality"]["score"] < 1.0
    slug = "expense-claims-processing"
    assert sorted(p.name for p in out.iterdir()) == [f"{slug}.json", f"{slug}.md", f"{slug}.spy", f"{slug}_test.spy"]
    assert (out / f"{slug}.md").read_text().startswith("# Expense Claims Processing - Process Documentation")

    # The program's header declares its connectors: the plain commands need no --bindings.
    systems = sorted({system for step in data["steps"] for system in step["systems"]})
    assert (out / f"{slug}.spy").read_text().splitlines()[0] == f"# spy: bindings {', '.join(systems)}"
    assert main(["spy", "check", str(out / f"{slug}.spy"), str(out / f"{slug}_test.spy")]) == 0
    assert main(["spy", "check", str(out / f"{slug}.spy")]) == 0
    capsys.readouterr()
    assert main(["spy", "test", str(out / f"{slug}.spy"), str(out / f"{slug}_test.spy")]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == f"{data['spy']['tests_passed']} passed, 0 failed"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["design", "x", "--context", "{not json"], "--context is not valid JSON"),
        (["design", "x", "--context", "[1, 2]"], "--context must be a JSON object"),
        (["design", "x", "--context", '{"complexity": "extreme"}'], "--context is invalid"),
    ],
)
def test_design_bad_arguments_get_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_design_without_a_process_answers_with_a_question(monkeypatch: pytest.MonkeyPatch, designer_settings,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PD_DATA_DIR", str(designer_settings.data_dir / "cli"))
    assert main(["design", "   ", "--quiet"]) == 1
    assert "What process should I design?" in capsys.readouterr().err


def test_design_exports_its_spans_where_pd_otel_exporter_says(monkeypatch: pytest.MonkeyPatch, designer_settings,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from process_designer.telemetry import current

    monkeypatch.setenv("PD_DATA_DIR", str(designer_settings.data_dir / "cli"))
    monkeypatch.setenv("PD_OTEL_EXPORTER", "console")
    before = current()
    assert main(["design", "Refunds: support checks the order in the CRM, then billing refunds the customer",
                 "--quiet"]) == 0
    captured = capsys.readouterr()
    # The console exporter writes each span as JSON on stderr; stdout stays the document alone.
    names = re.findall(r'^    "name": "([^"]+)",$', captured.err, re.M)
    assert names.count("invoke_workflow") == 1
    assert [n for n in names if n.startswith("invoke_agent ")] == [
        "invoke_agent route_turn", "invoke_agent requirement_analyst", "invoke_agent process_writer",
        "invoke_agent spy_coder", "invoke_agent quality_reviewer", "invoke_agent respond"]
    assert captured.out.startswith("# ") and '"name":' not in captured.out
    assert current() is before  # the command's telemetry is flushed and the process's put back
