"""Steps said as nouns or as needs: an approval a thing "needs" from a role, work handed to a role above a
threshold, events named by their noun in a list of notes ("approval, signature, then file it"), and a step
named only as the moment another happens ("within a week of signing"). One test per class of sentence."""

from __future__ import annotations

import pytest

from tests.designer.test_analyst_reading import _named, _read


def _conditions(requirement: object) -> dict[str, str]:
    flow = requirement.flow  # type: ignore[attr-defined]
    out: dict[str, str] = {}
    for gateway in flow.gateways:
        for edge in flow.outgoing(gateway.id):
            out[flow.node(edge.target).label] = edge.condition or ""
    return out


@pytest.mark.parametrize("text, step, role", [
    ("The tenant submits a repair request. Repairs over £800 need the head of estates. The contractor books a visit.",
     "Approve repair", "Head of Estates"),
    ("Members apply for a grant online. Grants over $2,000 need a trustee's approval. The treasurer pays the grant.",
     "Approve grant", "Trustee"),
    ("Buyers raise orders in Coupa. Orders >$10k need finance dir. The buyer sends the order.",
     "Approve order", "Finance Director"),
])
def test_a_thing_that_needs_a_role_above_a_figure_is_that_roles_approval_under_that_condition(
        text: str, step: str, role: str) -> None:
    requirement = _read(text)
    assert (step, role) in _named(requirement), _named(requirement)
    assert _conditions(requirement).get(step), _conditions(requirement)  # the figure is the gateway's condition


@pytest.mark.parametrize("text, step, role", [
    ("Owners submit drawings online. The clerk checks the drawings. Anything over 20 metres also goes to the fire "
     "engineer. The clerk issues the licence.", "Review drawing", "Fire Engineer"),
    ("Staff report incidents in the portal. Incidents above $5,000 go to a senior investigator. The clerk closes the "
     "incident.", "Review incident", "Senior Investigator"),
])
def test_work_handed_to_a_specialist_above_a_threshold_is_their_review(text: str, step: str, role: str) -> None:
    requirement = _read(text)
    assert (step, role) in _named(requirement), _named(requirement)
    assert _conditions(requirement).get(step), _conditions(requirement)


def test_work_handed_to_a_rank_above_a_threshold_stays_its_approval() -> None:
    requirement = _read("Staff report incidents in the portal. Incidents above $5,000 go to the operations director. "
                        "The clerk closes the incident.")
    assert ("Approve incident", "Operations Director") in _named(requirement), _named(requirement)
