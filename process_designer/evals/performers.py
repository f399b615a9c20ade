"""Performer accuracy: does a matched step name the role the requirement text gives for it?"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from process_designer.domain.models import Step
from process_designer.language.pipeline import noun_lemma

__all__ = ["ASSUMED_MARK", "PerformerScore", "normalise_role", "performer_correct", "score_performers"]

ASSUMED_MARK = "(assumed)"
_ARTICLES = frozenset({"the", "a", "an"})
# "Finance team" names the same performer as "Finance"; a trailing collective noun is dropped.
_COLLECTIVES = frozenset({"team", "department", "dept", "group"})
_WORD = re.compile(r"[a-z0-9]+")


def normalise_role(name: str) -> str:
    """``"The Claims Officers (assumed)"`` → ``"claim officer"``: lower case, no articles, singular words.

    Possessives and punctuation go (``owner's representative`` → ``owner representative``,
    ``tier-1 agent`` → ``tier 1 agent``), ``&`` reads as ``and``, and a trailing collective noun
    (team, department, dept, group) is dropped when something else names the performer.
    """
    text = name.lower().replace(ASSUMED_MARK, " ").replace("&", " and ")
    text = re.sub(r"['’]s\b", "", text)
    words = [noun_lemma(word) for word in _WORD.findall(text) if word not in _ARTICLES]
    while len(words) > 1 and words[-1] in _COLLECTIVES:
        words.pop()
    return " ".join(words)


def performer_correct(responsible: str, source: str, gold: Sequence[str]) -> bool:
    """Whether ``responsible`` names one of the ``gold`` performers.

    A performer the designer assumed (``performer_source`` ``assumed``, or ``(assumed)`` in the
    name) is never right: the text named someone and the designer did not read it.
    """
    if source == "assumed" or ASSUMED_MARK in responsible.lower():
        return False
    predicted = normalise_role(responsible)
    return bool(predicted) and predicted in {normalise_role(name) for name in gold}


@dataclass(frozen=True)
class PerformerScore:
    """Matched steps whose gold step names a performer (``scored``), and how many the design got right."""

    scored: int
    right: int
    wrong: tuple[str, ...]  # "predicted step: responsible ≠ gold" for the report

    @property
    def accuracy(self) -> float | None:
        return self.right / self.scored if self.scored else None


def score_performers(
    steps: Sequence[Step], gold: Sequence[Sequence[str]], mapping: Mapping[int, int]
) -> PerformerScore:
    """Performer accuracy over ``mapping`` (``{predicted index: gold index}``) from step matching."""
    scored = right = 0
    wrong: list[str] = []
    for p, g in sorted(mapping.items()):
        if not gold[g]:
            continue
        scored += 1
        step = steps[p]
        if performer_correct(step.responsible, step.performer_source, gold[g]):
            right += 1
        else:
            shown = step.responsible + (
                f" ({step.performer_source})" if step.performer_source != "stated" else ""
            )
            wrong.append(f"{step.name}: {shown} ≠ {' / '.join(gold[g])}")
    return PerformerScore(scored, right, tuple(wrong))
