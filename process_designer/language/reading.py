"""What one clause reads as, and what the reading remembers from clause to clause.

A :class:`Frame` is one predicate of a sentence: its performer, action, object, recipient, condition
and the words that place it in the control flow. A :class:`Reader` carries what the text was last
about (actor, object, things named in the plural), the narrator, the roles and people named so far.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Token

from process_designer.language.conditions import Condition
from process_designer.language.lexicon import lexicon
from process_designer.language.phrases import object_phrase

FrameKind = Literal["step", "trigger", "context", "rework"]


@dataclass
class Frame:
    verb: str
    head: Token
    text: str
    kind: FrameKind = "step"
    passive: bool = False
    negated: bool = False
    performer: str | None = None
    performer_how: str = ""  # subject | agent | responsible | pronoun | narrator
    co_performers: list[str] = field(default_factory=list)
    obj: str = ""
    obj_head: str = ""
    recipient: str | None = None
    condition: Condition | None = None
    until: Condition | None = None
    otherwise: bool = False
    alternative: bool = False  # "… rejects it or confirms it": this frame is the other outcome
    parallel: bool = False
    back_to: str | None = None  # a role work is sent back to
    sentence: int = 0
    listed: bool = False  # came from a bullet or numbered line
    antecedent: str = ""  # what the text was last about when this clause began
    label: str = ""  # a name other than verb + object ("Approve as CFO"), set once every frame is read

    @property
    def name(self) -> str:
        name = self.label or f"{self.verb} {self.obj}".strip()
        return name[:1].upper() + name[1:]


@dataclass
class Reader:
    """What the reading remembers across clauses: the last actor and object, the narrator."""

    narrator: str | None = None
    last_performer: str | None = None
    last_third: str | None = None  # the last actor other than the narrator: what "she" or "they" stands for
    last_object: str = ""
    last_object_head: str = ""
    narrator_sentences: set[int] = field(default_factory=set)
    roles: list[str] = field(default_factory=list)  # roles named so far, latest last
    people: dict[str, str] = field(default_factory=dict)  # a named person → the role the text gives them
    plural_object: tuple[str, str] = ("", "")  # the last things named in the plural: what "them" stands for
    present: bool = False  # the text tells its steps in the present tense: what it tells in the past is background
    provider_voice: bool = False  # the text speaks as "we": a "you" in it is the customer

    def remember(self, token: Token, phrase: tuple[str, str] | None = None) -> None:
        """``token`` (read as ``phrase``) is what the text is now about."""
        self.last_object, self.last_object_head = self.standing_for(phrase or object_phrase(token))
        if token.tag_ in ("NNS", "NNPS"):
            self.plural_object = (self.last_object, self.last_object_head)

    def standing_for(self, phrase: tuple[str, str]) -> tuple[str, str]:
        """What "strong ones" or "the rest" stand for: the things named before (in the plural, if any)."""
        if phrase[1].lower() not in lexicon().substitutes:
            return phrase
        earlier = self.plural_object if self.plural_object[0] else (self.last_object, self.last_object_head)
        return earlier if earlier[0] and earlier[1] not in lexicon().substitutes else phrase

    trigger: str = ""
    trigger_object: str = ""  # what arrives or is raised when the process starts ("refund request")
    context: list[str] = field(default_factory=list)
    topic: str = ""
