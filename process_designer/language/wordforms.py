"""lemminflect's word forms, with its dictionaries looked up a word at a time.

lemminflect turns its two dictionaries (80,000 lemma lines, 40,000 inflection lines) into Python
dictionaries on first use, which costs more than half a second at every start of a command that
reads English. Both files are sorted by word, so here each is read as text once (a few
milliseconds) and a word's lines are found by binary search and parsed, with lemminflect's own
line readers, when the word is first asked for. lemminflect's logic on top (overrides, casing,
rules for words it does not know) is its own and unchanged; only where its entries come from is.

Every reader in the project asks for word forms through this module.
"""

from __future__ import annotations

import gzip
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any

__all__ = ["SortedLookup", "all_lemmas", "inflections", "lemmas", "oov_lemmas"]

Entry = dict[str, tuple[str, ...]]


def _word_of(line: str) -> str:
    return line[: line.find(",")]


class SortedLookup(Mapping[str, Entry]):
    """A read-only mapping from word to entry over a gzip'd CSV file sorted by its first field.

    ``read_line`` turns one line into ``(word, entry)``; the entries of a word's lines are merged
    in file order, as lemminflect does when it loads the whole file. ``fixed`` entries replace the
    file's (lemminflect hard-codes the modal and auxiliary verbs after loading).
    """

    def __init__(
        self, path: str, read_line: Callable[[str], tuple[str, Entry]], fixed: Mapping[str, Entry] | None = None
    ) -> None:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            # "\n" only: a word may hold characters str.splitlines() also breaks at
            self._lines = handle.read().rstrip("\n").split("\n")
        self._read_line = read_line
        self._parsed: dict[str, Entry | None] = dict(fixed or {})

    def _find(self, word: str) -> Entry | None:
        if word in self._parsed:
            return self._parsed[word]
        entry: Entry | None = None
        index = bisect_left(self._lines, word, key=_word_of)
        while index < len(self._lines) and _word_of(self._lines[index]) == word:
            entry = {**(entry or {}), **self._read_line(self._lines[index])[1]}
            index += 1
        self._parsed[word] = entry
        return entry

    def __getitem__(self, word: str) -> Entry:
        entry = self._find(word)
        if entry is None:
            raise KeyError(word)
        return entry

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word) is not None

    def __iter__(self) -> Iterator[str]:
        words = dict.fromkeys(_word_of(line) for line in self._lines)
        words.update(dict.fromkeys(word for word, entry in self._parsed.items() if entry is not None))
        return iter(words)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@lru_cache(maxsize=1)
def _engines() -> tuple[Any, Any]:
    """lemminflect's lemmatizer and inflector, their dictionaries read a word at a time."""
    from lemminflect import Inflections, Lemmatizer
    from lemminflect.codecs.InflectionLUCodec import InflectionLUCodec
    from lemminflect.codecs.LemmaLUCodec import LemmaLUCodec
    from lemminflect.core.LexicalUtils import categoryToUPos

    def lemma_line(line: str) -> tuple[str, Entry]:
        word, category, forms = LemmaLUCodec.fromString(line)
        return word, {categoryToUPos(category): forms}

    def inflection_line(line: str) -> tuple[str, Entry]:
        word, _, forms = InflectionLUCodec.fromString(line)
        return word, forms

    lemmatizer, inflector = Lemmatizer(), Inflections()
    # Both load their dictionary into these attributes on first use unless they are already set.
    if not hasattr(lemmatizer, "lemma_dict"):
        lemmatizer.lemma_dict = SortedLookup(lemmatizer.lemma_lu_fn, lemma_line)
    if not hasattr(inflector, "infl_dict"):
        fixed = InflectionLUCodec.updateForAuxMod({})
        inflector.infl_dict = SortedLookup(inflector.infl_lu_fn, inflection_line, fixed)
    return lemmatizer, inflector


def all_lemmas(word: str, upos: str | None = None) -> Entry:
    """Every lemma the dictionary lists for ``word``, by part of speech (``{"VERB": ("run",)}``)."""
    return dict(_engines()[0].getAllLemmas(word, upos))


def lemmas(word: str, upos: str) -> tuple[str, ...]:
    """The lemmas of ``word`` as ``upos``, by the dictionary or else by lemminflect's rules."""
    return tuple(_engines()[0].getLemma(word, upos))


def oov_lemmas(word: str, upos: str) -> Entry:
    """The lemma lemminflect's rules give ``word`` as ``upos``, whether or not the dictionary knows it."""
    return dict(_engines()[0].getAllLemmasOOV(word, upos))


def inflections(lemma: str, tag: str) -> tuple[str, ...]:
    """The forms of ``lemma`` for the Penn tag ``tag`` (``("drafts",)`` for draft/VBZ), or ``()``."""
    return tuple(_engines()[1].getInflection(lemma, tag) or ())
