"""Clause frames from the dependency parse: who does what to what, under which condition.

Each predicate of a sentence (a root verb, the verbs coordinated with it, a relative clause about
an actor, the verb under "needs to" or "is responsible for") yields one :class:`Frame`. A frame
knows its performer (active subject, passive agent, a pronoun resolved to the actor it stands for,
a narrator resolved to the role they name for themselves), its action (lemma and particle), its
object, a recipient, its condition, and the words that place it in the control flow ("otherwise",
"in parallel", "sent back", "again", "until", "or").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from spacy.tokens import Doc, Span, Token

from process_designer.language import wordforms
from process_designer.language.conditions import Condition, is_figure, qualified, read_condition
from process_designer.language.forms import known_verb, title_case, verb_of_noun
from process_designer.language.layout import plain
from process_designer.language.lexicon import lexicon
from process_designer.language.pipeline import english, is_verb_base, noun_lemma
from process_designer.language.systems import detect_systems

__all__ = ["Frame", "Reader", "read_frames"]

FrameKind = Literal["step", "trigger", "context", "rework"]
_PREDICATE_DEPS = {"ROOT", "conj", "relcl", "xcomp", "advcl", "pcomp", "ccomp"}
_RELATIVE = {"who", "that", "which", "whom"}
_PERSONAL = {"he", "she", "they", "them", "him", "her"}
_NARRATOR = {"i", "we", "me", "us"}
_OBJECT_OF_HEADS = {"copy", "list", "set", "number", "letter", "batch", "proof", "record", "summary", "report",
                    "statement", "notice", "version", "form", "certificate", "status", "details", "quote"}
_TIME_MARKS = {"after", "once", "as soon as", "before"}
_LIST_PREFIX = re.compile(r"^\s*(?:[-*•·▪]+|\(?\d{1,2}[.):]|\(?[a-z][.)]|step\s+\d+\s*[:.)-]?)\s+", re.IGNORECASE)


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


# ----------------------------------------------------------------------------------------- roles

def _phrase_tokens(head: Token) -> list[Token]:
    """The noun phrase of ``head`` without determiners, possessives or clauses: "senior claims officer".

    The words right before the head that are nouns or adjectives belong to it, whatever label the
    parser gave them ("team" in "the team lead approves" is sometimes parsed as a subject of its own).
    """
    tokens = [head]
    index = head.i - 1
    while index >= 0 and index >= head.i - 6:
        token = head.doc[index]
        hyphen = token.text == "-" and not token.whitespace_ and index > 0 and not head.doc[index - 1].whitespace_
        if not hyphen and index + 1 < len(head.doc) and head.doc[index + 1].text == "-" and not token.whitespace_:
            hyphen = True  # "out" of "out-of-tolerance", "tier" of "tier-1"
        if not hyphen and index > 0 and head.doc[index - 1].text == "-" and not head.doc[index - 1].whitespace_:
            hyphen = True  # "1" of "tier-1"
        if "-" in token.text.strip("-") and any(ch.isalnum() for ch in token.text):
            hyphen = True  # "tier-1" kept as one token
        modifier = token.tag_ == "VBG" and token.dep_ in ("amod", "compound") and token.head in tokens  # "investigating manager"
        own = token.dep_ == "pobj" and token.head not in tokens  # "parallel" of "in parallel IT places …"
        if not hyphen and not modifier and (token.pos_ not in ("NOUN", "PROPN", "ADJ") or token.dep_ in ("poss",) or own
                                            or token.tag_ in ("JJS", "JJR")
                                            or token.lower_ in lexicon().quantifiers
                                            or token.tag_ == "POS" or token.is_punct
                                            or token.lower_ in ("otherwise", "else", "then")):
            break
        tokens.insert(0, token)
        index -= 1
    return tokens


def role_name(head: Token) -> str | None:
    """The role a noun phrase names, normalised ("the claims officers" → "Claims Officer"), or None."""
    lex = lexicon()
    low = head.lower_
    after = next((c for c in head.rights if c.dep_ == "amod" and c.i == head.i + 1), None)
    if after is not None and f"{low} {after.lower_}" in lex.departments:
        return lex.departments[f"{low} {after.lower_}"]  # "accounts payable accrues …"
    if head.text.isupper() and low in lex.departments:
        return lex.departments[low]  # "AP" is accounts payable
    if head.text in ("IT", "HR") or (head.text.isupper() and 2 <= len(head.text) <= 6 and head.pos_ in ("PROPN", "NOUN")):
        words = [t.text for t in _phrase_tokens(head) if t.pos_ in ("NOUN", "PROPN") or t.text.isupper()]
        return " ".join(words) if len(words) <= 3 else head.text  # "the licensed AMT" is the AMT
    lemma = head.lemma_.lower() if head.tag_ in ("NNS", "NNPS") and low not in lex.departments else low
    if head.pos_ in ("ADJ", "VERB") and low in lex.departments and head.dep_ in ("nsubj", "amod", "compound", "ROOT",
                                                                                  "pobj"):
        return lex.departments[low]  # "legal reviews the terms", "adjusted by billing"
    if lemma in lex.not_roles or head.pos_ not in ("NOUN", "PROPN"):
        return None
    tokens = _phrase_tokens(head)
    words = _joined([t.text if t.text.isupper() and len(t.text) > 1 else t.lower_ for t in tokens[:-1]], tokens[:-1])
    if lemma.split()[-1] not in lex.role_heads and lemma not in lex.departments and not _agent_noun(lemma.split()[-1]):
        if head.pos_ == "PROPN" and head.ent_type_ in ("", "PERSON") and len(tokens) <= 2 and head.text.istitle():
            return " ".join(t.text for t in tokens)  # a named person acts
        return None
    if not words and lemma in lex.departments:
        return lex.departments[lemma]
    if not words and lemma in lex.modified_heads:
        return None  # "returned units go to the warehouse": a thing
    words.append(lemma if not (head.text.isupper() and len(head.text) > 1) else head.text)
    return _whose(head) + title_case(" ".join([*words, *_of_what(head)]))


def _whose(head: Token) -> str:
    """"the owner's representative", "the ordering provider's office": the role a role works for is part
    of its name."""
    owner = next((c for c in head.children if c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN")), None)
    role = role_name(owner) if owner is not None else None
    return f"{role}'s " if role else ""


def _of_what(head: Token) -> list[str]:
    """"the head of fraud", "director of finance": what the role heads is part of its name."""
    if head.lower_ not in lexicon().heads_of:
        return []
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    return ["of", *(t.text for t in _phrase_tokens(pobj))] if pobj is not None else []


def _agent_noun(noun: str) -> bool:
    """A noun for whoever does a verb: "writer" (write), "editor" (edit), "approver", "planner"."""
    if noun in lexicon().not_roles or len(noun) < 5:
        return False
    if noun.endswith(("man", "person")) and len(noun) > 6:
        return True  # "handyman", "foreman", "salesperson": whoever works at it
    for suffix in ("er", "or", "ar", "ist", "ant"):
        if noun.endswith(suffix):
            stem = noun[: -len(suffix)]
            candidates = (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else "", stem + "y")
            if any(c and known_verb(c) for c in candidates):
                return True
    return False


def _joined(words: list[str], tokens: list[Token]) -> list[str]:
    """Words of a phrase with hyphenated parts kept together: "room-service"."""
    out: list[str] = []
    glue = False
    for word, token in zip(words, tokens, strict=True):
        if out and (glue or word == "-"):
            out[-1] += word
        else:
            out.append(word)
        glue = word == "-" or (not token.whitespace_ and token.i + 1 < len(token.doc) and token.doc[token.i + 1].text == "-")
    return out


def _conjuncts(token: Token) -> list[Token]:
    return [token, *[t for t in token.conjuncts if t.i > token.i]]


def _measure(token: Token) -> bool:
    """"30 days", "$500": a quantity, which belongs to a condition rather than acting."""
    return token.lower_ in lexicon().units and any(c.dep_ == "nummod" or c.like_num for c in token.children)


def _subject(verb: Token) -> Token | None:
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    own = next((c for c in verb.children if c.dep_ == "nsubj" and not _clause_as_subject(c)), None)
    if before is not None and before.dep_ == "conj" and before.pos_ in ("NOUN", "PROPN") \
            and verb.tag_ in ("VBZ", "VBP", "VBD") and role_name(before) \
            and (own is None or (own == before.head and role_name(own) is None)):
        return before  # "needs three quotes and procurement picks the supplier": the role joined to the object
    if own is None and before is not None and before.dep_ == "pobj" and before.head.head == verb \
            and before.head.i < before.i and verb.tag_ in ("VBZ", "VBP", "VBD") and role_name(before):
        return before  # "thirty days out the planner sends the list", with the planner read into "out …"
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "csubj") and not _measure(child) and not _clause_as_subject(child):
            return child
    if before is not None and before.pos_ in ("NOUN", "PROPN") and before.dep_ in ("npadvmod", "dep", "nmod", "attr") \
            and role_name(before):  # "if the amount is over $500 a manager approves", parsed into the condition
        return before
    if verb.i > 0 and (verb.pos_ == "NOUN" or _finite_verb_misattached(verb)):  # "finance reserves the budget"
        before = verb.doc[verb.i - 1]
        return before if before.pos_ in ("NOUN", "PROPN") or before.lower_ in lexicon().departments else None
    for child in verb.lefts:  # "the CFO signs off", with "CFO" parsed as a compound of the verb
        if child.dep_ in ("compound", "npadvmod", "dep", "nmod") and child.pos_ in ("NOUN", "PROPN") \
                and (role_name(child) or _bare_group(child)):
            return child
    if verb.dep_ in ("conj", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)
    if verb.dep_ == "relcl":
        return verb.head
    return None


def _clause_as_subject(token: Token) -> bool:
    """"anything over $10,000 needs three quotes and procurement picks …" parsed with "needs" as the subject
    of "picks": a verb with a subject of its own is a clause, never who acts ("offers above the band need …",
    with "offers" read as a verb, is still the thing)."""
    return token.pos_ == "VERB" and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)


def _bare_passive(token: Token) -> bool:
    """Notes drop the passive's "is": "req raised in Coupa", "every order scored by Signifyd at checkout"."""
    head = token.head
    return (token.dep_ == "acl" and token.tag_ == "VBN" and head.dep_ == "ROOT" and head.pos_ in ("NOUN", "PROPN")
            and token.i == head.i + 1 and not any(t.pos_ in ("VERB", "AUX") and t.tag_ in ("VBZ", "VBP", "VBD")
                                                  for t in token.sent))


def _root_verb_taken_for_noun(token: Token) -> bool:
    """"goodwill payments over £250 need the head of service", "incidents above $5,000 go to the director" with the
    verb tagged a noun: a sentence's root noun with a subject before it and an object or a phrase after it, spelled
    as a verb's base or -s form, is that verb."""
    if token.dep_ != "ROOT" or token.pos_ != "NOUN" or _verb_form(token) is None:
        return False
    return any(c.dep_ == "nsubj" and c.i < token.i for c in token.children) \
        and any(c.dep_ in ("dobj", "obj", "prep") and c.i > token.i for c in token.children)


def _is_passive(verb: Token) -> bool:
    if _bare_passive(verb):
        return True
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    return verb.dep_ == "conj" and verb.tag_ in ("VBN", "VBD") and not any(
        c.dep_ in ("nsubj", "dobj") for c in verb.children) and _is_passive(verb.head)


# ----------------------------------------------------------------------------------------- objects

def object_phrase(head: Token) -> tuple[str, str]:
    """("settlement letter", "letter") for "a settlement letter"; nouns in the singular."""
    tokens = _phrase_tokens(head)
    words = _joined([t.text if _proper(t) else t.lower_ for t in tokens[:-1]], tokens[:-1])
    lemma = head.lemma_.lower() if head.pos_ == "NOUN" and head.lower_.startswith(head.lemma_.lower()[:-1]) \
        else head.lower_ if head.pos_ == "NOUN" else head.text
    if words and words[-1].endswith("-"):
        words[-1] += lemma  # "sign-off" parsed as "sign", "-", "off"
    else:
        words.append(lemma + _hyphened_after(head))  # "sign-in" with "-in" left out of the phrase
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of" and lemma in _OBJECT_OF_HEADS:
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    words.extend(["of", object_phrase(pobj)[0]])
    text = " ".join(w for w in words if w not in ("'s", "’s"))
    return text, lemma


def _hyphened_after(head: Token) -> str:
    """The parts written on to a word with hyphens ("-in" of "sign-in"), which the parse hangs elsewhere."""
    doc, index, tail = head.doc, head.i, ""
    while not doc[index].whitespace_ and index + 2 < len(doc) and doc[index + 1].text == "-" \
            and doc[index + 2].is_alpha and doc[index + 2].sent == head.sent:
        tail += "-" + doc[index + 2].lower_
        index += 2
    return tail


def _proper(token: Token) -> bool:
    """Whether a word keeps its capitals in a name: an acronym, or a proper noun that is not a common word
    capitalised only because it opens the sentence ("Journal articles arrive …")."""
    if token.text.isupper() and len(token.text) > 1:
        return True
    opening = token.i == token.sent.start and token.text.istitle()
    return token.pos_ == "PROPN" and not (opening and "NOUN" in wordforms.all_lemmas(token.lower_)
                                          and not detect_systems(token.text))


def _finite_verb_misattached(token: Token) -> bool:
    """"The recruiter screens CVs" parsed with "screens" as a compound of "CVs": a finite verb right
    after a role still heads a clause."""
    return (token.pos_ == "VERB" and token.tag_ in ("VBZ", "VBP", "VBD") and token.dep_ in ("compound", "amod", "nmod",
                                                                                          "dep", "npadvmod")
            and token.i > 0 and role_name(token.doc[token.i - 1]) is not None)


def _particle_taken_for_preposition(verb: Token) -> Token | None:
    """"signs off the upgrade" parsed with "off" as a preposition: the particle of a phrasal verb, right
    after a verb without an object of its own ("logs the fault in the system" and "log in FOIAXpress" say
    where, so "in", "on" and "at" are never taken)."""
    lemma = verb.lemma_.lower()
    if any(c.dep_ in ("dobj", "obj") for c in verb.children) or verb.i + 1 >= len(verb.doc):
        return None
    after = verb.doc[verb.i + 1]
    taken = after.head == verb and after.dep_ == "prep" and after.lower_ not in ("in", "on", "at") \
        and f"{lemma} {after.lower_}" in lexicon().phrasal and any(g.dep_ == "pobj" for g in after.children)
    return after if taken else None


def _verb_taken_for_noun(token: Token) -> bool:
    """"finance reserves the budget": a role, a word that is a verb's -s form, then an object."""
    if token.pos_ != "NOUN" or token.tag_ != "NNS" or token.i == 0 or token.i + 1 >= len(token.doc):
        return False
    before, after = token.doc[token.i - 1], token.doc[token.i + 1]
    if (before.pos_ == "ADV" or before.lower_ == "first") and token.i > 1:
        before = token.doc[token.i - 2]  # "the assistant first checks the catalogue"
    if after.pos_ not in ("DET", "PRON", "ADJ", "NOUN", "NUM", "ADP") and after.tag_ != "PRP$":
        return False
    if role_name(before) is None and before.lower_ not in lexicon().departments and not (
            after.pos_ == "DET" and after.lower_ in ("every", "each", "the", "a", "an", "all") and before.pos_ == "NOUN"
            and any(c.dep_ == "compound" for c in before.children)):
        return False  # "customer service contacts every affected customer": no noun phrase runs on into "every"
    return _verb_s_form(token)


