"""The Chroma collection that holds template embeddings: clients, model checks, upserts and queries."""

from __future__ import annotations

import atexit
import contextlib
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings

from process_designer.config import Settings
from process_designer.errors import ConfigError, StorageError
from process_designer.knowledge.ranking import SearchFilters

__all__ = ["COLLECTION_NAME", "IndexedEntry", "TemplateStore", "open_client", "where_clause"]

COLLECTION_NAME = "process_templates"

# Chroma's embedded client owns its directory; a second client on the same path in one process
# would fight the first one, so every library in the process shares one client per path.
_EMBEDDED: dict[Path, ClientAPI] = {}
_EMBEDDED_LOCK = threading.Lock()


def _chroma_settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def open_client(settings: Settings) -> tuple[ClientAPI, bool]:
    """A Chroma client for ``settings`` and whether it is shared (embedded) and must stay open."""
    if settings.chroma_url:
        parts = urlsplit(settings.chroma_url)
        if not parts.hostname:
            raise ConfigError(
                f"PD_CHROMA_URL={settings.chroma_url!r} has no host; use http://HOST:PORT"
            )
        ssl = parts.scheme == "https"
        port = parts.port or (443 if ssl else 8000)
        try:
            client = chromadb.HttpClient(
                host=parts.hostname, port=port, ssl=ssl, settings=_chroma_settings()
            )
        except Exception as exc:  # chromadb raises plain ValueError/ConnectionError here
            raise StorageError(
                f"cannot reach the Chroma server at {settings.chroma_url}: {exc}; "
                "start it with `chroma run --path DIR --port PORT` or unset PD_CHROMA_URL"
            ) from exc
        return client, False
    path = settings.chroma_path.expanduser().resolve()
    with _EMBEDDED_LOCK:
        shared = _EMBEDDED.get(path)
        if shared is not None:
            return shared, True
        try:
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
        except Exception as exc:
            raise StorageError(
                f"cannot open the template index at {path}: {exc}; check the directory "
                "is writable and not used by another process (or use PD_CHROMA_URL)"
            ) from exc
        if not _EMBEDDED:
            atexit.register(_close_embedded)
        _EMBEDDED[path] = client
        return client, True


def _close_embedded() -> None:
    """Close the embedded clients when the process ends, so that Chroma releases its files in order
    (a command's process ends without tearing its modules down, see ``cli.main.run``)."""
    with _EMBEDDED_LOCK:
        clients = list(_EMBEDDED.values())
        _EMBEDDED.clear()
    for client in clients:
        # The process is ending: a client that cannot close has nothing left to keep.
        with contextlib.suppress(Exception):
            cast(Any, client).close()


@dataclass(frozen=True)
class IndexedEntry:
    """What the collection knows about one template: its content hash and source."""

    content_hash: str
    source: str


class TemplateStore:
    """One Chroma collection of template vectors; knows which embedding model filled it."""

    def __init__(self, client: ClientAPI, model_name: str, dimensions: int) -> None:
        self._client = client
        self._model_name = model_name
        self._dimensions = dimensions
        self.rebuilt = False
        self._collection = self._open()

    def _open(self) -> Collection:
        metadata = {"embedding_model": self._model_name, "dimensions": self._dimensions}
        try:
            collection = self._client.get_or_create_collection(
                COLLECTION_NAME,
                configuration={"hnsw": {"space": "cosine"}},
                metadata=metadata,
                embedding_function=None,
            )
            existing = collection.metadata or {}
            if (
                existing.get("embedding_model") != self._model_name
                or existing.get("dimensions") != self._dimensions
            ):
                # Vectors of another model are meaningless to this one: start over.
                self._client.delete_collection(COLLECTION_NAME)
                collection = self._client.create_collection(
                    COLLECTION_NAME,
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata=metadata,
                    embedding_function=None,
                )
                self.rebuilt = True
        except Exception as exc:
            raise StorageError(
                f"cannot open the Chroma collection {COLLECTION_NAME!r}: {exc}"
            ) from exc
        return collection

    def entries(self) -> dict[str, IndexedEntry]:
        """Every indexed template id with the hash it was indexed from."""
        result = self._call("read the index", lambda: self._collection.get(include=["metadatas"]))
        entries: dict[str, IndexedEntry] = {}
        for template_id, metadata in zip(result["ids"], result["metadatas"] or [], strict=False):
            metadata = metadata or {}
            entries[template_id] = IndexedEntry(
                content_hash=str(metadata.get("content_hash", "")),
                source=str(metadata.get("source", "")),
            )
        return entries

    def upsert(
        self,
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        metadatas: Sequence[Mapping[str, Any]],
        documents: Sequence[str],
    ) -> None:
        """Insert or replace templates, in batches the client accepts."""
        batch = max(1, min(1000, self._client.get_max_batch_size()))
        for start in range(0, len(ids), batch):
            end = start + batch
            self._call(
                "write to the index",
                lambda start=start, end=end: self._collection.upsert(
                    ids=list(ids[start:end]),
                    embeddings=np.asarray(embeddings[start:end], dtype=np.float32),
                    metadatas=[dict(m) for m in metadatas[start:end]],
                    documents=list(documents[start:end]),
                ),
            )

    def delete(self, ids: Sequence[str]) -> None:
        if ids:
            self._call("delete from the index", lambda: self._collection.delete(ids=list(ids)))

    def count(self) -> int:
        return int(self._call("count the index", self._collection.count))

    def query(
        self, embedding: Sequence[float], n_results: int, where: dict[str, Any] | None
    ) -> list[tuple[str, float]]:
        """``(id, cosine similarity)`` of the nearest templates that match ``where``."""
        if n_results <= 0:
            return []
        result = self._call(
            "search the index",
            lambda: self._collection.query(
                query_embeddings=np.asarray([embedding], dtype=np.float32),
                n_results=n_results,
                where=where,
                include=["distances"],
            ),
        )
        ids = result["ids"][0] if result["ids"] else []
        distances = result["distances"][0] if result["distances"] else []
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=False)]

    def embeddings(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of ``ids`` (those that exist)."""
        if not ids:
            return {}
        result = self._call(
            "read vectors", lambda: self._collection.get(ids=list(ids), include=["embeddings"])
        )
        vectors = result["embeddings"]
        if vectors is None:
            return {}
        return {i: [float(x) for x in v] for i, v in zip(result["ids"], vectors, strict=False)}

    @staticmethod
    def _call(what: str, fn: Any) -> Any:
        try:
            return fn()
        except Exception as exc:  # map the foreign error tree at the boundary
            raise StorageError(f"Chroma could not {what}: {exc}") from exc


def where_clause(filters: SearchFilters) -> dict[str, Any] | None:
    """The Chroma ``where`` filter equivalent to :meth:`SearchFilters.matches`."""
    clauses: list[dict[str, Any]] = [
        {name: value}
        for name, value in (
            ("category", filters.category),
            ("domain", filters.domain),
            ("complexity", filters.complexity),
        )
        if value
    ]
    if filters.integrations:
        any_of = [{"integrations": {"$contains": i}} for i in sorted(filters.integrations)]
        clauses.append(any_of[0] if len(any_of) == 1 else {"$or": any_of})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
