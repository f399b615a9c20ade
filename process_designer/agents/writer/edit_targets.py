"""What an edit request points at: the steps it names, the role or name it gives, the new step it describes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from process_designer.agents.vocabulary import classify_action, detect_roles, detect_systems
from process_designer.agents.writer.compose import compose_step
from process_designer.agents.writer.edit_reading import step_name
from process_designer.domain.models import ProcessDocument, Requirement, RequirementStep, Step
from process_designer.errors import InputError
from process_designer.language.messages import Reading, chat_words

__all__ = ["STEP_LEAD", "EditResult", "Handler", "all_steps", "cannot_map", "clean", "must_name", "named", "new_step", "positions", "role_name",
           "step_between", "step_number", "words"]


@dataclass(frozen=True)
class EditResult:
    document: ProcessDocument
    summary: str
    changed_steps: frozenset[int]


Handler = Callable[[ProcessDocument, Reading], EditResult | None]
"""An edit kind: the result of the request, or ``None`` when the request is not of its kind."""


def cannot_map(text: str) -> str:
    """The question sent back for a message that names no edit or question the designer knows."""
    return (f"I could not tell what to change from '{text.strip()[:80]}'. I can {chat_words()['capabilities']}. "
            "What would you like to do?")


_ARTICLES = ("the", "a", "an", "our", "this", "that", "its", "their")
STEP_LEAD = re.compile(r"^(?:(?:a|an|the|one|another|new|extra|final|additional|separate|parallel|more)\s+)*"
                        r"(?:(?:step|task|stage|activity)\b\s*(?:to|that|for|which|where|called|named|:)?\s*)?",
                        re.IGNORECASE)


def clean(phrase: str) -> str:
    words = phrase.strip(" ,.;:!?\"'").split()
    while words and words[0].lower() in _ARTICLES:
        words = words[1:]
    return " ".join(words).strip(" ,.;:!?\"'")


def role_name(phrase: str) -> str:
    words = [w for w in clean(re.sub(r"\b(?:step|steps)\s+\d+\b", "", phrase, flags=re.I)).split()
             if w.lower() not in ("responsible", "accountable", "owner", "performer", "instead", "now", "process")]
    while words and words[-1].lower() in _ARTICLES:
        words = words[:-1]
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)


_IGNORED = {"the", "and", "step", "steps", "for", "with", "that", "this", "make", "change", "set", "threshold", "limit",
            "value"}


def words(text: str) -> set[str]:
    """Word keys that meet across word forms: "containment" and "contain" share "conta", "checks" is "check"."""
    return {w[:5] if len(w) > 5 else w.rstrip("s") for w in re.findall(r"[a-z]{3,}", text.lower())
            if w not in _IGNORED}


def step_number(doc: ProcessDocument, number: int) -> int:
    if number == -1:
        return len(doc.steps)
    if doc.step(number) is None:
        raise InputError(f"there is no step {number}; the process has steps 1 to {len(doc.steps)}")
    return number


def named(doc: ProcessDocument, phrase: str) -> int | None:
    """The step whose name shares most words with ``phrase`` (the action kind breaks ties)."""
    wanted = words(phrase)
    if not wanted:
        return None
    kind = classify_action(phrase).name

    def score(step: Step) -> float:
        overlap = len(wanted & words(f"{step.name} {step.responsible}"))
        return overlap + (0.5 if overlap and classify_action(step.name).name == kind else 0.0)

    best = max(doc.steps, key=score)
    return best.number if score(best) > 0 else None


def must_name(doc: ProcessDocument, phrase: str) -> int:
    number = named(doc, phrase)
    if number is None:
        names = "; ".join(f"{s.number}. {s.name}" for s in doc.steps)
        raise InputError(f"no step matches '{clean(phrase)}'; the steps are: {names}. Name one by number, "
                         "e.g. 'step 2'")
    return number


def step_between(doc: ProcessDocument, r: Reading, start: int, end: int) -> int | None:
    """The step named by tokens ``start``..``end``: a "step N" there, else the best name match."""
    for number, first, _last in r.references:
        if start <= first < end:
            return step_number(doc, number)
    return named(doc, r.span(start, end)) if end > start else None


def new_step(text: str, doc: ProcessDocument) -> Step:
    clause = re.sub(r"\s+(?:step|task)$", "", STEP_LEAD.sub("", text.strip().rstrip(".")).strip(), flags=re.I)
    if not clause:
        raise InputError("say what the new step does, e.g. 'add a step to check for fraud after step 3'")
    name = step_name(clause)
    name = name[:1].upper() + name[1:]
    roles = _stated_roles(clause) or detect_roles(clause)
    requirement = Requirement(text=clause, title=doc.title, systems=doc.integrations)
    step = RequirementStep(name=name, description=clause[:1].upper() + clause[1:], actor=roles[0] if roles else None,
                           systems=detect_systems(clause))
    return compose_step(step, 0, requirement)


def _stated_roles(clause: str) -> list[str]:
    """The performers the reader finds in a chat's new step ("budget owner approval for anything above 20k" →
    Budget Owner), as it reads them in requirements."""
    from process_designer.language.frames import read_frames

    return [f.performer for f in read_frames(f"- {clause}")[0] if f.performer]  # one item, read as a list line


def all_steps(document: ProcessDocument) -> frozenset[int]:
    return frozenset(range(1, len(document.steps) + 1))


def positions(kind: str) -> tuple[str, ...]:
    return tuple(chat_words()["positions"][kind])


# ------------------------------------------------------------------------------------------- handlers
