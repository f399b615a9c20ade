"""The text split into units a sentence parser can read.

Reads the plain text before any parse: arrows ("draft -> review -> send") into steps and states,
labels ("Finance: pays the invoice"), asides in brackets or dashes, acronyms spelled out, options
after a step, list prefixes, and lines that are commands, which are read as imperatives.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from process_designer.language import wordforms
from process_designer.language.layout import plain
from process_designer.language.lexicon import lexicon
from process_designer.language.phrases import _IMPERATIVE_MARK, _dictionary_verb
from process_designer.language.pipeline import english, is_verb_base
from process_designer.language.roles import _NARRATOR, _agent_noun

_LIST_PREFIX = re.compile(r"^\s*(?:[-*•·▪]+|\(?\d{1,2}[.):]|\(?[a-z][.)]|step\s+\d+\s*[:.)-]?)\s+", re.IGNORECASE)


_ARROW = re.compile(r"\s*(?:->|→|=>|-->)\s*")


def _is_state(words: list[str]) -> bool:
    """"approved", "red build", "L1 unsure", "blocker found": a short phrase ending in a state; "forbidden on
    all aircraft": a phrase opening with a participle that is no verb's base form."""
    if words and len(words) <= 6 and _participle(words[0].lower()) and not is_verb_base(words[0].lower()):
        return True
    if not words or len(words) > 3:
        return False
    last = words[-1].lower().strip(",.")
    if last in lexicon().outcomes:  # "ok", "match fails"
        return True
    return _participle(last) or "ADJ" in wordforms.all_lemmas(last)


def _participle(word: str) -> bool:
    return any(word in wordforms.inflections(lemma, "VBN") for lemma in wordforms.lemmas(word, "VERB"))


def _arrows(part: str) -> list[str]:
    """Notes written with arrows: "approved -> ship it" is a condition and its action; "log the request ->
    acknowledge it" is one clause after another."""
    pieces = [p for p in _ARROW.split(part) if p.strip()]
    out: list[str] = []
    pending = ""
    for piece in pieces:
        if pending:
            piece = f"if {pending}, {_sent_back(piece)}"
            pending = ""
        before, stop, last = piece.rpartition(". ")  # the state is the last sentence before the arrow
        if piece is not pieces[-1] and _is_state(last.split()) and not last.lower().startswith("if "):
            if before:
                out.append(before + stop.strip())
            pending = last
            continue
        out.append(piece)
    if pending:
        out.append(pending)
    return out


def _sent_back(action: str) -> str:
    """"incomplete -> back to requester": an outcome's action written as its particle alone sends the work
    back."""
    first = action.split()[0].lower() if action.split() else ""
    return f"send it {action}" if first in lexicon().rework_particles else action


# "A is done, unless B, in which case C": two outcomes of one condition, written as two clauses the parser reads
_IN_WHICH_CASE = re.compile(r"(?P<main>[^.;:!?\s][^.;:!?]*?),\s*unless\s+(?P<cond>[^,.;]+),\s*in which case,?\s+(?P<then>[^.;]+)",
                            re.IGNORECASE)


_LABEL = re.compile(r"^\s*(?P<label>[^:]{1,30}):\s+(?P<rest>\S.*)$")


def _labelled(part: str) -> str:
    """Notes that label a line with a state or a threshold ("approved: buyer converts it", "> 50k: CFO signs
    too") say when the line applies: a condition, written as one."""
    match = _LABEL.match(part)
    if match is None:
        return part
    label = match.group("label").strip()
    words = label.split()
    threshold = bool(re.match(r"^(?:[<>]=?|\d)", label)) or words[0].lower() in lexicon().comparators
    if not (threshold or _is_state(words)) or label.lower().startswith(("if ", "when ")):
        return part
    return f"if {label}, {match.group('rest')}"


def _units(text: str) -> list[tuple[str, bool]]:
    """Lines of the text, with whether each was a list item; list markers removed, asides set apart
    (see :func:`_asides`) and acronyms of things written out where the text defines them."""
    units: list[tuple[str, bool]] = []
    spelled: dict[str, str] = {}
    for line in plain(text).splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        listed = bool(_LIST_PREFIX.match(stripped))
        body, apart = _asides(_LIST_PREFIX.sub("", stripped), spelled)
        body = _IN_WHICH_CASE.sub(r"unless \g<cond>, \g<main>; if \g<cond>, \g<then>", body)
        # a semicolon ends a clause the parser would otherwise run on into the next
        for part in [*body.split(";"), *apart]:
            for clause in _arrows(_labelled(_without_options(part))):
                if clause.strip(" ,."):
                    units.append((clause.strip().lstrip(".,").strip(), listed))
    return [(_spelled_out(unit, spelled), listed) for unit, listed in units]


_ASIDE = re.compile(r"\s*\(([^()]{1,200})\)")


_DASHED = re.compile(r"\s[-–—]\s([^-–—()]{1,200}?)\s[-–—]\s")


_CLAUSE_ASIDE_WORDS = 5


_NARRATOR_OPENERS = ("i", "i'm", "we", "we're")


