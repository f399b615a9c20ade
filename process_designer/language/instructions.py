"""A clause said as an instruction: what is done to what, where and when, without who does it.

"Access requests for the finance systems are raised in ServiceNow by the employee" →
"Raise access requests for the finance systems in ServiceNow". The performer goes to the step's
Responsible, so the subject and the passive agent are left out; so are the clause's conditions
and the clauses joined to it, which are steps or decisions of their own. Nothing is parsed again:
the words come from the parse the frame was read from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from process_designer.language.frames import Frame

__all__ = ["instruction"]

# What the verb acts on: its direct object, or the subject of a passive clause.
_THING = frozenset({"dobj", "nsubjpass", "obj"})
# Dependents that say where, to whom, with what, how long or how often: they stay in the instruction.
_DETAIL = frozenset({"prep", "dative", "npadvmod", "prt", "oprd"})


def _words(token: Token) -> str:
    """The token's phrase as written, a sentence-initial common word lowercased."""
    tokens = list(token.subtree)
    text = "".join(t.text_with_ws for t in tokens).strip(" ,;.:-")
    first = tokens[0]
    if first.pos_ != "PROPN" and not first.text.isupper():
        text = text[:1].lower() + text[1:]
    return " ".join(text.split())


def _details(head: Token) -> list[Token]:
    """The dependents that stay: phrases of place, recipient, means and time; an adverb only when it
    leads a phrase ("back to sales"), not a lone "then" or "again" the order of steps already says."""
    return [c for c in head.children
            if c.dep_ in _DETAIL or (c.dep_ == "advmod" and any(True for _ in c.children))]


def instruction(frame: Frame) -> str:
    """The frame's clause as an imperative sentence, or ``""`` when it names neither an object nor a detail."""
    head = frame.head
    things = [c for c in head.children if c.dep_ in _THING and c.pos_ != "PRON"]
    details = [d for d in _details(head) if not (d.dep_ == "prt" and d.lower_ in frame.verb.split())]
    said = [_words(d) for d in sorted(details, key=lambda t: t.i)]
    verb = frame.verb
    if said and " " in verb and said[0].split()[0] == verb.split()[-1]:
        verb = verb.rsplit(" ", 1)[0]  # "sign off" + "off the estimate": the particle was read as a preposition
    # the object the reading found may stand in a detail already ("goes through the check")
    lent = frame.obj and not any(frame.obj.split()[-1] in phrase.split() for phrase in said)
    thing = _words(things[0]) if things else (f"the {frame.obj}" if lent else "")
    if not thing and not said:
        return ""
    parts = [verb, thing, *said]
    sentence = " ".join(p for p in parts if p)
    return sentence[:1].upper() + sentence[1:] + "."
