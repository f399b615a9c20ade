"""Reading a chat message with the shared English pipeline: its command, step references, quantities and phrases.

The turn router and the edit parser both read a message through :func:`read_message`; the words
that name commands, fields and units are data (``chat_words.json``), not code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from process_designer.language.pipeline import english

__all__ = ["Quantity", "Reading", "chat_words", "read_message"]

QuantityKind = Literal["money", "percent", "duration", "date", "number"]


@lru_cache(maxsize=1)
def chat_words() -> dict[str, Any]:
    """The chat-reading vocabulary (``chat_words.json``)."""
    text = resources.files("process_designer.language").joinpath("chat_words.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@dataclass(frozen=True)
class Quantity:
    """A value the message names: ``$1,000`` (money, USD), ``20%``, ``2 hours``, ``31 March`` (date), ``3``."""

    kind: QuantityKind
    value: float
    unit: str
    text: str
    start: int  # index of its first token

    @property
    def number(self) -> int | float:
        return int(self.value) if float(self.value).is_integer() else self.value


@dataclass(frozen=True)
class Reading:
    """A message as the pipeline read it; positions are token indices."""

    text: str
    words: tuple[str, ...]  # lower-cased tokens
    lemmas: tuple[str, ...]
    originals: tuple[str, ...]  # tokens as written
    spaces: tuple[str, ...]
    tags: tuple[str, ...]
    command: str  # the action family of the leading verb (``chat_words.json`` "commands"), or ""
    verb: str  # the lemma of the leading or root verb
    verb_index: int
    question: bool
    steps: tuple[int, ...]  # step numbers in the order named
    step_positions: tuple[int, ...]  # token index of each step reference
    versions: tuple[int, ...]
    quantities: tuple[Quantity, ...]
    condition: str = ""  # an "if …"/"when …" clause
    condition_end: int = -1
    references: tuple[tuple[int, int, int], ...] = ()  # (number, first token, last token) of each "step N"

    def has(self, *words: str) -> bool:
        """Whether any of ``words`` occurs as a token or a lemma."""
        return any(w in self.words or w in self.lemmas for w in words)

    def has_field(self, name: str) -> bool:
        return self.has(*chat_words()["fields"][name])

    def position_of(self, *words: str, after: int = -1) -> int:
        """The index of the first token (after ``after``) that is one of ``words``; -1 when absent."""
        for index in range(after + 1, len(self.words)):
            if self.words[index] in words or self.lemmas[index] in words:
                return index
        return -1

    def span(self, start: int, end: int | None = None) -> str:
        """The message text of tokens ``start`` to ``end`` (exclusive), as written."""
        stop = len(self.originals) if end is None else end
        parts = [self.originals[i] + self.spaces[i] for i in range(max(start, 0), stop)]
        return "".join(parts).strip(" ,.;:!?\"'")

    def segment(self, start: int, stops: tuple[str, ...]) -> tuple[str, int]:
        """The words from ``start`` up to the next of ``stops`` (or the end), and where it ended."""
        end = start
        while end < len(self.words) and self.words[end] not in stops:
            end += 1
        return self.span(start, end), end

    def step_at(self, index: int) -> int | None:
        """The step number referred to at token ``index`` ("step 4" there), if any."""
        for number, first, last in self.references:
            if first <= index <= last:
                return number
        return None


def _number(word: str) -> float | None:
    clean = word.replace(",", "").lower()
    multiplier = 1000.0 if clean.endswith("k") and clean[:-1].replace(".", "", 1).isdigit() else 1.0
    clean = clean[:-1] if multiplier > 1 else clean
    try:
        return float(clean) * multiplier
    except ValueError:
        named = chat_words()["number_words"].get(clean)
        return float(named) if named is not None and named > 0 else None


def _quantities(words: list[str], lemmas: list[str], originals: list[str]) -> list[Quantity]:
    vocab = chat_words()
    money, units, months = vocab["money"], vocab["duration_units"], vocab["months"]
    found: list[Quantity] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in months and index + 1 < len(words) and (day := _number(words[index + 1])) is not None:
            found.append(_date(months.index(word) + 1, int(day), words, index, index + 2, originals))
            index += 2
            continue
        value = _number(word)
        if value is None or (word.isalpha() and word not in vocab["number_words"]):
            index += 1
            continue
        before = words[index - 1] if index else ""
        after = words[index + 1] if index + 1 < len(words) else ""
        pair = f"{after} {words[index + 2]}" if index + 2 < len(words) else ""
        if before in money:
            found.append(Quantity("money", value, money[before], f"{originals[index - 1]}{originals[index]}", index - 1))
        elif after in money:
            found.append(Quantity("money", value, money[after], f"{originals[index]} {originals[index + 1]}", index))
        elif after in vocab["percent"]:
            found.append(Quantity("percent", value, "%", f"{originals[index]}%", index))
        elif after in months:
            found.append(_date(months.index(after) + 1, int(value), words, index, index + 2, originals))
            index += 1
        elif pair.rstrip("s") in units or pair in units:
            unit = units.get(pair.rstrip("s"), units.get(pair, ""))
            found.append(Quantity("duration", value, unit, f"{originals[index]} {unit}", index))
        elif after in units or (index + 1 < len(lemmas) and lemmas[index + 1] in units):
            unit = units.get(after) or units[lemmas[index + 1]]
            found.append(Quantity("duration", value, unit, f"{originals[index]} {unit}", index))
        else:
            found.append(Quantity("number", value, "", originals[index], index))
        index += 1
    return found


def _date(month: int, day: int, words: list[str], start: int, end: int, originals: list[str]) -> Quantity:
    year = date.today().year
    if end < len(words) and words[end].isdigit() and len(words[end]) == 4:
        year = int(words[end])
    try:
        when = date(year, month, day)
    except ValueError:
        when = date(year, month, 1)
    return Quantity("date", float(when.toordinal()), when.isoformat(), " ".join(originals[start:end]), start)


def _references(words: list[str], kinds: tuple[str, ...]) -> list[tuple[int, int, int]]:
    """``(number, first token, last token)`` for "step 4", "steps 6 and 7", "step four", "the last step"."""
    found: list[tuple[int, int, int]] = []
    for index, word in enumerate(words):
        if word not in kinds:
            continue
        cursor = index + 1
        while cursor < len(words):
            value = _number(words[cursor]) if not words[cursor].isalpha() or words[cursor] in chat_words()[
                "number_words"] else None
            if value is not None and value > 0 and value.is_integer():
                found.append((int(value), index, cursor))
                cursor += 1
            elif words[cursor] in ((",", "and", "&", "to", "-") if word.endswith("s") else (",", "and", "&")) \
                    and cursor + 1 < len(words) and \
                    _number(words[cursor + 1]) is not None and found and found[-1][1] == index:
                if words[cursor] in ("to", "-"):  # "steps 2 to 4"
                    low, high = found[-1][0], int(_number(words[cursor + 1]) or 0)
                    found.extend((n, index, cursor + 1) for n in range(low + 1, high))
                cursor += 1
            else:
                break
    return found


def read_message(text: str) -> Reading:
    """Read ``text`` (one chat message) with the English pipeline."""
    vocab = chat_words()
    parsed = english()(text.strip())
    words = [t.text.lower() for t in parsed]
    lemmas = [t.lemma_.lower() for t in parsed]
    originals = [t.text for t in parsed]
    tags = [t.tag_ for t in parsed]
    question = text.strip().endswith("?")
    first = 0
    while first < len(words) and words[first] in vocab["lead_words"]:
        first += 1
    command, verb, verb_index = "", "", -1
    phrasal = _phrasal(words, first)
    if phrasal is not None:
        command, verb, verb_index = phrasal
    elif first < len(words):
        head = words[first]
        candidates = {head, lemmas[first]}
        for family, verbs in vocab["commands"].items():
            if candidates & set(verbs):
                command, verb, verb_index = family, lemmas[first] if lemmas[first] in verbs else head, first
                break
    polite = bool(words) and words[0] in ("can", "could", "will", "would") and command in vocab["command_questions"]
    if words and words[0] in vocab["question_words"] and not polite:
        question, command = True, ""
    elif polite:
        question = False
    if not command:
        root = next((t for t in parsed if t.dep_ == "ROOT"), None)
        if root is not None:
            verb, verb_index = root.lemma_.lower(), root.i
    condition, condition_end = "", -1
    opener = next((i for i, w in enumerate(words) if w in ("if", "when", "whenever", "unless")), -1)
    if opener >= 0:
        end = next((i for i in range(opener + 1, len(words)) if words[i] in (",", "then")), len(words))
        condition = "".join(originals[i] + parsed[i].whitespace_ for i in range(opener, end)).strip()
        condition_end = end
    kinds = tuple(vocab["step_words"])
    refs = _references(words, kinds)
    versions = [n for n, *_ in _references(words, tuple(vocab["version_words"]["versions"]))]
    in_refs = {i for _, a, b in refs for i in range(a, b + 1)} | {
        i for n, a, b in _references(words, tuple(vocab["version_words"]["versions"])) for i in range(a, b + 1)}
    quantities = [q for q in _quantities(words, lemmas, originals) if q.start not in in_refs]
    last = _last_step_reference(words, kinds)
    return Reading(
        text=text.strip(), words=tuple(words), lemmas=tuple(lemmas), originals=tuple(originals),
        spaces=tuple(t.whitespace_ for t in parsed), tags=tuple(tags), command=command, verb=verb,
        verb_index=verb_index, question=question,
        steps=tuple([n for n, *_ in refs] + ([last] if last else [])),
        step_positions=tuple([a for _, a, _ in refs]), versions=tuple(versions), quantities=tuple(quantities),
        condition=condition, condition_end=condition_end,
        references=tuple(refs),
    )


def _phrasal(words: list[str], first: int) -> tuple[str, str, int] | None:
    """A command of several words at ``first`` ("get rid of", "roll back"): (family, phrase, its last token)."""
    for phrase, family in chat_words()["phrasal_commands"].items():
        parts = phrase.split()
        if words[first:first + len(parts)] == parts:
            return family, phrase, first + len(parts) - 1
    return None


def _last_step_reference(words: list[str], kinds: tuple[str, ...]) -> int:
    """-1 for "the last step" / "the final step", 0 when the message has none."""
    for index, word in enumerate(words[:-1]):
        if word in ("last", "final") and words[index + 1] in kinds:
            return -1
    return 0
