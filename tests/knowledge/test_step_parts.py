"""A template step that joins two actions is drafted as one step per action, with its own lines,
and the template's graph keeps its gateways and order around the two."""

from __future__ import annotations

import pytest

from process_designer.agents.analyst.draft import draft_from_template
from process_designer.domain.durations import parse_duration
from process_designer.knowledge import CURATED_TEMPLATES_DIR
from process_designer.knowledge.step_parts import step_parts, template_step_named
from process_designer.knowledge.template_model import ProcessTemplate, load_template
from process_designer.language.coordination import joined_actions


def _template(name: str) -> ProcessTemplate:
    return load_template(CURATED_TEMPLATES_DIR / f"{name}.toml")


@pytest.mark.parametrize(("name", "actions"), [
    ("Set the limit and inform the customer", ("Set the limit", "Inform the customer")),
    ("Validate and route the request", ("Validate the request", "Route the request")),
    ("Resolve the alert and tune it", ("Resolve the alert", "Tune the alert")),
    ("Hand over the keys and inspect the vehicle", ("Hand over the keys", "Inspect the vehicle")),
    ("Update the calendar and balance", ("Update the calendar and balance",)),  # two things, one action
    ("Post room and tax charges", ("Post room and tax charges",)),  # "tax" describes the charges
    ("Notify the customer and close", ("Notify the customer and close",)),  # "close" what?
    ("Deploy to staging and test", ("Deploy to staging and test",)),
    ("Scrap or return the material", ("Scrap or return the material",)),  # alternatives
    ("Assess exemptions and the public interest", ("Assess exemptions and the public interest",)),
    ("Check the request is complete and send it on the right path",
     ("Check the request is complete and send it on the right path",)),  # "it" needs the first part
])
def test_the_actions_a_step_name_joins(name: str, actions: tuple[str, ...]) -> None:
    assert joined_actions(name) == actions


def test_each_part_has_its_own_lines_and_half_the_time() -> None:
    step = next(s for s in _template("customer-credit-review").document.steps if " and " in s.name)
    first, second = step_parts(step)
    assert (first.name, second.name) == ("Set the limit", "Inform the customer")
    assert first.actions + second.actions == step.actions  # each line once, in order
    assert any("E-mail" in line for line in second.actions) and not any("E-mail" in line for line in first.actions)
    assert first.objective != second.objective and second.objective.startswith("Tell the customer")
    total = parse_duration(step.duration)
    assert total and parse_duration(first.duration) == parse_duration(second.duration) == round(total / 2)
    assert first.responsible == second.responsible == step.responsible
    assert template_step_named(_template("customer-credit-review").document.steps, "Inform the customer") == second


@pytest.mark.parametrize("template_id", sorted(p.stem for p in CURATED_TEMPLATES_DIR.glob("*.toml")))
def test_a_draft_keeps_the_template_graph_around_the_parts(template_id: str) -> None:
    template = _template(template_id)
    steps, flow, _ = draft_from_template(template, 0)
    parts = [step_parts(step) for step in template.document.steps]
    assert [s.name for s in steps] == [p.name for split in parts for p in split]
    assert flow.problems() == []
    assert sorted(n.step or 0 for n in flow.nodes if n.kind == "task") == list(range(1, len(steps) + 1))
    original = template.document.effective_flow()
    last = 0
    for number, split in enumerate(parts, start=1):
        first, last = last + 1, last + len(split)
        if len(split) > 1:  # the first part leads to the second, and the second to what the step led to
            assert flow.first_steps(f"step_{first}") == [last]
        gateway = original.gateway_after(number)
        drafted = flow.gateway_after(last)
        assert (gateway.label if gateway else None) == (drafted.label if drafted else None)
        assert [n.label for n in flow.nodes if n.kind == "task" and n.step == last] == [split[-1].name]
