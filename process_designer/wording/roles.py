"""The normal form of a role name, so "The Claims Officers" and "claims officer" name one performer."""

from __future__ import annotations

import re

from process_designer.language.pipeline import noun_lemma

__all__ = ["ASSUMED_MARK", "normalise_role"]

ASSUMED_MARK = "(assumed)"
_ARTICLES = frozenset({"the", "a", "an"})
# "Finance team" names the same performer as "Finance"; a trailing collective noun is dropped.
_COLLECTIVES = frozenset({"team", "department", "dept", "group"})
_WORD = re.compile(r"[a-z0-9]+")


def normalise_role(name: str) -> str:
    """``"The Claims Officers (assumed)"`` → ``"claim officer"``: lower case, no articles, singular words.

    Possessives and punctuation go (``owner's representative`` → ``owner representative``,
    ``tier-1 agent`` → ``tier 1 agent``), ``&`` reads as ``and``, and a trailing collective noun
    (team, department, dept, group) is dropped when something else names the performer.
    """
    text = name.lower().replace(ASSUMED_MARK, " ").replace("&", " and ")
    text = re.sub(r"['’]s\b", "", text)
    words = [noun_lemma(word) for word in _WORD.findall(text) if word not in _ARTICLES]
    while len(words) > 1 and words[-1] in _COLLECTIVES:
        words.pop()
    return " ".join(words)