def _verb_s_form(token: Token) -> bool:
    """Whether ``token`` is the -s form of a known verb ("signs", "reserves")."""
    lemmas = wordforms.lemmas(token.lower_, "VERB")
    return bool(lemmas) and token.lower_ in wordforms.inflections(lemmas[0], "VBZ") and known_verb(lemmas[0])


def _role_before_verb_form(subject: Token) -> Token | None:
    """"doc signs discharge order" parsed with "doctor signs" as the subject of "discharge": the role before a
    verb's -s form is who acts, the -s form no part of its name."""
    if subject.tag_ != "NNS" or subject.i == 0 or not _verb_s_form(subject) or role_name(subject) is not None:
        return None  # "department heads request …": a role's own plural
    if set(wordforms.all_lemmas(subject.head.lower_)) == {"VERB"}:
        return None  # "support tickets arrive": a word that is only a verb is the verb
    if subject.i + 1 < len(subject.doc) and subject.doc[subject.i + 1].pos_ == "DET":
        return None  # "Legal drafts the agreement and both parties sign it": the -s form's own object follows
    before = subject.doc[subject.i - 1]
    return before if before.head == subject and role_name(before) is not None else None


def _noun_taken_for_verb(token: Token) -> bool:
    """"applies the MEL placards" parsed as a clause "the MEL placards": a plural noun right after a verb
    without an object, read as a verb whose subject is the words between."""
    verb = token.head
    if token.tag_ != "VBZ" or token.dep_ != "ccomp" or verb.pos_ != "VERB" or verb.i > token.i \
            or any(c.dep_ in ("dobj", "obj", "nsubj") for c in verb.children if c.i > verb.i and c != token) \
            or any(c.dep_ in ("dobj", "obj", "prep", "ccomp", "xcomp") for c in token.children):
        return False
    between = verb.doc[verb.i + 1: token.i]
    return len(between) > 0 and between[0].pos_ == "DET" and all(
        t.pos_ in ("DET", "ADJ", "NOUN", "PROPN") for t in between) and "NOUN" in wordforms.all_lemmas(token.lower_)


def _following_noun(verb: Token) -> Token | None:
    """The head of the noun phrase right after a verb the parser took for a noun ("cuts release branch")."""
    run: list[Token] = []
    start = verb.i + 1
    if start < verb.sent.end and (verb.doc[start].pos_ == "DET" or verb.doc[start].tag_ == "PRP$"):
        start += 1  # "legal drafts the lease amendment"
    for token in verb.doc[start: verb.sent.end]:
        if token.pos_ not in ("NOUN", "PROPN", "ADJ") or (_verb_form(token) not in (None, token.lower_) and run):
            break
        run.append(token)
    nouns = [t for t in run if t.pos_ in ("NOUN", "PROPN")]
    return nouns[-1] if nouns else None


def _object_misread(verb: Token) -> Token | None:
    """"rejects each abstract" parsed with "each abstract" as an adverb, "drafts the quote in the CRM, …"
    with "the quote" as an apposition of the verb: a noun after the verb with a determiner of its own is
    what the verb acts on, unless it says when ("every month") or how much."""
    lex = lexicon()
    shared = verb.head.children if verb.dep_ == "conj" else ()  # "accepts or rejects each abstract"
    return next((c for c in [*verb.children, *shared] if c.dep_ in ("advmod", "npadvmod", "appos") and c.pos_ == "NOUN"
                 and c.i > verb.i and any(d.dep_ == "det" for d in c.children) and c.lemma_.lower() not in lex.time_nouns
                 and all(t in set(c.subtree) or t.dep_ in ("cc", "conj") for t in verb.doc[verb.i + 1: c.i])
                 and c.lower_ not in lex.units and not _measure(c) and role_name(c) is None), None)


def _object_of_next_conjunct(verb: Token) -> Token | None:
    """"mitigate and restore service", "wraps and labels the parcels": a verb joined by "and" or "or" to the
    verbs after it, with nothing of its own, acts on the object of the first of them that names one."""
    following = sorted((c for c in verb.conjuncts if c.i > verb.i and c.pos_ == "VERB"), key=lambda t: t.i)
    if not following or not all(t.dep_ in ("cc", "punct") or t.text in ("+", "&")
                                for t in verb.doc[verb.i + 1: following[0].i]):
        return None
    for joined in following:
        if any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in joined.children):
            return None  # "the customer pays and the clerk files the receipt": a clause of its own
        found = next((c for c in joined.children if c.dep_ in ("dobj", "obj")), None) or _object_misread(joined)
        if found is not None:
            return found
        if any(c.dep_ not in ("cc", "punct", "conj", "advmod", "prt") for c in joined.children):
            return None  # "checks the form and approves if complete": the later verb's own words
    return None


def _gerund_object(verb: Token) -> Token | None:
    """"the crew swaps tooling" parsed with "tooling" as a second verb: a bare word in -ing right after a
    verb with nothing else to act on is its object, unless the verb takes a second action ("keeps waiting")."""
    after = verb.doc[verb.i + 1] if verb.i + 1 < verb.sent.end else None
    if after is None or after.tag_ != "VBG" or after.head != verb or after.dep_ not in ("xcomp", "dobj", "ccomp") \
            or any(True for _ in after.children) or verb.lemma_.lower() in lexicon().aspectual:
        return None
    return after


def _partner(token: Token) -> bool:
    """Whether a noun after "with" names whom the work is done with (a role, a team, a department); the
    one the work is for is what it acts on ("teaching with the patient")."""
    lex, lemma = lexicon(), token.lemma_.lower()
    return lemma not in lex.requesters and (role_name(token) is not None or lemma in lex.departments
                                            or lemma in lex.role_heads)


def _verb_inside_object(token: Token) -> bool:
    """"renew the lease and issue invoices", "close the order and archive documents": a verb after "and",
    right before a noun, that the parser read into the object of the verb before (as a noun joined to a
    modifier of the object, or as an adjective of a noun joined to the object). The noun before "and" has a
    determiner of its own and the word after none: "configures repo access and tool list" is one list."""
    if token.i == 0 or token.doc[token.i - 1].lower_ != "and" or token.i + 1 >= len(token.doc) \
            or token.pos_ not in ("NOUN", "ADJ") or _verb_form(token) is None:
        return False
    head, after = token.head, token.doc[token.i + 1]
    into_modifier = token.dep_ == "conj" and head.dep_ in ("nmod", "compound") and head.head == after \
        and after.dep_ in ("dobj", "obj")
    into_joined = token.dep_ == "amod" and head == after and after.dep_ == "conj" and after.head.dep_ in ("dobj", "obj")
    verb = after.head if into_modifier else after.head.head if into_joined else None
    first = head if into_modifier else after.head
    opening = first.doc[first.i - 1] if first.i > 0 else first  # "the lease", wherever "the" is hung
    return verb is not None and verb.pos_ == "VERB" and (opening.pos_ == "DET" or opening.tag_ == "PRP$")


def _object_before_verb(target: Token) -> Token | None:
    """The object of a verb when the parser read "the lease and issue invoices" as one noun phrase: the
    modifier before the verb taken for a noun."""
    return next((c for c in target.children if c.dep_ in ("nmod", "compound") and c.i < target.i
                 and any(_verb_inside_object(j) for j in c.conjuncts)), None)


def _misread_arrival(token: Token) -> bool:
    """"Warranty claims arrive …" parsed with "claims" as the verb and "arrive" under it."""
    head = token.head
    return (token.lemma_.lower() in lexicon().arrival and token.dep_ in ("xcomp", "ccomp") and head.i == token.i - 1
            and head.tag_ == "VBZ" and "NOUN" in wordforms.all_lemmas(head.lower_)
            and not any(c.dep_ in ("aux", "nsubj") for c in token.children))


def _arriving(verb: Token) -> tuple[str, str] | None:
    """The thing that arrives or comes in ("support tickets arrive", "invoices come into the mailbox"), as
    (phrase, head) in the singular: something from outside that the process receives; None for a person
    ("the patient arrives") or for the process itself ("the process begins when …")."""
    lex = lexicon()
    if verb.lemma_.lower() not in lex.arrival or verb.dep_ not in ("ROOT", "ccomp", "xcomp", "conj"):
        return None
    if _misread_arrival(verb):
        words = object_phrase(verb.head)[0].split()
        noun = wordforms.all_lemmas(verb.head.lower_)["NOUN"][0]
        return " ".join([*words[:-1], noun]), noun
    if verb.dep_ == "xcomp":
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ not in ("NOUN", "PROPN") or role_name(subject) is not None \
            or subject.lemma_.lower() in lex.process_nouns or subject.lemma_.lower() in lex.time_nouns:
        return None
    return object_phrase(subject)


def _worked_with(verb: Token) -> bool:
    """"investigate with the service partner": the role after "with" helps; nothing is handed to it."""
    return any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children) and not any(
        c.dep_ in ("prep", "dative") and c.lower_ == "to" for c in verb.children)


def _pronoun(token: Token) -> bool:
    return token.pos_ == "PRON" or token.tag_ in ("PRP", "PRP$", "WP", "WDT")


# ----------------------------------------------------------------------------------------- clauses

def _clause_tokens(verb: Token, predicates: set[int]) -> list[Token]:
    """The tokens of ``verb``'s own clause: its subtree without the clauses of other predicates."""
    out: list[Token] = []

    def walk(token: Token) -> None:
        out.append(token)
        for child in token.children:
            if child.i in predicates and child != verb:
                continue
            if child.dep_ == "advcl" and any(m.dep_ == "mark" for m in child.children):
                continue
            walk(child)

    walk(verb)
    return sorted(out, key=lambda t: t.i)


def _text(tokens: Iterable[Token]) -> str:
    words = [t for t in tokens if not (t.i == t.sent.start and t.text == _IMPERATIVE_MARK)]
    text = "".join(t.text_with_ws for t in words).strip(" ,;.:-")
    return re.sub(r"\s+", " ", text)


def _has_marker(tokens: Sequence[Token], phrases: Iterable[str]) -> bool:
    text = " " + " ".join(t.lower_ for t in tokens) + " "
    return any(f" {phrase} " in text for phrase in phrases)


def _mark(clause: Token) -> str:
    """The subordinating word of a clause ("if", "when", "as soon as"); "when" is often parsed as an adverb."""
    marks = [c for c in clause.children if c.dep_ == "mark" or (
        c.dep_ == "advmod" and c.tag_ == "WRB" and c.lower_ in ("when", "whenever", "where") and c.i < clause.i)]
    if not marks:
        return ""
    first = marks[0]
    following = [t.lower_ for t in clause.doc[first.i: first.i + 3]]
    if following[:3] == ["as", "soon", "as"]:
        return "as soon as"
    return first.lower_


