"""Process documents that carry real graphs — decisions, parallel work, loops — written as template files.

Shared by the coder, map, efficiency and web tests: a purchase approval (an amount decision, an
approval decision whose "no" ends the case, parallel ordering and budgeting), a claim whose
recommendation is sent back until it is OK (a loop), and an onboarding whose parallel branches mix
working time with a 14-day calendar wait.
"""

from __future__ import annotations

from process_designer.domain.models import ProcessDocument
from process_designer.knowledge.template_model import template_from_toml

_HEAD = '''
id = "{id}"
title = "{title}"
category = "procurement"
business_domain = "general"
integrations = ["erp", "email"]
[overview]
purpose = "{title}."
scope = "Included: every case; excluded: nothing."
owner = "Operations"
last_updated = "2026-03-02"
'''


def _step(sid: str, name: str, role: str, duration: str, extra: str = "", systems: str = "[]") -> str:
    return f'''
[[steps]]
id = "{sid}"
name = "{name}"
objective = "{name}."
responsible = "{role}"
duration = "{duration}"
actions = ["{name}", "Record the outcome"]
validation = ["{name} recorded"]
systems = {systems}
{extra}
'''


PURCHASE = _HEAD.format(id="purchase-approval", title="Purchase Approval") + _step(
    "submit", "Submit purchase request", "Requester", "15 minutes", 'next = "amount"', '["erp"]') + _step(
    "cfo", "Approve as CFO", "CFO", "1 business day", 'next = "approved"') + _step(
    "lead", "Approve as team lead", "Team Lead", "2 hours", 'next = "approved"') + _step(
    "reject", "Reject request", "Procurement", "10 minutes", 'next = "rejected"', '["email"]') + _step(
    "order", "Order from vendor", "Procurement", "2 hours", 'next = "done"', '["erp"]') + _step(
    "budget", "Reserve budget", "Finance", "30 minutes", 'next = "done"', '["erp"]') + _step(
    "close", "Close request", "Procurement", "10 minutes") + '''
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
id = "approved"
kind = "exclusive"
label = "Approved?"
  [[gateways.branches]]
  condition = "approved"
  rule = "approved == true"
  to = "fulfil"
  [[gateways.branches]]
  default = true
  to = "reject"

[[gateways]]
id = "fulfil"
kind = "parallel"
branches = [{ to = "order" }, { to = "budget" }]

[[gateways]]
id = "done"
kind = "parallel"
next = "close"

[[ends]]
id = "rejected"
label = "Request rejected"
'''

CLAIM = _HEAD.format(id="claim-settlement", title="Claim Settlement") + _step(
    "register", "Register claim", "Claims Officer", "15 minutes") + _step(
    "recommend", "Recommend settlement", "Claims Officer", "30 minutes") + _step(
    "check", "Check recommendation", "Senior Claims Officer", "20 minutes", 'next = "ok"') + _step(
    "pay", "Pay claim", "Finance", "1 hour", "", '["erp"]') + '''
[[gateways]]
id = "ok"
kind = "exclusive"
label = "Recommendation OK?"
  [[gateways.branches]]
  condition = "marked Not OK"
  rule = 'claim_status == "Not OK"'
  to = "recommend"
  [[gateways.branches]]
  default = true
  to = "pay"
'''

ONBOARDING = _HEAD.format(id="employee-start", title="Employee Start") + _step(
    "sign", "Sign contract", "HR Partner", "30 minutes", 'next = "prepare"') + _step(
    "check", "Wait for background check", "HR Partner", "14 days", 'next = "ready"') + _step(
    "laptop", "Set up laptop", "IT Administrator", "30 minutes", 'next = "ready"') + _step(
    "welcome", "Hold welcome meeting", "Manager", "15 minutes") + '''
[[gateways]]
id = "prepare"
kind = "parallel"
branches = [{ to = "check" }, { to = "laptop" }]

[[gateways]]
id = "ready"
kind = "parallel"
next = "welcome"
'''


def document(source: str) -> ProcessDocument:
    """The document of a template file's text."""
    return template_from_toml(source, "test.toml").document


def purchase() -> ProcessDocument:
    """1 submit → amount > 10,000 ? 2 CFO : 3 team lead → approved ? (5 order ∥ 6 budget → 7 close) : 4 reject."""
    return document(PURCHASE)


def claim() -> ProcessDocument:
    """1 register → 2 recommend → 3 check → "Not OK" ? back to 2 : 4 pay."""
    return document(CLAIM)


def onboarding() -> ProcessDocument:
    """1 sign (30 min) → (2 background check, 14 days ∥ 3 laptop, 30 min) → 4 welcome meeting (15 min)."""
    return document(ONBOARDING)
