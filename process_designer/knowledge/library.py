"""The template library: curated and user templates indexed in Chroma, hybrid search, add and usage."""

from __future__ import annotations

import difflib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from process_designer.config import Settings
from process_designer.domain.models import ProcessDocument, QualityReport
from process_designer.errors import InputError, NotFoundError, TemplateError
from process_designer.knowledge import parse_cache
from process_designer.knowledge.embedding import Embedder, get_embedder
from process_designer.knowledge.ranking import (
    IndexedTemplate,
    Rarity,
    SearchFilters,
    keyword_candidates,
    normalise_name,
    query_terms,
    rank,
    rarity,
)
from process_designer.knowledge.sources import TemplateSource, read_sources
from process_designer.knowledge.template_model import ProcessTemplate, template_from_toml
from process_designer.knowledge.template_writer import template_to_toml
from process_designer.knowledge.usage import UsageCounter
from process_designer.telemetry.spans import traced_retrieval

if TYPE_CHECKING:
    from process_designer.knowledge.store import TemplateStore

__all__ = ["CURATED_TEMPLATES_DIR", "IndexReport", "TemplateHit", "TemplateLibrary"]

CURATED_TEMPLATES_DIR = Path(__file__).parent / "templates"
_CACHE_SIZE = 256
_EMBED_BATCH = 256
_ID_LINE = re.compile(r"^\s*id\s*=", re.MULTILINE)

Progress = Callable[[str], None]


class TemplateHit(BaseModel):
    """A search result: the template, its score in 0..1 and why it matched."""

    template: ProcessTemplate
    score: float
    reasons: list[str]


