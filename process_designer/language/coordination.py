"""The actions an imperative step name joins with "and".

"Set the limit and inform the customer" is two pieces of work, and so is "Validate and route the
request" (both verbs act on the request). "Update the calendar and balance" is one: the second
word is another thing updated. The part of speech of the open-class words comes from lemminflect's
dictionary (the small model tags a step name's first word as a noun as often as not: "Schedule",
"Image"); the parse gives the closed-class words (determiners, prepositions, particles).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from process_designer.language import wordforms
from process_designer.language.pipeline import english, is_verb_base

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["joined_actions"]

# What may open a verb's object: a determiner, a possessive, a noun or its modifiers.
_OBJECT_START = ("DET", "NOUN", "PROPN", "ADJ", "NUM", "PRON")
_NOUN_HEADS = ("NOUN", "PROPN")
# Words that are never the verb of a second action ("Assess exemptions and the public interest").
_CLOSED = ("DET", "ADP", "PRON", "CCONJ", "SCONJ", "PART", "AUX", "PUNCT", "NUM")


@lru_cache(maxsize=512)
def joined_actions(name: str) -> tuple[str, ...]:
    """The actions ``name`` joins with "and", each with its object; ``(name,)`` when it names one.

    - "Set the limit and inform the customer" → ("Set the limit", "Inform the customer");
    - "Validate and route the request" → ("Validate the request", "Route the request");
    - "Resolve the alert and tune it" → ("Resolve the alert", "Tune the alert").

    A name stays whole when a part would have no object ("Notify the customer and close", "Deploy
    to staging and test"), when the word after "and" may be a noun that describes the next one
    ("Post room and tax charges", "Record the approval and release scheduling") and when the name
    offers alternatives ("Scrap or return the material").
    """
    doc = english()(name.strip())
    tokens = list(doc)
    if len(tokens) < 4 or not is_verb_base(tokens[0].text):
        return (name,)
    for index, token in enumerate(tokens[1:-1], start=1):
        after = tokens[index + 1]
        if token.lower_ != "and" or after.pos_ in _CLOSED or not is_verb_base(after.text):
            continue
        left, verb, right = tokens[1:index], tokens[index + 1], tokens[index + 2:]
        if not right or right[0].pos_ not in _OBJECT_START or (right[0].pos_ == "PRON" and len(right) > 1):
            continue  # "… and send it on the right path": the second action needs the first's words
        if left and not _object_of_its_own(left, verb, right):
            continue
        first = f"{tokens[0].text} {_text(left or right)}"
        second_object = _text(left) if len(right) == 1 and right[0].pos_ == "PRON" and left else _text(right)
        return first, _capital(f"{verb.text} {second_object}")
    return (name,)


def _object_of_its_own(left: Sequence[Token], verb: Token, right: Sequence[Token]) -> bool:
    """Whether the first verb has an object and the word after "and" is surely a verb: a word that may
    also be a noun starts a second action only when a determiner or pronoun opens its object."""
    if not any(t.pos_ in _NOUN_HEADS or t.pos_ == "PRON" for t in left):
        return False
    noun_too = bool(wordforms.all_lemmas(verb.lower_).get("NOUN"))
    return not noun_too or right[0].pos_ in ("DET", "PRON")


def _text(tokens: Sequence[Token]) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
