"""Gap analysis between a current process (usually imported) and the desired one.

Steps are matched by normalised-name similarity, so "Approve claims" in one document meets "Claim approval" in
the other, and, given an embedder, by meaning, so "IT disables the account on the last day" meets "Revoke system
access"; everything else (order, validations, hand-offs, durations) is compared on the matched pairs.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, Field

from process_designer.domain.durations import format_minutes, parse_duration
from process_designer.domain.models import ProcessDocument, Step
from process_designer.maps.flow import predecessors
from process_designer.maps.optimise import Optimisation, describe, suggest

__all__ = ["DurationChange", "GapReport", "StepMove", "ValidationGap", "compare", "render", "similarity"]

MATCH_THRESHOLD = 0.6
MEANING_THRESHOLD = 0.35
"""Cosine of two step names' sentence embeddings above which they name the same work (all-MiniLM-L6-v2:
paraphrases such as "IT disables the account" / "Revoke system access" score about 0.38, unrelated steps below 0.2)."""


class Embeds(Protocol):
    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...
_STOPWORDS = {"a", "an", "the", "of", "to", "for", "and", "or", "in", "on", "by", "with", "from", "step"}
_SUFFIXES = ("ations", "ation", "ing", "als", "al", "es", "ed", "s")


class StepMove(BaseModel):
    step: str
    current_position: int
    desired_position: int


class ValidationGap(BaseModel):
    step: str
    missing: list[str]


class DurationChange(BaseModel):
    step: str
    current: str
    desired: str
    minutes_delta: float


class GapReport(BaseModel):
    """What the desired process adds, drops or changes relative to the current one."""

    current_title: str
    desired_title: str
    matched: list[tuple[str, str]] = Field(default_factory=list)
    missing_steps: list[str] = Field(default_factory=list)
    extra_steps: list[str] = Field(default_factory=list)
    reordered: list[StepMove] = Field(default_factory=list)
    missing_validations: list[ValidationGap] = Field(default_factory=list)
    missing_error_handling: list[str] = Field(default_factory=list)
    missing_kpis: list[str] = Field(default_factory=list)
    handoffs_added: list[str] = Field(default_factory=list)
    handoffs_removed: list[str] = Field(default_factory=list)
    duration_changes: list[DurationChange] = Field(default_factory=list)
    current_minutes: float = 0.0
    desired_minutes: float = 0.0
    optimisations: list[Optimisation] = Field(default_factory=list)  # of the desired process: what gets built

    @property
    def has_gaps(self) -> bool:
        return bool(self.missing_steps or self.extra_steps or self.reordered or self.missing_validations
                    or self.missing_error_handling or self.missing_kpis or self.handoffs_added
                    or self.handoffs_removed or self.duration_changes)


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _normalise(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return sorted(_stem(w) for w in words if w not in _STOPWORDS)


def similarity(a: str, b: str) -> float:
    """0..1: the better of token overlap and character similarity of the normalised texts."""
    left, right = _normalise(a), _normalise(b)
    if not left or not right:
        return 0.0
    overlap = len(set(left) & set(right)) / len(set(left) | set(right))
    ratio = difflib.SequenceMatcher(None, " ".join(left), " ".join(right)).ratio()
    return max(overlap, ratio)


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return sum(x * y for x, y in zip(a, b, strict=True)) / norm if norm else 0.0


def _meaning(current: list[Step], desired: list[Step], embedder: Embeds | None) -> dict[tuple[int, int], float]:
    """Each pair's similarity by meaning, scaled so that the meaning threshold meets the name threshold."""
    if embedder is None or not current or not desired:
        return {}
    vectors = embedder.embed([s.name for s in current] + [s.name for s in desired])
    left, right = vectors[:len(current)], vectors[len(current):]
    scale = MATCH_THRESHOLD / MEANING_THRESHOLD
    return {(i, j): min(1.0, _cosine(a, b) * scale) for i, a in enumerate(left) for j, b in enumerate(right)}


def _match(current: list[Step], desired: list[Step], embedder: Embeds | None = None) -> list[tuple[Step, Step]]:
    """Pairs of the most similar steps, best first, each step used once."""
    meaning = _meaning(current, desired, embedder)
    scored = sorted(((max(similarity(c.name, d.name), meaning.get((i, j), 0.0)), i, j)
                     for i, c in enumerate(current) for j, d in enumerate(desired)),
                    key=lambda t: (-t[0], t[1], t[2]))
    used_c: set[int] = set()
    used_d: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for score, i, j in scored:
        if score >= MATCH_THRESHOLD and i not in used_c and j not in used_d:
            used_c.add(i)
            used_d.add(j)
            pairs.append((i, j))
    return [(current[i], desired[j]) for i, j in sorted(pairs, key=lambda p: p[1])]


