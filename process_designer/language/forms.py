"""English word forms from lemminflect: verbs behind nouns, plurals, and the casing of names."""

from __future__ import annotations

import re
from functools import lru_cache

from process_designer.language import wordforms
from process_designer.language.lexicon import lexicon
from process_designer.language.pipeline import is_verb_base

__all__ = ["known_verb", "plural", "snake", "title_case", "verb_of_noun"]

# Suffix of a nominalisation → endings to try on its stem; each candidate must be a verb's base form.
_NOMINAL_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("iliation", ("ile",)),
    ("ication", ("y",)),
    ("ysis", ("yse", "yze")),
    ("ature", ("",)),
    ("tration", ("trate", "ter")),
    ("ification", ("ify",)),
    ("ization", ("ize",)),
    ("isation", ("ise", "ize")),
    ("ission", ("it",)),
    ("ation", ("ate", "e", "", "er")),
    ("ition", ("ite", "e", "")),
    ("ction", ("ct",)),
    ("ption", ("be", "pt")),
    ("sion", ("de", "d", "t", "se", "")),
    ("tion", ("te", "t", "")),
    ("ment", ("",)),
    ("ance", ("", "e")),
    ("ence", ("", "e")),
    ("ery", ("er", "")),
    ("ure", ("e", "")),
    ("al", ("e", "")),
    ("ing", ("", "e")),
    ("ion", ("", "e")),
    ("y", ("",)),
)
_SMALL = {"and", "or", "of", "for", "to", "in", "on", "a", "an", "the", "with", "by", "at", "from", "per"}


@lru_cache(maxsize=4096)
def verb_of_noun(noun: str) -> str | None:
    """The verb a noun names the doing of: ``approval`` → ``approve``, ``check`` → ``check``."""
    word = noun.lower()
    if word in lexicon().irregular_nominals:  # "receipt" → receive
        return lexicon().irregular_nominals[word]
    if known_verb(word):
        return word
    if word.endswith("ing"):  # "rating" → rate, not rat
        lemmas = wordforms.lemmas(word, "VERB")
        if lemmas and known_verb(lemmas[0]):
            return lemmas[0]
    for suffix, endings in _NOMINAL_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            for ending in endings:
                candidate = stem + ending
                if len(candidate) > 2 and known_verb(candidate):
                    return candidate
    # words lemminflect does not know ("onboarding", "triage") keep their own rules of form
    stem = word[:-3]
    if word.endswith("ing") and len(stem) > 2 and stem[-1] == stem[-2] and is_verb_base(stem[:-1]):
        return stem[:-1]  # "typesetting" → typeset
    if word.endswith("ing") and is_verb_base(stem):
        return stem
    return word if is_verb_base(word) and not word.endswith(("tion", "sion", "ment", "ure", "al")) else None


@lru_cache(maxsize=4096)
def known_verb(word: str) -> bool:
    """Whether lemminflect's dictionary lists ``word`` as the base form of a verb."""
    return word in wordforms.all_lemmas(word).get("VERB", ())


def plural(noun: str) -> str:
    forms = wordforms.inflections(noun, "NNS")
    return forms[0] if forms else noun + "s"


def snake(text: str, limit: int = 4) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "_".join(words[:limit]) or "value"


def title_case(text: str) -> str:
    """"claims officer" → "Claims Officer"; acronyms stay as they are; small words stay small."""
    out: list[str] = []
    for index, word in enumerate(text.split()):
        if len(word) > 1 and word.isupper():
            out.append(word)
        elif index and word.lower() in _SMALL:
            out.append(word.lower())
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)
