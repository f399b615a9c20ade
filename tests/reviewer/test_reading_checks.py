"""Findings the reviewer must not make on a sound design, and the ones it makes on a design drafted for another
process: each test's sentences are the reviewer's whole input (the text, the design), never an expected answer."""

from __future__ import annotations

from process_designer.agents.reviewer import ReviewSource, review_document
from process_designer.agents.reviewer.grounding import grounding_findings
from process_designer.agents.reviewer.model_checks import name_findings
from process_designer.domain.models import Overview, ProcessDocument, Requirement, RequirementStep, Step


def _step(number: int, name: str) -> Step:
    return Step(number=number, name=name, objective=f"{name} so the work can go on.", responsible="Clerk",
                duration="1 hour", actions=[f"{name} in the register", f"Note step {number} on the case"],
                validation=[f"{name} is noted"])


def _document(*names: str, templates: tuple[str, ...] = ()) -> ProcessDocument:
    return ProcessDocument(title="Grant Requests",
                           overview=Overview(purpose="Fund community projects.", scope="Every grant request.",
                                             owner="Grants Office", last_updated="2026-05-11"),
                           prerequisites=["Grants register"], templates_used=list(templates),
                           steps=[_step(n, name) for n, name in enumerate(names, 1)])


def _source(text: str, drafted: tuple[str, ...] = ()) -> ReviewSource:
    steps = [RequirementStep(name=name, description=name, source="template") for name in drafted]
    source = ReviewSource.of(Requirement(text=text, title="Grant Requests", steps=steps))
    assert source is not None
    return source


def _codes(document: ProcessDocument, source: ReviewSource) -> list[tuple[str, int | None]]:
    return [(f.code, f.step) for f in grounding_findings(document, source)]


def test_an_amount_or_a_deadline_is_not_what_a_step_acts_on() -> None:
    text = ("Charities apply for grants online. The officer scores each application, "
            "the board decides above 20k and the treasurer pays within 10 days.")
    document = _document("Apply for grant", "Score application", "Decide grant", "Pay grant")
    assert _codes(document, _source(text)) == []


def test_the_particle_of_a_phrasal_verb_or_a_hyphenated_modifier_is_no_adverb_in_a_name() -> None:
    document = _document("Roll back release", "Pull out-of-date stock", "Sign off budget", "Record sometimes payment")
    assert [(f.step, f.code) for f in name_findings(document)] == [(4, "fragment_name")]
