"""Requirement text before reading: clean characters, shorthand spelled out, instructions to the
system dropped, and whether it is English at all."""

from __future__ import annotations

import re
from functools import lru_cache

from process_designer.language import wordforms
from process_designer.language.lexicon import expand_abbreviations, lexicon

__all__ = ["is_english", "normalise", "strip_injection"]

_INJECTION = re.compile(
    r"ignore (?:all |any )?(?:previous|prior|above) (?:instructions|prompts?)|system prompt|"
    r"you are now|disregard (?:the|your) (?:rules|instructions)|reveal your|jailbreak",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _email_verb() -> re.Pattern[str]:
    """"e-mail the customer": the verb, which the tokenizer would split into three words; the noun stays."""
    followers = "|".join(re.escape(w) for w in lexicon().email_verb_followers)
    return re.compile(rf"\be-mail(?=s?\s+(?:{followers})\b)", re.IGNORECASE)


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
    return _email_verb().sub("email", _join_idioms(expand_abbreviations(text))).strip()  # the length limit is checked where messages arrive (limits.py)


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
    hints = sum(w in lexicon().english_words for w in words)
    foreign = sum(w in lexicon().foreign_words for w in words)
    if ascii_share <= 0.8 or foreign > hints:
        return False
    if hints / max(1, len(words)) > 0.04:
        return True
    # a short title ("Quarterly tax filing") may hold no function word at all: its words must be English ones
    known = sum(bool(wordforms.all_lemmas(w)) for w in words)
    return len(words) <= 40 and known / max(1, len(words)) >= 0.6