class IndexReport(BaseModel):
    """What :meth:`TemplateLibrary.ensure_index` changed; ``skipped`` has one line per bad file."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[str] = Field(default_factory=list)
    rebuilt: bool = False


@dataclass(frozen=True)
class _Snapshot:
    """What searches read, replaced as a whole when the index changes."""

    entries: dict[str, IndexedTemplate]
    postings: dict[str, frozenset[str]]
    known_integrations: frozenset[str]
    rare: Rarity


def _no_progress(message: str) -> None:
    del message


class TemplateLibrary:
    """Curated templates (package folder) and user templates (``data_dir/templates``) over Chroma.

    Thread-safe. The index is built lazily on first use and kept incrementally in step with the
    files: unchanged templates are never re-embedded, removed ones are deleted.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        templates_dir: Path | None = None,
    ) -> None:
        self._settings = settings
        self._embedder = embedder
        self._curated_dir = templates_dir or CURATED_TEMPLATES_DIR
        self._user_dir = settings.data_dir / "templates"
        self._lock = threading.RLock()
        self._store: TemplateStore | None = None
        self._client: Any = None
        self._shared_client = True
        self._parsed: dict[Path, tuple[str, ProcessTemplate]] = {}
        self._sources: dict[str, TemplateSource] = {}
        self._snapshot = _Snapshot({}, {}, frozenset(), Rarity({}))
        self._indexed = False
        self._cache: OrderedDict[tuple[Any, ...], list[TemplateHit]] = OrderedDict()
        self._usage = UsageCounter(settings.data_dir / "template_usage.json")

    # -- indexing -----------------------------------------------------------------------------

    @property
    def user_templates_dir(self) -> Path:
        """Where :meth:`add` saves user templates (``data_dir/templates``)."""
        return self._user_dir

    @property
    def embedder(self) -> Embedder:
        """The embedder in use (the process-wide MiniLM one unless another was passed)."""
        if self._embedder is None:
            self._embedder = get_embedder()
        return self._embedder

    def _folders(self) -> list[tuple[Path, str]]:
        return [(self._curated_dir, "curated"), (self._user_dir, "user")]

    def on_disk(self, progress: Progress | None = None) -> list[ProcessTemplate]:
        """Every valid template file, sorted by id, read without the index (neither Chroma nor the model)."""
        with self._lock:
            sources, _ = self._read_sources(progress or _no_progress)
        return [sources[tid].template for tid in sorted(sources)]

    def _read_sources(self, say: Progress) -> tuple[dict[str, TemplateSource], list[str]]:
        """Every valid template file; unchanged files are not parsed again (in this process or, for
        the curated library, since the last run — see :mod:`parse_cache`)."""
        cache_path = self._settings.data_dir / "template_cache.pickle"
        before = self._parsed or parse_cache.load(cache_path, self._curated_dir)
        sources, skipped, self._parsed = read_sources(self._folders(), before, say)
        if self._curated(self._parsed) != self._curated(before):
            parse_cache.save(cache_path, self._parsed, self._curated_dir)
        return sources, skipped

    def _curated(self, parsed: dict[Path, tuple[str, ProcessTemplate]]) -> dict[Path, str]:
        return {path: entry[0] for path, entry in parsed.items() if path.parent == self._curated_dir}

    def _open_store(self, progress: Progress) -> TemplateStore:
        # Chroma is imported with the index, not with the library: listing templates needs neither.
        from process_designer.knowledge.store import TemplateStore, open_client

        if self._store is None:
            self._client, self._shared_client = open_client(self._settings)
            store = TemplateStore(self._client, self.embedder.name, self.embedder.dimensions)
            if store.rebuilt:
                progress(
                    f"index was built with another embedding model; rebuilding for {self.embedder.name}"
                )
            self._store = store
        return self._store

    def ensure_index(self, progress: Progress | None = None) -> IndexReport:
        """Bring the Chroma index in step with the template files and report what changed.

        Idempotent and incremental. Bad files are reported in ``skipped`` (and via ``progress``)
        and left out; they never stop the others from being indexed.
        """
        say = progress or _no_progress
        with self._lock:
            store = self._open_store(say)
            sources, skipped = self._read_sources(say)
            from process_designer.knowledge.store import IndexedEntry

            existing = store.entries()
            changed = [
                s
                for s in sources.values()
                if existing.get(s.template.id)
                != IndexedEntry(content_hash=s.content_hash, source=s.origin)
            ]
            removed = sorted(set(existing) - set(sources))
            if changed:
                self._embed_and_store(store, changed, say)
            if removed:
                say(f"removing {len(removed)} template(s) from the index")
                store.delete(removed)
            report = IndexReport(
                added=sum(1 for s in changed if s.template.id not in existing),
                updated=sum(1 for s in changed if s.template.id in existing),
                removed=len(removed),
                unchanged=len(sources) - len(changed),
                skipped=skipped,
                rebuilt=store.rebuilt,
            )
            store.rebuilt = False
            if changed or removed or not self._indexed or set(sources) != set(self._sources):
                self._install(sources)
            self._indexed = True
            return report

    def _embed_and_store(
        self, store: TemplateStore, changed: list[TemplateSource], say: Progress
    ) -> None:
        say(f"embedding {len(changed)} template(s) with {self.embedder.name}")
        for start in range(0, len(changed), _EMBED_BATCH):
            batch = changed[start : start + _EMBED_BATCH]
            vectors = self.embedder.embed([s.template.search_text() for s in batch])
            store.upsert(
                ids=[s.template.id for s in batch],
                embeddings=vectors,
                metadatas=[self._metadata(s) for s in batch],
                documents=[s.template.search_text() for s in batch],
            )
            if len(changed) > _EMBED_BATCH:
                say(
                    f"indexed {min(start + _EMBED_BATCH, len(changed))} of {len(changed)} templates"
                )

    @staticmethod
    def _metadata(source: TemplateSource) -> dict[str, Any]:
        template = source.template
        metadata: dict[str, Any] = {
            "content_hash": source.content_hash,
            "source": source.origin,
            "path": str(source.path),
            "title": template.title,
            "category": normalise_name(template.category),
            "domain": normalise_name(template.business_domain),
            "complexity": template.complexity,
        }
        if template.integrations:
            metadata["integrations"] = sorted({normalise_name(i) for i in template.integrations})
        return metadata

    def _install(self, sources: dict[str, TemplateSource]) -> None:
        entries = {tid: IndexedTemplate.of(s.template) for tid, s in sources.items()}
        postings: dict[str, set[str]] = {}
        for tid, entry in entries.items():
            for term in entry.strong_terms | entry.weak_terms:
                postings.setdefault(term, set()).add(tid)
        self._sources = sources
        # One assignment swaps everything a concurrent search reads.
        frozen = {term: frozenset(ids) for term, ids in postings.items()}
        self._snapshot = _Snapshot(
            entries=entries,
            postings=frozen,
            known_integrations=frozenset(i for e in entries.values() for i in e.integrations),
            rare=rarity(frozen, len(entries)),
        )
        self._cache.clear()

    def _ensure_loaded(self) -> None:
        if not self._indexed:
            with self._lock:
                if not self._indexed:
                    self.ensure_index()

    # -- reading ------------------------------------------------------------------------------

    @traced_retrieval
    def search(
        self,
        query: str,
        *,
        top: int = 5,
        category: str | None = None,
        domain: str | None = None,
        integrations: Sequence[str] | None = None,
        complexity: str | None = None,
    ) -> list[TemplateHit]:
        """The ``top`` best templates for ``query``, best first, with scores in 0..1 and reasons.

        Filters narrow the candidates: ``category``, ``domain`` and ``complexity`` must match
        (case-insensitive); ``integrations`` keeps templates that use at least one of them, and
        ranks higher those that use more. Integration names in the query text also count.
        """
        text = query.strip()
        if not text:
            raise InputError(
                "the search query is empty; describe the process, e.g. 'refund requests'"
            )
        if top < 1:
            raise InputError(f"top must be at least 1, got {top}")
        if complexity is not None and complexity not in ("low", "medium", "high"):
            raise InputError(f"complexity {complexity!r} is unknown; use low, medium or high")
        self._ensure_loaded()
        filters = SearchFilters(
            category=normalise_name(category) if category else None,
            domain=normalise_name(domain) if domain else None,
            integrations=frozenset(normalise_name(i) for i in integrations or () if i.strip()),
            complexity=complexity,
        )
        key = (text.lower(), top, filters)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return [hit.model_copy(deep=True) for hit in cached]
            snapshot = self._snapshot
        hits = self._rank_query(text, top, filters, snapshot)
        with self._lock:
            if self._snapshot is snapshot:  # the index did not change meanwhile
                self._cache[key] = hits
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return [hit.model_copy(deep=True) for hit in hits]

    def _rank_query(
        self, text: str, top: int, filters: SearchFilters, snapshot: _Snapshot
    ) -> list[TemplateHit]:
        entries = snapshot.entries
        store = self._store
        if store is None:
            raise TemplateError("the template library is closed; create a new TemplateLibrary")
        terms = query_terms(text)
        stems = [q.term for q in terms]
        named = frozenset(re.findall(r"[a-z0-9_]+", text.lower())) & snapshot.known_integrations
        vector = self.embedder.embed([text])[0]
        n_vector = min(len(entries), max(top * 4, 20))
        from process_designer.knowledge.store import where_clause

        cosines = dict(store.query(vector, n_vector, where_clause(filters)))
        extra = keyword_candidates(
            stems, entries, snapshot.postings, set(cosines), top * 2, filters
        )
        for tid, stored in store.embeddings(extra).items():
            cosines[tid] = sum(a * b for a, b in zip(vector, stored, strict=False))
        candidates = [(entries[tid], cos) for tid, cos in cosines.items() if tid in entries]
        ranked = rank(candidates, terms, filters.integrations | named, filters.reasons(), snapshot.rare)[:top]
        return [
            TemplateHit(template=r.entry.template, score=r.score, reasons=r.reasons) for r in ranked
        ]

    def cache_size(self) -> int:
        """How many query results the in-process cache holds."""
        with self._lock:
            return len(self._cache)

    def get(self, template_id: str) -> ProcessTemplate:
        """The template with ``template_id`` (a copy; changing it changes nothing in the library)."""
        self._ensure_loaded()
        entry = self._snapshot.entries.get(template_id)
        if entry is None:
            close = difflib.get_close_matches(
                template_id, list(self._snapshot.entries), n=3, cutoff=0.85
            )
            hint = f"did you mean {', '.join(close)}? " if close else ""
            raise NotFoundError(
                f"no template with id {template_id!r}; {hint}"
                "run `process-designer templates list` to see the ids"
            )
        return entry.template.model_copy(deep=True)

    def source_of(self, template_id: str) -> str:
        """``"curated"`` or ``"user"`` for an indexed template."""
        self.get(template_id)
        return self._sources[template_id].origin

    def list(self) -> list[ProcessTemplate]:
        """Every indexed template, sorted by id."""
        self._ensure_loaded()
        entries = self._snapshot.entries
        return [entries[tid].template for tid in sorted(entries)]

    # -- writing ------------------------------------------------------------------------------

    def add(
        self,
        template: ProcessTemplate,
        *,
        review: Callable[[ProcessDocument], QualityReport] | None = None,
        min_score: float = 0.9,
    ) -> ProcessTemplate:
        """Save ``template`` as a user template (``data_dir/templates/<id>.toml``) and index it.

        Raises :class:`InputError` when the id is taken and :class:`TemplateError` with the
        findings when ``review`` scores the document below ``min_score``.
        """
        self._ensure_loaded()
        with self._lock:
            if template.id in self._snapshot.entries:
                where = self._sources[template.id].path
                raise InputError(
                    f"a template with id {template.id!r} already exists ({where}); "
                    "change the id of the new template"
                )
            path = self._user_dir / f"{template.id}.toml"
            if path.exists():
                raise InputError(
                    f"{path} already exists but is not a valid template; fix or delete it first"
                )
            if review is not None:
                report = review(template.document)
                if report.score < min_score:
                    findings = "; ".join(report.findings) or "no findings given"
                    raise TemplateError(
                        f"template {template.id!r} scored {report.score:.2f} in review, below the "
                        f"required {min_score:.2f}; fix these findings: {findings}"
                    )
            text = template_to_toml(template)
            template_from_toml(text, str(path))  # never write what cannot be read back
            try:
                self._user_dir.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise TemplateError(f"cannot save the template to {path}: {exc}") from exc
            self.ensure_index()
            return self._snapshot.entries[template.id].template.model_copy(deep=True)

    def record_use(self, template_ids: Sequence[str]) -> None:
        """Count one use of each template (the seed's *Popular Templates*)."""
        self._usage.record([t for t in template_ids if t])

    def usage(self) -> dict[str, int]:
        """Use counts per template id, most used first."""
        return self._usage.counts()

    def close(self) -> None:
        """Release the Chroma client (embedded clients stay open for the rest of the process)."""
        with self._lock:
            if self._client is not None and not self._shared_client:
                self._client.close()
            self._client = None
            self._store = None
            self._indexed = False
            self._cache.clear()

    def __enter__(self) -> TemplateLibrary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
