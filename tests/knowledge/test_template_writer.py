"""Saved templates read back exactly: `template_to_toml` is the inverse of `template_from_toml`."""

from __future__ import annotations

from pathlib import Path

import pytest

from process_designer.knowledge import CURATED_TEMPLATES_DIR, load_template, template_from_toml
from process_designer.knowledge.template_writer import template_to_toml


@pytest.mark.parametrize("path", sorted(CURATED_TEMPLATES_DIR.glob("*.toml")), ids=lambda p: p.stem)
def test_every_curated_template_round_trips(path: Path) -> None:
    template = load_template(path)
    assert template_from_toml(template_to_toml(template), "saved.toml") == template


def test_strings_with_quotes_backslashes_and_newlines_survive() -> None:
    template = load_template(CURATED_TEMPLATES_DIR / "standard-process.toml")
    tricky = 'Say "done" \\ then\nnext line\ttab — ünïcode'
    changed = template.model_copy(update={"description": tricky})
    text = template_to_toml(changed)
    assert template_from_toml(text, "saved.toml").description == tricky
