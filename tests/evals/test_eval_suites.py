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
    others = {case.id for name in ("full", "narrative") for case in load_suite(name)}
    assert len(holdout) == 24
    assert not {case.id for case in holdout} & others
    styles = Counter(case.style for case in holdout)
    assert {styles[s] for s in ("short", "medium", "detailed", "messy")} == {3}
    assert {styles[s] for s in ("narrative", "first_person", "passive", "acronyms", "telegraphic")} >= {2}
    assert len({case.domain for case in holdout}) >= 15


def test_narrative_suite_is_written_in_the_hard_styles_across_domains() -> None:
    cases = load_suite("narrative")
    assert len(cases) >= 36
    styles = Counter(case.style for case in cases)
    assert set(styles) == {"narrative", "first_person", "passive", "acronyms", "telegraphic"}
    assert min(styles.values()) >= 6
    assert len({case.domain for case in cases}) >= 20
    long = [c for c in cases if c.style == "narrative"]
    assert all(150 <= len(c.requirements.split()) <= 400 for c in long)
    # Decisions, parallel work and loops are all asked for, and performers are given.
    kinds = Counter(g.kind for c in cases for g in c.gateways)
    assert kinds["exclusive"] >= 50 and kinds["parallel"] >= 12
    assert sum(g.loop for c in cases for g in c.gateways) >= 8
    named = [names for c in cases for names in c.gold_performers]
    assert sum(1 for names in named if names) / len(named) > 0.6


def test_short_suite_asks_one_line_requests_across_areas() -> None:
    cases = load_suite("short")
    assert len(cases) >= 40
    assert {case.style for case in cases} == {"short"}
    assert all(len(case.requirements.split()) <= 15 for case in cases)
    assert len({case.domain for case in cases}) >= 15
    assert all(len(case.gold_steps) >= 5 for case in cases)
    others = {case.id for name in ("full", "holdout", "narrative") for case in load_suite(name)}
    assert not {case.id for case in cases} & others


def test_every_shipped_case_has_gold_performers_and_checked_gateways() -> None:
    for name in list_suites():
        cases = load_suite(name)
        assert any(names for case in cases for names in case.gold_performers), name
        for case in cases:
            for gateway in case.gateways:
                assert gateway.branches and 0 <= gateway.after <= len(case.gold_steps)


def _line(**fields: object) -> str:
    import json

    case = {"id": "a", "domain": "hr", "style": "short", "requirements": "x"}
    case["gold_steps"] = [{"name": "s"}, {"name": "t"}, {"name": "u"}]
    case.update(fields)
    return json.dumps(case) + "\n"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"gateways": [{"kind": "exclusive", "after": 4, "branches": [1, 2]}]}, "gateway 1 follows step 4; the case has 3"),
        ({"gateways": [{"kind": "exclusive", "after": 1, "branches": [2, 9]}]}, r"a branch names a step outside 1\.\.3"),
        ({"gateways": [{"kind": "exclusive", "after": 1, "branches": [2, 2]}]}, "two branches start with the same step"),
        ({"gateways": [{"kind": "exclusive", "after": 1, "branches": [2]}]}, "at least 2 items"),
        ({"gateways": [{"kind": "exclusive", "after": 1, "branches": [2, 3], "loop": True}]}, "loop is true but no branch goes back"),
        ({"gateways": [{"kind": "parallel", "after": 1, "branches": [2, "end"]}]}, "parallel branches run forward"),
        ({"gateways": [{"kind": "parallel", "after": 1, "branches": [2, 3]}]}, r"parallel step 3 depends on another branch of the split; give it depends_on \[1\]"),
        ({"gateways": [{"kind": "inclusive", "after": 1, "branches": [2, 3]}]}, "gateways.0.kind"),
        ({"gold_steps": [{"name": "s", "performer": []}]}, "performer must be a role name"),
        ({"kind": "rollout"}, "unknown case kind 'rollout'; use one of: chat, integration, process"),
        ({"kind": "integration"}, "integration: Field required"),
    ],
)
def test_bad_gold_performers_and_gateways_are_refused_with_the_line(
    tmp_path: Path, fields: dict[str, object], message: str
) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text(_line(**fields))
    with pytest.raises(InputError, match=r"g\.jsonl:1: .*" + message):
        load_cases(path)


def test_gold_performers_and_gateways_are_read() -> None:
    from process_designer.evals.cases import EvalCase

    case = EvalCase.model_validate_json(
        _line(
            gold_steps=[
                {"name": "s", "performer": ["Claims Officer", "CO"]},
                {"name": "t", "performer": "Senior Claims Officer"},
                {"name": "u", "depends_on": [1]},
            ],
            gateways=[
                {"kind": "exclusive", "after": 2, "branches": [1, "end"], "loop": True},
                {"kind": "parallel", "after": 1, "branches": [2, 3]},
                {"kind": "exclusive", "after": 0, "branches": [1, 2]},
            ],
        )
    )
    assert case.gold_performers == [["Claims Officer", "CO"], ["Senior Claims Officer"], []]
    assert [(g.kind, g.after, g.branches, g.loop) for g in case.gateways] == [
        ("exclusive", 2, [1, "end"], True),
        ("parallel", 1, [2, 3], False),
        ("exclusive", 0, [1, 2], False),
    ]


def test_a_suite_may_bring_its_own_case_kind_and_figures(tmp_path: Path) -> None:
    from process_designer.domain.models import ProcessDocument
    from process_designer.evals.cases import CASE_KINDS, EvalCase, register_case_kind
    from process_designer.evals.metrics import CASE_SCORERS

    class MappingCase(EvalCase):
        mapping: list[tuple[str, str]]

    def score(case: EvalCase, document: ProcessDocument) -> dict[str, float | None]:
        assert isinstance(case, MappingCase)
        return {"mapping_rows": float(len(case.mapping))}

    register_case_kind("mapping", MappingCase)
    CASE_SCORERS["mapping"] = score
    try:
        path = tmp_path / "m.jsonl"
        path.write_text(_line(kind="mapping", mapping=[["Account.Name", "companyName"]]))
        (case,) = load_cases(path)
        assert isinstance(case, MappingCase) and case.mapping == [("Account.Name", "companyName")]
        path.write_text(_line(mapping=[["a", "b"]]))  # a plain process case keeps refusing extras
        with pytest.raises(InputError, match="mapping: Extra inputs are not permitted"):
            load_cases(path)
    finally:
        CASE_KINDS.pop("mapping")
        CASE_SCORERS.pop("mapping")
