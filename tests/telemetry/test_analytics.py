"""Analytics from a scripted set of sessions, from the chat over HTTP, and ``process-designer stats``."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from process_designer.cli.main import main
from process_designer.telemetry.analytics import AnalyticsStore, TurnRecord
from telemetry.conftest import Chat

WRITE = ("requirement_analyst", "process_writer", "spy_coder", "quality_reviewer")
SCRIPT = (
    TurnRecord("a", 100.0, 110.0, "design", WRITE, has_document=True, passed=True, score=0.9, completeness=0.8,
               clarity=0.7, revisions=1, templates=("onboarding",), category="sales"),
    TurnRecord("b", 300.0, 320.0, "design", WRITE, has_document=True, score=0.6, completeness=0.5, clarity=0.6,
               templates=("onboarding", "refunds"), category="finance"),
    TurnRecord("a", 200.0, 215.0, "revise", WRITE[1:], has_document=True, passed=True, score=0.95,
               completeness=0.9, clarity=0.8, templates=("onboarding",), category="sales"),
    TurnRecord("c", 400.0, 401.0, "clarify", ("requirement_analyst",)),
    TurnRecord("c", 500.0, 502.0, "unknown", outcome="EngineError"),
)
EXPECTED = {
    "sessions": 3, "turns": 5, "successful_sessions": 1, "success_rate": 0.3333, "mean_turns": 1.6667,
    "mean_duration_seconds": 79.0, "mean_score": 0.775, "mean_completeness": 0.7, "mean_clarity": 0.7,
    "popular_templates": [{"template": "onboarding", "sessions": 2}, {"template": "refunds", "sessions": 1}],
    "categories": {"finance": 1, "sales": 1},
    "routes": {"clarify": 1, "design": 2, "revise": 1, "unknown": 1},
    "paths": {"process_writer > spy_coder > quality_reviewer": 1, "requirement_analyst": 1,
              "requirement_analyst > process_writer > spy_coder > quality_reviewer": 2},
    "errors": {"EngineError": 1},
}


@pytest.fixture
def scripted(tmp_path: Path) -> Path:
    store = AnalyticsStore(tmp_path / "data" / "analytics.sqlite")
    for turn in SCRIPT:
        store.record(turn)
    store.close()
    return tmp_path


def test_scripted_sessions_give_the_expected_figures(scripted: Path) -> None:
    store = AnalyticsStore(scripted / "data" / "analytics.sqlite")
    sessions, report = store.summary()
    store.close()
    assert report.model_dump(mode="json") == EXPECTED
    assert [(s.thread_id, s.turns, s.duration_seconds, s.succeeded, s.score, s.templates, s.category)
            for s in sessions] == [
        ("a", 2, 115.0, True, 0.95, ["onboarding"], "sales"),
        ("b", 1, 20.0, False, 0.6, ["onboarding", "refunds"], "finance"),
        ("c", 2, 102.0, False, None, [], None),
    ]


def test_stats_prints_json_and_a_table(scripted: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(scripted)
    monkeypatch.setenv("PD_DATA_DIR", str(scripted / "data"))
    assert main(["stats", "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["report"] == EXPECTED and [s["thread_id"] for s in printed["sessions"]] == ["a", "b", "c"]
    assert main(["stats"]) == 0
    assert capsys.readouterr().out == (
        "Sessions                3\n"
        "Turns                   5\n"
        "Successful sessions     1 (33.3%)\n"
        "Mean turns per session  1.67\n"
        "Mean session duration   79.0 s\n"
        "Mean quality score      0.78\n"
        "Mean completeness       0.70\n"
        "Mean clarity            0.70\n"
        "\n"
        "Popular templates (sessions)\n"
        "  onboarding  2\n"
        "  refunds     1\n"
        "\n"
        "Process categories (sessions)\n"
        "  finance  1\n"
        "  sales    1\n"
        "\n"
        "Routes (turns)\n"
        "  clarify  1\n"
        "  design   2\n"
        "  revise   1\n"
        "  unknown  1\n"
        "\n"
        "Agent paths (turns)\n"
        "  process_writer > spy_coder > quality_reviewer                        1\n"
        "  requirement_analyst                                                  1\n"
        "  requirement_analyst > process_writer > spy_coder > quality_reviewer  2\n"
        "\n"
        "Errors (turns)\n"
        "  EngineError  1\n"
    )


def test_analytics_endpoint_reports_the_chat(chat: Chat) -> None:
    body = httpx.get(f"{chat.server.api}/analytics").json()
    versions = [httpx.get(f"{chat.server.api}/sessions/{chat.session_id}/process/versions/{n}").json()["document"]
                for n in (1, 2)]
    report, (session,) = body["report"], body["sessions"]
    assert (report["sessions"], report["turns"]) == (1, 3)
    assert report["routes"] == {"code": 1, "design": 1, "question": 1}
    assert report["paths"]["answer_question"] == 1
    assert session["thread_id"] == chat.thread_id and session["turns"] == 3
    final = versions[1]["quality"]
    assert (session["score"], session["completeness"], session["clarity"]) == (
        final["score"], final["completeness"], final["clarity"])
    assert session["succeeded"] is any(v["quality"]["score"] >= 0.85 for v in versions)
    assert session["templates"] == versions[0]["templates_used"]
    assert report["success_rate"] == (1.0 if session["succeeded"] else 0.0)
