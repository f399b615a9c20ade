"""Templates per tenant: the shared library (curated and the operator's files) plus each tenant's own.

A template a tenant adds is kept in that tenant's rows of the database, sealed with
``PD_ENCRYPTION_KEY`` when one is set, and never in the shared template files or Chroma's index:
only that tenant finds it, gets it, or has it used in its designs. Its embedding is computed when
the tenant first searches and kept in memory only. The one local user of an instance without
authentication and without a key adds to the shared files as before. ``process-designer templates``
shows a tenant's own templates next to the shared ones (the local user's unless ``--tenant`` says).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from process_designer.config import Settings
from process_designer.errors import InputError, NotFoundError, TemplateError
from process_designer.knowledge.ranking import (
    IndexedTemplate,
    SearchFilters,
    normalise_name,
    query_terms,
    rank,
)
from process_designer.knowledge.template_model import ProcessTemplate, template_from_toml
from process_designer.knowledge.template_writer import template_to_toml
from process_designer.principal import LOCAL

if TYPE_CHECKING:  # the stores load on use: `templates list` of the local user never opens them
    from process_designer.domain.models import ProcessDocument, QualityReport
    from process_designer.graphs.context import TemplateSource
    from process_designer.knowledge.embedding import Embedder
    from process_designer.knowledge.library import TemplateHit
    from process_designer.storage.crypto import Sealer
    from process_designer.storage.database import Database

__all__ = ["TenantLibrary", "TenantTemplates", "keeps_own"]

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS tenant_templates (
        tenant      TEXT NOT NULL,
        template_id TEXT NOT NULL,
        body        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (tenant, template_id)
    )
    """,
)


def keeps_own(tenant: str, *, sealed: bool) -> bool:
    """Whether ``tenant``'s added templates are its own rows: always, but for the local user of an instance
    without a key (``sealed``), whose additions go to the shared files."""
    return tenant != LOCAL.tenant or sealed


class TenantTemplates:
    """The templates tenants added, as sealed TOML in a :class:`Database`."""

    def __init__(self, database: Database, sealer: Sealer) -> None:
        self._db = database
        self.sealer = sealer
        database.ensure_schema(_SCHEMA)

    @classmethod
    def open(cls, settings: Settings) -> TenantTemplates:
        """``templates.sqlite`` under ``data_dir``, or the tables of ``PD_DATABASE_URL``."""
        from process_designer.storage.crypto import Sealer
        from process_designer.storage.database import open_database

        return cls(open_database(settings, "templates.sqlite"), Sealer.from_setting(settings.encryption_key))

    def add(self, tenant: str, template: ProcessTemplate) -> None:
        """Keep ``template`` for ``tenant``; :class:`InputError` when the tenant has that id already."""
        text = template_to_toml(template)
        template_from_toml(text, f"template {template.id}")  # never store what cannot be read back
        inserted = self._db.execute(
            "INSERT INTO tenant_templates VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING template_id",
            (tenant, template.id, self.sealer.seal(text), datetime.now(UTC).isoformat(timespec="seconds")))
        if not inserted:
            raise InputError(f"a template with id {template.id!r} already exists; change the id of the new template")

    def of(self, tenant: str) -> list[ProcessTemplate]:
        """``tenant``'s templates, sorted by id."""
        rows = self._db.execute("SELECT template_id, body FROM tenant_templates WHERE tenant = ? ORDER BY template_id",
                                (tenant,))
        return [template_from_toml(self.sealer.open(str(body)), f"template {tid}") for tid, body in rows]

    def close(self) -> None:
        self._db.close()


