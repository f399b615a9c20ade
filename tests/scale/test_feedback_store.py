"""The feedback store behaves the same on SQLite and on Postgres: per-tenant profiles, reset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from process_designer.config import Settings
from process_designer.feedback import FeedbackStore


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FeedbackStore]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    opened = FeedbackStore.open(Settings(data_dir=tmp_path / "data", database_url=url))
    yield opened
    opened.close()


def test_profiles_fold_in_order_per_tenant_and_reset(store: FeedbackStore) -> None:
    store.record_rating("acme", "t1", 1, "down", "", ["employee-onboarding"])
    store.record_rating("acme", "t2", 1, "down", "", ["employee-onboarding"])
    store.record_rating("acme", "t3", 1, "up", "", ["customer-onboarding"])
    store.record_edit("acme", "t3", 1, roles={"Manager": "Team Lead"})
    store.record_edit("acme", "t3", 2, roles={"Manager": "Line Manager"})
    store.record_rating("globex", "t9", 1, "up", "", ["employee-onboarding"])

    acme = store.profile("acme")
    assert acme.template_adjustment("employee-onboarding") == -0.3
    assert acme.template_adjustment("customer-onboarding") == 0.15
    assert acme.roles == {"Manager": "Line Manager"}
    assert store.profile("globex").template_adjustment("employee-onboarding") == 0.15
    assert store.reset("acme") == 5
    assert store.profile("acme").empty
    assert not store.profile("globex").empty
