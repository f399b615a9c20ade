"""Hybrid ranking of templates: vector similarity plus keyword and integration overlap, with reasons."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from process_designer.knowledge.template_model import ProcessTemplate

__all__ = [
    "IndexedTemplate",
    "Ranked",
    "SearchFilters",
    "keyword_candidates",
    "keyword_terms",
    "normalise_name",
    "query_terms",
    "rank",
]

# Weights of the three signals; without requested integrations their share goes to the others.
_VECTOR_WEIGHT = 0.6
_KEYWORD_WEIGHT = 0.3
_INTEGRATION_WEIGHT = 0.1
# A query word found only in the description counts for less than one in the title or tags.
_WEAK_FIELD_CREDIT = 0.5

_WORD = re.compile(r"[a-z0-9]+")
_STOPWORD_TEXT = (
    "a an and are as at be by can do does for from get gets has have how i in into is it its "
    "me my need needs new of on or our process processes that the their them then there these "
    "they this to us we what when where which who will with you your about after all also any "
    "before but each if like must no not out should so some such than through up via want would"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ers", "er", "ed", "es", "s")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def query_terms(text: str) -> list[tuple[str, str]]:
    """``(term, word)`` pairs of ``text``: its content words lowercased and lightly stemmed."""
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for word in _WORD.findall(text.lower()):
        if word in _STOPWORDS or len(word) < 2:
            continue
        term = _stem(word)
        if term not in seen:
            seen.add(term)
            pairs.append((term, word))
    return pairs


def keyword_terms(text: str) -> list[str]:
    """Content words of ``text``, lowercased and lightly stemmed, in order, without repeats."""
    return [term for term, _ in query_terms(text)]


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
        )


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


def _keyword_overlap(
    terms: list[tuple[str, str]], entry: IndexedTemplate
) -> tuple[float, list[str]]:
    if not terms:
        return 0.0, []
    credit = 0.0
    hits: list[str] = []
    for term, word in terms:
        if term in entry.strong_terms:
            credit += 1.0
            hits.append(word)
        elif term in entry.weak_terms:
            credit += _WEAK_FIELD_CREDIT
            hits.append(word)
    return credit / len(terms), hits


def rank(
    candidates: Iterable[tuple[IndexedTemplate, float]],
    terms: list[tuple[str, str]],
    wanted_integrations: frozenset[str],
    filters: list[str],
) -> list[Ranked]:
    """Score ``(entry, cosine)`` pairs in 0..1, best first; ties break by template id."""
    if wanted_integrations:
        weights = (_VECTOR_WEIGHT, _KEYWORD_WEIGHT, _INTEGRATION_WEIGHT)
    else:
        total = _VECTOR_WEIGHT + _KEYWORD_WEIGHT
        weights = (_VECTOR_WEIGHT / total, _KEYWORD_WEIGHT / total, 0.0)
    ranked: list[Ranked] = []
    for entry, cosine in candidates:
        vector = min(1.0, max(0.0, cosine))
        keyword, hits = _keyword_overlap(terms, entry)
        shared = sorted(entry.integrations & wanted_integrations)
        integration = len(shared) / len(wanted_integrations) if wanted_integrations else 0.0
        score = weights[0] * vector + weights[1] * keyword + weights[2] * integration
        reasons = [f"similar in meaning (cosine {vector:.2f})"]
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
