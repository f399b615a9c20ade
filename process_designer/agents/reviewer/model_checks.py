"""Checks of the process model behind a document: its graph, who performs each step, step names and actions.

Each check returns typed :class:`~process_designer.domain.models.Finding` objects, and together
they give the report's ``soundness``: 1 minus the weighted defects, never below 0. The score is
the other dimensions' weighted score times ``soundness``, so a design whose graph is broken, whose
performers are guessed or whose steps are fragments cannot score as well as a sound one.

Weights (:data:`DEDUCTIONS`):

- each structural problem of the graph (``ProcessFlow.problems()``: a decision without all its
  branches or an 'otherwise', a loop without an exit, an unreachable step, a dead end) — 0.15;
- each approval done by the role that did the work it approves, where the document asks for four
  eyes — 0.15;
- fragment step names — 0.4 times their share of the steps;
- step names whose verb states no work ("Get label", "Want sample") — 0.3 times their share;
- assumed performers — 0.1 times their share of the steps (an open question more than a defect);
- steps with stock actions (an action line that fits any step, or one repeated across three or
  more steps) — 0.1 times their share of the steps;

and, when the review knows the requirements the design was made from (``grounding``):

- steps whose verb the requirements never use — 0.6 times their share of the steps;
- steps that do a stated action to something else than the text does it to — 0.3 times their share;
- steps drafted from a template, not stated — 0.1 times their share;
- a design mostly drafted from a template none of whose steps does the work the text names — 0.3 (at least
  half the steps are in doubt);
- actions the requirements state that no step carries — 0.6 times their number over the steps;
- a process of fewer than four steps — 0.2 for each step it is short.

The weights were set so the score ranks designs as their agreement with expert-written steps does
(``make eval`` reports the rank correlation per suite), never by reading those steps.

A finding the tenant keeps dismissing (see ``process_designer.feedback``) deducts a quarter.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from process_designer.agents.reviewer.grounding import (
    MIN_STEPS,
    ReviewSource,
    grounding_findings,
    review_words,
)
from process_designer.domain.flow import ProcessFlow
from process_designer.domain.models import Finding, ProcessDocument, Step
from process_designer.feedback.profile import finding_key
from process_designer.wording import check_names, normalise_role

__all__ = ["DEDUCTIONS", "TEMPLATE_BLOCKERS", "ModelReview", "four_eyes_requested", "review_model", "soundness"]

DEDUCTIONS: dict[str, float] = {
    "graph": 0.15,  # per problem
    "four_eyes": 0.15,  # per approval
    "fragment_name": 0.4,  # times the share of steps
    "weak_verb": 0.3,
    "assumed_performer": 0.1,
    "stock_action": 0.1,
    "ungrounded_step": 0.6,
    "unsaid_action": 0.3,
    "drafted_step": 0.1,
    "foreign_template": 0.3,  # once: at least half the steps are in doubt
    "uncovered_action": 0.6,  # times the actions of the requirements no step carries, per step
    "thin_process": 0.2,  # per step short of grounding.MIN_STEPS
}
SHARE_CODES = ("fragment_name", "weak_verb", "assumed_performer", "stock_action", "ungrounded_step", "unsaid_action", "drafted_step",
               "uncovered_action")
TEMPLATE_BLOCKERS = ("fragment_name", "assumed_performer")
"""Findings that keep a design out of the template library unless the user insists."""
DISMISSED_SHARE = 0.25
STOCK_REPEATS = 3  # an action line in this many steps is stock
RULE_LINE = "Rule stated in the requirements:"

_WHY_FRAGMENT = {
    "verb": "it does not start with a verb",
    "object": "its verb has no object",
    "adverb": "an adverb stands between the verb and its object",
    "dangling": "it breaks off mid-phrase",
    "actor": "it names the performer, who belongs under Responsible",
}


@dataclass(frozen=True)
class _Words:
    stock: tuple[re.Pattern[str], ...]
    four_eyes: tuple[re.Pattern[str], ...]
    approval_verbs: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    data = review_words()
    return _Words(
        stock=tuple(re.compile(rf"^\s*{p}\s*\.?\s*$", re.IGNORECASE) for p in data["stock_actions"]),
        four_eyes=tuple(re.compile(p, re.IGNORECASE) for p in data["four_eyes"]),
        approval_verbs=frozenset(data["approval_verbs"]),
    )


@dataclass(frozen=True)
class ModelReview:
    issues: list[Finding]
    soundness: float


def _label(step: Step) -> str:
    return f"Step {step.number} ({step.name})"


def graph_findings(document: ProcessDocument) -> list[Finding]:
    """The structural problems of the document's graph, each on the step or node it concerns."""
    flow = document.effective_flow()
    found: list[Finding] = []
    for problem in flow.problems():
        step = flow.node(problem.node).step if problem.node and flow.has(problem.node) else None
        found.append(Finding(code=problem.code, text=f"Process flow: {problem.text}", severity="error",
                             step=step, node=problem.node or None))
    return found


def performer_findings(document: ProcessDocument) -> list[Finding]:
    """Steps whose performer the text did not name."""
    return [Finding(code="assumed_performer", step=s.number, node=f"step_{s.number}",
                    text=f"{_label(s)}: the requirements name no performer; '{s.responsible}' is assumed — "
                         "confirm who does it")
            for s in document.steps if s.performer_source == "assumed"]


