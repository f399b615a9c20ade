"""The fragment rule: step names that are not an action on an object in the imperative.

A name is a well-formed action ("Examine claim", "Hand over to carrier") when every rule holds;
the first rule that fails is the reason it is a fragment:

1. ``verb`` — its first word is a verb's base form: lemminflect's dictionary lists the word as its
   own verb lemma (``examine``; not ``examines``, ``approved``, ``bit``, ``immediately``, ``day``),
   or, for a word the dictionary does not know (``sync``, ``prep``), lemminflect's rules of word
   forms make it its own verb lemma; it is not an all-capital acronym (``GO``, ``CFO``); and spaCy
   tags it ``VB`` when the name is read as an instruction ("You must examine claim."). A
   hyphenated first word counts by its last part after a word-forming prefix (``re-triage`` →
   ``triage``).
2. ``object`` — a noun, pronoun or number follows the verb, or a word the parse makes the verb's
   (prepositional) object ("Escalate to secondary"), or a clause of choice ("Decide whether to renew"),
   or a last word that is a noun too, which the parse took for a second verb ("Troubleshoot defect");
   ``Approve`` alone and ``Ensure that`` are fragments.
3. ``adverb`` — no adverb stands between the verb and its object ("Receive sometimes driver"); the particle
   of a phrasal verb the parse takes for an adverb ("Roll back agent") and a hyphenated modifier
   ("Pull out-of-tolerance gauge") are no such adverb.
4. ``dangling`` — no article is left without its noun ("Confirm the by senior claims officer"),
   and the name ends neither in an article, preposition or conjunction nor in a second verb that
   is not coordinated with the first ("Record fail validation go").
5. ``actor`` — the step's own performer is not the name, does not open it, and is not named in a
   ``by`` phrase ("Claim officer" performed by the Claims Officer, "Examine claim by senior claims
   officer"); a performer that is the verb's object ("Page on-call engineer") is a wrong
   performer, which performer accuracy measures, not a wrong name.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from process_designer.language import wordforms
from process_designer.language.lexicon import lexicon
from process_designer.language.pipeline import english, is_verb_base
from process_designer.wording.roles import normalise_role

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["FragmentCheck", "NameParts", "check_names", "fragment_reason", "name_parts"]

# Word-forming prefixes that leave a verb a verb ("re-triage", "double-check").
_PREFIXES = frozenset({"re", "pre", "co", "de", "un", "mis", "over", "under", "double", "cross"})
_NOUNISH = frozenset({"NN", "NNS", "NNP", "NNPS", "PRP", "CD", "FW"})
_OBJECT_DEPS = frozenset({"dobj", "pobj", "conj", "attr", "oprd", "dative", "appos"})
_ENDERS = frozenset({"DT", "IN", "CC", "TO", "WDT", "PDT"})
_NOT_OBJECTS = frozenset({"DT", "IN", "CC", "TO", "WDT", "PDT", "RB", "RP", "MD", "UH", "."})
_FRAME = "You must "


@dataclass(frozen=True)
class FragmentCheck:
    """A step name and why it is a fragment (``reason`` is ``None`` for a well-formed action)."""

    name: str
    reason: str | None

    @property
    def fragment(self) -> bool:
        return self.reason is not None


@dataclass(frozen=True)
class NameParts:
    """What a step name does to what: the lemma of its first word and the lemmas of its nouns after it."""

    verb: str
    nouns: tuple[str, ...]


def _verb_part(word: str) -> str:
    """The part of the first word that must be a verb: ``re-triage`` → ``triage``."""
    if "-" not in word:
        return word
    head, _, rest = word.partition("-")
    return rest.split("-")[-1] if head.lower() in _PREFIXES and rest else word


def _lexical_verb(word: str) -> bool:
    # An acronym is a role or a system; an unknown hyphenated word is a modifier ("follow-up call").
    if (len(word) > 1 and word.isupper()) or "-" in word:
        return False
    return is_verb_base(word)


def fragment_reason(name: str, performer: str = "") -> str | None:
    """Why ``name`` is not an imperative action on an object (a rule of the module doc), or ``None``."""
    return check_names([name], [performer])[0].reason


def check_names(names: Sequence[str], performers: Sequence[str] = ()) -> list[FragmentCheck]:
    """:func:`fragment_reason` for many names at once (one batch through the parser)."""
    roles = list(performers) + [""] * (len(names) - len(performers))
    docs = _framed(tuple(names))
    return [
        FragmentCheck(name, _reason(name, doc, role))
        for name, doc, role in zip(names, docs, roles, strict=True)
    ]


def name_parts(names: Sequence[str]) -> list[NameParts]:
    """The verb and nouns of each step name, read with the same parse as the fragment rule."""
    parts: list[NameParts] = []
    for doc in _framed(tuple(names)):
        tokens = [t for t in doc if len(_FRAME) <= t.idx and t.is_alpha]
        if not tokens:
            parts.append(NameParts("", ()))
            continue
        nouns = tuple(t.lemma_.lower() for t in tokens[1:] if t.pos_ in ("NOUN", "PROPN"))
        parts.append(NameParts(tokens[0].lemma_.lower(), nouns))
    return parts


@lru_cache(maxsize=64)
def _framed(names: tuple[str, ...]) -> tuple[Doc, ...]:
    """Each name parsed as an instruction ("You must examine claim."), the verb part of its first word alone."""
    framed: list[str] = []
    for name in names:
        words = name.split()
        if words:
            # The instruction frame reads the verb part alone: "re-triage" is parsed as "triage".
            words[0] = _verb_part(words[0].strip(".,:;"))
            if not (len(words[0]) > 1 and words[0].isupper()):
                words[0] = words[0][:1].lower() + words[0][1:]
        framed.append(_FRAME + " ".join(words) + ".")
    return tuple(english().pipe(framed))


def _object_taken_for_verb(token: Token, after: Sequence[Token]) -> bool:
    """The name's last word, tagged a verb but a noun too, that the parse hangs on the first verb: "Troubleshoot
    defect" read as two verbs."""
    return (len(after) == 1 and token.tag_ == "VB" and token.dep_ == "xcomp"
            and "NOUN" in wordforms.all_lemmas(token.lower_))


