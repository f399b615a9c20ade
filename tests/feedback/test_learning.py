"""What the designer learns: stores per tenant, writer defaults from edits, reviewer weights from dismissals."""

from __future__ import annotations

import sqlite3

import pytest

from process_designer.agents.reviewer.offline import DISMISSED_WEIGHT, review_document
from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.errors import InputError
from process_designer.feedback import FeedbackStore, finding_key, parse_feedback_message
from process_designer.feedback.messages import FeedbackMessage
from process_designer.server.auth import Principal, acting_as

EMPLOYEE = "Onboard a new employee: create accounts, ship a laptop, manager approval"


def test_finding_keys_ignore_what_varies_between_documents() -> None:
    assert finding_key("Step 3 (Approve refund): no validation") == "step #: no validation"
    assert finding_key("Step 12 (Ship laptop): no validation.") == "step #: no validation"
    assert finding_key("Vague wording in 2 line(s), e.g. 'as needed'") == "vague wording in # line, e.g. ''"


def test_feedback_messages() -> None:
    assert parse_feedback_message("feedback: up") == FeedbackMessage("up", "")
    assert parse_feedback_message("Feedback:  DOWN  too many steps ") == FeedbackMessage("down", "too many steps")
    assert parse_feedback_message("feedback: dismiss Step 2 (X): no validation") == FeedbackMessage(
        "dismiss", "Step 2 (X): no validation")
    assert parse_feedback_message("owner: Finance") is None
    with pytest.raises(InputError, match="feedback 'sideways' is not understood; send 'feedback: up"):
        parse_feedback_message("feedback: sideways")


def test_profiles_are_per_tenant_and_reset(tmp_path_factory: pytest.TempPathFactory) -> None:
    settings = Settings(data_dir=tmp_path_factory.mktemp("feedback-store"))
    store = FeedbackStore.open(settings)
    try:
        store.record_rating("a", "t1", 1, "down", "", ["x"])
        store.record_rating("a", "t2", 1, "down", "", ["x", "y"])
        store.record_rating("a", "t3", 2, "up", "good", ["y"])
        store.record_edit("a", "t3", 2, owner="Finance Ops", roles={"Manager": "Controller"},
                          durations={"Approve Invoice": "2 hours"})
        store.record_edit("a", "t4", 1)  # nothing changed: nothing recorded
        store.record_dismissal("a", "t3", "Step 1 (A): no validation")
        store.record_dismissal("a", "t4", "Step 4 (B): no validation")
        store.record_rating("b", "t9", 1, "up", "", ["x"])
        with pytest.raises(InputError, match="rating 'meh' is not 'up' or 'down'"):
            store.record_rating("a", "t1", 1, "meh")

        a = store.profile("a")
        assert a.template_adjustment("x") == -0.3
        assert a.template_adjustment("y") == 0.15
        assert a.template_adjustment("z") == 0.0
        assert a.preferred_owner == "Finance Ops"
        assert a.roles == {"Manager": "Controller"}
        assert a.durations == {"approve invoice": "2 hours"}
        assert a.dismissed_findings() == frozenset({"step #: no validation"})
        assert store.profile("b").template_adjustment("x") == 0.15
        assert store.reset("a") == 6
        assert store.profile("a").empty
        assert store.profile("b").ratings == {"up": 1, "down": 0}
    finally:
        store.close()


def test_dismissed_findings_weigh_less_and_come_last(feedback_designer: Designer) -> None:
    document = feedback_designer.run_turn("dismiss-1", EMPLOYEE)[-1].document
    assert document is not None
    broken = document.model_copy(update={"steps": [
        step.model_copy(update={"validation": []}) if step.number == 2 else step for step in document.steps]})
    name = broken.steps[1].name
    plain = review_document(broken)
    assert f"Step 2 ({name}): no validation" in plain.findings

    waived = review_document(broken, dismissed={finding_key("Step 9 (Other): no validation")})
    checks = 10 + 6 * len(broken.steps)
    assert plain.completeness == round((checks - 1) / checks, 4)
    # the dismissed kind of check ("no validation") weighs less on every step, passed or failed
    weighted = checks - len(broken.steps) * (1 - DISMISSED_WEIGHT)
    assert waived.completeness == round((weighted - DISMISSED_WEIGHT) / weighted, 4)
    assert waived.score > plain.score
    assert f"Step 2 ({name}): no validation" not in waived.findings
    assert waived.findings[-1] == f"Step 2 ({name}): no validation (dismissed before)"


def test_dismissing_twice_in_chat_reaches_the_reviewer(feedback_designer: Designer) -> None:
    acting_as(Principal(subject="dee", tenant="umbrella"))
    feedback_designer.run_turn("umbrella-1", EMPLOYEE)
    reply = feedback_designer.run_turn("umbrella-1", "feedback: dismiss Step 2 (Ship): no validation",
                                       role="SYSTEM")[-1].content
    assert reply == ("Noted: the finding 'Step 2 (Ship): no validation' will weigh less in your reviews once "
                     "dismissed twice.")
    feedback_designer.run_turn("umbrella-1", "feedback: dismiss Step 5 (Other): no validation", role="SYSTEM")
    learned = feedback_designer.deps.feedback_profile()  # the deps read the caller's tenant
    assert learned is not None and learned.tenant == "umbrella"
    assert learned.dismissed_findings() == frozenset({"step #: no validation"})


def test_edits_become_the_tenants_writer_defaults(feedback_designer: Designer) -> None:
    acting_as(Principal(subject="eve", tenant="hooli"))
    first = feedback_designer.run_turn("hooli-1", EMPLOYEE)[-1].document
    assert first is not None and first.overview.owner != "Talent Team"
    edited = feedback_designer.run_turn("hooli-1", "change the owner to Talent Team")[-1].document
    assert edited is not None and edited.overview.owner == "Talent Team"
    assert feedback_designer.feedback.profile("hooli").owners == {"Talent Team": 1}
    default_role = first.steps[0].responsible
    feedback_designer.feedback.record_edit("hooli", "hooli-1", 2, roles={default_role: "Onboarding Lead"},
                                           durations={first.steps[1].name: "3 hours"})

    second = feedback_designer.run_turn("hooli-2", EMPLOYEE)[-1].document
    assert second is not None
    assert second.overview.owner == "Talent Team"
    assert second.steps[0].responsible == "Onboarding Lead"
    assert second.steps[1].duration == "3 hours"
    assert default_role not in {step.responsible for step in second.steps}

    acting_as(Principal(subject="fay", tenant="other"))
    third = feedback_designer.run_turn("other-1", EMPLOYEE)[-1].document
    assert third is not None and third.overview.owner == first.overview.owner
    assert third.steps[0].responsible == default_role


def test_feedback_is_sealed_at_rest_with_an_encryption_key(tmp_path_factory: pytest.TempPathFactory) -> None:
    settings = Settings(data_dir=tmp_path_factory.mktemp("feedback-sealed"),
                        encryption_key="Dk3fJ8T0bq0sJ2y7oPfJ8mB5zJ3u2n1mUq0Yp8aW3Xc=")
    store = FeedbackStore.open(settings)
    try:
        store.record_rating("a", "t1", 1, "down", "our auditors hate step 3", ["x"])
        raw = sqlite3.connect(settings.data_dir / "feedback.sqlite").execute(
            "SELECT payload FROM feedback_events").fetchall()
        assert len(raw) == 1 and raw[0][0].startswith("fernet:") and "auditors" not in raw[0][0]
        assert store.profile("a").templates["x"].rejected == 1
    finally:
        store.close()
