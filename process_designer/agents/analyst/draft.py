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

from process_designer.domain.flow import FlowNode, ProcessFlow, Rule, insert_after, renumber
from process_designer.domain.models import RequirementStep
from process_designer.knowledge.ranking import circumstance_words
from process_designer.knowledge.step_parts import step_parts
from process_designer.knowledge.template_model import ProcessTemplate
from process_designer.language.frames import Frame
from process_designer.language.lexicon import lexicon
from process_designer.language.pipeline import english

__all__ = ["FALLBACK_TEMPLATE", "draft_from_template", "names_a_process", "names_only", "request_object",
           "retrieval_queries", "work_query"]

# The library's generic starting point: no request is drafted from its stock steps; it stands first in the
# templates an analyst gets when none is relevant, before the nearest one.
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
    """Another query for a short request: what its work is, as the lemmas of its content words without
    framing, weak verbs or the circumstances ("postmortems after outages" → "postmortem": a template
    for the postmortem, not for the outage). A request that describes its process is found by its own
    words, and needs none."""
    if len(_words_in(text)) > _QUERY_WORDS:
        return []
    words: list[str] = []
    for token in english()(text):
        lemma = token.lemma_.lower()
        if words and token.dep_ == "prep" and token.lower_ in circumstance_words():
            break
        if token.pos_ in _CONTENT_POS and lemma not in _words()["weak_verbs"] \
                and token.lower_ not in _words()["process_nouns"] and lemma not in words:
            words.append(lemma)
    query = " ".join(words)
    return [query] if query and query != text.lower().strip() else []


def work_query(text: str) -> str:
    """The kind of work a request names, as its head verb and the thing it acts on, without the words that
    only say which one ("organising the annual chess tournament" → "organise tournament"; "fire
    extinguisher inspections" → "inspection"): a query for the nearest kind of process when nothing in
    the library is about the request itself."""
    if len(_words_in(text)) > _QUERY_WORDS:
        return ""
    skipped = _words()["weak_verbs"] | _words()["framing_verbs"]
    verb = next((token.lemma_.lower() for token in english()(text)
                 if token.pos_ == "VERB" and token.lemma_.lower() not in skipped), "")
    things = request_object(text)
    return " ".join(word for word in (verb, things[0] if things else "") if word)


def request_object(phrase: str) -> list[str]:
    """What a process name is about, as singular lemmas, the thing first and then the nouns that say
    which kind ("Equipment loans to staff" → loan, equipment; "IT helpdesk tickets" → ticket, helpdesk;
    "replacing broken laptops" → laptop); none when it names the people who act, not a thing."""
    doc = english()(phrase.strip())
    if not len(doc):
        return []
    root = next(iter(doc.sents)).root
    if root.pos_ not in ("NOUN", "PROPN"):
        root = next((child for child in root.children if child.dep_ in ("dobj", "obj") and child.pos_ == "NOUN"), root)
    if root.pos_ != "NOUN" or any(child.dep_ in ("acl", "relcl") for child in root.children):
        return []  # "employees asking for leave": the people who act, not the thing acted on
    # "freedom of information requests", "handling of customer complaints": the thing follows "of"
    root = next((pobj for prep in root.children if prep.dep_ == "prep" and prep.lower_ == "of"
                 for pobj in prep.children if pobj.dep_ == "pobj" and pobj.pos_ == "NOUN"), root)
    kinds = [child for child in root.children if child.dep_ == "compound" and child.pos_ == "NOUN"]
    things = [token.lemma_.lower() for token in [root, *reversed(kinds)]]
    return [thing for thing in things if thing not in lexicon().requesters]


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


def draft_from_template(template: ProcessTemplate, named: int, stated: Sequence[Frame] = (),
                        things: Sequence[str] = (), systems: Sequence[str] = (), said: str = "",
                        nearest: bool = False) -> tuple[list[RequirementStep], ProcessFlow, list[str]]:
    """The template's steps and graph, and the questions that name what drafting from it assumed.

    What the request states wins over the template: the performer of a step it names ("the manager
    approves loans"), the limit of that step's decision ("over 14 days": the gateway's rule, its branch
    condition and the step's name change together), and the thing it handles ("IT helpdesk *tickets*"
    for a template about requests). ``stated`` are the request's frames, ``things`` its objects (:func:`request_object`) and
    ``systems`` the systems it names, which are not asked about as assumed, and ``said`` its text;
    ``nearest`` says the template is only the nearest to the request, not a close fit.
    """
    steps, flow = _one_action_each(template)
    carried = [_carry(frame, steps, flow) for frame in stated]
    _adapt_object(steps, flow, things, template, said, nearest)
    because = {0: "names no steps", 1: "names one step"}.get(named, "names the process, not its steps")
    questions = [f"No template fits this request closely, so I drafted the steps from the nearest kind of work, "
                 f"'{template.title}', as a general base: the request {because}. Tell me your real steps in "
                 "order, who does each one and the limits your decisions use, and I will replace the draft's."
                 if nearest else f"I drafted the steps from the '{template.title}' template because the request "
                 f"{because}. Which steps does your organisation do differently?"]
    stated_rules = {rule.text() for rules in carried for rule in rules}
    questions.extend(_assumed(steps, flow, template, stated_rules, set(systems)))
    for step in steps:
        if step.name == step.template_step:
            step.template_step = ""
    return steps, flow, questions


