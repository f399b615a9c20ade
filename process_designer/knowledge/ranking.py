"""Hybrid ranking of templates: vector similarity plus keyword (weighed by rarity) and integration overlap, with reasons."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from process_designer.knowledge.template_model import ProcessTemplate

__all__ = [
    "IndexedTemplate",
    "QueryTerm",
    "Ranked",
    "Rarity",
    "SearchFilters",
    "circumstance_words",
    "keyword_candidates",
    "keyword_terms",
    "normalise_name",
    "query_terms",
    "rank",
    "rarity",
]

# Weights of the three signals; without requested integrations their share goes to the others.
_VECTOR_WEIGHT = 0.6
_KEYWORD_WEIGHT = 0.3
_INTEGRATION_WEIGHT = 0.1
# A query word found only in the description counts for less than one in the title or tags.
_WEAK_FIELD_CREDIT = 0.5
# A request whose actor is an outside party ("customers reporting a car accident to us") is not for a
# process that deals with no outside party at all (a workplace injury report): such a template keeps
# this share of its score.
_INTERNAL_ONLY_FACTOR = 0.85

_WORD = re.compile(r"[a-z0-9]+")
_STOPWORD_TEXT = (
    "a an and are as at be by can do does for from get gets has have how i in into is it its "
    "me my need needs new of on or our process processes that the their them then there these "
    "they this to us we what when where which who will with you your about after all also any "
    "before but each if like must no not out should so some such than through up via want would"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Words after a preposition of circumstance ("postmortems *after outages*", "visitor sign-in *at
# reception*") say when or where the work happens, not what it is (ranking_words.json).
_CONTEXT_WEIGHT = 0.5
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ers", "er", "ed", "es", "s")


@lru_cache(maxsize=1)
def _ranking_words() -> dict[str, frozenset[str]]:
    text = resources.files("process_designer.knowledge").joinpath("ranking_words.json").read_text(encoding="utf-8")
    data: dict[str, object] = json.loads(text)
    return {key: frozenset(value) for key, value in data.items() if isinstance(value, list)}


def _outside_parties() -> frozenset[str]:
    """Words that name people an organisation serves from outside ("customer", "claimant")."""
    return _ranking_words()["outside_parties"]


def circumstance_words() -> frozenset[str]:
    """Prepositions after which a request says when or where its work happens ("after", "at")."""
    return _ranking_words()["circumstance_words"]


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if suffix == "es" and not word.endswith(("sses", "xes", "zes", "ches", "shes")):
            continue  # "outages" is "outage" + s, "patches" is "patch" + es
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


class QueryTerm(NamedTuple):
    """One content word of a query: its stem, the word as written and how much it counts."""

    term: str
    word: str
    weight: float


def query_terms(text: str) -> list[QueryTerm]:
    """The content words of ``text``, lowercased and lightly stemmed; words after a preposition of
    circumstance ("after outages") count half, since they say when or where, not what."""
    pairs: list[QueryTerm] = []
    seen: set[str] = set()
    weight = 1.0
    for word in _WORD.findall(text.lower()):
        if word in circumstance_words():
            weight = _CONTEXT_WEIGHT
        if word in _STOPWORDS or len(word) < 2:
            continue
        term = _stem(word)
        if term not in seen:
            seen.add(term)
            pairs.append(QueryTerm(term, word, weight))
    return pairs


def keyword_terms(text: str) -> list[str]:
    """Content words of ``text``, lowercased and lightly stemmed, in order, without repeats."""
    return [q.term for q in query_terms(text)]


def normalise_name(name: str) -> str:
    """The comparable form of an integration, category or domain name."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


@dataclass(frozen=True)
class IndexedTemplate:
    """A template with the precomputed terms ranking and filtering use."""

    template: ProcessTemplate
    strong_terms: frozenset[str]
    weak_terms: frozenset[str]
    integrations: frozenset[str]
    category: str
    domain: str
    serves_outside: bool = True

    @classmethod
    def of(cls, template: ProcessTemplate) -> IndexedTemplate:
        strong = keyword_terms(" ".join([template.title, template.category, *template.tags]))
        weak = keyword_terms(f"{template.description} {template.business_domain}")
        return cls(
            template=template,
            strong_terms=frozenset(strong),
            weak_terms=frozenset(weak) - frozenset(strong),
            integrations=frozenset(normalise_name(i) for i in template.integrations),
            category=normalise_name(template.category),
            domain=normalise_name(template.business_domain),
            serves_outside=_names_outside_party(template),
        )


def _names_outside_party(template: ProcessTemplate) -> bool:
    """Whether the template's text mentions anyone it serves from outside (a customer, a claimant…)."""
    steps = " ".join(f"{s.name} {s.objective} {s.responsible} {' '.join(s.actions)}" for s in template.document.steps)
    words = _WORD.findall(f"{template.search_text()} {' '.join(template.roles)} {steps}".lower())
    return not _outside_parties().isdisjoint(words)


def _outside_actor(terms: list[QueryTerm]) -> str:
    """The outside party the query names in its main part ("customers" in "customers reporting…"), if any."""
    return next((q.word for q in terms if q.weight == 1.0 and q.word in _outside_parties()), "")


