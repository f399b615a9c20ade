"""What the process is about: "design a process for handling equipment loans" → "equipment loans".

The topic comes from the request's framing (a heading, a sentence that asks for a process, a
title-like first line); the rest of the text is what the process does. Read from the parse: the
noun the request names ("process", "workflow", …) and the phrase attached to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from process_designer.language.lexicon import lexicon
from process_designer.language.pipeline import english
from process_designer.language.roles import role_name

__all__ = ["Topic", "read_topic"]


@dataclass
class Topic:
    """What the process is about, the text its steps are read from, and a verb a heading lends to a
    list of bare nouns ("Get new engineers set up: laptop, accounts" → set up laptop, set up accounts)."""

    topic: str
    body: str
    verb: str = ""
    owner: str = ""  # the role an opening "<role> handles <things>" names as the process's owner


def _heading_verb(sentence: Span) -> str:
    """The action of a heading said as a command ("Set up laptops", "Get engineers set up"); a heading
    that opens with anything else ("New hire setup") names a thing, whatever the tagger says."""
    first = sentence[0]
    if first.pos_ != "VERB" and first.lemma_.lower() not in lexicon().weak_verbs:
        return ""
    for token in sentence:
        if token.pos_ == "VERB" and token.lemma_.lower() not in lexicon().weak_verbs and token.dep_ in ("ROOT", "xcomp", "ccomp", "conj"):
            particle = next((c.lower_ for c in token.children if c.dep_ == "prt"), "")
            return f"{token.lemma_.lower()} {particle}".strip()
    return ""


def _head_phrase(token: Token) -> str:
    """The noun phrase of ``token`` without what hangs on it: "performance reviews" of
    "twice-yearly performance reviews with self assessment"."""
    tokens = [token]
    while tokens[0].i > 0:
        before = token.doc[tokens[0].i - 1]
        hyphen = before.text == "-" and not before.whitespace_ and before.i > 0
        if before.pos_ not in ("NOUN", "PROPN", "ADJ") and not hyphen:
            break
        tokens.insert(0, before)
        if hyphen:
            tokens.insert(0, token.doc[before.i - 1])
    parts = "".join(t.text_with_ws for t in tokens).replace(" - ", "-").split()
    while parts and parts[0].lower() in lexicon().gerunds:
        parts = parts[1:]
    return " ".join(parts)


def _phrase(token: Token) -> str:
    words = [t for t in token.subtree if t.dep_ not in ("det", "punct", "relcl") and t.tag_ != "PRP$"]
    text = " ".join(t.text for t in words)
    text = re.sub(r"\s+([,.;:%'])", r"\1", text)
    parts = text.split()
    while parts and parts[0].lower() in lexicon().gerunds:
        parts = parts[1:]
    return " ".join(parts[:7])


def _framing_topic(sentence: Span) -> str | None:
    """The topic of a sentence that asks for a process, or of a title-like line."""
    verbs = [t for t in sentence if t.pos_ in ("VERB", "AUX") and not (t.tag_ == "VBG" and t.i == sentence.start)]
    nouns = [t for t in sentence if t.lower_ in lexicon().process_nouns]
    for noun in nouns:
        framed = not verbs or any(v.lemma_.lower() in lexicon().framing_verbs for v in verbs)
        if not framed:
            continue
        for prep in noun.children:
            if prep.dep_ in ("prep", "acl") and prep.lower_ in lexicon().topic_prepositions:
                pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None:
                    return _phrase(pobj)
        modifiers = [t for t in noun.lefts if t.dep_ in ("compound", "amod", "nmod")]
        if modifiers:
            return " ".join(t.text for m in modifiers for t in m.subtree if t.dep_ != "det")
    if not verbs and len(sentence) <= 16:
        root = sentence.root
        if root.lower_ in lexicon().gerunds | {"management", "administration", "handling"}:
            pobj = next((c for p in root.children if p.lower_ == "of" for c in p.children), None)
            if pobj is not None:
                return _phrase(pobj)
        return _head_phrase(root) or None
    return None


def _owning(sentence: Span) -> tuple[str, str] | None:
    """The topic and owner of an opening that says who owns the process: "Our facilities team handles meeting
    room bookings for external visitors", "The registrar's office is responsible for student transfers".
    Only a clause of its own about things in general (a plural or "all …"): "the night manager handles
    the cash count" is a step, and so is a clause that goes on ("… and pays them")."""
    root = sentence.root
    if any(c.dep_ in ("conj", "advcl", "ccomp") for c in root.children):
        return None
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if root.lemma_.lower() in lexicon().owning_verbs:
        thing = next((c for c in root.children if c.dep_ == "dobj"), None)
    elif root.lemma_.lower() == "be":
        thing = _owned_by_adjective(root)
    else:
        return None
    if subject is None or thing is None or not _in_general(thing):
        return None
    owner = "" if subject.pos_ == "PRON" else (role_name(subject) or "")
    return _phrase(thing), owner


