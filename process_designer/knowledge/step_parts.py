"""A template step that joins two actions, read as one step per action.

Templates name some steps by two actions ("Set the limit and inform the customer", "Validate and
route the request"); people who describe the same process list them as two steps, done one after
the other. A draft from the template takes each action as a step of its own: its name, the
template's actions and validation lines that speak of it, its part of the objective when the
objective joins the two the same way, and half the duration. The writer finds a drafted part's
template lines by its name the same way (:func:`template_step_named`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from process_designer.domain.durations import format_minutes, parse_duration
from process_designer.domain.models import Step
from process_designer.language.coordination import joined_actions

__all__ = ["step_parts", "template_step_named"]

_WORD = re.compile(r"[a-z]{3,}")
_COMMON = frozenset({"the", "and", "for", "with", "from", "into", "its", "their"})


def step_parts(step: Step) -> list[Step]:
    """``step`` as one step per action its name joins; ``[step]`` when it names one action.

    The parts keep the step's role and systems; a decision of the step stays with the last part,
    which is the one the step's gateway follows.
    """
    names = joined_actions(step.name)
    if len(names) != 2:
        return [step]
    actions = _share(step.actions, names)
    validation = _share(step.validation, names)
    objectives = joined_actions(step.objective.strip().rstrip("."))
    minutes = parse_duration(step.duration)
    duration = format_minutes(max(1, round(minutes / 2))) if minutes else step.duration
    parts = []
    for index, name in enumerate(names):
        objective = f"{objectives[index]}." if len(objectives) == 2 else step.objective
        parts.append(step.model_copy(update={
            "name": name, "objective": objective, "actions": actions[index], "validation": validation[index],
            "duration": duration, "decisions": list(step.decisions) if index else []}))
    return parts


def template_step_named(steps: Iterable[Step], name: str) -> Step | None:
    """The template step called ``name``, or the part of a joined step that is."""
    candidates = list(steps)
    found = next((step for step in candidates if step.name == name), None)
    if found is not None:
        return found
    return next((part for step in candidates for part in step_parts(step) if part.name == name), None)


def _words(text: str) -> set[str]:
    return {word.rstrip("s") for word in _WORD.findall(text.lower())} - _COMMON


def _share(lines: Sequence[str], names: Sequence[str]) -> list[list[str]]:
    """Each line to the action whose own words it shares ("E-mail the decision" goes with "Inform
    the customer" by its place); when one action gets none, the first half of the lines and the rest."""
    own = [_words(names[0]) - _words(names[1]), _words(names[1]) - _words(names[0])]
    shares: list[list[str]] = [[], []]
    for index, line in enumerate(lines):
        hits = [len(_words(line) & words) for words in own]
        part = (0 if hits[0] > hits[1] else 1) if hits[0] != hits[1] else int(index >= len(lines) / 2)
        shares[part].append(line)
    if all(shares):
        return shares
    if len(lines) < 2:  # nothing to divide: both parts keep what there is
        return [list(lines), list(lines)]
    middle = (len(lines) + 1) // 2
    return [list(lines[:middle]), list(lines[middle:])]