@dataclass(frozen=True)
class SearchFilters:
    """Metadata filters of a search, already normalised (see :func:`normalise_name`)."""

    category: str | None = None
    domain: str | None = None
    integrations: frozenset[str] = frozenset()
    complexity: str | None = None

    def matches(self, entry: IndexedTemplate) -> bool:
        """Whether ``entry`` passes every filter (integrations: it uses at least one of them)."""
        return (
            (self.category is None or entry.category == self.category)
            and (self.domain is None or entry.domain == self.domain)
            and (self.complexity is None or entry.template.complexity == self.complexity)
            and (not self.integrations or bool(entry.integrations & self.integrations))
        )

    def reasons(self) -> list[str]:
        """What a hit matched because of the scalar filters."""
        named = [
            ("category", self.category),
            ("domain", self.domain),
            ("complexity", self.complexity),
        ]
        return [f"{name} is {value}" for name, value in named if value]


@dataclass(frozen=True)
class Ranked:
    """One scored candidate."""

    entry: IndexedTemplate
    score: float
    reasons: list[str]


@dataclass(frozen=True)
class Rarity:
    """How much a match on each term says: a word few templates use ("car", "postmortem") tells them
    apart, one most of them use ("customer", "report") hardly does (inverse document frequency). A
    term no template uses weighs as an average one: it tells no template apart, but the query asks for it."""

    weights: Mapping[str, float]
    unknown: float = 1.0

    def of(self, term: str) -> float:
        return self.weights.get(term, self.unknown)


def rarity(postings: Mapping[str, frozenset[str]], size: int) -> Rarity:
    """The :class:`Rarity` of every term of a library of ``size`` templates with these ``postings``."""
    weights = {term: math.log((size + 1) / (len(ids) + 0.5)) for term, ids in postings.items()}
    return Rarity(weights, sum(weights.values()) / len(weights) if weights else 1.0)


def _keyword_overlap(
    terms: list[QueryTerm], entry: IndexedTemplate, rare: Rarity | None
) -> tuple[float, list[str]]:
    """The share of the query's terms, weighed by their rarity, found in the template."""
    credit = total = 0.0
    hits: list[str] = []
    for term, word, weight in terms:
        weight *= rare.of(term) if rare else 1.0
        total += weight
        if term in entry.strong_terms:
            credit += weight
            hits.append(word)
        elif term in entry.weak_terms:
            credit += _WEAK_FIELD_CREDIT * weight
            hits.append(word)
    return (credit / total if total else 0.0), hits


def rank(
    candidates: Iterable[tuple[IndexedTemplate, float]],
    terms: list[QueryTerm],
    wanted_integrations: frozenset[str],
    filters: list[str],
    rare: Rarity | None = None,
) -> list[Ranked]:
    """Score ``(entry, cosine)`` pairs in 0..1, best first; ties break by template id. ``rare``
    weighs each keyword by how few templates share it (see :func:`rarity`); without it all count alike."""
    if wanted_integrations:
        weights = (_VECTOR_WEIGHT, _KEYWORD_WEIGHT, _INTEGRATION_WEIGHT)
    else:
        total = _VECTOR_WEIGHT + _KEYWORD_WEIGHT
        weights = (_VECTOR_WEIGHT / total, _KEYWORD_WEIGHT / total, 0.0)
    ranked: list[Ranked] = []
    outside = _outside_actor(terms)
    for entry, cosine in candidates:
        vector = min(1.0, max(0.0, cosine))
        keyword, hits = _keyword_overlap(terms, entry, rare)
        shared = sorted(entry.integrations & wanted_integrations)
        integration = len(shared) / len(wanted_integrations) if wanted_integrations else 0.0
        score = weights[0] * vector + weights[1] * keyword + weights[2] * integration
        reasons = [f"similar in meaning (cosine {vector:.2f})"]
        if outside and not entry.serves_outside:
            score *= _INTERNAL_ONLY_FACTOR
            reasons.append(f"deals with no outside party, and the request names {outside}")
        if hits:
            reasons.append(f"keywords matched: {', '.join(hits)}")
        if shared:
            reasons.append(
                f"uses {len(shared)} of {len(wanted_integrations)} integrations: {', '.join(shared)}"
            )
        elif wanted_integrations:
            reasons.append(
                f"uses none of the integrations {', '.join(sorted(wanted_integrations))}"
            )
        reasons.extend(filters)
        ranked.append(Ranked(entry, round(min(1.0, max(0.0, score)), 4), reasons))
    ranked.sort(key=lambda r: (-r.score, r.entry.template.id))
    return ranked


def keyword_candidates(
    terms: list[str],
    entries: dict[str, IndexedTemplate],
    postings: dict[str, frozenset[str]],
    exclude: set[str],
    limit: int,
    filters: SearchFilters,
) -> list[str]:
    """Ids of up to ``limit`` templates outside ``exclude`` sharing the most query terms."""
    common = max(50, len(entries) // 20)  # a term in a twentieth of all templates says little
    counts: Counter[str] = Counter()
    for term in terms:
        ids = postings.get(term, frozenset())
        if len(ids) <= common:
            counts.update(ids)
    for tid in exclude:
        counts.pop(tid, None)
    best: list[str] = []
    for tid, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if filters.matches(entries[tid]):
            best.append(tid)
            if len(best) == limit:
                break
    return best