@lru_cache(maxsize=256)
def _fragment_reasons(names: tuple[str, ...], performers: tuple[str, ...]) -> tuple[str | None, ...]:
    return tuple(check.reason for check in check_names(names, performers))


def name_findings(document: ProcessDocument) -> list[Finding]:
    """Step names that are not an action on an object (the fragment rule of ``process_designer.wording``)."""
    steps = document.steps
    reasons = _fragment_reasons(tuple(s.name for s in steps), tuple(s.responsible for s in steps))
    return [Finding(code="fragment_name", step=s.number, node=f"step_{s.number}",
                    text=f"{_label(s)}: the name is not an action on an object ({_WHY_FRAGMENT.get(reason, reason)}); "
                         "name it as 'Verb object', e.g. 'Examine claim'")
            for s, reason in zip(steps, reasons, strict=True) if reason is not None]


def weak_verb_findings(document: ProcessDocument) -> list[Finding]:
    """Steps named with a verb that states no work ("Get label", "Want sample"): the work is someone else's doing."""
    weak = frozenset(review_words()["weak_step_verbs"]["words"])
    found: list[Finding] = []
    for step in document.steps:
        words = step.name.split()
        verb = words[0].lower() if words else ""
        if verb in weak:
            found.append(Finding(code="weak_verb", step=step.number, node=f"step_{step.number}",
                                 text=f"{_label(step)}: '{verb}' states no work (a receipt, a wish or a need); name the "
                                      "step after what its performer does, e.g. 'Send label' for 'Get label'"))
    return found


def _plain(line: str) -> str:
    return " ".join(line.lower().split()).rstrip(".")


def stock_findings(document: ProcessDocument) -> list[Finding]:
    """Steps with an action that could stand in any step: known filler, or a line repeated across steps."""
    uses: dict[str, set[int]] = {}
    for step in document.steps:
        for action in step.actions:
            if not action.startswith(RULE_LINE):
                uses.setdefault(_plain(action), set()).add(step.number)
    patterns = _words().stock
    found: list[Finding] = []
    for step in document.steps:
        stock = [a for a in step.actions if not a.startswith(RULE_LINE) and (
            len(uses.get(_plain(a), ())) >= STOCK_REPEATS or any(p.match(a) for p in patterns))]
        if stock:
            repeated = len(uses[_plain(stock[0])])
            where = f" (the same line is in {repeated} steps)" if repeated >= STOCK_REPEATS else ""
            found.append(Finding(code="stock_action", step=step.number, node=f"step_{step.number}",
                                 text=f"{_label(step)}: '{stock[0]}' says nothing about this step{where}; "
                                      "say what is done to what, with which system"))
    return found


def four_eyes_requested(text: str) -> bool:
    """Whether ``text`` asks that whoever does the work is not the one who approves it."""
    return any(p.search(text) for p in _words().four_eyes)


def _asks_for_four_eyes(document: ProcessDocument) -> bool:
    return four_eyes_requested(" ".join([
        document.overview.purpose, document.overview.scope, *document.prerequisites, *document.error_handling,
        *(line for s in document.steps for line in [*s.actions, *s.validation])]))


def _is_approval(step: Step) -> bool:
    first = step.name.split()[0].lower() if step.name.split() else ""
    return first in _words().approval_verbs


def four_eyes_findings(document: ProcessDocument) -> list[Finding]:
    """Approvals done by the role that did the work they approve, when the document asks for four eyes."""
    if not _asks_for_four_eyes(document):
        return []
    flow: ProcessFlow = document.effective_flow()
    before = flow.step_predecessors()
    found: list[Finding] = []
    for step in document.steps:
        role = normalise_role(step.responsible)
        if not role or not _is_approval(step):
            continue
        for number in before.get(step.number, []):
            doer = document.step(number)
            if doer is not None and not _is_approval(doer) and normalise_role(doer.responsible) == role:
                found.append(Finding(code="four_eyes", severity="error", step=step.number, node=f"step_{step.number}",
                                     text=f"{_label(step)}: the {step.responsible} approves the work they did in "
                                          f"Step {number} ({doer.name}); the requirements ask for four eyes — "
                                          "give the approval to another role"))
                break
    return found


def review_model(document: ProcessDocument, dismissed: Collection[str] = (),
                 source: ReviewSource | None = None) -> ModelReview:
    """Every model finding of ``document`` and the soundness they leave (1 = no defect).

    With the ``source`` the design was made from, the findings include those of ``grounding``.
    """
    issues = [*graph_findings(document), *four_eyes_findings(document), *name_findings(document),
              *weak_verb_findings(document),
              *performer_findings(document), *stock_findings(document), *grounding_findings(document, source)]
    return ModelReview(issues=issues, soundness=soundness(issues, len(document.steps), dismissed))


def soundness(issues: Sequence[Finding], steps: int, dismissed: Collection[str] = ()) -> float:
    """1 minus the weighted deductions of ``issues`` (see the module doc) in a process of ``steps`` steps."""
    deduction = 0.0
    for issue in issues:
        weight = DISMISSED_SHARE if finding_key(issue.text) in dismissed else 1.0
        if issue.code in SHARE_CODES:
            deduction += weight * DEDUCTIONS[issue.code] / max(steps, 1)
        elif issue.code == "thin_process":
            deduction += weight * DEDUCTIONS[issue.code] * max(0, MIN_STEPS - steps)
        else:
            deduction += weight * DEDUCTIONS.get(issue.code, DEDUCTIONS["graph"])
    return max(0.0, 1.0 - deduction)
