"""The shipped suites are valid and as broad as the issue asks; loading errors name the file and line."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from process_designer.errors import InputError, NotFoundError
from process_designer.evals.cases import list_suites, load_cases, load_suite, select_cases


def test_full_suite_is_broad() -> None:
    cases = load_suite("full")
    assert len(cases) >= 60
    assert len({case.domain for case in cases}) >= 12
    assert set(Counter(case.style for case in cases)) == {"short", "medium", "detailed", "messy"}
    assert sum(case.multi_turn for case in cases) >= 8


def test_smoke_suite_is_a_small_subset_of_full() -> None:
    full = {case.id: case for case in load_suite("full")}
    smoke = load_suite("smoke")
    assert 6 <= len(smoke) <= 10
    assert all(full[case.id] == case for case in smoke)
    assert any(case.multi_turn for case in smoke)


def test_list_suites_names_the_files() -> None:
    assert {"full", "smoke"} <= set(list_suites())


def test_unknown_suite_lists_the_known_ones() -> None:
    with pytest.raises(
        NotFoundError, match=r"unknown eval suite 'nope'; choose one of: .*full.*smoke"
    ):
        load_suite("nope")


def test_select_cases_keeps_suite_order_and_rejects_unknown_ids() -> None:
    cases = load_suite("smoke")
    picked = select_cases(cases, [cases[2].id, cases[0].id])
    assert [c.id for c in picked] == [cases[0].id, cases[2].id]
    with pytest.raises(NotFoundError, match="no eval case with id zzz"):
        select_cases(cases, ["zzz"])


def test_a_bad_line_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    good = '{"id": "a", "domain": "hr", "style": "short", "requirements": "x", "gold_steps": [{"name": "s"}]}'
    path.write_text(good + "\n{not json\n")
    with pytest.raises(InputError, match=r"bad.jsonl:2: not valid JSON"):
        load_cases(path)
    path.write_text(good.replace('"short"', '"chatty"') + "\n")
    with pytest.raises(InputError, match=r"bad.jsonl:1: style: Input should be"):
        load_cases(path)


def test_a_case_needs_requirements_or_turns_not_both(tmp_path: Path) -> None:
    path = tmp_path / "both.jsonl"
    path.write_text(
        '{"id": "a", "domain": "hr", "style": "short", "requirements": "x", "turns": ["y"],'
        ' "gold_steps": [{"name": "s"}]}\n'
    )
    with pytest.raises(InputError, match="either `requirements`"):
        load_cases(path)


def test_dependencies_must_point_backwards(tmp_path: Path) -> None:
    path = tmp_path / "deps.jsonl"
    path.write_text(
        '{"id": "a", "domain": "hr", "style": "short", "requirements": "x",'
        ' "gold_steps": [{"name": "s", "depends_on": [2]}, {"name": "t"}]}\n'
    )
    with pytest.raises(InputError, match="gold step 1 depends on 2"):
        load_cases(path)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    line = '{"id": "a", "domain": "hr", "style": "short", "requirements": "x", "gold_steps": [{"name": "s"}]}\n'
    path = tmp_path / "dup.jsonl"
    path.write_text(line * 2)
    with pytest.raises(InputError, match=r"dup\.jsonl:2: duplicate case id 'a'"):
        load_cases(path)


def test_holdout_suite_is_separate_from_full_and_covers_every_style() -> None:
    holdout = load_suite("holdout")
    full_ids = {case.id for case in load_suite("full")}
    assert len(holdout) == 12
    assert not {case.id for case in holdout} & full_ids
    assert Counter(case.style for case in holdout) == {"short": 3, "medium": 3, "detailed": 3, "messy": 3}
    assert len({case.domain for case in holdout}) >= 10