def _asides(line: str, spelled: dict[str, str]) -> tuple[str, list[str]]:
    """``line`` without its asides in brackets, and the asides that are clauses of their own.

    An aside that spells out the acronym before it ("the LHN (legal hold notice)") is dropped, and the
    acronym of a thing is written out from then on (``spelled``); one that speaks for the narrator ("(I'm
    the events manager)"), opens with a condition, or runs to a clause is read as a sentence of its own;
    any other ("(three board members)", "(gas, electrics)") is a detail, never a step.
    """
    apart: list[str] = []

    def aside(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        words = inner.split()
        before = line[: match.start()].split()
        acronym = before[-1].strip(",.:") if before else ""
        if _spells_out(acronym, words):
            if not _names_role(words[-1]):
                spelled[acronym] = inner
        elif words and words[0].lower() in _NARRATOR_OPENERS:
            apart.append(inner)
        elif words and words[0].lower().strip(",") in lexicon().conditions:
            return f"; {inner};"  # "checks it is complete (if not, bounce it back)": a clause of its own, in place
        elif len(words) > 2 and any(w.lower().removesuffix("s") in lexicon().requirement for w in words[1:]):
            return f"; {inner};"  # "(anything beyond net 60 needs finance approval)": an approval of its own
        elif len(words) >= _CLAUSE_ASIDE_WORDS or any(w.lower() in lexicon().conditions | {"optional"} for w in words):
            return match.group()  # "(optional if the employee declines)": part of its clause
        return ""

    def dashed(match: re.Match[str]) -> str:  # "a small foundation - four staff and a board - and we …"
        inner = match.group(1).strip()
        if inner.split()[0].lower() in _NARRATOR_OPENERS:
            apart.append(inner)
        return " "

    return _DASHED.sub(dashed, _ASIDE.sub(aside, line)), apart


def _spells_out(acronym: str, words: list[str]) -> bool:
    """"LHN" and "legal hold notice", "RoE" and "rules of engagement": the capitals are the initials."""
    capitals = [c for c in acronym if c.isupper()]
    if len(capitals) < 2 or not acronym.isalpha():
        return False
    initials = [w[0].upper() for w in words if w[:1].isalpha()]
    significant = [w[0].upper() for w in words if w[:1].isalpha() and w.lower() not in ("of", "and", "the", "for")]
    return capitals in (initials, significant) or [c.upper() for c in acronym] == initials


def _names_role(word: str) -> bool:
    lex = lexicon()
    lemma = word.lower().rstrip("s")
    return lemma in lex.role_heads or word.lower() in lex.role_heads or _agent_noun(lemma)


def _labels_role(phrase: str) -> bool:
    """Whether a line's label names who does the line ("IT technician", "Employee", "Finance")."""
    lex, low = lexicon(), phrase.lower()
    words = low.split()
    if any(word in ("the", "a", "an", "this", "that", "our", "your") for word in words) or (
            len(words) > 1 and _dictionary_verb(words[0]) and low not in lex.superiors):
        return False  # "Book the carrier: …" is a command before its details, not who does the line
    return _names_role(words[-1]) or low in lex.departments or low in lex.requesters


def _spelled_out(unit: str, spelled: dict[str, str]) -> str:
    for acronym, words in spelled.items():
        unit = re.sub(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", words, unit)
    return unit


def _without_options(part: str) -> str:
    """"decides on disposition: admission, transfer or discharge" → the decision; the options listed after
    a verb of choosing are its outcomes, not steps."""
    before, colon, after = part.partition(":")
    if not colon or not after.strip():
        return part
    choosing = lexicon().choosing
    if not any(lemma in choosing for word in before.split()[-4:]
               for lemma in wordforms.lemmas(word.lower().strip(","), "VERB")):
        return part
    options = [o.split() for o in re.split(r",|\bor\b|\band\b", after) if o.strip()]
    if all(_dictionary_verb(words[0].lower()) for words in options):
        return part  # "decide: reapply or withdraw the offer": actions, each a branch of its own
    return before


_ROLE_LABEL = re.compile(r"^(?P<lead>(?P<role>[A-Za-z][\w&/ -]{0,40}?):\s+)(?P<rest>\S.*)$")


def _imperative(line: str) -> str:
    """A list line that opens with a verb is a command ("Land raw files in S3", "Screen against sanctions
    lists"); the small model reads such an opening word as a noun or an adjective. "Please" before it makes
    the parse read the command, and is no word of the step (see ``_text``)."""
    label = _ROLE_LABEL.match(line)
    if label is not None and _labels_role(label["role"]):  # "IT technician: hand over the laptop"
        command = _imperative(label["rest"])  # after a label the mark reads as the word, not as a name
        return label["lead"] + ("please" + command[len(_IMPERATIVE_MARK):] if command != label["rest"] else command)
    words = line.split()
    if not words or not words[0].isalpha() or (words[0].isupper() and len(words[0]) > 1):
        return line  # an acronym opening the line is a name ("PIR for every failed change")
    first = words[0].lower()
    lex = lexicon()
    if first in lex.departments or first in lex.role_heads or first in lex.requesters or _agent_noun(first) \
            or first in _NARRATOR or not _dictionary_verb(first) or first in ("please", "if", "when", "once"):
        return line
    return f"{_IMPERATIVE_MARK} {first}{line[len(words[0]):]}"


def _own_clause(doc: Doc, unit: str) -> Doc | None:
    """A list line read as a command that is a clause with its own subject ("rent reductions above 10% need
    the committee's approval" after "Negotiate terms;", "change manager checks the RFC"): the parse of the
    line as written, where the command reading took the first word of its subject for the verb."""
    if not doc.text.startswith(_IMPERATIVE_MARK):
        return None
    plain = english()(unit)
    if plain[0].pos_ in ("VERB", "AUX"):
        return None
    subjects = [t for t in plain if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN")
                and t.left_edge.i == 0 and t.head.pos_ == "VERB" and t.head.i > t.i]
    return plain if subjects else None


def _listed(sentence: Span, units: list[tuple[str, bool]], docs: list[Doc]) -> bool:
    for doc, (_, listed) in zip(docs, units, strict=True):
        if sentence.doc is doc:
            return listed
    return False
