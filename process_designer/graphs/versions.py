"""Version commands of a conversation: list the versions, show a diff, undo the last change, revert to version N."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from process_designer.domain.changes import document_changes, render_changes
from process_designer.domain.models import ProcessDocument
from process_designer.graphs.router import version_command
from process_designer.graphs.state import VersionEntry
from process_designer.language.messages import read_message

__all__ = ["VersionOutcome", "run_version_command"]


@dataclass(frozen=True)
class VersionOutcome:
    """A reply (list, diff, refusal) or a document to record as the next version (undo, revert)."""

    reply: str = ""
    document: ProcessDocument | None = None
    summary: str = ""


def _document(entry: VersionEntry) -> ProcessDocument:
    return ProcessDocument.model_validate(entry["document"])


def _diff(versions: Sequence[VersionEntry], old: int, new: int) -> str:
    count = len(versions)
    for number in (old, new):
        if not 1 <= number <= count:
            return f"There is no version {number}; this conversation has versions 1 to {count}."
    changes = document_changes(_document(versions[old - 1]), _document(versions[new - 1]))
    return f"Changes from version {old} to version {new}:\n{render_changes(changes)}"


def run_version_command(text: str, versions: Sequence[VersionEntry]) -> VersionOutcome:
    """Carry out the version command ``text`` over the conversation's ``versions`` (oldest first)."""
    reading = read_message(text)
    command = version_command(reading)
    count = len(versions)
    if count == 0:
        return VersionOutcome(reply="There are no versions yet; describe a process and I will design it.")
    if command == "list":
        lines = [f"- version {v['number']} ({str(v['at'])[:16].replace('T', ' ')}): {v['summary'] or 'design'}"
                 for v in versions]
        return VersionOutcome(reply=f"This conversation has {count} version{'s' if count != 1 else ''}:\n"
                                    + "\n".join(lines))
    if command == "diff":
        if len(reading.versions) >= 2:
            return VersionOutcome(reply=_diff(versions, reading.versions[0], reading.versions[1]))
        if len(reading.versions) == 1:
            return VersionOutcome(reply=_diff(versions, reading.versions[0], count))
        if count < 2:
            return VersionOutcome(reply="There is only version 1 so far; there is no change to show.")
        return VersionOutcome(reply=_diff(versions, count - 1, count))
    if command == "undo":
        if count < 2:
            return VersionOutcome(reply="There is nothing to undo: version 1 is the first design.")
        last = versions[-1]
        return VersionOutcome(document=_document(versions[-2]),
                              summary=f"Undid version {count} ({(last['summary'] or 'the last change').rstrip('.')}).")
    target = reading.versions[0] if reading.versions else 0
    if not 1 <= target <= count:
        return VersionOutcome(reply=f"There is no version {target or '?'} to revert to; say e.g. 'revert to "
                                    f"version {max(count - 1, 1)}' (this conversation has versions 1 to {count}).")
    if target == count:
        return VersionOutcome(reply=f"Version {count} is already the current version; nothing to revert.")
    return VersionOutcome(document=_document(versions[target - 1]), summary=f"Reverted to version {target}.")
