"""How many turns run at once: sized to the cores for the offline engine, wider for a model, or set."""

from __future__ import annotations

import os

import pytest

from process_designer.config import load_settings
from process_designer.errors import ConfigError


def test_offline_turns_run_one_per_core_and_model_turns_sixteen_at_once() -> None:
    assert load_settings({}, dotenv=None).turn_concurrency == (os.cpu_count() or 1)
    assert load_settings({"PD_MODEL": "openai:gpt-4o-mini"}, dotenv=None).turn_concurrency == 16


def test_pd_turn_workers_sets_the_pool_and_zero_means_automatic() -> None:
    assert load_settings({"PD_TURN_WORKERS": "3"}, dotenv=None).turn_concurrency == 3
    assert load_settings({"PD_TURN_WORKERS": "0"}, dotenv=None).turn_concurrency == (os.cpu_count() or 1)


@pytest.mark.parametrize(("raw", "message"), [
    ("many", r"^PD_TURN_WORKERS='many' is not a whole number; set it to an integer from 0 to 256$"),
    ("300", r"^PD_TURN_WORKERS=300 is out of range; set it to an integer from 0 to 256$"),
])
def test_a_bad_pd_turn_workers_names_the_variable(raw: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings({"PD_TURN_WORKERS": raw}, dotenv=None)
