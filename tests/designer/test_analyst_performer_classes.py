"""Classes of sentences whose performer (or whose step) the reader has to work out: one test per class
(systems named inside other phrases, pronouns and narrators, passive agents shared by a coordination,
roles named again by their head, descriptions that are no steps, option lists after a decision)."""

from __future__ import annotations

from tests.designer.test_analyst_reading import _named, _read


def test_a_system_word_inside_a_phrase_that_names_something_else_is_no_mention_of_it() -> None:
    from process_designer.language.systems import detect_systems

    assert "identity" not in detect_systems("Accounts payable pays the invoice")
    # the phrase is excluded where it stands, not for the whole text
    assert "identity" in detect_systems("Accounts payable pays the invoice; IT disables the user accounts")
