"""Overview, scope and error handling derived from the process model: its trigger, outcomes, decisions and roles.

The writer reads these from the graph rather than from the first and last step in the list: a
process with a rejection branch has two outcomes, a decision's missing data stops the case before
the decision, and each change of role on the way is a hand-over that can stall.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from process_designer.domain.flow import (
    MAX_GATEWAY_PASSES,
    FlowEdge,
    ProcessFlow,
    Rule,
)
from process_designer.domain.flow_text import step_list
from process_designer.domain.models import Step, flow_of
from process_designer.language import wordforms

__all__ = ["ModelFacts", "field_words", "model_error_handling", "model_facts", "model_purpose", "model_scope"]

_MAX_LISTED = 4


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def _listing(items: Sequence[str], joiner: str = "and", more: str = "") -> str:
    items = list(items)
    if len(items) > _MAX_LISTED:
        items = [*items[:_MAX_LISTED - 1], f"{len(items) - _MAX_LISTED + 1} more{more}"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {joiner} " + items[-1]


@dataclass(frozen=True)
class Decision:
    label: str
    after: int | None  # the step the decision follows
    fields: tuple[str, ...]  # what its rules read, as words: "the amount", "whether approved"
    ending: tuple[tuple[str, str], ...]  # (condition, outcome) of branches that end the case


@dataclass(frozen=True)
class ModelFacts:
    """What the graph says about the process as a whole."""

    first: str  # the name of the step the process starts with
    outcomes: tuple[str, ...]  # how it can end
    decisions: tuple[Decision, ...]
    roles: tuple[str, ...]
    parallel: tuple[int, ...]  # steps that run beside others
    handovers: tuple[tuple[int, int], ...]  # (from step, to step) where the role changes
    loops: tuple[str, ...]  # labels of decisions that send the case back


def field_words(rule: Rule) -> str:
    """What a rule reads, as words to record: ``amount > 10000`` → "the amount"; a yes/no field as the
    question it answers (see :func:`_yes_no`)."""
    words = rule.subject.replace("_", " ")
    return _yes_no(words.split()) if isinstance(rule.value, bool) else f"the {words}"


def _describes(word: str) -> bool:
    """Whether ``word`` says how a thing is: an adjective or a past participle ("ready", "approved"),
    or a word the dictionary does not know that is formed as one ("reportable")."""
    known = wordforms.all_lemmas(word)
    if not known:
        return word.endswith(("able", "ible"))
    if "ADJ" in known:
        return True
    return any(word in wordforms.inflections(lemma, "VBN") for lemma in wordforms.lemmas(word, "VERB"))


def _names_a_thing(word: str) -> bool:
    known = wordforms.all_lemmas(word)
    return not known or "NOUN" in known


def _says_of_it(word: str) -> bool:
    """A present-tense verb said of the case: "needs", "has"."""
    return any(word in wordforms.inflections(lemma, "VBZ") for lemma in wordforms.lemmas(word, "VERB"))


def _yes_no(words: list[str]) -> str:
    """A yes/no field as the question it answers: "approved" → "whether it is approved", "request
    approved" → "whether the request is approved", "keys requested" → "whether the keys are requested",
    "needs review" → "whether it needs review", "user impact" → "whether there is a user impact",
    "within authority" → "whether it is within authority"."""
    first, last, said = words[0], words[-1], " ".join(words)
    if len(words) > 1 and _describes(last) and _names_a_thing(first):
        thing = " ".join(words[:-1])
        plural = wordforms.lemmas(words[-2], "NOUN") not in ((), (words[-2],))
        return f"whether the {thing} {'are' if plural else 'is'} {last}"
    if _says_of_it(first):
        return f"whether it {said}"
    if (verb := _verb_after_subject(words)) is not None:  # "visitor need parking": the field's words keep the lemma
        subject, rest = " ".join(words[:verb]), " ".join(words[verb + 1:])
        return f"whether the {subject} {_third_person(words[verb])} {rest}"
    if set(wordforms.all_lemmas(first)) == {"ADV"} or not _names_a_thing(last) or _describes(last):
        return f"whether it is {said}"
    return f"whether there is {'an' if first[0] in 'aeio' else 'a'} {said}"


def _verb_after_subject(words: list[str]) -> int | None:
    """Where a verb's base form follows the nouns that are its subject and comes before its object
    ("visitor need parking", "customer require delivery slot"), or None."""
    for index in range(1, len(words) - 1):
        verbs = wordforms.all_lemmas(words[index]).get("VERB")
        if verbs and all(_names_a_thing(w) for w in words[:index]):
            return index if words[index] in verbs else None
    return None


def _third_person(verb: str) -> str:
    forms = wordforms.inflections(verb, "VBZ")
    return forms[0] if forms else f"{verb}s"


def _condition(edge: FlowEdge) -> str:
    if edge.default:
        return "otherwise"
    return " ".join((edge.condition or " and ".join(r.text() for r in edge.rules)).split())


def _ending(flow: ProcessFlow, edge: FlowEdge, names: dict[int, str], last: int | None) -> str | None:
    """The outcome when ``edge`` ends the case straight away (at an end, or through one step into an end)."""
    target = flow.node(edge.target)
    if target.kind == "end":
        return _lower(target.label) if target.label.strip().lower() not in ("", "end") else "the case ends"
    if target.kind == "task" and target.step != last:
        out = flow.outgoing(target.id)
        if len(out) == 1 and flow.node(out[0].target).kind == "end":
            end = flow.node(out[0].target)
            shown = f" ({_lower(end.label)})" if end.label.strip().lower() not in ("", "end") else ""
            return f"{step_list([target.step], names)} ends the case{shown}" if target.step else None
    return None


def _steps_into(flow: ProcessFlow, node_id: str) -> list[int]:
    found: list[int] = []
    frontier, seen = [e.source for e in flow.incoming(node_id)], set()
    while frontier:
        current = frontier.pop(0)
        if current in seen:
            continue
        seen.add(current)
        node = flow.node(current)
        if node.kind == "task" and node.step is not None:
            found.append(node.step)
        elif node.kind != "start":
            frontier += [e.source for e in flow.incoming(current)]
    return found


def model_facts(steps: Sequence[Step], flow: ProcessFlow | None) -> ModelFacts:
    """The trigger, outcomes, decisions, roles, parallel work, hand-overs and loops of the process."""
    graph = flow_of(steps, flow)
    names = {s.number: s.name for s in steps}
    roles = {s.number: s.responsible for s in steps}
    order = graph.step_order() or [s.number for s in steps]
    last = steps[-1].number if steps else None
    back = graph.back_edges()
    outcomes: list[str] = []
    for end in graph.ends:
        label = end.label.strip()
        if label.lower() not in ("", "end"):
            outcomes.append(_lower(label))
        else:
            outcomes += [f"'{names[n]}' done" for n in _steps_into(graph, end.id)[-1:] if n in names]
    decisions: list[Decision] = []
    loops: list[str] = []
    for node in graph.nodes:
        if node.kind != "exclusive":
            continue
        before = _steps_into(graph, node.id)
        edges = graph.outgoing(node.id)
        fields = tuple(dict.fromkeys(field_words(r) for e in edges for r in e.rules))
        ending = tuple((_condition(e), outcome) for e in edges
                       if (e.source, e.target) not in back and (outcome := _ending(graph, e, names, last)))
        decisions.append(Decision(" ".join(node.label.split()) or node.id, before[0] if before else None,
                                  fields, ending))
        if any((e.source, e.target) in back for e in edges):
            loops.append(decisions[-1].label)
    parallel = sorted({n for node in graph.nodes if graph.is_split(node.id) for n in graph.first_steps(node.id)})
    handovers = sorted((a, b) for b, before in graph.step_predecessors().items() for a in before
                       if roles.get(a) and roles.get(b) and roles[a] != roles[b])
    return ModelFacts(first=names.get(order[0], "") if order else "", outcomes=tuple(dict.fromkeys(outcomes)),
                      decisions=tuple(decisions), roles=tuple(dict.fromkeys(s.responsible for s in steps)),
                      parallel=tuple(parallel), handovers=tuple(handovers), loops=tuple(loops))


def _outcome_text(facts: ModelFacts) -> str:
    if not facts.outcomes:
        return "its end"
    if len(facts.outcomes) == 1:
        return facts.outcomes[0]
    return f"one of its {len(facts.outcomes)} outcomes ({_listing(facts.outcomes, 'or')})"


def model_purpose(title: str, facts: ModelFacts, trigger: str = "") -> str:
    """"Take each purchase approval case from 'Submit purchase request' to one of its 2 outcomes (…), deciding …"."""
    start = trigger.strip().rstrip(".") or f"'{facts.first}'"
    text = f"Take each case of {title.lower()} from {start} to {_outcome_text(facts)}"
    if facts.decisions:
        labels = _listing(["'" + d.label + "'" for d in facts.decisions])
        text += f", deciding {labels} on the case's recorded data"
    return text


def model_scope(facts: ModelFacts, steps: int, excluded: str) -> str:
    """Included: the steps, roles, decisions and parallel work the graph holds; Excluded: ``excluded``."""
    included = f"{steps} steps by {_listing(facts.roles, more=' roles')}, from '{facts.first}' to " \
               f"{_listing(facts.outcomes, 'or') if facts.outcomes else 'its end'}"
    if facts.decisions:
        included += f"; {len(facts.decisions)} decision{'s' if len(facts.decisions) > 1 else ''}"
    if facts.parallel:
        included += f"; Steps {_listing([str(n) for n in facts.parallel])} run in parallel"
    return f"Included: {included}. Excluded: {excluded}"


def model_error_handling(steps: Sequence[Step], facts: ModelFacts, owner: str) -> list[str]:
    """What happens on each ending branch, when a decision lacks its data, on stalled hand-overs and runaway loops."""
    by_number = {s.number: s for s in steps}
    lines: list[str] = []
    if steps:
        first = steps[0]
        receivers = {by_number[b].responsible for a, b in facts.handovers if a == first.number and b in by_number}
        checker = receivers.pop() if len(receivers) == 1 else "role that receives it" if receivers else \
            first.responsible
        lines.append(f"Incomplete input at '{first.name}' (Step {first.number}): the {checker} sends it back naming "
                     "the missing fields; the case waits and goes no further")
    for decision in facts.decisions:
        where = f" (Step {decision.after})" if decision.after is not None else ""
        asker = by_number[decision.after].responsible if decision.after in by_number else owner
        if decision.fields:
            lines.append(f"Data for the decision '{decision.label}'{where} missing or invalid: stop before deciding "
                         f"and have the {asker} record {_listing(decision.fields)}")
        for condition, outcome in decision.ending:
            lines.append(f"'{decision.label}' → {condition}{where}: {outcome}; tell the requester the reason and "
                         "record it on the case")
    for decision in facts.decisions:
        if decision.label in facts.loops:
            where = f" (Step {decision.after})" if decision.after is not None else ""
            lines.append(f"'{decision.label}'{where} sends the case back a {MAX_GATEWAY_PASSES}th time: stop the loop "
                         f"and escalate to {owner} with the history of each pass")
    taking_over = sorted({b for _a, b in facts.handovers})
    if taking_over:
        lines.append(f"Hand-over to another role (Steps {', '.join(map(str, taking_over))}): the role taking over "
                     f"confirms it has the case and its data; a case not picked up within 1 business day is "
                     f"escalated to {owner}")
    return lines
