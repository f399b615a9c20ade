"""``process-designer feedback show|reset|rate`` as a user runs it."""

from __future__ import annotations

import json

import pytest

from process_designer.cli.main import main
from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.feedback import FeedbackStore


def test_show_reset_and_rate(feedback_designer: Designer, feedback_settings: Settings,
                             monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PD_DATA_DIR", str(feedback_settings.data_dir))
    final = feedback_designer.run_turn("cli-1", "Refund request from a customer: check order, approve refund, "
                                       "pay back")[-1]
    assert final.document is not None and final.document.templates_used == ["refund-request"]

    assert main(["feedback", "rate", "cli-1", "down", "--comment", "too slow", "--tenant", "initech"]) == 0
    assert capsys.readouterr().out == "Rated version 1 of cli-1 down (templates: refund-request).\n"
    store = FeedbackStore.open(feedback_settings)
    try:
        store.record_edit("initech", "cli-1", 1, owner="Customer Care", roles={"Manager": "Team Lead"})
        store.record_dismissal("initech", "cli-1", "Step 3 (Approve refund): no validation")
    finally:
        store.close()

    assert main(["feedback", "show", "--tenant", "initech", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {"tenant": "initech", "ratings": {"up": 0, "down": 1},
                     "templates": {"refund-request": {"accepted": 0, "rejected": 1}},
                     "owners": {"Customer Care": 1}, "roles": {"Manager": "Team Lead"}, "durations": {},
                     "dismissed": {"step #: no validation": 1}}
    assert main(["feedback", "show", "--tenant", "initech"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Tenant initech: 0 up, 1 down",
        "Templates:",
        "  refund-request: accepted 0, rejected 1 (ranking +0.00)",
        "Owner: Customer Care",
        "Role: Manager -> Team Lead",
        "Dismissed 1x: step #: no validation",
    ]

    assert main(["feedback", "reset", "--tenant", "initech"]) == 0
    assert capsys.readouterr().out == "Reset tenant initech: 3 feedback record(s) removed.\n"
    assert main(["feedback", "show", "--tenant", "initech"]) == 0
    assert capsys.readouterr().out == "Nothing learned for tenant initech yet.\n"


def test_rating_an_unknown_thread_is_one_line(feedback_settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PD_DATA_DIR", str(feedback_settings.data_dir))
    assert main(["feedback", "rate", "no-such-thread", "up"]) == 1
    assert capsys.readouterr().err == ("process-designer: error: thread no-such-thread has no process to rate yet; "
                                       "design one first\n")
    with pytest.raises(SystemExit) as exited:
        main(["feedback", "rate", "cli-1", "sideways"])
    assert exited.value.code == 2
