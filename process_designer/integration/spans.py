"""Where things are in the parsed text: system mentions, clauses, and whether one span lies in another."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from process_designer.integration.lexicon import known_systems, matches

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["SystemMention", "clauses", "inside", "system_mentions"]


@dataclass(frozen=True)
class SystemMention:
    """A system named in the text: its name as the document shows it, its connector family, where it is."""

    name: str
    connector: str
    span: Span


def system_mentions(doc: Doc) -> list[SystemMention]:
    """Every mention of a known system; a generic one ("the CRM") only when no named system shares its connector."""
    systems = known_systems()
    found = [(systems[int(key)], span) for key, span in matches(doc, "system")]
    named = {system.connector for system, _ in found if not system.generic}
    return [SystemMention(system.name, system.connector, span) for system, span in found
            if not (system.generic and system.connector in named)]


def clauses(doc: Doc) -> Iterator[Span]:
    """Sentences cut further at semicolons and line breaks."""
    for sentence in doc.sents:
        start = sentence.start
        for token in sentence:
            if token.text == ";" or "\n" in token.text:
                if token.i > start:
                    yield doc[start:token.i]
                start = token.i + 1
        if start < sentence.end:
            yield doc[start:sentence.end]


def inside(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end
