"""What changed between two versions of a process: a short, field-level diff a person can read.

Steps are paired by position when the step list kept its length, else by name, so an added or
removed step shows as one change rather than a shift of every later step. Generated SPy code and
quality figures are not compared (they follow from the rest).
"""

from __future__ import annotations

from dataclasses import dataclass

from process_designer.domain.models import Decision, ProcessDocument, Step

__all__ = ["DERIVED", "Change", "document_changes", "render_changes"]

DERIVED = frozenset({"scope", "purpose", "prerequisites", "error handling", "monitoring", "objective", "actions",
                     "validation", "flow", "depends on"})
"""Fields re-derived from others: an edit may change them without being asked to."""

_STEP_FIELDS = ("name", "responsible", "duration", "systems", "decisions", "objective", "actions", "validation",
                "depends_on")


@dataclass(frozen=True)
class Change:
    """One changed field: ``where`` is ``title``, ``owner``, ``steps``, ``step 3 responsible`` …"""

    where: str
    field: str
    before: str
    after: str

    def line(self) -> str:
        if self.field in ("actions", "validation", "prerequisites", "error handling", "monitoring"):
            return f"{self.where}: {self.after}"
        if not self.before:
            return f"{self.where}: {self.after}"
        return f"{self.where}: {self.before} → {self.after}"


def _decision_text(decisions: list[Decision]) -> str:
    return "; ".join(f"{d.subject.replace('_', ' ')} {d.operator} {d.value}{'' if d.unit == '%' else ' '}{d.unit}"
                     .strip() for d in decisions) or "none"


def _shown(step: Step, field: str) -> str:
    value = getattr(step, field)
    if field == "decisions":
        return _decision_text(value)
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "none"
    return str(value)


def _lines(where: str, field: str, before: list[str], after: list[str]) -> list[Change]:
    added = [line for line in after if line not in before]
    removed = [line for line in before if line not in after]
    changes = [Change(where, field, "", f"+ {line}") for line in added]
    changes += [Change(where, field, "", f"- {line}") for line in removed]
    return changes


def _step_changes(old: Step, new: Step) -> list[Change]:
    where = f"step {new.number}"
    found: list[Change] = []
    for field in _STEP_FIELDS:
        before, after = getattr(old, field), getattr(new, field)
        if before == after:
            continue
        label = field.replace("_", " ")
        if field in ("actions", "validation"):
            found += _lines(f"{where} {label}", label, before, after)
        else:
            found.append(Change(f"{where} {label}", label, _shown(old, field), _shown(new, field)))
    return found


def _pairs(old: ProcessDocument, new: ProcessDocument) -> tuple[list[tuple[Step, Step]], list[Change]]:
    if len(old.steps) == len(new.steps) and [s.name for s in old.steps] != [s.name for s in new.steps] and \
            sorted(s.name for s in old.steps) == sorted(s.name for s in new.steps):
        order = Change("steps", "order", " → ".join(s.name for s in old.steps),
                       " → ".join(s.name for s in new.steps))
        by_name = {s.name: s for s in old.steps}
        return [(by_name[s.name], s) for s in new.steps], [order]
    if len(old.steps) == len(new.steps):
        return list(zip(old.steps, new.steps, strict=True)), []
    structure: list[Change] = []
    unused = list(old.steps)
    pairs: list[tuple[Step, Step]] = []
    for step in new.steps:
        match = next((s for s in unused if s.name == step.name), None)
        if match is None:
            structure.append(Change("steps", "steps", "", f"added step {step.number} ({step.name})"))
            continue
        unused.remove(match)
        pairs.append((match, step))
    structure += [Change("steps", "steps", "", f"removed step {s.number} ({s.name})") for s in unused]
    return pairs, structure


def document_changes(old: ProcessDocument, new: ProcessDocument) -> list[Change]:
    """Every changed field of ``new`` against ``old``, structure first."""
    pairs, changes = _pairs(old, new)
    if old.title != new.title:
        changes.append(Change("title", "title", old.title, new.title))
    if old.overview.owner != new.overview.owner:
        changes.append(Change("owner", "owner", old.overview.owner, new.overview.owner))
    for before, after in pairs:
        changes += _step_changes(before, after)
    for label, field in (("scope", "scope"), ("purpose", "purpose")):
        if getattr(old.overview, field) != getattr(new.overview, field):
            changes.append(Change(label, field, getattr(old.overview, field), getattr(new.overview, field)))
    for label, field in (("prerequisites", "prerequisites"), ("error handling", "error_handling"),
                         ("monitoring", "monitoring")):
        changes += _lines(label, label, getattr(old, field), getattr(new, field))
    if old.effective_flow().edges != new.effective_flow().edges:
        changes.append(Change("flow", "flow", "", "the process graph changed"))
    return changes


def render_changes(changes: list[Change], limit: int = 12) -> str:
    """The changes as a short bulleted list; the prose re-derived from them is summed up in one line."""
    main = [c for c in changes if c.field not in DERIVED]
    derived = sorted({c.field for c in changes if c.field in DERIVED} - {"flow", "depends on"})
    main += [c for c in changes if c.field == "flow"]
    lines = [f"- {c.line()}" for c in main[:limit]]
    if len(main) > limit:
        lines.append(f"- … and {len(main) - limit} more")
    if derived:
        lines.append(f"- re-derived: {', '.join(derived)}")
    return "\n".join(lines) if lines else "- no change"