class TenantLibrary:
    """A template source for the current tenant: the shared library merged with the tenant's own templates.

    ``shared`` opens the shared library on first use (``None`` when it cannot be used).
    """

    def __init__(self, shared: Callable[[], TemplateSource | None], own: TenantTemplates,
                 tenant: Callable[[], str]) -> None:
        self._open_shared = shared
        self._shared: TemplateSource | None = None
        self._opened = False
        self._own = own
        self._tenant = tenant
        self._lock = threading.Lock()
        self._vectors: dict[str, list[float]] = {}  # by hash of the search text; never stored

    def shared(self) -> TemplateSource:
        """The shared library; :class:`TemplateError` when it cannot be used."""
        with self._lock:
            if not self._opened:
                self._opened = True
                self._shared = self._open_shared()
        if self._shared is None:
            raise TemplateError("the template library is not available; the server log says why")
        return self._shared

    def _keeps_own(self, tenant: str) -> bool:
        return keeps_own(tenant, sealed=self._own.sealer.enabled)

    def keeps_own(self) -> bool:
        """Whether the current tenant's additions are its own rows (else the shared files: the local user, no key)."""
        return self._keeps_own(self._tenant())

    def _embed(self, texts: list[str]) -> list[list[float]]:
        embedder: Embedder | None = getattr(self.shared(), "embedder", None)
        if embedder is None:
            from process_designer.knowledge.embedding import get_embedder

            embedder = get_embedder()
        keys = [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in texts]
        if missing := [text for key, text in zip(keys, texts, strict=True) if key not in self._vectors]:
            fresh = embedder.embed(missing)
            for text, vector in zip(missing, fresh, strict=True):
                self._vectors[hashlib.sha256(text.encode("utf-8")).hexdigest()] = list(vector)
        return [self._vectors[key] for key in keys]

    def _own_hits(self, query: str, top: int, filters: SearchFilters) -> list[TemplateHit]:
        from process_designer.knowledge.library import TemplateHit

        entries = [e for e in map(IndexedTemplate.of, self._own.of(self._tenant())) if filters.matches(e)]
        if not entries:
            return []
        query_vector, *vectors = self._embed([query, *(e.template.search_text() for e in entries)])
        cosines = [sum(a * b for a, b in zip(query_vector, v, strict=False)) for v in vectors]
        ranked = rank(zip(entries, cosines, strict=True), query_terms(query), filters.integrations,
                      [*filters.reasons(), "your tenant's template"])[:top]
        return [TemplateHit(template=r.entry.template, score=r.score, reasons=r.reasons) for r in ranked]

    def search(self, query: str, *, top: int = 5, **filters: Any) -> list[TemplateHit]:
        """The ``top`` best of the shared library's and the tenant's templates for ``query``, best first."""
        hits = self.shared().search(query, top=top, **filters)
        integrations: Sequence[str] = filters.get("integrations") or ()
        wanted = SearchFilters(
            category=normalise_name(filters["category"]) if filters.get("category") else None,
            domain=normalise_name(filters["domain"]) if filters.get("domain") else None,
            integrations=frozenset(normalise_name(i) for i in integrations if i.strip()),
            complexity=filters.get("complexity"),
        )
        own = self._own_hits(query.strip(), top, wanted)
        return sorted([*hits, *own], key=lambda hit: (-hit.score, hit.template.id))[:top]

    def get(self, template_id: str) -> ProcessTemplate:
        """The tenant's template ``template_id``, else the shared library's."""
        for template in self._own.of(self._tenant()):
            if template.id == template_id:
                return template
        return self.shared().get(template_id)

    def add(self, template: ProcessTemplate, *,
            review: Callable[[ProcessDocument], QualityReport] | None = None,
            min_score: float = 0.9) -> ProcessTemplate:
        """Add ``template`` for the current tenant (see the module); the same checks as the shared library's."""
        tenant = self._tenant()
        if not self._keeps_own(tenant):
            return self.shared().add(template, review=review, min_score=min_score)
        try:
            self.shared().get(template.id)
        except NotFoundError:
            pass
        else:
            raise InputError(f"a template with id {template.id!r} already exists in the shared library; "
                             "change the id of the new template")
        if review is not None and (report := review(template.document)).score < min_score:
            findings = "; ".join(report.findings) or "no findings given"
            raise TemplateError(f"template {template.id!r} scored {report.score:.2f} in review, below the "
                                f"required {min_score:.2f}; fix these findings: {findings}")
        self._own.add(tenant, template)
        return template.model_copy(deep=True)

    def record_use(self, template_ids: Sequence[str]) -> None:
        self.shared().record_use(template_ids)

    def close(self) -> None:
        try:
            if self._shared is not None:
                self._shared.close()
        finally:
            self._own.close()
