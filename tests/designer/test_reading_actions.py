"""Verbs that are work when someone does them to something: containing an incident is a step."""

from __future__ import annotations

from process_designer.language.frames import read_frames


def test_containing_an_incident_is_a_step_between_the_others() -> None:
    frames, _, _ = read_frames("the on-call engineer triages the alert, contains the issue, fixes the root cause, "
                               "and writes a postmortem")
    assert [f.name for f in frames if f.kind == "step"] == ["Triage alert", "Contain issue", "Fix root cause",
                                                            "Write postmortem"]
