"""Requirement text before reading: clean characters, shorthand spelled out, instructions to the
system dropped, and whether it is English at all."""

from __future__ import annotations

import re

from process_designer.language.lexicon import expand_abbreviations, lexicon

__all__ = ["is_english", "normalise", "strip_injection"]

_INJECTION = re.compile(
    r"ignore (?:all |any )?(?:previous|prior|above) (?:instructions|prompts?)|system prompt|"
    r"you are now|disregard (?:the|your) (?:rules|instructions)|reveal your|jailbreak",
    re.IGNORECASE,
)
# Function words: English ones, and those of the languages people most often write in instead.
_ENGLISH = frozenset(
    ["the", "and", "to", "of", "a", "for", "is", "in", "then", "if", "with", "on", "by", "we", "our", "be", "must", "should", "when", "after", "each", "from", "every", "all", "any", "before", "until", "per", "new", "into", "out", "up", "it", "them", "their", "this", "that", "are", "was", "has", "have", "will", "can", "or", "no", "not"])
_FOREIGN = frozenset(
    ["je", "nous", "vous", "les", "des", "du", "et", "pour", "avec", "une", "dans", "est", "le", "la", "au", "aux", "sur", "pas", "mais", "los", "las", "el", "para", "por", "una", "con", "que", "del", "um", "uma", "com", "não", "il", "della", "dei", "degli", "delle", "di", "che", "der", "das", "und", "mit", "für", "ein", "eine", "ist", "nicht", "het", "een", "voor", "niet"])


# "e-mail the customer": the verb, which the tokenizer would split into three words; the noun stays as written.
_EMAIL_VERB = re.compile(r"\be-mail(?=s?\s+(?:the|a|an|them|him|her|it|all|each|every|our|their|your)\b)",
                         re.IGNORECASE)


def _join_idioms(text: str) -> str:
    """"tests the agents end to end": an adverb of several words, which the parser would read as a verb
    ("the agents end"), hyphenated into one ("end-to-end"); the list is in the lexicon."""
    for idiom in lexicon().idioms:
        text = re.sub(rf"\b{re.escape(idiom)}\b", idiom.replace(" ", "-"), text, flags=re.IGNORECASE)
    return text


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\t", " ")
    text = "".join(ch for ch in text if ch == "\n" or ch.isprintable())
    text = re.sub(r"[ \u00a0]+", " ", text)
    return _EMAIL_VERB.sub("email", _join_idioms(expand_abbreviations(text))).strip()  # the length limit is checked where messages arrive (limits.py)


def strip_injection(text: str) -> tuple[str, bool]:
    """Drop sentences addressed to the system; line breaks stay, since they carry the user's list."""
    lines: list[str] = []
    dropped = False
    for line in text.split("\n"):
        sentences = re.split(r"(?<=[.!?])\s+", line)
        kept = [s for s in sentences if not _INJECTION.search(s)]
        dropped = dropped or len(kept) != len(sentences)
        if " ".join(kept).strip():
            lines.append(" ".join(kept).strip())
    return "\n".join(lines).strip(), dropped


def is_english(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    words = re.findall(r"[^\W\d_]+", text.lower())
    ascii_share = sum(ch.isascii() for ch in letters) / len(letters)
    hints = sum(w in _ENGLISH for w in words)
    foreign = sum(w in _FOREIGN for w in words)
    if ascii_share <= 0.8 or foreign > hints:
        return False
    if hints / max(1, len(words)) > 0.04:
        return True
    # a short title ("Quarterly tax filing") may hold no function word at all: its words must be English ones
    from lemminflect import getAllLemmas

    known = sum(bool(getAllLemmas(w)) for w in words)
    return len(words) <= 40 and known / max(1, len(words)) >= 0.6
