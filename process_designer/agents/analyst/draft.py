"""Drafts for requests that only name their process ("IT helpdesk tickets", "buying office supplies").

Such a request gives the process, not its steps: whatever clauses the parser finds in it are the
request's own words turned into steps ("Buy office supply"), not work anyone described. The draft
comes from the closest template instead — its steps, performers and gateways — and the requirement
says in its open questions what the template made it assume: the roles, the limits its decisions
test, the systems and the service levels.

Retrieval reads the request the same way: its content words as the parser lemmatises them
("discharging patients from the ward" → "discharge patient ward"), without the framing and the
weak verbs around them, find the template a paraphrase of its title would.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from process_designer.domain.flow import ProcessFlow
from process_designer.domain.models import RequirementStep
from process_designer.knowledge.template_model import ProcessTemplate
from process_designer.language.frames import Frame
from process_designer.language.pipeline import english

__all__ = ["FALLBACK_TEMPLATE", "draft_from_template", "names_a_process", "names_only", "retrieval_queries"]

# The library's generic starting point, drafted from when no closer template fits a named process.
FALLBACK_TEMPLATE = "standard-process"
# A request this short that states no performer and no order names a process; it does not describe one.
_NAMING_WORDS = 14
_QUERY_WORDS = 20
_CONTENT_POS = ("NOUN", "PROPN", "VERB", "ADJ")
_STATED = ("subject", "agent", "responsible")


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    """The word lists of ``draft_words.json``."""
    text = resources.files("process_designer.agents.analyst").joinpath("draft_words.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return {key: frozenset(value) for key, value in data.items() if isinstance(value, list)}


@lru_cache(maxsize=1)
def _order() -> re.Pattern[str]:
    return re.compile(rf"\b({'|'.join(sorted(_words()['order_words']))})\b|[;:\n]", re.IGNORECASE)


def _words_in(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'-]*", text)


def retrieval_queries(text: str) -> list[str]:
    """Other queries for a short request: its content words as lemmas, without framing and weak verbs.
    A request that describes its process is found by its own words, and needs none."""
    if len(_words_in(text)) > _QUERY_WORDS:
        return []
    doc = english()(text)
    words: list[str] = []
    for token in doc:
        lemma = token.lemma_.lower()
        if token.pos_ == "ADP" and words:  # it stays: "postmortems after outages" is about postmortems
            words.append(token.lower_)
        elif token.pos_ in _CONTENT_POS and lemma not in _words()["weak_verbs"] \
                and token.lower_ not in _words()["process_nouns"] and lemma not in words:
            words.append(lemma)
    query = " ".join(words)
    return [query] if query and query != text.lower().strip() else []


def names_only(text: str, frames: Sequence[Frame]) -> bool:
    """Whether ``text`` only names a process: one short sentence, no order, no performer of a step stated."""
    if len(_words_in(text)) > _NAMING_WORDS or _order().search(text.strip().rstrip(".!?")) or len(frames) > 3:
        return False
    if _instruction(text) or any(f.condition is not None for f in frames):
        return False
    return not any(_states_performer(frame, frames) for frame in frames)


def names_a_process(text: str) -> bool:
    """Whether ``text`` is the name of a piece of work: a noun phrase ("IT helpdesk tickets"), a gerund
    ("buying office supplies") or a request framed around one ("need a process for …"); not a
    question, a greeting or a statement ("the cat sat on the mat")."""
    stripped = text.strip()
    if not stripped or stripped.endswith("?"):
        return False
    doc = english()(stripped)
    if not any(t.pos_ == "NOUN" for t in doc):
        return False
    root = next(iter(doc.sents)).root
    titled = root.tag_ == "VB" and not stripped.endswith((".", "!"))  # "click and collect orders"
    return (root.pos_ in ("NOUN", "PROPN") or root.tag_ == "VBG" or titled
            or root.lemma_.lower() in _words()["framing_verbs"])


def _instruction(text: str) -> bool:
    """"Calculate monthly commissions and pay them with payroll.": a sentence that opens with a command
    says what to do; a title ("click and collect orders") has no full stop."""
    stripped = text.strip()
    if not stripped.endswith((".", "!")):
        return False
    first = english()(stripped)[0]
    return first.tag_ == "VB" or (first.pos_ == "VERB" and first.tag_ != "VBG")


def _states_performer(frame: Frame, frames: Sequence[Frame]) -> bool:
    """Whether ``frame`` names who does it; a word that is another step's object ("restocking store
    shelves" read as "store shelves" the store does) is the parser's misreading, not a performer."""
    if not frame.performer or frame.performer_how not in _STATED:
        return False
    performer = frame.performer.lower()
    return not any(performer in other.obj.lower().split() for other in frames if other is not frame)


def draft_from_template(template: ProcessTemplate, named: int) -> tuple[list[RequirementStep], ProcessFlow, list[str]]:
    """The template's steps and graph, and the questions that name what drafting from it assumed."""
    steps = [
        RequirementStep(name=step.name, description=step.objective, actor=step.responsible, systems=list(step.systems),
                        depends_on=list(step.depends_on), source="template", performer_source="template")
        for step in template.document.steps
    ]
    flow = template.document.effective_flow()
    because = {0: "names no steps", 1: "names one step"}.get(named, "names the process, not its steps")
    questions = [f"I drafted the steps from the '{template.title}' template because the request {because}. "
                 "Which steps does your organisation do differently?"]
    questions.extend(_assumed(steps, flow, template))
    return steps, flow, questions


def _assumed(steps: Sequence[RequirementStep], flow: ProcessFlow, template: ProcessTemplate) -> list[str]:
    """One question for each kind of fact the template supplied: roles, limits, systems, service levels."""
    found: list[str] = []
    roles: dict[str, list[str]] = {}
    for number, step in enumerate(steps, start=1):
        if step.actor:
            roles.setdefault(step.actor, []).append(str(number))
    if roles:
        shown = "; ".join(f"the {role} (step{'s' if len(numbers) > 1 else ''} {', '.join(numbers)})"
                          for role, numbers in roles.items())
        found.append(f"Who performs the steps? I assumed the template's roles: {shown}.")
    limits = [rule.text() for edge in flow.edges for rule in edge.rules
              if isinstance(rule.value, int | float) and not isinstance(rule.value, bool)]
    if limits:
        found.append(f"Which limits decide the branches? I assumed the template's: {', '.join(dict.fromkeys(limits))}.")
    systems = list(dict.fromkeys(system for step in steps for system in step.systems))
    if systems:
        found.append(f"Which systems do you use? I assumed the template's: {', '.join(systems)}.")
    if template.document.monitoring:
        found.append(f"Which service levels apply? I assumed the template's, e.g. "
                     f"'{template.document.monitoring[0]}'.")
    return found
