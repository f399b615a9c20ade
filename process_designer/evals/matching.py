"""Semantic one-to-one step matching and the order-agreement (chain) score of WorFBench."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = [
    "DEFAULT_THRESHOLD",
    "MAX_GOLD_ORDERS",
    "ChainScore",
    "TextEmbedder",
    "chain_score",
    "longest_increasing_run",
    "match_one_to_one",
    "similarity_matrix",
    "topological_orders",
]

DEFAULT_THRESHOLD = 0.6
# WorFBench stops enumerating gold orders at 20; a process rarely has more parallel freedom.
MAX_GOLD_ORDERS = 20


class TextEmbedder(Protocol):
    """Anything that turns texts into unit-length vectors (the MiniLM embedder, or a test double)."""

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


@dataclass(frozen=True)
class ChainScore:
    """Precision, recall and F1 of the longest order-preserving run of matched steps."""

    precision: float
    recall: float
    f1: float
    run_length: int


def similarity_matrix(
    embedder: TextEmbedder, predicted: Sequence[str], gold: Sequence[str]
) -> np.ndarray:
    """Cosine similarities, rows = predicted texts, columns = gold texts, negatives clipped to 0."""
    if not predicted or not gold:
        return np.zeros((len(predicted), len(gold)))
    vectors = np.asarray(embedder.embed([*predicted, *gold]), dtype=float)
    pred, ref = vectors[: len(predicted)], vectors[len(predicted) :]
    pred = pred / np.maximum(np.linalg.norm(pred, axis=1, keepdims=True), 1e-12)
    ref = ref / np.maximum(np.linalg.norm(ref, axis=1, keepdims=True), 1e-12)
    return np.clip(pred @ ref.T, 0.0, 1.0)


def match_one_to_one(
    similarities: np.ndarray, threshold: float = DEFAULT_THRESHOLD
) -> dict[int, int]:
    """Maximum-weight one-to-one matching over pairs whose similarity exceeds ``threshold``.

    Returns ``{predicted_index: gold_index}``; unmatched predicted steps are absent.
    """
    if similarities.size == 0:
        return {}
    # Pairs at or below the threshold weigh nothing, so the assignment never prefers them.
    weights = np.where(similarities > threshold, similarities, 0.0)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return {int(r): int(c) for r, c in zip(rows, cols, strict=True) if weights[r, c] > 0.0}


def longest_increasing_run(sequence: Sequence[int]) -> int:
    """Length of the longest strictly increasing subsequence of ``sequence``."""
    best = [0] * len(sequence)
    for i, value in enumerate(sequence):
        best[i] = 1 + max((best[j] for j in range(i) if sequence[j] < value), default=0)
    return max(best, default=0)


def topological_orders(
    count: int, depends_on: Sequence[Sequence[int]], limit: int = MAX_GOLD_ORDERS
) -> list[list[int]]:
    """Up to ``limit`` orders of nodes ``0..count-1`` that respect ``depends_on`` (index lists).

    The listed order comes first, so a chain without parallel steps yields exactly itself.
    """
    prerequisites = [set(deps) for deps in depends_on]
    orders: list[list[int]] = []
    placed: list[int] = []
    done: set[int] = set()

    def extend() -> None:
        if len(orders) >= limit:
            return
        if len(placed) == count:
            orders.append(list(placed))
            return
        for node in range(count):
            if node not in done and prerequisites[node] <= done:
                placed.append(node)
                done.add(node)
                extend()
                done.discard(node)
                placed.pop()

    extend()
    return orders or [list(range(count))]


def chain_score(
    mapping: dict[int, int],
    predicted_count: int,
    gold_count: int,
    gold_orders: Sequence[Sequence[int]] | None = None,
) -> ChainScore:
    """WorFBench's f1_chain: the longest run of matched predicted steps whose gold positions increase.

    ``mapping`` is ``{predicted_index: gold_index}``; the best of ``gold_orders`` (orders of gold
    indices, default the listed order) counts. Unlike the reference script, unmatched predicted
    steps never count towards the run, so a document with no matching step scores 0.
    """
    if predicted_count == 0 or gold_count == 0:
        return ChainScore(0.0, 0.0, 0.0, 0)
    orders = gold_orders or [list(range(gold_count))]
    run = 0
    for order in orders:
        rank = {gold: position for position, gold in enumerate(order)}
        sequence = [rank[mapping[i]] for i in range(predicted_count) if i in mapping]
        run = max(run, longest_increasing_run(sequence))
    precision, recall = run / predicted_count, run / gold_count
    f1 = 2 * precision * recall / (precision + recall) if run else 0.0
    return ChainScore(precision, recall, f1, run)
