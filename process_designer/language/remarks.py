"""Sentences and clauses that are not steps: remarks, complaints, targets, definitions, statistics.

Reads what a text says about its process rather than a step of it: a definition ("a high-risk change
is one that …"), a statistic or a staged threshold, a complaint, a target or promise ("within two
days"), a requirement, a clause about nobody in particular, a note that counts cases, and verbs that
describe rather than do.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from process_designer.language.clauses import _is_passive
from process_designer.language.lexicon import lexicon
from process_designer.language.phrases import _mark
from process_designer.language.reading import Frame
from process_designer.language.roles import _NARRATOR, _subject, role_name


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


def _describes(verb: str) -> bool:
    """A verb that describes or relates rather than does ("be", "have")."""
    return verb in lexicon().remarks.describing


def _counts_cases(sentence: Span) -> bool:
    """"lots of returns w/out the label", "plenty of no-shows on fridays": a note that counts cases (not "lots
    rejected at inspection", batches)."""
    words = [t for t in sentence if not t.is_punct]
    return len(words) > 1 and words[0].lower_ in lexicon().remarks.quantity_nouns and words[1].lower_ == "of"
