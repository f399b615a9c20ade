"""Keyword coverage: case, currency signs, thousands separators and number boundaries."""

from __future__ import annotations

import pytest

from process_designer.evals.coverage import contains_all, coverage, normalise_text


def test_normalise_text_drops_currency_and_thousands_separators() -> None:
    assert normalise_text("Approve  $1,000,000\nor €2,500") == "approve 1000000 or 2500"


@pytest.mark.parametrize("keyword", ["$1,000", "$1000", "1000", "1,000"])
def test_amounts_match_however_they_are_written(keyword: str) -> None:
    assert contains_all("Refunds above $1,000 need a manager", [keyword])
    assert contains_all("refunds above 1000 USD need a manager", [keyword])


def test_numbers_do_not_match_inside_other_numbers() -> None:
    assert not contains_all("limit is $1500", ["500"])
    assert not contains_all("limit is 5000", ["500"])
    assert not contains_all("limit is 500.5", ["500"])
    assert contains_all("limit is 500.", ["500"])


def test_words_match_case_insensitively_from_a_word_start() -> None:
    assert contains_all("Escalate to the Line Managers", ["manager", "ESCALATE"])
    assert not contains_all("the submanager signs", ["manager"])


def test_every_keyword_of_an_expectation_must_be_found() -> None:
    text = "Expenses over $500 go to the manager; receipts within 30 days."
    assert contains_all(text, ["$500", "manager"])
    assert not contains_all(text, ["$500", "director"])


def test_coverage_is_the_share_of_expectations_found() -> None:
    text = "Expenses over $500 go to the manager; receipts within 30 days."
    assert coverage(text, [["500", "manager"], ["30 days"], ["director"], ["60 days"]]) == 0.5
    assert coverage(text, []) is None
