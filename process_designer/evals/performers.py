"""Performer accuracy: does a matched step name the role the requirement text gives for it?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from process_designer.domain.models import Step
from process_designer.wording.roles import ASSUMED_MARK, normalise_role

__all__ = ["ASSUMED_MARK", "PerformerScore", "normalise_role", "performer_correct", "score_performers"]


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