class _SentenceReader:
    def __init__(self, reader: Reader, sentence: Span, index: int, listed: bool) -> None:
        self.reader = reader
        self.sentence = sentence
        self.index = index
        self.listed = listed
        self.lex = lexicon()

    # which tokens head a clause of their own
    def predicates(self) -> list[Token]:
        found: list[Token] = []
        for token in self.sentence:
            if token.dep_ == "advcl" and _mark(token) in ("when", "whenever", "once", "as soon as", "if") \
                    and token.lemma_.lower() in self.lex.perceiving:
                continue  # "when housekeeping spots a fault": what sets the work off, not work
            if any(_misread_arrival(c) for c in token.children):
                continue  # "warranty claims arrive": the plural taken for a verb is what arrives
            if _verb_inside_object(token):
                found.append(token)  # "renew the lease and issue invoices", with "issue" read into the object
                continue
            if _verb_taken_for_noun(token) or _finite_verb_misattached(token) or _bare_passive(token) \
                    or _root_verb_taken_for_noun(token) or _misread_arrival(token) \
                    or (token.dep_ == "ccomp" and _arriving(token) is not None):
                found.append(token)
                continue
            if token.pos_ not in ("VERB", "AUX") or token.dep_ not in _PREDICATE_DEPS:
                continue
            if token.pos_ == "AUX" and not self._responsible(token):
                continue
            if token.dep_ == "conj" and token.head.i not in {t.i for t in found} and not (
                    token.tag_ in ("VBZ", "VBD", "VBP") and token.head.pos_ in ("NOUN", "PROPN")
                    and any(f.i < token.i for f in found)):
                continue  # a finite verb joined to a noun is the parser's slip: "buyer converts req … and sends it"
            if token.dep_ == "xcomp" and token.head.lemma_ not in self.lex.not_actions:
                continue
            if token.dep_ == "relcl" and not self._relative_actor(token):
                continue
            if token.dep_ == "ccomp" and (not self._acting_subject(token) or _noun_taken_for_verb(token)):
                continue
            if token.dep_ == "ROOT" and _mark(token) in ("if", "unless", "when", "whenever") and any(
                    c.dep_ == "ccomp" for c in token.children):
                continue  # "if the panel agrees we send an offer", parsed with the condition on top
            if token.dep_ == "pcomp" and not self._responsible_for(token) and not (
                    token.tag_ == "VBG" and token.head.lower_ in ("after", "before")):
                continue
            if token.dep_ == "advcl" and not _mark(token) and token.tag_ == "VBG":
                continue  # "…, comparing the loss with the policy": a detail of the clause above
            if token.dep_ == "advcl" and _purpose(token) and not self._sent_back(token.head):
                continue  # "I call the client back to get the date": what the step is for
            if token.dep_ == "advcl" and _mark(token) not in ("", *_TIME_MARKS, "while") and not (
                    _mark(token) in ("when", "whenever") and self._temporal(token)
                    and token.lemma_.lower() not in self.lex.arrival):
                continue  # "if …", "until …": a condition of the clause above, read with it
            found.append(token)
        return found

    def _acting_subject(self, verb: Token) -> bool:
        """Whether a clause the parser put under another names who acts: its subject, or the agent of its
        passive ("the request is validated by the porting system: the PAC is checked …")."""
        subject = _subject(verb)
        if subject is not None and (subject.lower_ in _NARRATOR or role_name(subject) is not None):
            return True
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        actor = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        return actor is not None and (role_name(actor) is not None or _agent_phrase(actor) is not None)

    def _responsible(self, aux: Token) -> bool:
        return any(c.dep_ == "acomp" and c.lower_ in ("responsible", "accountable", "in") for c in aux.children)

    def _sent_back(self, verb: Token) -> bool:
        """"sent back to the employee to fix": what work is sent back for is the receiver's step, not a purpose."""
        return verb.lemma_.lower() in self.lex.rework_back_verbs

    def _responsible_for(self, token: Token) -> bool:
        prep = token.head
        return prep.lower_ == "for" and prep.head.lower_ in ("responsible", "accountable", "charge")

    def _relative_actor(self, verb: Token) -> bool:
        """"… sends it to a manager, who approves it" is a step; "examined by a claims officer, who
        compares …" describes how the officer examines and stays with that step."""
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.lower_ not in _RELATIVE and (role_name(subject) is not None
                                                                   or subject.lower_ in _NARRATOR):
            return any(c.lower_ in _RELATIVE and c.dep_ in ("dobj", "obj") for c in verb.children)  # "…, which procurement advertises"
        if subject is None or subject.lower_ not in _RELATIVE or (role_name(verb.head) is None
                                                                and _group_name(verb.head) is None):
            return False
        return verb.head.head.dep_ != "agent" and verb.head.dep_ not in ("nsubj", "nsubjpass")

    def frames(self) -> list[Frame]:
        decision = self._decision_options()
        if decision is not None:
            return [decision]
        predicates = self.predicates()
        ids = {p.i for p in predicates}
        frames: list[Frame] = []
        for verb in predicates:
            if verb.pos_ == "AUX":
                continue  # "X is responsible for …": the frame is the verb under "for"
            frame = self._frame(verb, ids)
            if frame is not None and frame.verb in self.lex.requirement:
                frames.extend(self._needed_approvals(frame, verb))
            elif frame is not None:
                frames.extend(self._approvals_from(frame, verb) or [frame])
        for frame in frames:  # "the purchase must go out to formal bid, which procurement advertises"
            if frame.head.lemma_.lower() in self.lex.not_actions and any(
                    other.head.dep_ == "relcl" and other.performer and other.head.head in frame.head.subtree
                    for other in frames if other is not frame):
                frame.kind = "context"  # the work is the relative clause's step; going there is no step
        return self._order(frames)

    def _decision_options(self) -> Frame | None:
        """"The committee's decision may be to approve, to request revisions or to reject": the options are
        the outcomes of one decision, the step of whoever decides, not a step each."""
        root = self.sentence.root
        subject = _subject(root)
        if root.lemma_ != "be" or subject is None or subject.lemma_.lower() not in self.lex.decision_nouns \
                or not any(c.dep_ == "xcomp" and c.pos_ == "VERB" for c in root.children):
            return None
        frame = Frame(verb="decide", head=root, text=_text(self.sentence), sentence=self.index, listed=self.listed,
                      obj="outcome", obj_head="outcome")
        owner = next((c for c in subject.children if c.dep_ == "poss"), None)
        role = self._role(owner) if owner is not None else None
        if role:
            frame.performer, frame.performer_how = role, "subject"
            self.reader.last_performer = self.reader.last_third = role
        return frame

    def _needed_approvals(self, frame: Frame, verb: Token) -> list[Frame]:
        """"Anything over $500 needs the manager's OK", "access needs manager + DBA approval": a step
        for each role named, doing what the needed noun says, under the condition on the subject."""
        needed = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        if needed is None:
            return [frame]
        roles: list[str] = []
        action = "approve"
        for token in [needed, *needed.conjuncts]:
            if (role := role_name(token)) is not None and token.lower_ not in self.lex.approval_nouns:
                roles.append(role)
                continue
            written = object_phrase(token)[0].split()[-1]  # "sign-off", parsed as "sign", "-", "off"
            noun = next((w for w in (written, token.lower_) if w in self.lex.approval_nouns), token.lemma_.lower())
            if noun in self.lex.approval_nouns:
                action = self.lex.approval_nouns[noun]
                for modifier in token.lefts:
                    for part in [modifier, *modifier.conjuncts]:
                        if part.dep_ in ("compound", "poss", "nmod", "amod", "conj") and (role := _approver(part)):
                            roles.append(role)
                roles += _giver(token)  # "approval from the board"
        if not roles:
            return [frame]
        if self.reader.last_object == frame.obj:  # the approval needed is not what the work is about
            self.reader.last_object = frame.antecedent
            self.reader.last_object_head = frame.antecedent.split()[-1] if frame.antecedent else ""
        subject = _subject(verb)
        if subject is not None and is_figure(subject):  # "orders >10k need …": the figure parsed as the subject
            subject = next((t for t in reversed(verb.doc[verb.sent.start: subject.i]) if t.pos_ in ("NOUN", "PROPN")
                            and not is_figure(t)), subject)
        if frame.condition is None and subject is not None:
            frame.condition = _subject_condition(subject) or _figure_before(verb)
        out: list[Frame] = []
        for role in dict.fromkeys(roles):
            step = Frame(verb=action, head=verb, text=frame.text, sentence=frame.sentence, listed=frame.listed,
                         performer=role, performer_how="subject", condition=frame.condition,
                         antecedent=frame.antecedent)
            if subject is not None and not _pronoun(subject) and subject.pos_ in ("NOUN", "PROPN") \
                    and not _bare_adjective(subject):
                step.obj, step.obj_head = object_phrase(subject)
            out.append(step)
        return out

    def _approvals_from(self, frame: Frame, verb: Token) -> list[Frame]:
        """"gets sign-off from the CTO and from legal": each role asked gives the approval, a step of its
        own, on what the work was about; the one who asks has nothing to do but wait."""
        if verb.lemma_.lower() not in self.lex.receive:
            return []
        needed = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        noun = "".join(t.text_with_ws for t in _phrase_tokens(needed)).lower().replace(" ", "") if needed else ""
        action = self.lex.approval_nouns.get(noun) or self.lex.approval_nouns.get(needed.lemma_.lower() if needed else "")
        if needed is None or action is None:
            return []
        preps = sorted((c for t in (verb, needed) for c in t.children if c.dep_ == "prep" and c.lower_ == "from"),
                       key=lambda t: t.i)
        roles = [role for prep in preps for joined in _conjuncts(prep) for pobj in joined.children
                 if pobj.dep_ == "pobj" for part in _conjuncts(pobj) if (role := role_name(part))]
        return [Frame(verb=action, head=verb, text=frame.text, sentence=frame.sentence, listed=frame.listed,
                      performer=role, performer_how="subject", condition=frame.condition, obj=frame.antecedent,
                      obj_head=frame.antecedent.split()[-1] if frame.antecedent else "", antecedent=frame.antecedent,
                      parallel=index > 0)
                for index, role in enumerate(dict.fromkeys(roles))]

    def _order(self, frames: list[Frame]) -> list[Frame]:
        """Clauses "after"/"once" something happens come before it; "before" clauses after."""
        ordered = list(frames)
        for frame in frames:
            governor = frame.head.head
            mark = _mark(frame.head) if frame.head.dep_ == "advcl" else ""
            if frame.head.dep_ == "pcomp":
                mark, governor = frame.head.head.lower_, frame.head.head.head
            if mark not in _TIME_MARKS and mark not in ("when", "whenever"):
                continue
            head = next((f for f in ordered if f.head == governor), None)
            if head is None:
                continue
            ordered.remove(frame)
            at = ordered.index(head)
            ordered.insert(at + 1 if mark == "before" else at, frame)
        return ordered

    def _frame(self, verb: Token, predicates: set[int]) -> Frame | None:
        lex = self.lex
        clause = _clause_tokens(verb, predicates)
        particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), "")
        lemma = verb.lemma_.lower()
        if verb.pos_ == "NOUN":
            lemma = wordforms.lemmas(verb.lower_, "VERB")[0]
        if not particle and any(c.lower_ == "back" and c.dep_ == "advmod" for c in verb.children):
            particle = "back"  # "rolls back to manual triage"
        if not particle and (taken := _particle_taken_for_preposition(verb)) is not None:
            particle = taken.lower_  # "signs off the upgrade"
        keep = particle != "back" or f"{lemma} back" in lex.phrasal  # "roll back" is a verb; "send back" reworks
        frame = Frame(verb=f"{lemma} {particle}".strip() if keep else lemma, head=verb,
                      text=_text(clause), sentence=self.index, listed=self.listed)
        result = next((c for c in verb.children if c.dep_ in ("oprd", "ccomp", "xcomp") and c.tag_ == "VBN"), None)
        if lemma in lex.light_with_object and result is not None:  # "keeps merchants updated" → update merchants
            frame.verb = result.lemma_.lower()
        frame.passive = _is_passive(verb)
        frame.negated = any(c.dep_ == "neg" for c in verb.children)
        antecedent = self.reader.last_object
        frame.antecedent = antecedent
        self._performer(frame, verb)
        self._object(frame, verb)
        self._recipient(frame, verb)
        if not frame.obj and frame.recipient and not frame.back_to and not frame.passive and lemma not in lex.receive \
                and not _worked_with(verb):
            frame.obj, frame.obj_head = f"to {frame.recipient}", frame.recipient.split()[-1].lower()  # hand over to carrier
        self._flow_words(frame, verb, clause, particle, antecedent)
        self._kind(frame, verb, lemma)
        said = _subject(verb) if not frame.passive else None
        if said is not None and _role_before_verb_form(said) is not None:
            # "doc signs discharge order": the -s form is the action, the word taken for the verb its object
            frame.verb = wordforms.lemmas(said.lower_, "VERB")[0]
            frame.obj = f"{verb.lower_} {frame.obj}".strip()
            frame.obj_head = frame.obj.split()[-1]
            frame.kind = "step"
        return frame

    def _performer(self, frame: Frame, verb: Token) -> None:
        lex = self.lex
        actor: Token | None = None
        how = "subject"
        if frame.passive:
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            actor = _stray_agent(verb) if agent is None else None  # its own "by", wherever the parser hung it
            if agent is None and actor is None and verb.dep_ == "conj":
                agent = next((c for c in verb.head.children if c.dep_ == "agent"), None)
            if agent is not None:
                actor = next((c for c in agent.children if c.dep_ == "pobj"), None)
            how = "agent"
        elif verb.dep_ == "pcomp":
            be = verb.head.head.head
            actor = next((c for c in be.children if c.dep_ == "nsubj"), None)
            how = "responsible"
        else:
            actor = _subject(verb)
            actor = (_role_before_verb_form(actor) or actor) if actor is not None else None
        if actor is None:
            return
        if actor.lower_ in _RELATIVE and actor.head.dep_ == "relcl":
            actor = actor.head.head
        low = actor.lower_
        role: str | None
        if low in _NARRATOR or (low in ("team", "department") and any(c.lower_ in ("my", "our") for c in actor.children)):
            role, how = self.reader.narrator, "narrator"
            frame.performer_how = how
        elif low == "you":  # addressed by a provider speaking as "we", the reader is its customer
            role, how = (lex.addressee if self.reader.provider_voice else self.reader.narrator), "narrator"
        elif low in _PERSONAL:
            role, how = _pronoun_antecedent(actor, self.reader), "pronoun"
        elif _pronoun(actor) and actor.text != "IT":
            role = _member_of(actor)  # "audited by someone in finance"
        elif _generalisation(actor):
            return
        else:
            role = self._role(actor) or (_agent_phrase(actor) if how == "agent" or _acts_on_object(verb, actor) else None) \
                or _group_name(actor) or (_short_name(actor, self.reader) or _bare_group(actor)
                                          if _acts_on_object(verb, actor) or how == "agent" else None)
            others = [self._role(t) for t in _conjuncts(actor)[1:]]
            frame.co_performers = [o for o in others if o]
        if role and role.lower() not in lex.not_roles:
            frame.performer, frame.performer_how = role, how
            self.reader.last_performer = role
            if how != "narrator":
                self.reader.last_third = role
                self.reader.roles.append(role)

    def _role(self, token: Token) -> str | None:
        """The role ``token`` names, as this text has named it before (see :func:`_text_role`)."""
        return _text_role(token, self.reader)

    def _object(self, frame: Frame, verb: Token) -> None:
        subject = _subject(verb)
        earlier = self.reader.last_object, self.reader.last_object_head, self.reader.plural_object
        if subject is not None and not frame.passive and not _pronoun(subject) and role_name(subject) is None \
                and subject.pos_ in ("NOUN", "PROPN") and frame.performer is None:
            self.reader.remember(subject)  # "alerts from Prometheus page the SRE": about alerts
        target: Token | None = None
        if frame.passive:
            target = verb.head if _bare_passive(verb) else next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            if target is not None and target.like_num:  # "Orders over $5,000 are approved", parsed around the sum
                target = next((c for c in target.lefts if c.pos_ in ("NOUN", "PROPN")), target)
            given = next((c for c in verb.children if c.dep_ in ("dobj", "obj") and c.pos_ in ("NOUN", "PROPN", "ADJ")), None)
            person = target is not None and (role_name(target) is not None or target.lemma_.lower() in self.lex.requesters)
            if given is not None and person and target is not None:  # "the patient is offered a new date"
                frame.recipient, target = role_name(target) or title_case(target.lemma_.lower()), given
            if target is None and verb.dep_ == "conj":
                target = next((c for c in verb.head.children if c.dep_ == "nsubjpass"), None)
        else:
            objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
            taken = _particle_taken_for_preposition(verb)
            objects += [c for c in (taken.children if taken is not None else ()) if c.dep_ == "pobj"]
            near = [c for c in objects if not any(t.is_punct for t in verb.doc[min(verb.i, c.i): max(verb.i, c.i)])]
            objects = near or objects  # "book the carrier: pallets …, parcels by UPS": the object is the carrier
            # "send the tenant a renewal proposal": the thing sent, not the person it goes to
            target = next((c for c in reversed(objects) if role_name(c) is None), objects[0] if objects else None)
            if target is not None and role_name(target) is not None and len(objects) > 1:
                frame.recipient = role_name(target)
            whether = next((c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and any(
                m.lower_ in ("whether", "if") for m in c.children)), None)
            if target is None and whether is not None:  # "decides whether to renew": what is decided
                frame.obj = f"whether to {whether.lemma_.lower()}"
                frame.obj_head = whether.lemma_.lower()
                return
            inside = _verb_inside_object(verb)
            if target is None and inside:
                target = _following_noun(verb)
            if target is not None and not inside and (first := _object_before_verb(target)) is not None:
                target = first  # "renew the lease and issue invoices": the lease, and "issue invoices" a step
            if target is None and verb.pos_ == "NOUN":
                target = next((c for c in verb.rights if c.pos_ in ("NOUN", "PROPN")), None) or _following_noun(verb)
            if target is None and verb.dep_ == "compound" and verb.head.pos_ in ("NOUN", "PROPN"):
                target = verb.head
            if target is None:
                target = _object_misread(verb) or _object_of_next_conjunct(verb) or _gerund_object(verb)
            taken_noun = next((c for c in verb.children if _noun_taken_for_verb(c)), None)
            if target is None and taken_noun is not None:  # "applies the MEL placards"
                words = object_phrase(taken_noun)[0].split()
                noun = wordforms.all_lemmas(taken_noun.lower_)["NOUN"][0]
                frame.obj, frame.obj_head = " ".join([*words[:-1], noun]), noun
                self.reader.remember(taken_noun, (frame.obj, frame.obj_head))
                return
            if target is None:  # "we check the policy is active": what the clause is about
                clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
                subject = _subject(clause) if clause is not None else None
                own = next((c for c in clause.children if c.dep_ == "nsubj"), None) if clause is not None else None
                if subject is not None and own is not None and subject.head == own and subject.dep_ == "conj":
                    subject = own  # "tunes the rules and the engineer evaluates it": the role joined to this object
                target = subject if subject is not None and subject.pos_ in ("NOUN", "PROPN") \
                    and role_name(subject) is None else None
            if target is None:
                backs = [c for c in verb.children if c.lower_ == "back"]  # "rolls back to manual triage"
                for prep in [*verb.children, *(p for back in backs for p in back.children)]:
                    if prep.dep_ == "prep" and prep.lower_ in ("for", "on", "with", "into", "through", "from", "to", "in"):
                        target = next((c for c in prep.children if c.dep_ == "pobj"), None)
                        if target is not None and prep.lower_ == "in" and (target.pos_ == "PROPN" or detect_systems(
                                target.text)):
                            target = None  # "enters it in SAP": where, not what
                            continue
                        if target is not None and prep.lower_ == "with" and _partner(target):
                            target = None  # "investigate with the relevant department": who helps, not what
                            continue
                        if target is not None and not (prep.lower_ == "to" and role_name(target)):
                            if prep.lower_ in ("from", "to", "on", "in"):
                                text, head = object_phrase(target)
                                frame.obj, frame.obj_head = f"{prep.lower_} {text}", head
                                return
                            break
                        target = None
        if target is not None and target.lemma_.lower() in self.lex.time_nouns and not frame.passive:
            target = None  # "I investigate the same day": when, not what
        if target is None:
            return
        if _pronoun(target) or target.lower_ in _RELATIVE or target.lemma_.lower() == "one":
            if target.dep_ in ("nsubjpass", "dobj") and target.lower_ in _RELATIVE and target.head.dep_ == "relcl":
                target = target.head.head
            elif (told := self._person_told(frame, verb, target)) is not None:
                frame.obj, frame.obj_head = told.lower(), told.split()[-1].lower()  # "tell them" → tell customer
                return
            else:  # what the text was about before this clause: "a delivery company brings it"
                frame.obj, frame.obj_head = _referent(target, *earlier)
                return
        nominal = verb_of_noun(target.lemma_.lower()) if verb.lemma_.lower() in self.lex.support_verbs \
            and not frame.passive else None
        if nominal and target.lemma_.lower() != nominal and target.pos_ == "NOUN" and self._nominal_action(
                frame, verb, target, nominal):
            return
        frame.obj, frame.obj_head = self.reader.standing_for(object_phrase(target))
        last = self.reader.last_object
        if frame.obj == frame.obj_head == self.reader.last_object_head and " " in last and target.head != verb \
                and target.head.dep_ == "conj" and not frame.passive:
            frame.obj = last  # "raise access requests … approves or rejects the request": the one named before
        words = frame.obj.split()
        if verb.i < target.i and verb.lower_ in words[:-1]:  # "legal reviews non-standard terms" read as one noun
            frame.obj = " ".join(words[words.index(verb.lower_) + 1:])
        self.reader.remember(target, (frame.obj, frame.obj_head))

    def _person_told(self, frame: Frame, verb: Token, pronoun: Token) -> str | None:
        """Whom "them" or "her" stands for after a verb of telling or contacting: the last role named other
        than the one who tells ("the agent checks for open claims; if any, tell them" → the customer)."""
        if pronoun.lower_ not in _PERSONAL or verb.lemma_.lower() not in self.lex.addressing or any(
                c.dep_ in ("prep", "dative") and c.lower_ == "to" for c in verb.children):
            return None  # "emails them to the requester": the things sent
        teller = {frame.performer, self.reader.last_performer}
        return next((r for r in reversed(self.reader.roles) if r not in teller), None)

    def _nominal_action(self, frame: Frame, verb: Token, target: Token, nominal: str) -> bool:
        """"the nurse does teaching with the family" → teach family; "run identity verification with Onfido" →
        verify identity (the noun's own modifier, not the system it runs on). A noun with nothing to act on
        stays as written ("run transformations")."""
        modifiers = [t for t in _phrase_tokens(target) if t != target and t.pos_ in ("NOUN", "PROPN")]
        pobj = None
        for prep in [*target.children, *verb.children]:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "with", "for", "on", "to"):
                pobj = next((c for c in prep.children if c.dep_ == "pobj" and not detect_systems(c.text)
                             and c.pos_ != "PROPN" and not c.text[:1].isupper()), None)
                if pobj is not None:
                    break
        if pobj is not None:
            frame.obj, frame.obj_head = object_phrase(pobj)
        elif modifiers:
            frame.obj = " ".join(t.text if t.text.isupper() else t.lower_ for t in modifiers)
            frame.obj_head = modifiers[-1].lower_
        else:
            return False
        frame.verb = nominal
        self.reader.last_object, self.reader.last_object_head = frame.obj, frame.obj_head
        return True

    def _recipient(self, frame: Frame, verb: Token) -> None:
        if verb.lemma_.lower() in self.lex.receive:  # "applicants receive a letter from the GO": the GO sends it
            received = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
            for prep in [*verb.children, *(c for o in received for c in o.children)]:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep.lower_ == "from" else None
                role = role_name(pobj) if pobj is not None else None
                if role:
                    frame.recipient, frame.performer, frame.performer_how = frame.performer, role, "subject"
                    frame.verb = "send"
                    return
        for child in verb.children:
            preps = [child] if child.dep_ == "prep" else [c for c in child.children if c.dep_ == "prep"] \
                if child.lower_ == "back" else []
            for prep in preps:
                if prep.lower_ not in ("to", "with"):
                    continue
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                role = role_name(pobj) if pobj is not None else None
                if role:
                    frame.recipient = role
                    if child.lower_ == "back" or any(c.lower_ == "back" for c in verb.children):
                        frame.back_to = role
            if child.dep_ == "dative":
                role = role_name(child)
                frame.recipient = role or frame.recipient

    def _flow_words(self, frame: Frame, verb: Token, clause: list[Token], particle: str, antecedent: str) -> None:
        lex = self.lex
        lemma = verb.lemma_.lower()
        for child in verb.children:
            if child.dep_ == "advcl":
                mark = _mark(child)
                if mark in ("if", "unless", "where", "in case", "provided") or (
                        mark in ("when", "whenever") and not self._temporal(child)):
                    condition = read_condition(_condition_tokens(child), antecedent)
                    frame.condition = condition.negation() if mark == "unless" else condition
                elif mark == "until":
                    frame.until = read_condition(list(child.subtree), frame.obj)
                elif mark == "while" and child.i < verb.i:
                    frame.parallel = True  # "while the kitchen cooks, the waiter readies a cart": read after it
            if child.dep_ == "prep" and child.lower_ in ("for", "above", "over", "under", "below", "between", "with"):
                numeric = read_condition(list(child.subtree))
                if numeric.rules and not isinstance(numeric.rules[0].value, bool):
                    frame.condition = frame.condition or numeric
        if frame.condition is None:
            frame.condition = _on_consent(verb)
        if frame.condition is None and verb.dep_ == "ccomp" and _mark(verb.head) in ("if", "unless", "when", "whenever"):
            condition_tokens = [t for t in verb.head.subtree if t not in set(verb.subtree) and not t.is_punct]
            frame.condition = read_condition(condition_tokens, antecedent)
        if frame.condition is None:
            frame.condition = _numeric_lead(verb)
        own = [t for t in clause if t.i <= verb.i] or clause
        if _has_marker(own, lex.otherwise) or any(t.lower_ in ("otherwise", "else") for t in clause):
            frame.otherwise, frame.condition = True, None
        if _has_marker(clause, [p for p in lex.parallel if p != "while"]):
            frame.parallel = True
        if verb.dep_ == "advcl" and _mark(verb) == "while" and verb.i > verb.head.i:
            frame.parallel = True  # "A prepares the notice while B arranges collection": B beside A
        if verb.dep_ == "conj" and any(t.lower_ in ("or", "either") and t.i < verb.i and t.head == verb.head
                                       for t in verb.head.children if t.dep_ in ("cc", "preconj")):
            frame.alternative = True
        sent_back = lemma in lex.rework_back_verbs and (particle in lex.rework_particles or any(
            c.lower_ == "back" and c.dep_ in ("advmod", "prt") for c in verb.children))
        rework = lemma in lex.rework or lemma.replace("-", "") in lex.rework or sent_back or any(c.lower_ in lex.rework_adverbs for c in verb.children)
        if lemma == "return" and frame.passive and frame.recipient:
            rework = True
        if rework:
            frame.kind = "rework"
            self._reworked_when(frame, verb, lemma)

    def _reworked_when(self, frame: Frame, verb: Token, lemma: str) -> None:
        """"incomplete requests are returned to the originator": work sent back to a role goes back to that
        role's step, and only the requests the subject's words single out go back — a decision."""
        if frame.back_to is None and frame.recipient and lemma in self.lex.rework_back_verbs:
            frame.back_to = frame.recipient
        subject = _subject(verb)
        if frame.condition is None and subject is not None and not _pronoun(subject):
            frame.condition = qualified(subject)

    def _routed(self, frame: Frame, subject: Token | None) -> None:
        """"anything beyond 30% goes to the CFO": above a threshold, the role approves; "technical issues
        go to tier 2": the work is escalated to the role."""
        what = object_phrase(subject) if subject is not None and subject.pos_ in ("NOUN", "PROPN") else ("", "")
        role = frame.recipient or ""
        threshold = frame.condition is not None and any(
            not isinstance(r.value, bool) and r.unit not in self.lex.time_units for r in frame.condition.rules)
        tiers = any(t.lemma_.lower() in self.lex.approval and t.pos_ == "VERB" and _subject(t) is not None
                    for t in frame.head.sent if t.i < frame.head.i)
        if threshold or tiers:  # "under $100 agents approve, above goes to the team lead"
            approves = tiers or _approving_role(role)  # "over 3 floors also goes to the structural engineer": a review
            frame.verb, frame.performer, frame.performer_how = "approve" if approves else "review", role, "subject"
            frame.obj, frame.obj_head = what
            return
        frame.verb = "escalate"
        if any(c.dep_ == "relcl" for prep in frame.head.children if prep.lower_ == "to" for c in prep.subtree):
            frame.kind = "context"  # "… go to the panel, which scores them": the panel's step says the rest
        frame.obj, frame.obj_head = (f"{what[0]} to {role}".strip(), what[1] or role.split()[-1].lower())

    def _converted(self, frame: Frame, verb: Token) -> bool:
        """"signed quotes are turned into a sales order", "it becomes a Jira bug": the result is created."""
        result = next((c for c in verb.children if c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN")), None)
        for prep in verb.children:
            if result is None and prep.dep_ == "prep" and prep.lower_ == "into":
                result = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if result is None:
            return False
        frame.verb = "create"
        frame.obj, frame.obj_head = object_phrase(result)
        frame.kind = "step"
        return True

    def _breaks_condition(self, verb: Token) -> bool:
        """"if X, A does p; otherwise B does q" — a conjunct after "otherwise" leaves the condition."""
        between = verb.doc[verb.head.i + 1: verb.i]
        return any(t.lower_ in ("otherwise", "else") for t in between)

    def _temporal(self, clause: Token) -> bool:
        """"When a claim arrives", "when the customer submits it": a moment, not a decision. "When the
        claim is marked Not OK", "when the amount exceeds $500": a condition."""
        if clause.lemma_.lower() in self.lex.arrival:
            return True
        subject = _subject(clause)
        return subject is not None and role_name(subject) is not None and not _is_passive(clause)

    def _kind(self, frame: Frame, verb: Token, lemma: str) -> None:
        lex = self.lex
        if frame.kind == "rework":
            return
        subject = _subject(verb)
        if lemma in lex.arrival and verb.dep_ == "ROOT" and subject is not None and subject.pos_ in ("NOUN", "PROPN") \
                and role_name(subject) is None and subject.lemma_.lower() in lex.process_nouns:
            frame.kind = "context"  # "the process begins when …": the process itself is nothing received
            return
        arriving = _arriving(verb) if verb.dep_ != "advcl" else None
        if arriving is not None:  # "support tickets arrive in Zendesk": the process receives them
            frame.verb = "receive"
            frame.obj, frame.obj_head = arriving
            self.reader.last_object, self.reader.last_object_head = arriving
            self.reader.plural_object = arriving
            return
        if lemma in lex.routing and (subject is None or role_name(subject) is None) and _routed_to(verb, frame):
            self._routed(frame, subject)
            return
        if lemma in lex.conversion and self._converted(frame, verb):
            return
        # "look" describes, "look up the order" acts; a clause with no object, actor or command is context
        if (frame.verb in lex.not_actions and not (lemma in lex.light_with_object and frame.obj)) or (
                not frame.obj and not frame.performer and not self.listed and verb.tag_ != "VB"
                and frame.performer_how != "narrator"):
            frame.kind = "context"
        if lemma in lex.light_with_object and not any(c.dep_ in ("dobj", "nsubjpass") for c in verb.children) \
                and frame.verb == lemma and not (frame.passive and frame.obj) and not _verb_inside_object(verb):
            frame.kind = "context"  # "discharge takes way too long on the ward"
        if subject is not None and _generalisation(subject):
            frame.kind = "context"  # "most owners avoid changes": a habit, not a step
        if self.reader.present and verb.dep_ in ("ROOT", "conj", "ccomp") and _background(verb):
            frame.kind = "context"  # "I'm drowning in requests", "so I wrote down the rules", "what we've agreed"
        if frame.negated and frame.kind == "step":
            frame.kind = "context"  # "the clerk does not check …" states a rule, not a step
        if any(c.dep_ == "aux" and c.lower_ in lex.optional_modals for c in verb.children):
            frame.kind = "context"  # "rejected applicants may re-apply": an option, not a step
        if frame.performer_how == "narrator" and lemma in lex.narrator_intro and self.index in self.reader.narrator_sentences:
            frame.kind = "context"  # "I run the service desk": who is speaking
        if not verb.text.replace("-", "").isalpha() or len(verb.text) < 2:
            frame.kind = "context"
        if verb.i == verb.sent.start and verb.text[:1].isupper() and not known_verb(lemma) and verb.pos_ == "VERB":
            frame.kind = "context"  # "Cardholder disputes …": a capitalised first word the tagger took for a verb


def _bare_adjective(token: Token) -> bool:
    """"high also needs sign-off" (a class of change named by its adjective): no thing a step acts on."""
    return not any(c.dep_ in ("compound", "amod", "det") for c in token.children) \
        and "ADJ" in wordforms.all_lemmas(token.lower_)


def _approver(token: Token) -> str | None:
    """The role a modifier of an approval noun names: "manager + DBA approval"; whoever owns the approval is a role
    whether or not the lexicon knows the noun ("a trustee's approval")."""
    role = role_name(token)
    if role is None and token.dep_ == "poss" and token.pos_ == "NOUN" and not _pronoun(token):
        role = title_case(" ".join([*(t.lower_ for t in _phrase_tokens(token)[:-1]), token.lemma_.lower()]))
    return role


def _giver(noun: Token) -> list[str]:
    """The roles an approval noun is asked of: "approval from the board", "sign-off by the CFO"."""
    preps = [c for c in noun.children if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by")]
    pobjs = [p for prep in preps for c in prep.children if c.dep_ == "pobj" for p in [c, *c.conjuncts]]
    return [role for p in pobjs if (role := role_name(p)) is not None]


def _referent(pronoun: Token, last: str, last_head: str, plural: tuple[str, str]) -> tuple[str, str]:
    """What a pronoun object stands for: "them" the last things named in the plural ("Returned units go to
    the warehouse, which quarantines them"), anything else the last thing named."""
    if pronoun.lower_ in ("them", "they", "those", "these") and plural[0]:
        return plural
    return last, last_head


def _background(verb: Token) -> bool:
    """A clause in the past, the perfect or the progressive without an object ("I wrote down", "we've
    agreed", "I'm drowning"): in a text that tells its steps in the present, it tells how things came to
    be, not a step."""
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _background(verb.head)  # "is collected by the agent and sold at auction": the tense of the first
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ in ("VBD",) for a in auxiliaries) or (_past(verb) and not auxiliaries):
        return True
    if verb.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxiliaries):
        return True
    return verb.tag_ == "VBG" and any(a.lemma_ == "be" and a.dep_ == "aux" for a in auxiliaries) and not any(
        c.dep_ in ("dobj", "obj") for c in verb.children)  # "we're launching an agent" announces the work


def _tells_in_present(sentences: Sequence[Span]) -> bool:
    """Whether most finite verbs of the text are in the present tense."""
    finite = [t for sentence in sentences for t in sentence if t.tag_ in ("VBZ", "VBP", "VBD")]
    past = sum(_past(t) for t in finite)
    return len(finite) - past > 2 * past


def _past(verb: Token) -> bool:
    """A verb in the past tense, and plainly so: "set", "put" or "let" may as well be the present."""
    return verb.tag_ == "VBD" and verb.lower_ != verb.lemma_.lower()


def _stray_agent(verb: Token) -> Token | None:
    """"raised in writing by the employee": the passive's "by" hung on another word of its clause."""
    for token in verb.subtree:
        if token.lower_ != "by" or token.dep_ not in ("prep", "agent"):
            continue
        path = list(token.ancestors)
        if any(a.pos_ in ("VERB", "AUX") and a.dep_ not in ("pobj", "dobj") for a in path[: path.index(verb)]
               if verb in path):
            continue  # the "by" of another clause ("to the examination shed by …": "shed" is no verb there)
        if token.head.dep_ == "pobj" and token.head.head.lower_ in lexicon().moment_prepositions:
            continue  # "issued after approval by the manager": the agent of the approval, not of the issuing
        pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
        if pobj is not None and (role_name(pobj) is not None or _agent_phrase(pobj) is not None):
            return pobj
    return None


def _purpose(verb: Token) -> bool:
    """"(in order) to get the date": an infinitive with no subject of its own, saying what its clause is for."""
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) \
        and _subject_child(verb) is None


