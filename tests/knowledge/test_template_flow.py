"""Templates carry their control flow: step ids and ``next``, ``[[gateways]]`` with branches, ``[[ends]]``."""

from __future__ import annotations

import pytest

from process_designer.errors import TemplateError
from process_designer.knowledge.template_flow import parse_rules
from process_designer.knowledge.template_model import template_from_toml

HEAD = '''
id = "purchase-approval"
title = "Purchase Approval"
category = "procurement"
business_domain = "general"
[overview]
purpose = "Buy what is approved."
scope = "Included: requests; excluded: contracts."
owner = "Procurement"
'''


def step(sid: str, name: str, role: str, extra: str = "") -> str:
    return f'''
[[steps]]
id = "{sid}"
name = "{name}"
objective = "{name}."
responsible = "{role}"
duration = "1 hour"
actions = ["{name}"]
validation = ["{name} recorded"]
{extra}
'''


FLOW = HEAD + step("submit", "Submit request", "Requester", 'next = "amount"') + step(
    "cfo", "Approve as CFO", "CFO", 'next = "fulfil"') + step(
    "lead", "Approve as team lead", "Team Lead", 'next = "fulfil"') + step(
    "order", "Order from vendor", "Buyer", 'next = "done"') + step(
    "budget", "Reserve budget", "Finance", 'next = "done"') + step("close", "Close request", "Buyer") + '''
[[gateways]]
id = "amount"
kind = "exclusive"
label = "Amount over 10,000?"
  [[gateways.branches]]
  condition = "amount over 10,000"
  rule = "amount > 10_000"
  to = "cfo"
  [[gateways.branches]]
  default = true
  to = "lead"

[[gateways]]
id = "fulfil"
kind = "parallel"
branches = [{ to = "order" }, { to = "budget" }]

[[gateways]]
id = "done"
kind = "parallel"
next = "close"
'''


def test_gateways_and_next_build_the_graph() -> None:
    document = template_from_toml(FLOW, "t.toml").document
    flow = document.flow
    assert flow.problems() == []
    assert [s.depends_on for s in document.steps] == [[], [1], [1], [2, 3], [2, 3], [4, 5]]
    assert flow.simulate({"amount": 12000}).visited == [1, 2, 4, 5, 6]
    assert flow.simulate({"amount": 500}).visited == [1, 3, 4, 5, 6]


def test_a_template_without_flow_keys_runs_in_file_order() -> None:
    document = template_from_toml(HEAD + step("a", "Do A", "X") + step("b", "Do B", "Y"), "t.toml").document
    assert document.flow.simulate({}).visited == [1, 2]


@pytest.mark.parametrize(("broken", "message"), [
    (FLOW.replace('to = "lead"', 'to = "nobody"'), "branch 2 leads to 'nobody', which is no step"),
    (FLOW.replace('rule = "amount > 10_000"', 'rule = "amount is big"'), "rule 'amount is big' is not"),
    (FLOW.replace('kind = "exclusive"', 'kind = "inclusive"'), "kind must be 'exclusive' or 'parallel'"),
    (FLOW.replace('''  [[gateways.branches]]
  default = true
  to = "lead"''', ''), "needs two or more"),
])
def test_flow_errors_name_the_template_and_the_part(broken: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        template_from_toml(broken, "t.toml")


def test_rules_parse_values_of_every_kind() -> None:
    assert [r.text() for r in parse_rules('amount > 2_500 and amount <= 25000.5')] == [
        "amount > 2500", "amount <= 25000.5"]
    assert [r.value for r in parse_rules('status == "Not OK"')] == ["Not OK"]
    assert [r.value for r in parse_rules('preferred == true')] == [True]
