"""Steps named by nouns: noun steps, event nouns, telegraphic lines and moments.

Reads steps that have no verb of their own or whose verb the parser missed: a list item that names
its step by a noun ("manager approval", "invoice"), the moments a clause names ("after approval"),
a short telegraphic line read by word forms ("writer drafts", "block sender"), and a command under a
condition the parser read as one clause ("if the parcel is lost issue a replacement").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from process_designer.language import wordforms
from process_designer.language.conditions import read_condition
from process_designer.language.forms import verb_of_noun
from process_designer.language.lexicon import lexicon
from process_designer.language.phrases import (
    _IMPERATIVE_MARK,
    _dictionary_verb,
    _mark,
    _phrase_tokens,
    _proper,
    _text,
    _verb_form,
    object_phrase,
)
from process_designer.language.pipeline import noun_lemma
from process_designer.language.reading import Frame, Reader
from process_designer.language.remarks import _counts_cases, _describes
from process_designer.language.roles import _role_word, role_name
from process_designer.language.systems import detect_systems


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