def _subject_child(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _text_role(token: Token, reader: Reader) -> str | None:
    """The role ``token`` names in this text: a named person is the role the text gave them ("our handyman,
    Marco"); a role named by its head alone ("the team", "the nurse") is the role the text last named in
    full with that head ("the incident team", "a UM nurse"); anything else as :func:`role_name` reads it."""
    if token.text in reader.people:
        return reader.people[token.text]
    role = role_name(token)
    if role is None or " " in role or any(c.dep_ in ("poss", "amod", "compound") for c in token.children) \
            or any(c.dep_ == "det" and c.lower_ != "the" for c in token.children):
        return role  # "my manager", "a manager": someone of their own
    suffix = " " + role.lower()
    return next((r for r in reversed(reader.roles) if r.lower().endswith(suffix)), role)


def _pronoun_antecedent(pronoun: Token, reader: Reader) -> str | None:
    """The actor "she", "he" or "they" stands for: the last one named before it in the sentence ("let Priya
    in IT know: she creates the accounts"), else the last actor of an earlier sentence who is not the
    narrator ("Customer service contacts every affected customer; they offer a refund")."""
    before = [t for t in pronoun.sent if t.i < pronoun.i]
    return next((role for t in reversed(before) if (role := _third_person(t, reader))), None) or reader.last_third


def _third_person(token: Token, reader: Reader) -> str | None:
    """The role of ``token`` when it names an actor of its clause: a subject, a passive agent, or the one
    told, asked or let do something."""
    if _pronoun(token) and token.text != "IT":
        return None
    acting = token.dep_ in ("nsubj", "nsubjpass") or (token.dep_ == "pobj" and token.head.dep_ == "agent") or (
        token.dep_ == "dobj" and token.head.lemma_.lower() in lexicon().instructing)
    return _text_role(token, reader) if acting else None


def _member_of(pronoun: Token) -> str | None:
    """"someone in finance", "a member of the audit team": whoever it is belongs to the role named."""
    if pronoun.lower_ not in lexicon().not_roles:
        return None
    for prep in pronoun.children:
        group = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep.lower_ in ("in", "from", "of") \
            else None
        if group is not None and (role := role_name(group) or lexicon().departments.get(group.lower_)):
            return role
    return None


def _acts_on_object(verb: Token, subject: Token) -> bool:
    """"a radiographer screens the patient", "WorldTracer searches the network": the subject of a verb that
    does something to an object acts, whether or not the lexicon knows the noun (unless a quantity or a
    generalisation: "most owners avoid change"). So does the noun before a verb the tagger took for a noun
    ("customer service contacts every affected customer")."""
    if _generalisation(subject) or _measure(subject) or any(t.is_punct for t in verb.doc[subject.i + 1: verb.i]):
        return False  # "… our billing db. verify signature": a sentence the parser ran on
    return (subject.dep_ in ("nsubj", "compound") and any(c.dep_ in ("dobj", "obj") for c in verb.children)) \
        or verb.pos_ == "NOUN"


def _generalisation(subject: Token) -> bool:
    """"most disputes come from …", "many owners avoid …": a subject quantified over the cases states a
    habit or a figure, not a step."""
    return any(c.dep_ in ("amod", "det", "nummod") and c.lower_ in lexicon().quantifiers for c in subject.children)


def _agent_phrase(actor: Token) -> str | None:
    """"issued by the court", "generated by the monitoring system": whoever a passive names with "by" and
    a determiner or a name acts, whether or not the lexicon knows the noun ("by card" says how)."""
    lex = lexicon()
    lemma = actor.lemma_.lower()
    named = lemma in lex.acting_things and any(c.dep_ in ("compound", "amod") for c in actor.children)
    if actor.pos_ not in ("NOUN", "PROPN") or (lemma in lex.not_roles and not named) or lemma in lex.time_nouns:
        return None
    if actor.pos_ != "PROPN" and not any(c.dep_ in ("det", "poss", "compound") for c in actor.children):
        return None
    return title_case(" ".join(t.text for t in _phrase_tokens(actor)))


def _short_name(noun: Token, reader: Reader) -> str | None:
    """"the circulation desk checks the books in … circulation returns them": a noun with no article that is
    the first word of a role named in full before is that role, called short."""
    if noun.tag_ != "NN" or any(True for _ in noun.children):
        return None
    start = noun.lower_ + " "
    return next((r for r in reversed(reader.roles) if r.lower().startswith(start)), None)


def _bare_group(subject: Token) -> str | None:
    """"brand reviews it", "planning schedules the fix": a singular noun with no article, the subject of a
    verb in the present that acts on something, is the name of the team that does it. Not a noun made from
    another verb ("payment triggers the shipment", "information reaches the customer": events and things),
    unless it names the work itself ("planning", "underwriting")."""
    lex = lexicon()
    low = subject.lower_
    if subject.tag_ != "NN" or subject.dep_ not in ("nsubj", "compound") or any(True for _ in subject.children) \
            or subject.head.tag_ != "VBZ" or subject.lemma_.lower() in lex.not_roles | lex.time_nouns:
        return None
    made_from = verb_of_noun(low)
    if made_from and made_from != low and not low.endswith("ing"):
        return None
    return title_case(low)


def _group_name(head: Token) -> str | None:
    """"deferred defects go to planning, who schedule the fix": whoever "who" is said of is a person or a
    group of people, whether or not the lexicon knows the word."""
    if head.pos_ not in ("NOUN", "PROPN") or head.lemma_.lower() in lexicon().not_roles:
        return None
    if not any(c.dep_ == "relcl" and any(w.lower_ in ("who", "whom") and w.dep_ in ("nsubj", "dobj")
                                         for w in c.children) for c in head.children):
        return None
    return title_case(" ".join(t.text for t in _phrase_tokens(head)))


def _approving_role(role: str) -> bool:
    """Whether a role approves what is passed to it by its rank ("the finance director", "the CFO", "the team
    lead"), rather than looking at it for its own expertise ("the structural engineer", "a senior adjuster")."""
    words = role.lower().replace("'s", "").split()
    return bool(words) and (words[-1] in lexicon().approving_ranks or any(w in lexicon().heads_of for w in words))


def _routed_to(verb: Token, frame: Frame) -> bool:
    """Whether ``verb`` passes work "to" a role or a numbered level ("to the CFO", "to tier 2"); the
    frame's recipient becomes that role."""
    if frame.recipient:
        return True
    for prep in verb.children:
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep.lower_ == "to" else None
        if pobj is not None and pobj.pos_ in ("NOUN", "PROPN") and any(c.like_num for c in pobj.children):
            frame.recipient = title_case(" ".join(t.text for t in pobj.subtree if not _pronoun(t) and t.pos_ != "DET"))
            return True
    return False


def _subject_condition(subject: Token) -> Condition | None:
    """"offers above the salary band": the subject's own qualifier is the condition."""
    qualifiers = [t for t in subject.children if t.dep_ in ("prep", "amod", "relcl", "acl") and t.i > subject.i]
    if not qualifiers:
        return None
    tokens = [t for q in qualifiers for t in q.subtree]
    comparators = {w for phrase in lexicon().comparators for w in phrase.split()}
    if not any(t.lower_ in comparators for t in tokens):
        return None  # "requests for prod databases" says what is meant, not when
    condition = read_condition([subject, *tokens])
    condition.label = " ".join(t.text for t in sorted({subject, *tokens}, key=lambda t: t.i))
    return condition


def _figure_before(verb: Token) -> Condition | None:
    """"discounts >15% need sales director", with the share parsed as a second subject: the figure the words
    before the verb set is the condition."""
    tokens = [t for t in verb.doc[verb.sent.start: verb.i] if not t.is_punct or t.text in ("<", ">", "%")]
    if not any(is_figure(t) or t.like_num for t in tokens):
        return None
    condition = read_condition(tokens)
    return condition if condition.rules and not isinstance(condition.rules[0].value, bool) else None


def _on_consent(verb: Token) -> Condition | None:
    """"On acceptance, bind the policy", "upon approval, the buyer issues the PO": work that waits for someone's
    consent is conditional on it (and the case ends without it, see ``analyst.model``)."""
    for prep in verb.lefts:
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep.lower_ in ("on", "upon") else None
        consent = verb_of_noun(pobj.lower_) if pobj is not None else None
        if pobj is not None and consent in lexicon().consent:
            condition = read_condition([pobj])
            condition.verbs = frozenset({consent})
            return condition
    return None


def _numeric_lead(verb: Token) -> Condition | None:
    """A threshold before the clause's subject ("above $25,000 the CFO signs off") or on it
    ("requests up to $2,500 are approved by …") is the clause's condition."""
    subject = _subject(verb)
    start = verb.sent.start if verb.dep_ == "ROOT" else verb.left_edge.i
    candidates: list[list[Token]] = []
    if subject is not None and start <= subject.i < verb.i:
        # "requests up to $2,500 are …"; "1k to 10k need the manager": a figure as the subject is part of it
        candidates.append([t for t in subject.subtree if t.i > subject.i or (t == subject and is_figure(t))])
        # "anything over $500 needs …" parsed with "500" as a second subject
        candidates += [list(c.subtree) for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c != subject
                       and is_figure(c)]
        candidates.append(_own_lead(verb.doc[start: subject.left_edge.i]))
    else:
        candidates.append(_own_lead(verb.doc[start: verb.i]))
    for tokens in candidates:
        if any(is_figure(t) for t in tokens):
            condition = read_condition(tokens)
            if condition.rules and not isinstance(condition.rules[0].value, bool):
                return condition
    return None


def _own_lead(span: Span) -> list[Token]:
    """The words before a clause's subject that belong to it: after the last comma or semicolon, since
    a clause before it ("anything over $500 needs the manager's OK, anything over $5,000 …") has its own."""
    cut = max((t.i + 1 for t in span if t.text in (",", ";")), default=span.start)
    return [t for t in span.doc[cut: span.end] if not t.is_punct]


def _condition_tokens(clause: Token) -> list[Token]:
    """The words of a condition clause. One that comes first runs up to the main clause's subject,
    so that words the parser hangs on the main verb ("if marked Not OK it is …") stay with it."""
    head = clause.head
    if clause.i > head.i:
        return list(clause.subtree)
    subject = _subject(head)
    end = subject.left_edge.i if subject is not None and subject.i > clause.i else head.i
    return [t for t in clause.doc[clause.left_edge.i: end] if not t.is_punct]


def _definition(sentence: Span) -> bool:
    """"Triage is the process of sorting patients …", "X means that …": the sentence explains."""
    root = sentence.root
    if root.lemma_ == "be" and any(c.dep_ in ("attr", "acomp") for c in root.children):
        subject = _subject(root)
        return subject is not None and role_name(subject) is None and subject.lower_ not in _NARRATOR
    if root.lemma_ == "define":  # "the ML engineer defines the agent's tools" is work; "X defines Y" explains
        subject = _subject(root)
        return subject is None or (role_name(subject) is None and subject.lower_ not in _NARRATOR)
    return root.lemma_ in ("mean", "consist")


def _statistic(sentence: Span) -> bool:
    lex = lexicon()
    if any(t.lower_ in ("if", "unless", "when", "whenever") for t in sentence):
        return False  # "if the discount is over 20 percent": a condition, not a figure
    if _threshold(sentence):
        return False  # "between 15 and 30% the sales director approves": a threshold, not a figure
    text = " " + sentence.text.lower() + " "
    return any(f" {marker} " in text or (marker == "%" and "%" in text) for marker in lex.statistics) and any(
        t.like_num or t.lower_ in lex.number_words for t in sentence) and not _staged_release(sentence)


def _staged_release(sentence: Span) -> bool:
    """"rolls it out to a 10% canary", "released to 20% of traffic": a share something is released to is
    the size of a stage of the roll-out, not a figure reported about the process."""
    releasing = lexicon().staged_release
    return any(t.text == "%" and any(a.lemma_.lower() in releasing and a.pos_ == "VERB" for a in t.ancestors)
               and any(a.lower_ == "to" for a in [*t.ancestors, *sentence.doc[max(t.i - 3, 0): t.i]])
               for t in sentence)


def _threshold(sentence: Span) -> bool:
    """Whether the sentence sets a threshold for someone's work: a number after a comparator ("over $500",
    "up to 15%", "between 15 and 30"), in a sentence with a role or a verb of approval or need."""
    lex = lexicon()
    comparators = lex.comparators
    if not any(t.lemma_.lower() in lex.approval | lex.requirement | lex.routing
               or (t.dep_ in ("nsubj", "nsubjpass") and role_name(t)) for t in sentence):
        return False  # "the evening rush between seven and ten accounts for most orders": a figure
    words = [t.lower_ for t in sentence]
    for index, token in enumerate(sentence):
        if not token.like_num:
            continue
        before = [w for w in words[max(0, index - 3): index] if w not in ("$", "€", "£")]
        if before and (before[-1] in comparators or " ".join(before[-2:]) in comparators or before[-1] == "between"):
            return True
    return False


def _narrator_role(sentence: Span) -> tuple[int, str] | None:
    """The role the narrator names for themselves in ``sentence``, with how plainly (0 most plainly):
    0 "I am the store manager", "As the shift lead, I …"; 1 "we are the payroll team", "my team (payroll)";
    2 "I run the service desk"; 3 "I manage three apartment buildings" (their manager); 4 "my manager
    approves it" (an employee)."""
    lex = lexicon()
    found: list[tuple[int, str]] = []
    for token in sentence:
        low, head = token.lower_, token.head
        if low in ("i", "we") and head.lemma_ == "be":
            for attr in head.children:
                if attr.dep_ == "attr" and (role := role_name(attr)):
                    found.append((0 if low == "i" else 1, role))
        elif low in ("i", "we") and token.dep_ == "nsubj" and head.lemma_ in lex.narrator_intro:
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None and (role := role_name(obj)):  # "I run the service desk"
                found.append((2, role))
            elif obj is not None and head.lemma_ in lex.manages and obj.pos_ == "NOUN":
                found.append((3, title_case(f"{obj.lemma_} manager")))
        if low == "as" and token.dep_ == "prep" and token.i == sentence.start:
            pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
            if pobj is not None and (role := role_name(pobj)):
                found.append((0, role))
        if low in ("my", "our") and head.lower_ in ("team", "department", "office", "unit"):
            words = [t for t in _phrase_tokens(head) if t.dep_ != "poss"]
            if len(words) > 1 and (role := role_name(head)):
                found.append((1, role))
        if low == "my" and token.dep_ == "poss" and " ".join(t.lower_ for t in _phrase_tokens(head)) in lex.superiors:
            found.append((4, lex.subordinate))
    return min(found, key=lambda pair: pair[0]) if found else None


def _nominal_frames(sentence: Span, index: int, reader: Reader, lend_verb: str, listed: bool) -> list[Frame]:
    """A sentence with no clause that acts names its steps by nouns: a list line ("Manager approval"),
    the parts a title lists ("reviews with self assessment and manager rating"), or bare nouns a
    heading's verb applies to ("laptop, accounts, buddy")."""
    if len(sentence) > 30 or _counts_cases(sentence):
        return []
    heads = [t for t in sentence if t.pos_ in ("NOUN", "PROPN") and (
        t.dep_ in ("conj", "appos") or (t.dep_ == "pobj" and t.head.lower_ in ("with", "including"))
        or (t.dep_ in ("ROOT", "nsubj", "dobj") and (listed or len(sentence) <= 6)))]
    frames: list[Frame] = []
    for head in heads:
        if any(head in _phrase_tokens(f.head) for f in frames):
            continue
        frame = _nominal_frame(head, index, reader, lend_verb)
        if frame is not None:
            frames.append(frame)
    return frames


def _nominal_frame(head: Token, index: int, reader: Reader, lend_verb: str = "") -> Frame | None:
    """One noun phrase as a step: "manager approval" → approve (Manager); "laptop" → set up laptop."""
    acronym = head.text.isupper() and len(head.text) > 1  # "PIR", "CAO": names, whatever verb they spell
    verb = None if acronym else verb_of_noun(head.lower_)
    lent = False
    if verb is None:
        if not lend_verb:
            return None
        verb, lent = lend_verb, True
    modifiers = [t for t in _phrase_tokens(head) if t != head]
    performer = None
    object_words: list[str] = [object_phrase(head)[0]] if lent else []
    if lent:
        modifiers = []
    for token in modifiers:
        role = role_name(token) if token.pos_ in ("NOUN", "PROPN") or token.lower_ in lexicon().departments else None
        if role and token.lower_ != "customer":  # "legal review": the department reviews
            performer = role
        else:
            object_words.append(token.lower_)
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "for"):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                object_words = object_phrase(pobj)[0].split()
    obj = " ".join(object_words) or reader.topic
    frame = Frame(verb=verb, head=head, text=_text(head.subtree), sentence=index, listed=True,
                  obj=obj, obj_head=obj.split()[-1] if obj else "")
    if performer:
        frame.performer, frame.performer_how = performer, "subject"
    return frame


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


