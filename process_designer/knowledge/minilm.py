"""The all-MiniLM-L6-v2 encoder (a 6-layer BERT) as numpy arrays: read its safetensors, run it.

The forward pass is the one of Hugging Face's ``BertModel`` in inference mode (post-norm layers,
exact GELU), followed by the sentence-transformers head of this model: mean pooling over the real
tokens and L2 normalisation. It needs nothing but numpy, so the model starts in a fraction of the
time and memory a deep-learning framework takes; ``tests/knowledge/test_embedding.py`` holds it
to vectors the reference implementation computed.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["MiniLM", "read_safetensors"]

Array = npt.NDArray[np.float32]

_LAYERS = 6
_HEADS = 12
_HIDDEN = 384
_EPSILON = 1e-12


def read_safetensors(data: memoryview) -> dict[str, Array]:
    """The float32 tensors of a safetensors file, as read-only views into ``data`` (no copies).

    Format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
    shape and byte range, then the raw little-endian data.
    """
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(bytes(data[8 : 8 + length]))
    base = 8 + length
    tensors: dict[str, Array] = {}
    for name, meta in header.items():
        if name == "__metadata__" or meta["dtype"] != "F32":
            continue  # position_ids (I64) is implied by the position of each token
        start, end = meta["data_offsets"]
        flat = np.frombuffer(data, dtype="<f4", count=(end - start) // 4, offset=base + start)
        tensors[name] = flat.reshape(meta["shape"])
    return tensors


def _layer_norm(x: Array, weight: Array, bias: Array) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = np.square(centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + _EPSILON) * weight + bias


def _gelu(x: Array) -> Array:
    """Exact (erf) GELU, in place: the feed-forward activations are the largest arrays of a pass.

    numpy has no erf, and scipy.special would add its import to every start: erf is Abramowitz &
    Stegun 7.1.26, whose absolute error (below 1.5e-7) is under float32's rounding of the activations.
    """
    z = np.abs(x) * np.float32(1 / math.sqrt(2))
    t = np.reciprocal(1.0 + np.float32(0.3275911) * z)
    poly = np.float32(1.061405429) * t
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(c)
        poly *= t
    np.negative(np.square(z, out=z), out=z)
    poly *= np.exp(z, out=z)  # poly = 1 - erf(|x| / sqrt 2)
    # 0.5 x (1 + erf(x / sqrt 2)) = max(x, 0) - 0.5 |x| poly, for either sign of x
    poly *= np.abs(x)
    poly *= np.float32(0.5)
    return np.subtract(np.maximum(x, 0, out=x), poly, out=x)


@dataclass(frozen=True)
class _Linear:
    weight: Array  # (in, out): stored as (out, in), used transposed
    bias: Array

    def __call__(self, x: Array) -> Array:
        return x @ self.weight + self.bias


@dataclass(frozen=True)
class _Layer:
    query: _Linear
    key: _Linear
    value: _Linear
    output: _Linear
    attention_norm: tuple[Array, Array]
    intermediate: _Linear
    down: _Linear
    output_norm: tuple[Array, Array]


class MiniLM:
    """Sentence vectors from token ids; the arrays stay views into the weights file's bytes."""

    def __init__(self, tensors: Mapping[str, Array]) -> None:
        def linear(prefix: str) -> _Linear:
            return _Linear(tensors[f"{prefix}.weight"].T, tensors[f"{prefix}.bias"])

        self._words = tensors["embeddings.word_embeddings.weight"]
        self._positions = tensors["embeddings.position_embeddings.weight"]
        self._types = tensors["embeddings.token_type_embeddings.weight"]
        self._norm = (tensors["embeddings.LayerNorm.weight"], tensors["embeddings.LayerNorm.bias"])
        self._layers = [
            _Layer(
                query=linear(f"encoder.layer.{i}.attention.self.query"),
                key=linear(f"encoder.layer.{i}.attention.self.key"),
                value=linear(f"encoder.layer.{i}.attention.self.value"),
                output=linear(f"encoder.layer.{i}.attention.output.dense"),
                attention_norm=(tensors[f"encoder.layer.{i}.attention.output.LayerNorm.weight"],
                                tensors[f"encoder.layer.{i}.attention.output.LayerNorm.bias"]),
                intermediate=linear(f"encoder.layer.{i}.intermediate.dense"),
                down=linear(f"encoder.layer.{i}.output.dense"),
                output_norm=(tensors[f"encoder.layer.{i}.output.LayerNorm.weight"],
                             tensors[f"encoder.layer.{i}.output.LayerNorm.bias"]),
            )
            for i in range(_LAYERS)
        ]
        self.max_positions = int(self._positions.shape[0])

    def encode(self, ids: npt.NDArray[np.int64], mask: npt.NDArray[np.int64]) -> Array:
        """Unit-length sentence vectors (batch, 384) of right-padded ``ids`` with their attention ``mask``."""
        batch, length = ids.shape
        x = self._words[ids] + self._positions[:length][None, :, :] + self._types[0]
        x = _layer_norm(x, *self._norm)
        keep = mask.astype(np.float32)
        # Padding gets the lowest float as its score, so softmax gives it no weight at all.
        padding = ((1.0 - keep) * np.finfo(np.float32).min)[:, None, None, :]
        head = _HIDDEN // _HEADS
        scale = np.float32(1 / math.sqrt(head))

        def heads(t: Array) -> Array:  # (batch, length, hidden) -> (batch, heads, length, head)
            return t.reshape(batch, length, _HEADS, head).transpose(0, 2, 1, 3)

        for layer in self._layers:
            q, k, v = heads(layer.query(x)), heads(layer.key(x)), heads(layer.value(x))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + padding
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            weights = scores / scores.sum(axis=-1, keepdims=True)
            context = (weights @ v).transpose(0, 2, 1, 3).reshape(batch, length, _HIDDEN)
            x = _layer_norm(layer.output(context) + x, *layer.attention_norm)
            x = _layer_norm(layer.down(_gelu(layer.intermediate(x))) + x, *layer.output_norm)
        pooled = (x * keep[:, :, None]).sum(axis=1) / np.maximum(keep.sum(axis=1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return (pooled / norms).astype(np.float32)
