"""The keyword signals of template ranking: rare words, words of circumstance, the outside party."""

from __future__ import annotations

from dataclasses import replace

import pytest

from process_designer.knowledge import CURATED_TEMPLATES_DIR
from process_designer.knowledge.ranking import (
    IndexedTemplate,
    keyword_terms,
    query_terms,
    rank,
    rarity,
)
from process_designer.knowledge.template_model import load_template


def _entry(template_id: str, strong: str, *, serves_outside: bool = True) -> IndexedTemplate:
    """A curated template indexed under the given title/tag words (its text otherwise plays no part)."""
    indexed = IndexedTemplate.of(load_template(CURATED_TEMPLATES_DIR / f"{template_id}.toml"))
    return replace(indexed, strong_terms=frozenset(keyword_terms(strong)), weak_terms=frozenset(),
                   serves_outside=serves_outside)


def _order(entries: list[IndexedTemplate], query: str, **kwargs: object) -> list[str]:
    ranked = rank([(entry, 0.5) for entry in entries], query_terms(query), frozenset(), [], **kwargs)  # type: ignore[arg-type]
    return [r.entry.template.id for r in ranked]


def test_a_rare_word_outweighs_a_common_one() -> None:
    # "report" is in many templates, "vehicle" in one: sharing "vehicle" says more than sharing "report"
    common = _entry("access-request", "report damage")
    specific = _entry("vehicle-inspection", "vehicle damage")
    postings = {"report": frozenset(f"t{i}" for i in range(40)) | {"access-request"},
                "damage": frozenset({"access-request", "vehicle-inspection"}),
                "vehicle": frozenset({"vehicle-inspection"})}
    query = "drivers reporting vehicle damage"
    assert _order([common, specific], query) == ["access-request", "vehicle-inspection"]  # alike, by id
    assert _order([common, specific], query, rare=rarity(postings, 60)) == ["vehicle-inspection", "access-request"]


def test_a_word_no_template_uses_weighs_as_an_average_one() -> None:
    postings = {"loan": frozenset({"a"}), "form": frozenset({"a", "b", "c"})}
    rare = rarity(postings, 10)
    assert min(rare.weights.values()) <= rare.of("zebra") <= max(rare.weights.values())


@pytest.mark.parametrize(("query", "main", "circumstance"), [
    ("postmortems after outages", ["postmortem"], ["outage"]),
    ("visitor sign-in at reception", ["visitor", "sign"], ["reception"]),
    ("code review before merging", ["code", "review"], ["merg"]),
])
def test_words_after_a_preposition_of_circumstance_count_half(query: str, main: list[str],
                                                               circumstance: list[str]) -> None:
    weights = {q.term: q.weight for q in query_terms(query)}
    assert [t for t, w in weights.items() if w == 1.0] == main
    assert [t for t, w in weights.items() if w < 1.0] == circumstance


def test_a_plural_and_its_singular_are_one_term() -> None:
    for plural, singular in [("outages", "outage"), ("purchases", "purchase"), ("patches", "patch"),
                             ("processes", "process")]:
        assert keyword_terms(plural) == keyword_terms(singular)


def test_an_internal_process_ranks_below_when_an_outside_party_acts() -> None:
    internal = _entry("access-request", "accident report", serves_outside=False)
    serving = _entry("vehicle-inspection", "accident report")
    assert _order([internal, serving], "customers reporting an accident to us")[0] == "vehicle-inspection"
    # staff are not an outside party: nothing changes for an internal request
    assert _order([internal, serving], "staff reporting an accident")[0] == "access-request"
    ranked = rank([(internal, 0.5)], query_terms("customers reporting an accident"), frozenset(), [])
    assert "deals with no outside party, and the request names customers" in ranked[0].reasons


def test_whether_a_template_serves_an_outside_party_is_read_from_its_text() -> None:
    def serves(template_id: str) -> bool:
        return IndexedTemplate.of(load_template(CURATED_TEMPLATES_DIR / f"{template_id}.toml")).serves_outside

    assert serves("insurance-claim") and serves("complaint-handling")
    assert not serves("workplace-safety-incident") and not serves("month-end-close")