def _one_action_each(template: ProcessTemplate) -> tuple[list[RequirementStep], ProcessFlow]:
    """The template's steps and graph, a step that joins two actions as two steps in a row
    (:func:`step_parts`): the second takes the first's place before the step's gateway, and a step
    that depended on the joined one depends on the second."""
    flow = template.document.effective_flow().model_copy(deep=True)
    parts = [step_parts(step) for step in template.document.steps]
    for number in range(len(parts), 0, -1):  # from the last, so the numbers still to split stay put
        if len(parts[number - 1]) > 1:
            flow = _split_task(flow, number, parts[number - 1][1].name)
    last: dict[int, int] = {}
    steps: list[RequirementStep] = []
    for number, (step, split) in enumerate(zip(template.document.steps, parts, strict=True), start=1):
        after = [last[d] for d in step.depends_on if d in last]
        for part in split:
            steps.append(RequirementStep(
                name=part.name, description=part.objective, actor=step.responsible, systems=list(step.systems),
                depends_on=after, source="template", performer_source="template", template_step=part.name))
            after = [len(steps)] if step.depends_on else []
        last[number] = len(steps)
    for number, drafted in enumerate(steps, start=1):
        _relabel(flow, number, drafted.name)
    return steps, flow


def _split_task(flow: ProcessFlow, number: int, second: str) -> ProcessFlow:
    """``flow`` with step ``number`` followed by a new step ``number + 1`` called ``second``; the later
    steps move up one."""
    count = sum(1 for node in flow.nodes if node.kind == "task")
    flow = renumber(flow, {later: later + 1 for later in range(number + 1, count + 1)})
    task = flow.task(number)
    if task is None:
        return flow
    node = FlowNode(id=f"step_{number + 1}", kind="task", label=second, step=number + 1, performer=task.performer)
    return insert_after(flow, task.id, node)


def _carry(frame: Frame, steps: list[RequirementStep], flow: ProcessFlow) -> list[Rule]:
    """Carry what ``frame`` states into the template step it names: its performer and its limit.
    The rules it changed, as they now read."""
    number = _step_named(frame, steps)
    if number is None:
        return []
    step = steps[number - 1]
    if frame.performer and frame.performer_how in _STATED:
        step.actor, step.performer_source = frame.performer, "stated"
        for node in flow.nodes:
            if node.step == number:
                node.performer = frame.performer
    wanted = [rule for rule in frame.condition.rules if _numeric(rule.value)] if frame.condition else []
    changed: list[Rule] = []
    for edge in flow.edges:
        if edge.target != _task_id(flow, number):
            continue
        for rule in edge.rules:
            new = next((w for w in wanted if _same_measure(w, rule) and w.value != rule.value), None)
            if new is None or not _numeric(rule.value):
                continue
            old, value = _shown(rule.value), _shown(new.value)
            rule.value = new.value
            edge.condition = _replace_number(edge.condition or "", old, value) or None
            step.name = _replace_number(step.name, old, value)
            step.description = _replace_number(step.description, old, value)
            changed.append(rule)
    _relabel(flow, number, step.name)
    return changed


def _step_named(frame: Frame, steps: Sequence[RequirementStep]) -> int | None:
    """The number of the template step that does what ``frame`` says (same verb, the object preferred)."""
    best: tuple[int, int] | None = None
    for number, step in enumerate(steps, start=1):
        doc = english()(step.name)
        if not len(doc) or doc[0].lemma_.lower() != frame.verb.lower():
            continue
        lemmas = {t.lemma_.lower() for t in doc}
        score = 1 + (frame.obj_head.lower() in lemmas if frame.obj_head else 0)
        if best is None or score > best[0]:
            best = (score, number)
    return best[1] if best else None


def _task_id(flow: ProcessFlow, number: int) -> str:
    return next((node.id for node in flow.nodes if node.kind == "task" and node.step == number), "")