_IMPERATIVE_MARK = "Please"


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


def _dictionary_verb(word: str) -> bool:
    """A verb's base form lemminflect's dictionary knows ("land", "screen"); not a name it has never seen."""
    return word in wordforms.all_lemmas(word).get("VERB", ()) and is_verb_base(word)


def read_frames(text: str, reader: Reader | None = None, lend_verb: str = "") -> tuple[list[Frame], Reader, list[Span]]:
    """Read ``text`` into frames in the order the text gives them, with the reader's memory.

    ``lend_verb`` is the action a heading gives a list of bare nouns ("set up" for "laptop, accounts").
    """
    reader = reader or Reader()
    nlp = english()
    units = _units(text)
    docs: list[Doc] = list(nlp.pipe([_imperative(u) if listed else u for u, listed in units]))
    docs = [_own_clause(doc, unit) or doc for doc, (unit, _) in zip(docs, units, strict=True)]
    frames: list[Frame] = []
    sentences: list[Span] = []
    named: list[tuple[int, int, str]] = []  # (how plainly, sentence, role) of each self-introduction
    for doc in docs:
        for sentence in doc.sents:
            sentences.append(sentence)
            if (introduced := _narrator_role(sentence)) is not None:
                named.append((introduced[0], len(sentences) - 1, introduced[1]))
    reader.present = _tells_in_present(sentences)
    reader.provider_voice = any(t.lower_ in ("we", "us", "our") for sentence in sentences for t in sentence)
    if reader.narrator is None and named:  # the plainest self-introduction anywhere in the text names them
        reader.narrator = min(named)[2]
    reader.narrator_sentences = {index for rank, index, _ in named if rank < 4}
    # several people who each say who they are ("I am the bed manager. I allocate …") speak in turn
    turns = sorted((index, role) for rank, index, role in named if rank <= 1)
    if len({role for _, role in turns}) < 2:
        turns = []
    for index, sentence in enumerate(sentences):
        if spoken := [role for at, role in turns if at <= index]:
            reader.narrator = spoken[-1]
        listed = units[0][1] if len(units) == 1 else _listed(sentence, units, docs)
        if (_statistic(sentence) or _definition(sentence)) and not listed:
            reader.context.append(sentence.text.strip())
            _remember_subjects(sentence, reader)  # "Letters usually arrive within two days; …"
            continue
        _remember_subjects(sentence, reader)
        memory = (reader.last_performer, reader.last_object, reader.last_object_head)
        found = _with_shared_conditions(_SentenceReader(reader, sentence, index, listed))
        if _lost_clauses(sentence, found):
            after_whole = (reader.last_performer, reader.last_object, reader.last_object_head)
            reader.last_performer, reader.last_object, reader.last_object_head = memory
            chunked = _read_chunks(sentence, index, listed, reader)
            if _reading_weight(chunked) >= _reading_weight(found):
                found = chunked
            else:
                reader.last_performer, reader.last_object, reader.last_object_head = after_whole
        _set_aside_remarks(sentence, found)
        if not _acts(found):
            found = [*found, *_conditional_command(sentence, index, reader)]
        if not _acts(found) and not _said_no_work(found):
            found = [*found, *_telegraphic(sentence, index, reader)]
        if not _acts(found) and not _said_no_work(found):
            found = [*found, *_nominal_frames(sentence, index, reader, lend_verb, listed)]
        _set_aside_remarks(sentence, found)
        _share_subjects(found)
        found = _with_moments(found, frames, index, reader.topic)
        _place_beside(sentence, found)
        if index == 0 and not reader.trigger:
            found = [*_note_trigger(sentence, reader), *found]
        frames.extend(found)
        _remember_actors(sentence, reader)
        if not any(f.kind == "step" for f in found):
            reader.context.append(sentence.text.strip())
    _own_names(frames)
    return frames, reader, sentences