def _owned_by_adjective(root: Token) -> Token | None:
    """The thing of "is responsible for X" / "is in charge of X" (through a gerund: "for processing X")."""
    words = lexicon().owning_adjectives
    for token in root.subtree:
        if token.lower_ in words and root in (token.head, token.head.head):
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ in ("for", "of"):
                    thing = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
                    if thing is not None and thing.tag_ == "VBG":
                        thing = next((c for c in thing.children if c.dep_ == "dobj"), None)
                    return thing
    return None


def _in_general(thing: Token) -> bool:
    """Things of a kind ("meeting room bookings", "all invoices", "a monthly webinar"), not particular ones ("the
    timesheets")."""
    determiners = [c for c in thing.children if c.dep_ in ("det", "poss")]
    if any(c.lower_ in ("all", "every", "any") for c in determiners):
        return True
    return (thing.tag_ in ("NNS", "NNPS") and not determiners) or _recurring(thing)


def _recurring(thing: Token) -> bool:
    """"a monthly customer webinar", "an annual engagement survey": an event that recurs is the process itself."""
    indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in thing.children)
    return indefinite and any(c.dep_ in ("amod", "compound", "nmod") and c.lower_ in lexicon().remarks.recurring
                              for c in thing.children)


def _lists_steps(sentence: Span) -> bool:
    """A title that goes on to name its parts ("reviews with self assessment and manager rating")."""
    return any(t.lower_ in ("with", "including", ":") or t.dep_ == "conj" for t in sentence)


_TITLE = re.compile(r"^(?P<head>[^:.!?]{3,60}?)\s+[-–—]\s+(?P<meta>[^.!?]*)$")


def _titled(first: str, rest: str) -> str | None:
    """A title line over notes ("PO approvals - notes from ops mtg 14/3", "release train - mobile app (wk 2)"):
    the words before the dash name the process; what follows says what the notes are, and neither is a step."""
    match = _TITLE.match(first.strip())
    if match is None or not rest.strip() or len(match.group("head").split()) > 6:
        return None
    doc = english()(match.group("head"))
    if any(t.dep_ in ("nsubj", "nsubjpass") for t in doc):
        return None  # "customers call - the agent confirms": a clause, not a title
    words = [t.text for t in doc if t.lower_ not in lexicon().process_nouns and t.dep_ != "det"]
    while words and words[0].lower() in lexicon().gerunds:
        words = words[1:]
    return " ".join(words) or None


def read_topic(text: str) -> Topic:
    """The topic, the text the steps are read from, and a heading's verb."""
    first, _, rest = text.partition("\n")
    titled = _titled(first, rest)
    if titled is not None:
        return Topic(titled, rest)
    heading = re.match(r"^(?P<head>[^:.!?]{3,80}):\s*(?P<tail>.*)$", first)
    if heading and len(heading.group("head").split()) <= 10:
        doc = english()(heading.group("head"))
        sentence = next(doc.sents)
        topic = _framing_topic(sentence)
        verb = _heading_verb(sentence)
        if topic is None and verb:
            objects = [t for t in sentence if t.dep_ in ("dobj", "nsubj", "nsubjpass") and t.pos_ == "NOUN"]
            topic = f"{_head_phrase(objects[0])} {verb}" if objects else verb
        elif topic is None and (len(doc) <= 5 or not any(t.dep_ in ("nsubj", "nsubjpass") for t in doc)):
            words = [t.text for t in doc if t.lower_ not in lexicon().process_nouns and t.dep_ != "det"]
            while words and (words[0].lower() in lexicon().gerunds or words[0].lower() in lexicon().topic_prepositions):
                words = words[1:]  # "Process for handling employee leave requests" → "employee leave requests"
            topic = " ".join(words)
        if topic:
            body = "\n".join(part for part in (heading.group("tail"), rest) if part.strip())
            return Topic(topic, body, verb)
    # only the opening sentence can frame the request: parse just that much
    opening = re.match(r"^.+?(?:[.!?](?=\s+[A-Z])|$)", first)
    doc = english()(opening.group(0) if opening else first)
    sentences = list(doc.sents)
    if not sentences:
        return Topic("", text)
    topic = _framing_topic(sentences[0])
    after = "\n".join(part for part in (first[sentences[0].end_char:].strip(), rest) if part.strip())
    if topic is None:
        owning = _owning(sentences[0]) if after else None  # an owner is named over steps that follow
        return Topic(owning[0], after, owner=owning[1]) if owning is not None else Topic("", text)
    if _lists_steps(sentences[0]):  # the title names the parts: read them as the steps
        return Topic(topic, text)
    return Topic(topic, after or text)
