"""The integration reader's word lists (``data/*.toml``) and the spaCy phrase matchers built from them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from process_designer.language.pipeline import english

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc, Span

__all__ = ["AuthMethod", "Cues", "KnownSystem", "Transform", "auth_methods", "cues", "known_systems",
           "matches", "transforms"]


def _load(name: str) -> dict[str, Any]:
    with resources.files("process_designer.integration").joinpath("data", name).open("rb") as handle:
        return tomllib.load(handle)


@dataclass(frozen=True)
class KnownSystem:
    name: str
    connector: str
    aliases: tuple[str, ...]
    generic: bool = False


@dataclass(frozen=True)
class AuthMethod:
    id: str
    label: str
    phrases: tuple[str, ...]
    secrets: tuple[str, ...]
    token: bool


@dataclass(frozen=True)
class Transform:
    kind: str
    stated: tuple[str, ...]
    field_words: tuple[str, ...]
    spy: str


@dataclass(frozen=True)
class Cues:
    """The word lists of ``data/cues.toml``; each attribute is one list (or the two maps)."""

    flow_verbs: frozenset[str]
    toward: frozenset[str]
    source: frozenset[str]
    back: frozenset[str]
    two_way: tuple[str, ...]
    one_way: tuple[str, ...]
    map_verbs: frozenset[str]
    object_stop: frozenset[str]
    map_heads: tuple[str, ...]
    arrows: tuple[str, ...]
    map_links: frozenset[str]
    schedule_words: frozenset[str]
    every: frozenset[str]
    periods: tuple[str, ...]
    unit_names: dict[str, str]
    webhook: frozenset[str]
    event_heads: tuple[str, ...]
    limit_nouns: frozenset[str]
    per: frozenset[str]
    queues: dict[str, str]
    retry_words: frozenset[str]
    backoff: tuple[str, ...]
    review_verbs: frozenset[str]


@lru_cache(maxsize=1)
def cues() -> Cues:
    raw = _load("cues.toml")
    values: dict[str, Any] = {}
    for name, kind in Cues.__annotations__.items():
        value = raw[name]
        if "frozenset" in kind:
            values[name] = frozenset(value)
        elif "dict" in kind:
            values[name] = dict(value)
        else:
            values[name] = tuple(value)
    return Cues(**values)


@lru_cache(maxsize=1)
def known_systems() -> tuple[KnownSystem, ...]:
    return tuple(KnownSystem(name=s["name"], connector=s["connector"], aliases=tuple(s["aliases"]),
                             generic=bool(s.get("generic", False))) for s in _load("systems.toml")["system"])


@lru_cache(maxsize=1)
def auth_methods() -> tuple[AuthMethod, ...]:
    return tuple(AuthMethod(id=m["id"], label=m["label"], phrases=tuple(m["phrases"]), secrets=tuple(m["secrets"]),
                            token=bool(m["token"])) for m in _load("auth.toml")["method"])


@lru_cache(maxsize=1)
def transforms() -> tuple[Transform, ...]:
    return tuple(Transform(kind=t["kind"], stated=tuple(t["stated"]), field_words=tuple(t["field_words"]),
                           spy=t["spy"]) for t in _load("transforms.toml")["transform"])


@cache
def _matcher(kind: str) -> PhraseMatcher:
    from spacy.matcher import PhraseMatcher

    nlp = english()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    if kind == "system":
        for index, system in enumerate(known_systems()):
            matcher.add(str(index), [nlp.make_doc(alias) for alias in system.aliases])
    elif kind == "auth":
        for method in auth_methods():
            matcher.add(method.id, [nlp.make_doc(phrase) for phrase in method.phrases])
    else:
        phrases = {"queue": list(cues().queues), "two_way": cues().two_way, "one_way": cues().one_way,
                   "backoff": cues().backoff, "event": cues().event_heads}[kind]
        matcher.add(kind, [nlp.make_doc(phrase) for phrase in phrases])
    return matcher


def matches(doc: Doc, kind: str) -> list[tuple[str, Span]]:
    """``(key, span)`` of every ``kind`` phrase in ``doc``, the longest where two overlap, in text order.

    ``kind`` is ``system`` (key: index into :func:`known_systems`), ``auth`` (key: a method id),
    or one of the cue lists ``queue``, ``two_way``, ``one_way``, ``backoff``, ``event``.
    """
    from spacy.util import filter_spans

    found = [(doc.vocab.strings[key], doc[start:end]) for key, start, end in _matcher(kind)(doc)]
    kept = {(s.start, s.end) for s in filter_spans([s for _, s in found])}
    return sorted(((key, s) for key, s in found if (s.start, s.end) in kept), key=lambda item: item[1].start)