def _with_moments(found: list[Frame], earlier: list[Frame], index: int, topic: str) -> list[Frame]:
    """"Funds are disbursed within 2 business days of signing", "the refund is issued after approval by the
    manager": an event named only as the moment a step happens at is a step of its own, just before it, unless
    the text has read that work already."""
    out: list[Frame] = []
    for frame in found:
        if frame.kind == "step":
            for noun in _moment_nouns(frame.head):
                moment = _moment_frame(noun, frame, index, topic)
                if moment is not None and not any(f.kind == "step" and f.verb == moment.verb
                                                  for f in [*earlier, *out, *found]):
                    out.append(moment)
        out.append(frame)
    return out


def _moment_nouns(verb: Token) -> list[Token]:
    """Bare nouns of events a clause's phrases of time name: "after approval", "following inspection", "within
    two days of signing" (an "of" after a time, not "a review of the terms")."""
    lex = lexicon()
    found: list[Token] = []
    for prep in (c for c in verb.children if c.dep_ == "prep"):
        for token in prep.subtree:
            governor = token.head
            if token.dep_ != "pobj" or token.pos_ not in ("NOUN", "VERB") or governor.lower_ not in lex.moment_prepositions:
                continue
            if governor.lower_ == "of" and governor.head.lemma_.lower() not in lex.time_nouns:
                continue
            if any(c.dep_ in ("det", "poss", "nummod") for c in token.children):
                continue  # "after the trip", "after 2 tries": occasions; the act is named bare ("after approval")
            if _event_verb(noun_lemma(token.lower_))[1] and token.lemma_.lower() not in lex.time_nouns:
                found.append(token)
    return found


def _moment_frame(noun: Token, frame: Frame, index: int, topic: str) -> Frame | None:
    """The step a noun of an event stands for: its verb, on what it names ("after approval of the budget") or
    else on what the process is about, by whom it names ("by the manager")."""
    verb = _event_verb(noun_lemma(noun.lower_))[0]
    if verb in lexicon().arrival or verb in lexicon().receive:
        return None  # "after arrival": what sets the work off, read as the trigger
    named = next((c for p in noun.children if p.dep_ == "prep" and p.lower_ == "of" for c in p.children
                  if c.dep_ == "pobj"), None)
    obj = object_phrase(named)[0] if named is not None else topic  # empty: lent once every frame is read
    moment = Frame(verb=verb, head=noun, text=_text(noun.subtree), sentence=index, listed=True, obj=obj,
                   obj_head=obj.split()[-1] if obj else "")
    agent = next((c for p in noun.children if p.dep_ in ("prep", "agent") and p.lower_ == "by" for c in p.children
                  if c.dep_ == "pobj"), None)
    role = role_name(agent) if agent is not None else None
    if role:
        moment.performer, moment.performer_how = role, "agent"
    return moment
# ----------------------------------------------------------------------------------------- remarks

def _set_aside_remarks(sentence: Span, frames: list[Frame]) -> None:
    """Clauses that say something about the process without being work in it become context: a sentence that
    complains ("QC keeps finding bad parts", "theatres lose a great deal of time"), a wish about no one ("make
    it so nobody gets forgotten"), a target ("aim to decide within 30 days"), a service level a party is
    promised ("customers get a first response within 4 hours"), a deadline ("cut off 3pm") and a requirement
    said of no one ("reports are required for long studies"). What they say
    stays: the sentence goes to the context, a time limit to the constraints (``language.constraints``)."""
    complaint = _complaining(sentence, frames)
    for frame in frames:
        if frame.kind == "step" and (frame.head.i in complaint or _remark(frame)):
            frame.kind = "context"
        if frame.kind in ("step", "rework") and _moves_only(frame):
            frame.kind = "context"


def _remark(frame: Frame) -> bool:
    return _about_nobody(frame) or _target(frame) or _promised(frame) or _at_a_time(frame) or _required(frame) \
        or _moves_only(frame)


def _said_no_work(frames: list[Frame]) -> bool:
    """Whether the parse read a clause of the sentence and found it is no work: a subject with a verb that
    describes ("suppliers have 4 weeks to respond"), a negated command ("don't let people pay unverified
    vendors"), a complaint or a remark (see :func:`_set_aside_remarks`); not "the refund goes out", which may
    say what is done to it. Its words are then no steps by word forms or by nouns either
    ("Run week", "Let people pay")."""
    lex = lexicon()
    for frame in frames:
        head = frame.head
        if frame.kind != "context" or head.pos_ not in ("VERB", "AUX"):
            continue
        lemma = head.lemma_.lower()
        if frame.negated or _remark(frame) or lemma in lex.remarks.habitual | lex.remarks.complaining:
            return True
        described = lemma in lex.remarks.describing
        if described and head.tag_ in ("VBZ", "VBP", "VBD") and _subject(head) is not None and not _mark(head):
            return True  # a clause under "when" or "if" says when, and may name the work it waits for
    return False


def _moves_only(frame: Frame) -> bool:
    """"before it goes back on sale", "rejected leads go back to nurture": a thing that moves somewhere no role
    works is routed, which the flow shows; no one does a step "Go". Not "moves the guest to another room" nor
    "the stock is moved by planning" (work on a thing), nor "the refund goes out" (sent)."""
    lex = lexicon()
    head = frame.head
    return head.lemma_.lower() in lex.routing and frame.verb in lex.routing and not frame.recipient \
        and not frame.back_to and not frame.passive and not any(c.dep_ in ("dobj", "obj") for c in head.children) \
        and not any(c.lower_ == "out" for c in head.children)


def _complaining(sentence: Span, frames: list[Frame]) -> set[int]:
    """The frames (by head) of a problem statement: the clause of a habit told with "keep" and an -ing verb, of a
    verb of loss or waste with a subject of its own, or of a word of complaint about the state of the cases
    ("stuck", "forever"). A sentence that sets such a clause against the rest with "yet" ("surgery is scheduled
    weeks in advance, yet theatres lose a great deal of time") is a problem statement as a whole."""
    remarks = lexicon().remarks
    signals: list[Token] = []
    for token in sentence:
        lemma = token.lemma_.lower()
        if lemma in remarks.habitual:
            signals += [c for c in token.children if c.dep_ == "xcomp" and c.tag_ == "VBG"]
        elif lemma in remarks.complaining and token.pos_ == "VERB" and token.tag_ in ("VB", "VBZ", "VBP", "VBD") \
                and not _is_passive(token) and _subject(token) is not None:
            signals.append(token)  # not "the bag is declared lost"
        elif token.lower_ in remarks.complaint_words:
            signals.append(token)
    heads = {f.head.i for f in frames}
    if signals and any(t.lower_ == "yet" and t.dep_ == "cc" for t in sentence):
        return heads
    return {owner.i for t in signals if (owner := next((a for a in (t, *t.ancestors) if a.i in heads), None))}