def _kept_in_order(positions: list[int]) -> set[int]:
    """Indexes of a longest increasing run of ``positions``: the steps that did not move."""
    best: list[list[int]] = []
    for index, value in enumerate(positions):
        best.append([*_longest([c for c in best if positions[c[-1]] < value]), index])
    return set(_longest(best))


def _longest(chains: list[list[int]]) -> list[int]:
    longest: list[int] = []
    for chain in chains:
        if len(chain) > len(longest):
            longest = chain
    return longest


def _missing(wanted: list[str], present: list[str]) -> list[str]:
    return [w for w in wanted if all(similarity(w, p) < MATCH_THRESHOLD for p in present)]


def _handoffs(document: ProcessDocument) -> set[str]:
    roles = {s.number: s.responsible.strip() for s in document.steps}
    return {f"{roles[d]} → {roles[n]}" for n, deps in predecessors(document).items() for d in deps
            if roles[d].lower() != roles[n].lower()}


def _label(step: Step) -> str:
    return f"Step {step.number}: {step.name}"


def _minutes(document: ProcessDocument) -> float:
    return sum(parse_duration(s.duration) or 0.0 for s in document.steps)


def compare(current: ProcessDocument, desired: ProcessDocument, embedder: Embeds | None = None) -> GapReport:
    """The gaps of ``current`` against ``desired``; with ``embedder`` steps also match by meaning."""
    pairs = _match(current.steps, desired.steps, embedder)
    matched_current = {id(c) for c, _ in pairs}
    matched_desired = {id(d) for _, d in pairs}
    positions = [current.steps.index(c) for c, _ in pairs]
    kept = _kept_in_order(positions)
    report = GapReport(current_title=current.title, desired_title=desired.title,
                       current_minutes=_minutes(current), desired_minutes=_minutes(desired))
    report.matched = [(c.name, d.name) for c, d in pairs]
    report.missing_steps = [_label(d) for d in desired.steps if id(d) not in matched_desired]
    report.extra_steps = [_label(c) for c in current.steps if id(c) not in matched_current]
    report.reordered = [StepMove(step=d.name, current_position=c.number, desired_position=d.number)
                        for index, (c, d) in enumerate(pairs) if index not in kept]
    for c, d in pairs:
        if missing := _missing(d.validation, c.validation):
            report.missing_validations.append(ValidationGap(step=d.name, missing=missing))
        before, after = parse_duration(c.duration), parse_duration(d.duration)
        if before is not None and after is not None and before != after:
            report.duration_changes.append(DurationChange(step=d.name, current=c.duration, desired=d.duration,
                                                          minutes_delta=after - before))
    report.missing_error_handling = _missing(desired.error_handling, current.error_handling)
    report.missing_kpis = _missing(desired.monitoring, current.monitoring)
    now, wanted = _handoffs(current), _handoffs(desired)
    report.handoffs_added = sorted(wanted - now)
    report.handoffs_removed = sorted(now - wanted)
    report.optimisations = suggest(desired)
    return report


def _section(title: str, items: list[str]) -> list[str]:
    return [f"{title}:", *(f"  - {item}" for item in items)] if items else []


def render(report: GapReport) -> str:
    """The report as plain text, one section per kind of gap; sections without gaps are left out."""
    lines = [f"Gap analysis: {report.current_title} (current) → {report.desired_title} (desired)"]
    if not report.has_gaps:
        lines.append("No gaps: the current process already matches the desired one.")
    lines += _section("Missing steps", report.missing_steps)
    lines += _section("Extra steps", report.extra_steps)
    lines += _section("Changed order", [f"{m.step}: position {m.current_position} → {m.desired_position}"
                                        for m in report.reordered])
    lines += _section("Missing validations", [f"{g.step}: {'; '.join(g.missing)}" for g in report.missing_validations])
    lines += _section("Missing error handling", report.missing_error_handling)
    lines += _section("Missing KPIs", report.missing_kpis)
    lines += _section("Hand-offs added", report.handoffs_added)
    lines += _section("Hand-offs removed", report.handoffs_removed)
    lines += _section("Duration changes", [
        f"{c.step}: {c.current} → {c.desired} ({'+' if c.minutes_delta > 0 else '-'}"
        f"{format_minutes(abs(c.minutes_delta))})" for c in report.duration_changes])
    lines.append(f"Total duration: {format_minutes(report.current_minutes)} → {format_minutes(report.desired_minutes)}")
    lines += _section("Optimisations of the desired process", [describe(o) for o in report.optimisations])
    return "\n".join(lines) + "\n"
