"""How the offline writer words steps: objectives, actions and validation per kind of action."""

from __future__ import annotations

import re

from process_designer.agents.vocabulary import ActionKind, system_label
from process_designer.domain.models import Decision

__all__ = ["ROLE_BY_DOMAIN", "describe_decision", "domain_role", "object_phrase", "step_actions",
           "step_objective", "step_validation", "value_text"]

# Words in a process's title/text → the operator role and the owning team of that domain.
ROLE_BY_DOMAIN: tuple[tuple[str, str, str], ...] = (
    (r"refund|return|support|complaint|ticket|escalation|customer service", "Support Agent", "Customer Support Operations"),
    (r"invoice|expense|payroll|finance|month-end|close the books|reimburse|budget|accounts payable", "Finance Specialist", "Finance Operations"),
    (r"employee|hire|hiring|new starter|onboard(?:ing)? (?:a |an |the )?(?:new )?(?:employee|hire|staff)|offboard|hr\b|leave|recruit|candidate", "HR Specialist", "People Operations"),
    (r"incident|outage|access|password|account provisioning|it\b|laptop|backup|restore|server", "IT Operations Engineer", "IT Operations"),
    (r"deploy|release|build|ci\b|code|software|feature", "Release Engineer", "Platform Engineering"),
    (r"vulnerab|security|phishing|breach|threat", "Security Analyst", "Security Operations"),
    (r"order|ship|deliver|warehouse|fulfil|logistic|inventory|carrier", "Fulfilment Specialist", "Logistics Operations"),
    (r"patient|clinic|medical|health", "Intake Nurse", "Clinical Operations"),
    (r"claim|insur|policyholder", "Claims Adjuster", "Claims Operations"),
    (r"loan|credit|mortgage|kyc|kyb|bank|aml", "Credit Analyst", "Lending Operations"),
    (r"contract|legal|nda|agreement", "Legal Counsel", "Legal Operations"),
    (r"vendor|supplier|procure|purchase|requisition|sourcing", "Procurement Specialist", "Procurement"),
    (r"customer onboarding|subscription|saas|sign[- ]?up|trial|account manager|lead|sales|deal", "Customer Success Manager", "Customer Success"),
    (r"content|moderat|post|review queue", "Content Moderator", "Trust and Safety"),
    (r"quality|inspection|defect|manufactur", "Quality Inspector", "Quality Assurance"),
    (r"data|report|sync|integration|etl|pipeline", "Data Engineer", "Data Platform"),
    (r"agent|llm|model", "AI Platform Engineer", "AI Platform"),
)


def domain_role(text: str) -> tuple[str, str]:
    """(operator role, owning team) for a process described by ``text``."""
    for pattern, role, team in ROLE_BY_DOMAIN:
        if re.search(pattern, text, re.IGNORECASE):
            return role, team
    return "Operations Specialist", "Business Operations"


_SYSTEM_TAIL = re.compile(
    r"\s+(?:in|into|from|via|using|through|on|with|to)\s+(?:the\s+)?[\w/-]+(?:\s+(?:system|tool|platform|portal))?$",
    re.IGNORECASE,
)


def object_phrase(name: str) -> str:
    """"Look up order in CRM" → "the order"; "Manager approval" → "the manager approval"."""
    words = name.split()
    body = " ".join(words[1:]) if len(words) > 1 else name
    if words and words[0].lower() == "look" and len(words) > 2 and words[1].lower() == "up":
        body = " ".join(words[2:])
    body = _SYSTEM_TAIL.sub("", body).strip() or body
    if re.search(r"approval$", name, re.IGNORECASE):
        body = name
    body = body[:1].lower() + body[1:] if not body[:2].isupper() else body
    return body if body.startswith(("the ", "a ", "an ")) else f"the {body}"


def value_text(decision: Decision) -> str:
    value = decision.value
    unit = decision.unit or ""
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if unit.upper() in ("USD", "EUR", "GBP"):
        symbol = {"USD": "$", "EUR": "€", "GBP": "£"}[unit.upper()]
        return f"{symbol}{value:,}" if isinstance(value, int) else f"{symbol}{value:,.2f}"
    return f"{value} {unit}".strip()


_OPERATOR_WORDS = {">": "is over", ">=": "is at least", "<": "is under", "<=": "is at most",
                   "==": "equals", "!=": "differs from", "is": "is", "is_not": "is not"}