def _about_nobody(frame: Frame) -> bool:
    """"pls make it so nobody gets forgotten", "make sure no one is left waiting": a clause whose subject is no
    one, outside a condition ("if nobody answers, escalate" is a step under its condition)."""
    for token in frame.head.subtree:
        if token.dep_ not in ("nsubj", "nsubjpass") or not _no_one(token):
            continue
        path = [a for a in token.ancestors if a != frame.head and frame.head in a.ancestors]
        if not any(a.dep_ == "advcl" and _mark(a) in lexicon().conditions for a in path):
            return True
    return False


def _no_one(token: Token) -> bool:
    return token.lower_ in lexicon().remarks.nobody or (
        token.lower_ == "one" and any(c.lower_ == "no" for c in token.children))


def _target(frame: Frame) -> bool:
    """"aim to decide within 30 days", "we strive to close every case in a week": what is aimed at is a target."""
    head = frame.head
    return head.dep_ == "xcomp" and head.head.lemma_.lower() in lexicon().remarks.aspiring


def _promised(frame: Frame) -> bool:
    """"customers get a first response within 4 hours", "candidates should hear back within 5 days": a party
    promised something within a time states the service level of the work that gives it."""
    head = frame.head
    if head.lemma_.lower() not in lexicon().remarks.promised or frame.passive:
        return False
    subject = _subject(head)
    if subject is None or subject.lemma_.lower() not in lexicon().requesters:
        return False
    return any(t.lower_ in ("within", "in") and any(c.like_num or c.lower_ in lexicon().units for c in t.subtree)
               for t in head.subtree if t.dep_ == "prep")


def _required(frame: Frame) -> bool:
    """"annual progress reports are required for long studies", "a signed waiver is needed for minors": what is
    required, said of no one, is a rule the process keeps, not a step (who provides it says the step)."""
    return frame.passive and frame.performer is None and frame.head.lemma_.lower() in lexicon().requirement


def _at_a_time(frame: Frame) -> bool:
    """"cut off 3pm": a clause whose only object is a time of day gives a deadline, not work on a thing."""
    head = frame.head
    objects = [c for c in head.children if c.dep_ in ("dobj", "obj", "npadvmod")]
    return bool(objects) and all(_clock_time(o) for o in objects)


def _clock_time(token: Token) -> bool:
    return token.lower_ in lexicon().remarks.clock or bool(re.fullmatch(r"\d{1,2}(?::\d{2}|am|pm)", token.lower_))


def _own_names(frames: list[Frame]) -> None:
    """"the contractor's project manager writes the request … the project manager bills the change": a role
    named once with whom it works for and then by its own name is one role, called by its own name."""
    named = {f.performer for f in frames if f.performer}
    for frame in frames:
        owned = frame.performer.split("'s ", 1) if frame.performer else []
        if len(owned) == 2 and owned[1] in named:
            frame.performer = owned[1]


def _reading_weight(frames: list[Frame]) -> tuple[int, int]:
    """How much a reading of a sentence found: its steps, then the steps it found a condition for (the
    clause-by-clause reading loses a condition the whole sentence's parse ties to its clauses)."""
    steps = [f for f in frames if f.kind == "step"]
    return len(steps), sum(f.condition is not None for f in steps)


def _acts(frames: list[Frame]) -> bool:
    """Whether a sentence's clauses do work: a step, or work sent back ("claims with missing information
    are returned to the claimant with a notice"), whose nouns are then no steps of their own. Rework a role
    is said to do ("the account manager revises the quote") is that role's step too, read by what follows."""
    return any(f.kind == "step" or (f.kind == "rework" and not f.performer) for f in frames)


_CONDITION_START = ("if ", "when ", "whenever ", "unless ", "once ", "in case ", "where ")


def _lost_clauses(sentence: Span, frames: list[Frame]) -> bool:
    """Whether the parse left verbs of the sentence outside every frame: telegraphic and comma-joined
    clauses ("legal reviews the terms, finance checks the payment terms") often come out that way."""
    if not any(t.text == "," for t in sentence):
        return False
    if any(f.head == sentence.root and f.head.pos_ == "AUX" for f in frames):
        return False  # read whole: "the decision may be to approve, to defer or to reject"
    heads = {f.head.i for f in frames}
    commas = sum(t.text == "," for t in sentence)
    if commas >= 2:
        return True  # a comma list of clauses: read clause by clause as well, and keep the better reading
    if any(t.lower_ in ("if", "unless") and t.i > sentence.start + 1 for t in sentence):
        return True  # a condition in the middle of a clause list
    for token in sentence:
        if token.i in heads or any(a.dep_ in ("xcomp", "ccomp", "advcl", "relcl") for a in token.ancestors):
            continue  # a verb inside what is decided or described is no clause of its own
        if _verb_taken_for_noun(token) or (token.pos_ == "VERB" and token.dep_ not in (
                "amod", "acl", "compound", "advcl", "xcomp", "pcomp", "auxpass", "aux", "relcl")):
            return True
    return False


def _read_chunks(sentence: Span, index: int, listed: bool, reader: Reader) -> list[Frame]:
    """Read a sentence clause by clause, split at its commas and "then"s; a condition chunk stays
    with the chunk after it."""
    pieces: list[str] = []
    current: list[str] = []
    for token in sentence:
        if token.text == "," or (token.lower_ == "then" and current and token.dep_ != "advmod"):
            if current:
                pieces.append("".join(current).strip())
            current = []
            continue
        current.append(token.text_with_ws)
    if current:
        pieces.append("".join(current).strip())
    merged: list[str] = []
    carried = ""
    for piece in pieces:
        piece = re.sub(r"^(?:and|then|and then)\s+", "", piece, flags=re.IGNORECASE)
        piece = re.sub(r"\s+(?:and|or)$", "", piece, flags=re.IGNORECASE)
        if carried:
            piece, carried = f"{carried}, {piece}", ""
        words = f" {' '.join(piece.lower().split())} "
        opens = piece.split()[0].lower() in lexicon().parallel and len(piece.split()) <= _TELEGRAPHIC_WORDS
        if (len(piece.split()) <= 4 and any(f" {marker} " in words for marker in lexicon().parallel)) or (
                opens and not merged):
            # ", in parallel, finance reserves …", "While the kitchen is cooking, the waiter …": the marker (or
            # the clause it opens) belongs with the clause after it
            carried = piece
            continue
        if opens and merged:
            merged[-1] = f"{merged[-1]}, {piece}"  # "…, while the AMT troubleshoots": beside the clause before
            continue
        if piece.split()[0].lower() in lexicon().accompanying and not _has_own_clause(piece):
            carried = piece  # "…, with HR and the BU head, identifies the custodians": how the clause after acts
            continue
        if merged and (piece.split()[0].lower() in ("who", "whom", "which") or (
                _details(piece) and not merged[-1].lower().startswith(_CONDITION_START))):
            merged[-1] = f"{merged[-1]}, {piece}"  # a relative clause stays with the noun it is about
            continue
        if merged and merged[-1].lower().startswith(_CONDITION_START) and len(merged[-1].split()) <= 12 \
                and not _has_own_clause(merged[-1]):
            merged[-1] = f"{merged[-1]}, {piece}"
            continue
        merged.append(piece)
    if carried:
        merged.append(carried)  # a marker or while-clause the sentence ends with is still read
    chunks = [p.removeprefix("and ").strip() for p in merged if p.strip()]
    chunks = [c for c in chunks if c.split()[0].lower() not in _RELATIVE]  # "…, who compares …" describes
    read: list[tuple[Span, list[Frame]]] = []
    for doc in english().pipe(chunks):
        for chunk in doc.sents:
            found = _with_shared_conditions(_SentenceReader(reader, chunk, index, listed))
            if not any(f.kind == "step" for f in found):
                found = [*found, *_telegraphic(chunk, index, reader)]
            read.append((chunk, found))
    return _with_noun_steps(read, index, reader)


def _with_noun_steps(read: list[tuple[Span, list[Frame]]], index: int, reader: Reader) -> list[Frame]:
    """A list of clauses names some steps by a noun alone: "requester uploads the contract, legal triage,
    redlines back and forth, approval, signature, then store it". In a list that has steps, a chunk that is a
    noun phrase is one more, unless it goes on listing the details of the chunk before ("with dates, room
    count and meeting space")."""
    frames = [f for _, found in read for f in found]
    if not any(f.kind == "step" for f in frames):
        return frames
    commands = any(f.kind == "step" and f.performer is None and f.head.tag_ == "VB" for f in frames) or any(
        _opens_with_command(chunk) for chunk, _ in read)
    frames = []
    listing = False  # the chunks go on listing the details of a clause before ("with dates, …", "the goods: …")
    enumerated = _enumerated_objects(read)
    for at, (chunk, found) in enumerate(read):
        if not any(f.kind == "step" for f in found):
            if not listing and at not in enumerated:
                last = next((f.obj for f in reversed(frames) if f.kind == "step" and f.obj), reader.last_object)
                found = [*found, *_noun_step(chunk, index, last, commands)]
        else:
            listing = _lists_details(chunk)
        frames.extend(found)
    return frames


def _enumerated_objects(read: list[tuple[Span, list[Frame]]]) -> set[int]:
    """The chunks that go on listing what the clause before them acts on: "defines the agent's tools,
    permissions and data access" — a run of noun chunks after a clause ending with its object, whose last one
    closes the list with "and" or "or"."""
    acting = [any(f.kind == "step" for f in found) for _, found in read]
    out: set[int] = set()
    at = 0
    while at < len(read):
        end = at
        while end < len(read) and not acting[end]:
            end += 1
        closes = end > at and any(t.dep_ == "cc" and t.lower_ in ("and", "or") and t.head.pos_ in ("NOUN", "PROPN")
                                  for t in read[end - 1][0])
        if at > 0 and acting[at - 1] and closes and _ends_with_object(read[at - 1][0]):
            out.update(range(at, end))
        at = end + 1
    return out


def _ends_with_object(chunk: Span) -> bool:
    """Whether a clause ends with what its verb acts on ("defines the agent's tools"), not with a place or a time
    ("set up in zoom")."""
    words = [t for t in chunk if not t.is_punct]
    return bool(words) and words[-1].pos_ in ("NOUN", "PROPN") and words[-1].dep_ in ("dobj", "obj")


def _opens_with_command(chunk: Span) -> bool:
    """"create AD account", "setup - create AD account": a chunk that opens, or goes on after a dash or colon,
    with a verb's base form the dictionary knows."""
    return any(_dictionary_verb(t.lower_) and t.pos_ != "NOUN" and (t.i == chunk.start or t.doc[t.i - 1].text in (
        "-", ":", "–")) for t in chunk)


def _lists_details(chunk: Span) -> bool:
    """Whether a clause ends in a phrase that lists details ("fills in the form with dates", "classifies the
    goods: UN number"), which the next chunk goes on listing."""
    colon = max((t.i for t in chunk if t.text == ":"), default=-1)
    if colon >= 0 and not any(t.pos_ in ("VERB", "AUX") for t in chunk.doc[colon + 1: chunk.end]):
        return True
    words = [t.lower_ for t in chunk if not t.is_punct]
    return any(w in lexicon().detail_prepositions for w in words[-4:])


def _leading_noun_phrase(chunk: Span) -> list[Token]:
    """The noun phrase a chunk opens with, after any "then" or determiner: "legal triage (…)", "3 way match with
    …", "promo emails 3 weeks before" (with "promo" tagged a verb no dictionary lists)."""
    run: list[Token] = []
    for token in chunk:
        if token.i == chunk.start and token.text == _IMPERATIVE_MARK:
            continue
        if not run and (token.pos_ in ("DET", "CCONJ", "ADV") or token.is_punct):
            continue
        nominal = token.pos_ in ("NOUN", "PROPN", "ADJ") or (token.pos_ == "VERB" and not _dictionary_verb(token.lower_)
                                                            and token.tag_ not in ("VBN", "VBD"))
        if nominal or (token.like_num and not run) or (token.text == "-" and run and not token.whitespace_):
            run.append(token)
            continue
        break
    return run


