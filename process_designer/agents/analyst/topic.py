"""What the process is about: "design a process for handling equipment loans" → "equipment loans".

The topic comes from the request's framing (a heading, a sentence that asks for a process, a
title-like first line); the rest of the text is what the process does. Read from the parse: the
noun the request names ("process", "workflow", …) and the phrase attached to it.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from process_designer.language.pipeline import english

__all__ = ["read_topic"]

_PROCESS_NOUNS = {"process", "workflow", "procedure", "sop", "playbook", "runbook", "flow", "checklist", "policy"}
_FRAMING_VERBS = {"need", "want", "create", "design", "build", "document", "draft", "define", "write", "make",
                  "set", "automate", "help", "have", "like", "outline", "map", "describe", "give", "produce"}
_GERUNDS = {"handling", "managing", "processing", "running", "doing", "handle", "manage", "process", "of"}
_TOPIC_PREPS = {"for", "of", "to", "around", "covering", "on", "about", "behind"}


def _phrase(token: Token) -> str:
    words = [t for t in token.subtree if t.dep_ not in ("det", "punct", "relcl") and t.tag_ != "PRP$"]
    text = " ".join(t.text for t in words)
    text = re.sub(r"\s+([,.;:%'])", r"\1", text)
    parts = text.split()
    while parts and parts[0].lower() in _GERUNDS:
        parts = parts[1:]
    return " ".join(parts[:7])


def _framing_topic(sentence: Span) -> str | None:
    """The topic of a sentence that asks for a process, or of a title-like line."""
    verbs = [t for t in sentence if t.pos_ in ("VERB", "AUX") and not (t.tag_ == "VBG" and t.i == sentence.start)]
    nouns = [t for t in sentence if t.lower_ in _PROCESS_NOUNS]
    for noun in nouns:
        framed = not verbs or any(v.lemma_.lower() in _FRAMING_VERBS for v in verbs)
        if not framed:
            continue
        for prep in noun.children:
            if prep.dep_ in ("prep", "acl") and prep.lower_ in _TOPIC_PREPS:
                pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None:
                    return _phrase(pobj)
        modifiers = [t for t in noun.lefts if t.dep_ in ("compound", "amod", "nmod")]
        if modifiers:
            return " ".join(t.text for m in modifiers for t in m.subtree if t.dep_ != "det")
    if not verbs and len(sentence) <= 10:
        root = sentence.root
        if root.lower_ in _GERUNDS | {"management", "administration", "handling"}:
            pobj = next((c for p in root.children if p.lower_ == "of" for c in p.children), None)
            if pobj is not None:
                return _phrase(pobj)
        return _phrase(root) or None
    return None


def read_topic(text: str) -> tuple[str, str]:
    """(topic, the text the steps are read from)."""
    first, _, rest = text.partition("\n")
    heading = re.match(r"^(?P<head>[^:.!?]{3,80}):\s*(?P<tail>.*)$", first)
    if heading and len(heading.group("head").split()) <= 8:
        doc = english()(heading.group("head"))
        topic = _framing_topic(next(doc.sents))
        if topic is None and not any(t.dep_ in ("nsubj", "nsubjpass") for t in doc):
            topic = " ".join(t.text for t in doc if t.lower_ not in _PROCESS_NOUNS and t.dep_ != "det")
        if topic:
            body = "\n".join(part for part in (heading.group("tail"), rest) if part.strip())
            return topic, body
    doc = english()(first)
    sentences = list(doc.sents)
    if not sentences:
        return "", text
    topic = _framing_topic(sentences[0])
    if topic is None:
        return "", text
    remainder = first[sentences[0].end_char:].strip()
    body = "\n".join(part for part in (remainder, rest) if part.strip())
    return topic, body or text
