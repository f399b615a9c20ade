"""Data-mapping rows from the fields the user names: "Map Account.Name to customer.companyName, …", "A -> B".

Field names are atoms of the text (``Account.Name``, ``Email_Address``), which the tagger splits
and mis-tags, so rows are read from the words themselves: a mapping sentence is one whose verb is
*map* or that pairs fields with an arrow; its items are separated by commas, semicolons and "and",
and each item is ``source <link> target [how]``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from process_designer.domain.models import DataMapping
from process_designer.integration.lexicon import cues, known_systems, transforms

__all__ = ["MAX_FIELD_WORDS", "field_words", "is_mapping_sentence", "mapping_rows", "transformation_for"]

_ITEM_SEPARATORS = re.compile(r"\s*(?:[,;]|\band\b|\n)\s*")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_EDGE = " .:;,!?()[]\"'`"
_ARTICLES = {"the", "a", "an", "our", "their", "its"}
MAX_FIELD_WORDS = 3  # "billing address", "VAT number": longer is a clause, not a field name


def _words(text: str) -> list[str]:
    return text.split()


def _looks_like_field(word: str) -> bool:
    """``Account.Name``, ``Email_Address``, ``tranDate``: a word a person would only write as a field name
    (not a product name such as ``NetSuite``)."""
    core = word.strip(_EDGE)
    if not core or core.lower() in _system_words():
        return False
    return "." in core.strip(".") or "_" in core or bool(_CAMEL.search(core))


@lru_cache(maxsize=1)
def _system_words() -> frozenset[str]:
    return frozenset(word for system in known_systems() for alias in system.aliases for word in alias.split())


def _map_verb_at(words: list[str]) -> int | None:
    """Index of the word after a mapping verb or a "Mapping:" head, or ``None``."""
    lowered = [w.lower().strip(_EDGE) for w in words]
    for index, word in enumerate(lowered[:6]):
        if word in cues().map_verbs:
            return index + 1
    head = " ".join(lowered[:3])
    for phrase in cues().map_heads:
        if head.startswith(phrase) and ":" in " ".join(words[:3]):
            return len(phrase.split())
    return None


def _pairs(text: str) -> list[tuple[str, str, str]]:
    """``(source, target, rest)`` of every ``source <link> target`` item of ``text``."""
    rows: list[tuple[str, str, str]] = []
    for item in _ITEM_SEPARATORS.split(text):
        words = _words(_spaced_arrows(item))
        link = next((i for i, w in enumerate(words) if w.lower() in cues().map_links and 0 < i < len(words) - 1),
                    None)
        if link is None:
            continue
        source = _field(words[:link])
        target_words = [w for w in words[link + 1:] if w.lower() not in _ARTICLES]
        if not source or not target_words or len(source.split()) > MAX_FIELD_WORDS:
            continue  # "countries must be converted to ISO codes" is a rule, not a row
        target_end = 1 if _looks_like_field(target_words[0]) or len(target_words) == 1 else _name_end(target_words)
        target = _field(target_words[:target_end])
        rows.append((source, target, " ".join(target_words[target_end:])))
    return rows


def _spaced_arrows(text: str) -> str:
    for arrow in cues().arrows:
        text = text.replace(arrow, f" {arrow} ")
    return text


def _name_end(words: list[str]) -> int:
    """How many of ``words`` name the target field ("company name in lowercase" → 2)."""
    for index, word in enumerate(words):
        if word.lower() in {"in", "as", "with", "using", "converted", "formatted", "(", "after", "before"} \
                or word.startswith("("):
            return max(index, 1)
    return len(words)


def _field(words: list[str]) -> str:
    kept = [w.strip(_EDGE) for w in words if w.lower().strip(_EDGE) not in _ARTICLES]
    kept = [w for w in kept if w and w.lower() not in {"field", "fields", "column", "is", "are", "gets", "get"}]
    return " ".join(kept)


def is_mapping_sentence(sentence: str) -> bool:
    """Whether ``sentence`` states data-mapping rows (and so is not a step of the process).

    "Map Account.Name to customer.companyName", "Worker_ID -> employeeNumber", "Field mapping: …";
    not "Map out the approval chain" (no field is paired with another).
    """
    words = _words(_spaced_arrows(sentence))
    if not words:
        return False
    arrows = [i for i, w in enumerate(words) if w in cues().arrows]
    if any(0 < i < len(words) - 1 and (_looks_like_field(words[i - 1]) or _looks_like_field(words[i + 1]))
           for i in arrows):
        return True
    start = _map_verb_at(words)
    if start is None:  # "order.total_price to TotalAmt": two field names paired without a verb
        return any(_looks_like_field(s) and _looks_like_field(t) for s, t, _ in _pairs(" ".join(words)))
    rows = _pairs(" ".join(words[start:]))
    return bool(rows) or any(_looks_like_field(w) for w in words[start:]) or len(_listed_fields(words[start:])) >= 2


def _listed_fields(words: list[str]) -> list[str]:
    """"the account name, billing address and VAT number": fields listed without targets (up to a semicolon)."""
    text = " ".join(words).split(";")[0]
    items = [_field(item.split()) for item in _ITEM_SEPARATORS.split(text) if item.strip()]
    if not items or any(not item or len(item.split()) > MAX_FIELD_WORDS for item in items):
        return []
    return items


def field_words(name: str) -> list[str]:
    """The words of a field name: ``customer.companyName`` → ``["customer", "company", "name"]``."""
    spaced = _CAMEL.sub(" ", name)
    return [w.lower() for w in re.split(r"[\s._\-/]+", spaced) if w]


def transformation_for(source: str, target: str, stated: str = "") -> str:
    """The transformation the user states in ``stated``, else the one the field names imply, else ``copy``."""
    said = stated.lower()
    for transform in transforms():
        if said and any(phrase in said for phrase in transform.stated):
            return transform.kind
    for word in [*reversed(field_words(target)), *reversed(field_words(source))]:
        for transform in transforms():
            if word in transform.field_words:
                return transform.kind
    return "copy"


def mapping_rows(sentence: str) -> list[DataMapping]:
    """The data-mapping rows ``sentence`` states (empty when it states none)."""
    if not is_mapping_sentence(sentence):
        return []
    words = _words(_spaced_arrows(sentence))
    start = _map_verb_at(words)
    if start is not None and 1 < start < len(words) and words[start].lower() in cues().map_links:
        start, words = 0, [*words[:start - 1], *words[start:]]  # "Account.Name maps to companyName"
    body = " ".join(words[start:]) if start is not None else " ".join(words)
    if start is None and ":" in body.split("->")[0].split("→")[0]:
        body = body.split(":", 1)[1]  # "Field mapping: A -> B" without a mapping verb first
    pairs = _pairs(body)
    if not pairs and start is not None:  # "Map the account name, billing address and VAT number"
        return [DataMapping(source=name, target="", transformation=transformation_for(name, ""))
                for name in _listed_fields(body.split())]
    return [DataMapping(source=source, target=target, transformation=transformation_for(source, target, rest))
            for source, target, rest in pairs]