def _noun_step(chunk: Span, index: int, antecedent: str, commands: bool) -> list[Frame]:
    """A list item that names its step by a noun: an event becomes its verb ("approval" → approve, "signature"
    → sign, "legal triage" → triage, by Legal) and acts on what the item names or else on what the work before it
    acted on; a message is sent ("promo emails 3 weeks before"); any other deliverable is created ("landing page
    + reg form") when the list around it gives commands."""
    lex = lexicon()
    run = _leading_noun_phrase(chunk)
    if any(t.tag_ in ("NNS", "VBZ") and t != run[-1] and t.i > 0 and (
            role_name(t.doc[t.i - 1]) or t.doc[t.i - 1].lower_ in lex.departments) for t in run):
        return []  # "pharmacy preps medication": a clause whose verb the tagger took for a noun
    nouns = [t for t in run if t.pos_ in ("NOUN", "PROPN") or (t.pos_ == "VERB" and t == run[-1])]
    written = list(chunk)[: next((n for n, t in enumerate(chunk) if t.text == "("), len(chunk))]
    if not nouns or any(t.text in ("=", ")") for t in written):
        return []  # "high risk = counsel)": a mapping, an aside's tail
    head = nouns[-1]
    acted_on = [c for c in head.children if c.dep_ in ("dobj", "obj")] + [
        g for c in head.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    if head.pos_ == "VERB" and any(t.lemma_.lower() not in lex.time_nouns for t in acted_on):
        return []  # "looking at the customer's profile": a participle's clause, not a noun
    rest = [t for t in chunk if t.i > head.i]
    rest = rest[: next((n for n, t in enumerate(rest) if t.text == "("), len(rest))]
    singular = noun_lemma(head.lower_) if head.tag_ in ("NNS", "NNPS", "VBZ") else head.lower_
    modifiers = [t for t in run if t.i < head.i and t.pos_ in ("NOUN", "PROPN", "ADJ")]
    roles = [r for t in modifiers if (r := role_name(t) if t.pos_ != "ADJ" else lex.departments.get(t.lower_))]
    roles += [r for t in rest if t.dep_ == "pobj" and t.head.lower_ == "by" and (r := role_name(t))]  # "triage by X"
    verb, event = _event_verb(singular)
    people = (_role_word(head) and not event) or singular in lex.departments  # "triage" is work, "reviewer" people
    opens_as_command = run[0] != head and _dictionary_verb(run[0].lower_) and not (
        role_name(run[0]) or run[0].lower_ in lex.departments)
    if opens_as_command and commands:  # "update subscription status", "transport home": a command read as nouns
        obj = " ".join(t.text if _proper(t) else t.lower_ for t in run[1:])
        return [Frame(verb=run[0].lower_, head=run[0], text=_text(chunk), sentence=index, listed=True, obj=obj,
                      obj_head=obj.split()[-1] if obj else "", antecedent=antecedent)]
    if opens_as_command or (not event and not commands):
        return []  # a thing outside a list of commands
    named = not wordforms.all_lemmas(singular) and detect_systems(head.text)  # "-> hubspot": a system, no work
    if (head.text.isupper() and len(head.text) > 1) or people or named \
            or singular in lex.time_nouns or singular in lex.time_units or singular in lex.units \
            or any(t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBG", "VBN") for t in rest):
        return []  # a name, people, a time or a measure; or a clause the reading could not make out
    if event:
        of = _named_by_of(head)
        kinds = [t for t in modifiers if t.pos_ != "ADJ" and not role_name(t) and not any(
            c.dep_ == "nummod" for c in t.children)]
        obj = object_phrase(of[0])[0] if of else " ".join(t.lower_ for t in kinds) or antecedent
    elif rest and not (rest[0].pos_ in ("CCONJ", "ADP") or rest[0].text in ("+", "&") or any(
            t.lemma_.lower() in lex.time_nouns for t in rest)):
        return []  # a thing with more said about it than what goes with it or when it is made
    else:
        obj = " ".join(t.text if _proper(t) else t.lower_ for t in run if t.i < head.i) + " " + singular
    obj = obj.strip()
    frame = Frame(verb=verb, head=head, text=_text(chunk), sentence=index, listed=True, obj=obj,
                  obj_head=obj.split()[-1] if obj else "", antecedent=antecedent)
    if roles:
        frame.performer, frame.performer_how = roles[0], "subject"
    return [frame]


def _named_by_of(head: Token) -> list[Token]:
    """What an event noun's "of" or "for" names: "reimbursement of the claim"; past a time, "analysis of the last
    2 years of accounts" names the accounts."""
    named = [c for p in head.children if p.dep_ == "prep" and p.lower_ in ("of", "for") for c in p.children
             if c.dep_ == "pobj"]
    while named and named[0].lemma_.lower() in lexicon().time_nouns:
        named = _named_by_of(named[0])
    return named


def _event_verb(noun: str) -> tuple[str, bool]:
    """The verb a list item's noun names, and whether the noun is the doing of it (an event) rather than a thing
    made or sent."""
    lex = lexicon()
    if noun in lex.approval_nouns:
        return lex.approval_nouns[noun], True
    if noun in lex.messages:
        return "send", False
    verb = verb_of_noun(noun) if noun not in lex.nominal_things else None
    return (verb, True) if verb else (lex.deliverable_verb, False)


_TELEGRAPHIC_WORDS = 8


def _verb_form(token: Token) -> str | None:
    """The verb ``token`` is a form of ("drafts" → draft, "signs" → sign), by lemminflect's dictionary."""
    if not token.is_alpha or token.pos_ in ("DET", "ADP", "PRON", "CCONJ", "NUM") or (
            token.text.isupper() and len(token.text) > 1):
        return None  # an acronym is a name ("PIR for every failed change"), never a verb
    for lemma in wordforms.lemmas(token.lower_, "VERB"):
        if known_verb(lemma) and token.lower_ in {lemma, *wordforms.inflections(lemma, "VBZ"), *wordforms.inflections(lemma, "VBD")}:
            return lemma
    return None


def _conditional_command(sentence: Span, index: int, reader: Reader) -> list[Frame]:
    """"if the parcel is lost issue a replacement", parsed as one clause: the condition runs up to the first
    verb in its base form, and the command after it is the step."""
    root = sentence.root
    marks = ("if", "unless", "when", "whenever")
    clause = next((c for c in root.children if c.dep_ == "advcl" and c.i < root.i and _mark(c) in marks), None)
    if clause is not None and root.pos_ != "VERB" and _verb_form(root) == root.lower_:
        command: Token | None = root  # "if on-call does not acknowledge, escalate to the secondary": "escalate"
    elif _mark(root) in marks:       # read as a noun, under its condition
        clause, command = root, next((t for t in sentence if t.i > root.i and _verb_form(t) == t.lower_), None)
    else:
        return []
    if command is None:
        return []
    condition = read_condition([t for t in sentence[: command.i - sentence.start] if not t.is_punct],
                               reader.last_object)
    if _mark(clause) == "unless":
        condition = condition.negation()
    frames = _telegraphic(sentence.doc[command.i: sentence.end], index, reader)
    for frame in frames:
        frame.condition = condition
    return frames


def _role_word(token: Token) -> str | None:
    """A role by the word alone, whatever the tagger made of it ("Cardholder" read as a verb)."""
    word = token.lower_
    if word in lexicon().role_heads or _agent_noun(word):
        return title_case(word)
    return None


def _telegraphic(chunk: Span, index: int, reader: Reader) -> list[Frame]:
    """A short clause the parser could not read, read by word forms: "writer drafts", "legal sends our
    template", "block sender", "SEO check". Role words, then a verb form, then what it acts on."""
    words = [t for t in chunk if not t.is_punct and not (t.i == chunk.start and t.text == _IMPERATIVE_MARK)]
    if not words or len(words) > _TELEGRAPHIC_WORDS:
        return []
    lead = words[0]
    command = _verb_form(lead) == lead.lower_ and (lead.pos_ == "VERB" or "NOUN" not in wordforms.all_lemmas(lead.lower_))
    pair = f"{lead.lower_} {words[1].lower_}" if len(words) > 1 else ""
    if pair in lexicon().phrasal:  # "back up the database"
        verb, performer, rest = pair, None, words[2:]
    elif command and role_name(lead) is None:  # a command: "block sender"
        verb, performer, rest = lead.lower_, None, words[1:]
    else:
        found = next((i for i, t in enumerate(words[1:], start=1) if (_verb_form(t) and t.lower_ != _verb_form(t))
                      or (i == len(words) - 1 and _verb_form(t))), None)
        if found is None:
            return []
        before = words[found - 1]
        performer = role_name(before) or lexicon().departments.get(before.lower_) or _role_word(before)
        if performer is None:
            return []
        verb, rest = _verb_form(words[found]) or "", words[found + 1:]
        if _describes(verb):
            return []  # "carrier is DHL", "supplier has 10 days": a role described, not at work
    rest = [t for t in rest if t.pos_ not in ("DET",) and t.tag_ != "PRP$"]
    if rest and rest[0].pos_ == "ADP" and rest[0].lower_ in lexicon().time_prepositions:
        rest = []  # "SDR calls within 1h": when, not what
    cut = next((i for i, t in enumerate(rest) if t.pos_ in ("ADP", "AUX") and i > 0), len(rest))
    rest = rest[:cut]  # "back up the database to S3 every night", "checks RFC is complete": the object ends there
    while rest and rest[-1].pos_ in ("ADP", "ADV", "CCONJ"):
        rest.pop()
    obj = " ".join(t.text if t.pos_ == "PROPN" or t.text.isupper() else t.lower_ for t in rest[:4])
    frame = Frame(verb=verb, head=words[0], text=_text(words), sentence=index, listed=True, obj=obj,
                  obj_head=obj.split()[-1] if obj else "", antecedent=reader.last_object)
    if performer:
        frame.performer, frame.performer_how = performer, "subject"
        reader.last_performer = performer
    return [frame]


def _describes(verb: str) -> bool:
    """A verb that describes or relates rather than does ("be", "have")."""
    return verb in lexicon().remarks.describing


def _counts_cases(sentence: Span) -> bool:
    """"lots of returns w/out the label", "plenty of no-shows on fridays": a note that counts cases (not "lots
    rejected at inspection", batches)."""
    words = [t for t in sentence if not t.is_punct]
    return len(words) > 1 and words[0].lower_ in lexicon().remarks.quantity_nouns and words[1].lower_ == "of"


def _details(piece: str) -> bool:
    """"including ombudsman rights": a piece of a sentence that details what the clause before it handles."""
    low = piece.lower()
    return any(low == word or low.startswith(word + " ") for word in lexicon().remarks.detailing)


def _has_own_clause(text: str) -> bool:
    """"if the panel agrees we send an offer" holds its main clause; "if more than 10 days" does not."""
    doc = english()(text)
    return any(t.dep_ == "ROOT" and t.pos_ == "VERB" and not _mark(t) for t in doc)


def _listed(sentence: Span, units: list[tuple[str, bool]], docs: list[Doc]) -> bool:
    for doc, (_, listed) in zip(docs, units, strict=True):
        if sentence.doc is doc:
            return listed
    return False


def _with_shared_conditions(sentence_reader: _SentenceReader) -> list[Frame]:
    """Frames of one sentence; a conjunct shares the condition of the clause it is joined to."""
    frames = sentence_reader.frames()
    by_head = {f.head.i: f for f in frames}
    for frame in frames:
        if frame.condition is None and frame.head.dep_ == "xcomp" and frame.head.head.i in by_head:
            frame.condition = by_head[frame.head.head.i].condition  # "above 30% the director has to approve"
        if frame.condition is None and not frame.otherwise and frame.head.dep_ == "conj":
            head = by_head.get(frame.head.head.i)
            if head is not None and head.condition is not None and not sentence_reader._breaks_condition(frame.head):
                frame.condition = head.condition
        if frame.head.dep_ == "conj" and frame.performer is None and not frame.passive:
            earlier = [f for f in frames if f.head.i < frame.head.i]
            head = by_head.get(frame.head.head.i) or (earlier[-1] if earlier else None)
            if head is not None:
                frame.performer, frame.performer_how = head.performer, head.performer_how
        if frame.passive and frame.performer is None:  # "witnesses are interviewed and evidence is gathered by X"
            joined = [f for f in frames if f.passive and f.performer_how == "agent" and f.head.dep_ == "conj"
                      and f.head.head == frame.head]
            if joined:
                frame.performer, frame.performer_how = joined[0].performer, "agent"
    return frames


def _share_subjects(frames: list[Frame]) -> None:
    """"the manager takes down the order, reads it back and enters it in the POS": a finite verb with no
    subject of its own, in a sentence whose clause before it names who acts, is that actor's work too
    (whether the parser joined the verbs or the sentence was read clause by clause); "the request is
    validated by the porting system: the PAC is checked against the database" — a passive without an
    agent after a passive with one goes on with that agent."""
    for at, frame in enumerate(frames):
        if frame.performer is not None or frame.kind not in ("step", "rework"):
            continue
        earlier = next((f for f in reversed(frames[:at]) if f.performer is not None), None)
        if earlier is None or not _verb_without_subject(frame.head):
            continue
        linked = frame.head.head == earlier.head or earlier.head.head == frame.head
        if frame.passive and not (earlier.passive and earlier.performer_how == "agent" and linked):
            continue  # "the claim is checked by the adjuster; the payment is made …": no one said who pays
        if not frame.passive and earlier.performer_how == "agent":
            continue  # "it is examined by X, then returns to …": the thing, not X, goes on
        frame.performer, frame.performer_how = earlier.performer, earlier.performer_how


def _verb_without_subject(verb: Token) -> bool:
    """A finite verb ("reads", "adds", "is checked") whose clause names no subject at all."""
    if _is_passive(verb):
        return True  # the agent was looked for already
    if _subject(verb) is not None or any(c.dep_ == "expl" for c in verb.children):
        return False
    return verb.tag_ in ("VBZ", "VBP", "VBD") or _verb_taken_for_noun(verb)


def _place_beside(sentence: Span, frames: list[Frame]) -> None:
    """"At the same time, security assesses the exposure": a sentence that opens with a marker of parallel
    work puts its first step beside the work before it, wherever the parser hung the marker; "in parallel,
    IT places the hold and the RIM team suspends the schedules": a joined clause of another performer is
    one more branch beside it."""
    steps = [f for f in frames if f.kind == "step"]
    markers = [p for p in lexicon().parallel if p != "while"]
    if steps and _has_marker(list(sentence[:5]), markers):
        steps[0].parallel = True
    for before, frame in pairwise(steps):
        joined = frame.head.dep_ == "conj" and frame.head.head == before.head
        chunked = frame.head.doc is not sentence.doc  # the sentence was read clause by clause
        if before.parallel and (joined or chunked) and frame.performer != before.performer:
            frame.parallel = True


def _note_trigger(sentence: Span, reader: Reader) -> list[Frame]:
    """The event the process opens with ("when a refund request arrives"); what arrives is received first."""
    for token in sentence:
        if token.dep_ == "advcl" and _mark(token) in ("when", "whenever", "once", "as soon as"):
            reader.trigger = _text(token.subtree)
            subject = _subject(token)
            if subject is None or subject.pos_ not in ("NOUN", "PROPN") or role_name(subject) is not None:
                return []
            reader.trigger_object = object_phrase(subject)[0]
            if token.lemma_.lower() not in lexicon().arrival:
                return []
            return [Frame(verb="receive", head=token, text=reader.trigger, obj=reader.trigger_object,
                          obj_head=reader.trigger_object.split()[-1], listed=True)]
    return []


def _remember_people(sentence: Span, reader: Reader) -> None:
    """A person named with their role ("our handyman, Marco", "Priya in IT") acts in that role."""
    for token in sentence:
        if token.pos_ != "PROPN" or not token.text.istitle() or role_name(token) not in (None, token.text):
            continue
        related = [token.head] if token.dep_ == "appos" else []
        related += [c for c in token.children if c.dep_ == "appos"]
        after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        if after is not None and after.lower_ in ("in", "from"):  # "Priya in IT", wherever the parser hangs it
            related += _noun_run(token.doc[after.i + 1: after.sent.end])[-1:]
        role = next((r for t in related if (r := role_name(t) or lexicon().departments.get(t.lower_))), None)
        if role is not None and role != token.text:
            reader.people[token.text] = role


def _noun_run(span: Span) -> list[Token]:
    """The nouns of the noun phrase ``span`` opens with ("the IT team know …" → IT, team)."""
    nouns: list[Token] = []
    for token in span:
        if token.pos_ in ("NOUN", "PROPN"):
            nouns.append(token)
        elif token.pos_ not in ("DET", "ADJ") or nouns:
            break
    return nouns


def _remember_actors(sentence: Span, reader: Reader) -> None:
    """The last actor a sentence names other than the narrator, whether or not they act in a step of its
    own ("… and let Priya in IT know"), is what a "she" or "they" of the next sentence stands for; every
    role it names in full is what its head alone names from then on."""
    for token in sentence:
        if (role := _third_person(token, reader)) is not None:
            reader.last_third = role
        if token.dep_ == "compound" and token.head.pos_ in ("NOUN", "PROPN") and role_name(token.head) is None:
            continue  # "our most common security ticket": a role's word that says what kind of thing
        if token.pos_ in ("NOUN", "PROPN") and not _pronoun(token) and " " in (named := role_name(token) or ""):
            reader.roles.append(named)  # "convenes the incident team": "the team" is this one from now on


def _remember_subjects(sentence: Span, reader: Reader) -> None:
    """A thing that is the subject of a condition or trigger ("when a claim arrives") or that arrives
    ("Books arrive by post: the desk checks them in") is what a following "it" or "them" stands for."""
    _remember_people(sentence, reader)
    for token in sentence:
        timed = token.dep_ == "advcl" and _mark(token) in ("when", "whenever", "once", "as soon as", "after") \
            and token.i < token.head.i
        if timed or (token.pos_ == "VERB" and token.lemma_.lower() in lexicon().arrival):
            subject = _subject(token)
            if subject is not None and subject.pos_ in ("NOUN", "PROPN") and not _pronoun(subject) \
                    and role_name(subject) is None:
                reader.remember(subject)
        if timed and token.lemma_.lower() in lexicon().perceiving:  # "when the porter notices a leak, he …"
            noticed = next((c for c in token.children if c.dep_ in ("dobj", "obj") and not _pronoun(c)), None)
            if noticed is not None:
                reader.remember(noticed)