def _relabel(flow: ProcessFlow, number: int, name: str) -> None:
    for node in flow.nodes:
        if node.kind == "task" and node.step == number:
            node.label = name


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same_measure(stated: Rule, template: Rule) -> bool:
    """Whether two rules test the same measure: "days > 14" and "loan_days > 30" do, "amount > 500" does not."""
    words = set(template.subject.lower().split("_"))
    return stated.operator[0] == template.operator[0] and bool(
        {stated.subject.lower(), stated.unit.lower()} & words or stated.subject.lower() == template.subject.lower())


def _shown(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _replace_number(text: str, old: str, new: str) -> str:
    return re.sub(rf"(?<![\d.,]){re.escape(old)}(?![\d.,]\d)", new, text)


def _adapt_object(steps: list[RequirementStep], flow: ProcessFlow, things: Sequence[str],
                  template: ProcessTemplate, said: str, nearest: bool = False) -> None:
    """Call the template's generic object by the request's name for it: "Log the request" → "Log the
    ticket" for "IT helpdesk tickets", "Check the item back in" → "… the equipment …" for equipment
    loans. The name is the first of the request's ``things`` the steps never use and the template's
    title, description or tags do (one of the kinds it handles); the generic word (``draft_words.json``:
    adaptable_objects) is the one most of its steps act on. A template that is only the ``nearest`` is
    about another thing of the same kind of work: the word of its title most steps act on ("Run the
    event") is the request's thing ("Run the tournament"), when the template never names that thing."""
    names = " ".join(step.name.lower() for step in steps)
    about = f"{template.title} {template.description} {' '.join(template.tags)}".lower()
    generics = set(_words()["adaptable_objects"])
    if nearest:  # a template about another thing of the same kind: its own thing is the request's
        generics |= {word for word in _words_in(template.title.lower()) if len(word) > 3}
        about = " ".join(things[:1]) if things and not re.search(rf"\b{re.escape(things[0])}", about) else ""
    thing = next((t for t in things if t.isalpha() and t not in generics
                  and not re.search(rf"\b{re.escape(t)}", names) and re.search(rf"\b{re.escape(t)}", about)), "")
    if not thing:
        return
    counts = {word: len(re.findall(rf"\b{word}s?\b", names)) for word in generics}
    generic, count = max(counts.items(), key=lambda item: (item[1], item[0]))
    if count < 2 or re.search(rf"\b{generic}s?\b", said, re.IGNORECASE):
        return  # the object most steps act on, unless the request calls it so too ("information requests")
    for number, step in enumerate(steps, start=1):
        step.name = _renamed(step.name, generic, thing)
        step.description = _renamed(step.description, generic, thing)
        _relabel(flow, number, step.name)


def _renamed(text: str, old: str, new: str) -> str:
    """``text`` with the noun ``old`` (singular or plural, capitalised or not) read as ``new``."""
    def swap(match: re.Match[str]) -> str:
        word = new + match.group(2)
        return word[:1].upper() + word[1:] if match.group(1)[0].isupper() else word
    return re.sub(rf"\b([{old[0].upper()}{old[0]}]{re.escape(old[1:])})(s?)\b", swap, text)


def _assumed(steps: Sequence[RequirementStep], flow: ProcessFlow, template: ProcessTemplate,
             stated_rules: set[str], stated_systems: set[str]) -> list[str]:
    """One question for each kind of fact the template supplied: roles, limits, systems, service levels;
    what the request stated is not asked."""
    found: list[str] = []
    roles: dict[str, list[str]] = {}
    for number, step in enumerate(steps, start=1):
        if step.actor and step.performer_source == "template":
            roles.setdefault(step.actor, []).append(str(number))
    if roles:
        shown = "; ".join(f"the {role} (step{'s' if len(numbers) > 1 else ''} {', '.join(numbers)})"
                          for role, numbers in roles.items())
        found.append(f"Who performs the steps? I assumed the template's roles: {shown}.")
    limits = [rule.text() for edge in flow.edges for rule in edge.rules
              if _numeric(rule.value) and rule.text() not in stated_rules]
    if limits:
        found.append(f"Which limits decide the branches? I assumed the template's: {', '.join(dict.fromkeys(limits))}.")
    systems = list(dict.fromkeys(system for step in steps for system in step.systems if system not in stated_systems))
    if systems:
        found.append(f"Which systems do you use? I assumed the template's: {', '.join(systems)}.")
    if template.document.monitoring:
        found.append(f"Which service levels apply? I assumed the template's, e.g. "
                     f"'{template.document.monitoring[0]}'.")
    return found
