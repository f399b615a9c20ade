"""Noun phrases and clause text from the dependency parse.

Reads the words of a noun phrase ("senior claims officer" without its determiners and clauses), the
phrase a step acts on (:func:`object_phrase`), a clause's text and its subordinating word ("if", "as soon
as"), and the verb a word is a form of by the dictionary. The lowest layer of the reading: every other
module of the clause reading builds on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.tokens import Token

from process_designer.language import wordforms
from process_designer.language.forms import known_verb
from process_designer.language.lexicon import lexicon
from process_designer.language.pipeline import is_verb_base
from process_designer.language.systems import detect_systems

_OBJECT_OF_HEADS = {"copy", "list", "set", "number", "letter", "batch", "proof", "record", "summary", "report",
                    "statement", "notice", "version", "form", "certificate", "status", "details", "quote"}


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


def _pronoun(token: Token) -> bool:
    return token.pos_ == "PRON" or token.tag_ in ("PRP", "PRP$", "WP", "WDT")


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


_IMPERATIVE_MARK = "Please"


def _dictionary_verb(word: str) -> bool:
    """A verb's base form lemminflect's dictionary knows ("land", "screen"); not a name it has never seen."""
    return word in wordforms.all_lemmas(word).get("VERB", ()) and is_verb_base(word)


def _verb_form(token: Token) -> str | None:
    """The verb ``token`` is a form of ("drafts" → draft, "signs" → sign), by lemminflect's dictionary."""
    if not token.is_alpha or token.pos_ in ("DET", "ADP", "PRON", "CCONJ", "NUM") or (
            token.text.isupper() and len(token.text) > 1):
        return None  # an acronym is a name ("PIR for every failed change"), never a verb
    for lemma in wordforms.lemmas(token.lower_, "VERB"):
        if known_verb(lemma) and token.lower_ in {lemma, *wordforms.inflections(lemma, "VBZ"), *wordforms.inflections(lemma, "VBD")}:
            return lemma
    return None