def describe_decision(decision: Decision) -> str:
    """"If amount is over $500: route to the Manager for approval; otherwise approve automatically"."""
    subject = decision.subject.replace("_", " ")
    if decision.operator in ("is", "is_not") and isinstance(decision.value, bool):
        negate = (decision.operator == "is_not") == decision.value
        condition = f"{subject} is {'not ' if negate else ''}confirmed"
    else:
        condition = f"{subject} {_OPERATOR_WORDS[decision.operator]} {value_text(decision)}"
    return f"If {condition}: {decision.if_true}; otherwise {decision.if_false}"


def step_objective(kind: ActionKind, name: str, systems: list[str]) -> str:
    what = object_phrase(name)
    if kind.name == "verify" and re.match(r"^(?:look up|lookup|find|fetch|retrieve|pull|get)\b", name, re.I):
        where = f" from the {system_label(systems[0])}" if systems else ""
        return f"Retrieve {what}{where} so that every later decision uses current, verified data"
    return kind.objective.format(what=what)


def _where(systems: list[str]) -> str:
    return f" in the {system_label(systems[0])}" if systems else ""


def step_actions(kind: ActionKind, name: str, description: str, systems: list[str], role: str) -> list[str]:
    """Two to three concrete actions for a step of ``kind``."""
    what = object_phrase(name)
    sentence = description.strip().rstrip(".")
    conditional = bool(re.match(r"^(?:if|when|unless|whenever)\b[^:]*:", sentence, re.IGNORECASE))
    first = sentence[:1].upper() + sentence[1:] if sentence and not conditional else f"{name}{_where(systems)}"
    where = _where(systems)
    follow: dict[str, list[str]] = {
        "approve": [f"Send {what} with its supporting details to the {role}",
                    f"The {role} approves or rejects it with a documented reason"],
        "notify": [f"Send the message{where} using the approved template, with the case reference and next steps",
                   "Record the delivery status on the case"],
        "transact": [f"Record the transaction reference{where} on the case",
                     "Reconcile the amount against the approved value"],
        "verify": [f"Record the result{where} together with the evidence used",
                   "Flag missing or inconsistent data to the requester before continuing"],
        "create": [f"Confirm the new record's identifier{where}", "Link the record to the case for traceability"],
        "intake": ["Check that every mandatory field is present and assign a unique case reference",
                   "Acknowledge receipt to the requester with the expected timeline"],
        "record": [f"Save the change{where} with the reason and the author", "Check the saved values against the source"],
        "close": ["Confirm that every previous step is complete and documented",
                  f"Close the case{where} with a resolution summary"],
        "fulfil": [f"Update the status{where} at each hand-over", "Capture proof of completion (scan, signature or tracking)"],
        "investigate": ["Document the findings, the root cause and the chosen remedy",
                        "Escalate to the next support level when the remedy is outside the team's authority"],
        "prepare": ["Check the result for completeness and accuracy", f"Publish it{where} to the people who need it"],
        "coordinate": ["Confirm the arrangement with everyone involved", "Record dates and owners on the case"],
        "deploy": ["Run the pre-release checks and keep the rollback plan ready",
                   "Verify health after the change and record the outcome"],
        "data": ["Check record counts and checksums between source and target", "Log the run with its time stamp and result"],
        "revoke": [f"Confirm the withdrawal{where} and record who did it and when",
                   "Notify the people affected"],
    }
    return [first, *follow.get(kind.name, follow["prepare"])]


def step_validation(kind: ActionKind, name: str, systems: list[str], role: str) -> list[str]:
    what = object_phrase(name)
    where = _where(systems)
    checks: dict[str, str] = {
        "approve": f"Approval or rejection recorded by an authorised {role} with a reason and time stamp",
        "notify": f"Delivery confirmed{where} with no bounce or failure",
        "transact": f"Transaction reference present{where} and the amount matches the approved value",
        "verify": f"Result of checking {what} recorded{where} with the evidence used",
        "create": f"Record for {what} exists{where} with a unique identifier",
        "intake": "Case registered with a unique reference and every mandatory field filled",
        "record": f"Updated values visible{where} and matching the source",
        "close": f"Case closed{where} with a resolution summary",
        "fulfil": "Proof of completion captured and the status updated",
        "investigate": "Root cause and remedy documented and accepted by the process owner",
        "prepare": f"{what[4:][:1].upper() + what[5:] if what.startswith('the ') else what} reviewed and published",
        "coordinate": "Arrangement confirmed by every participant",
        "deploy": "Post-change health checks pass and the outcome is recorded",
        "data": "Source and target record counts match and the run is logged",
        "revoke": f"No remaining access or activity for {what}{where}",
    }
    return [checks.get(kind.name, f"{name} completed and recorded")]