def _choice(token: Token) -> bool:
    """A clause of choice after the verb is its object: "Decide whether to renew"."""
    return token.dep_ in ("xcomp", "ccomp") and any(c.dep_ == "mark" and c.lower_ == "whether" for c in token.children)


def _particle_or_compound(verb: Token, adverb: Token) -> bool:
    """Whether ``adverb`` is no adverb of manner between verb and object: the particle of a phrasal verb the parse
    took for one ("Roll back agent"), or part of a hyphenated modifier ("Pull out-of-tolerance gauge")."""
    if adverb.i == verb.i + 1 and f"{verb.lower_} {adverb.lower_}" in lexicon().phrasal:
        return True
    following = adverb.nbor(1) if adverb.i + 1 < len(adverb.doc) else None
    return not adverb.whitespace_ and following is not None and following.tag_ == "HYPH"


def _reason(name: str, doc: Doc, performer: str) -> str | None:
    words = name.split()
    if not words:
        return "verb"
    first = _verb_part(words[0].strip(".,:;"))
    if not _lexical_verb(first):
        return "verb"
    offset = len(_FRAME)
    tokens = [t for t in doc if offset <= t.idx and t.text != "."]
    verb = tokens[0] if tokens else None
    if verb is None or verb.tag_ != "VB":
        return "verb"
    after = [t for t in tokens if t.i > verb.i]
    objects = [
        t
        for t in after
        if t.tag_ in _NOUNISH or (t.tag_ not in _NOT_OBJECTS and t.dep_ in _OBJECT_DEPS)
    ]
    clauses = {t.i for t in after if _object_taken_for_verb(t, after) or _choice(t)}
    objects += [t for t in after if t.i in clauses]
    if not objects:
        return "object"
    if any(t.tag_.startswith("RB") and t.i < objects[0].i and not _particle_or_compound(verb, t) for t in after):
        return "adverb"
    for token, following in itertools.pairwise(after):
        if token.tag_ == "DT" and following.tag_ in {"IN", "CC", "TO"}:
            return "dangling"
    last = after[-1]
    if last.tag_ in _ENDERS or (last.tag_.startswith("VB") and last.dep_ not in _OBJECT_DEPS and last.i not in clauses):
        return "dangling"
    role = normalise_role(performer)
    named = normalise_role(name)
    if role and (named == role or named.startswith(role + " ") or f" by {role}" in f" {named}"):
        return "actor"
    return None
