"""One-to-one matching, the chain (order) score and gold orders."""

from __future__ import annotations

import numpy as np
import pytest

from process_designer.evals.matching import (
    chain_score,
    longest_increasing_run,
    match_one_to_one,
    similarity_matrix,
    topological_orders,
)


def test_matching_maximises_total_weight_not_greedy_best_pair() -> None:
    sims = np.array([[0.9, 0.8], [0.85, 0.1]])
    # Greedy would take (0, 0) and leave row 1 with nothing above the threshold.
    assert match_one_to_one(sims, 0.6) == {0: 1, 1: 0}


def test_matching_is_one_to_one_when_two_predictions_resemble_one_gold_step() -> None:
    sims = np.array([[0.95], [0.9]])
    assert match_one_to_one(sims, 0.6) == {0: 0}


def test_pairs_at_or_below_threshold_never_match() -> None:
    sims = np.array([[0.6, 0.2], [0.1, 0.61]])
    assert match_one_to_one(sims, 0.6) == {1: 1}
    assert match_one_to_one(np.zeros((0, 3)), 0.6) == {}


def test_similarity_matrix_is_cosine_of_the_embeddings(embedder_class: type) -> None:
    embedder = embedder_class({"refund": ["Issue refund", "Refund payment"]})
    sims = similarity_matrix(embedder, ["Issue refund", "Ship box"], ["Refund payment", "Audit"])
    assert sims.tolist() == [[1.0, 0.0], [0.0, 0.0]]


def test_longest_increasing_run() -> None:
    assert longest_increasing_run([2, 0, 1, 3]) == 3
    assert longest_increasing_run([3, 2, 1]) == 1
    assert longest_increasing_run([]) == 0


def test_topological_orders_lists_the_given_order_first_and_every_parallel_variant() -> None:
    assert topological_orders(3, [[], [0], [1]]) == [[0, 1, 2]]
    assert topological_orders(4, [[], [0], [0], [1, 2]]) == [[0, 1, 2, 3], [0, 2, 1, 3]]


def test_topological_orders_stop_at_the_limit() -> None:
    assert len(topological_orders(5, [[], [], [], [], []], limit=7)) == 7


def test_chain_score_is_one_for_the_gold_order() -> None:
    score = chain_score({0: 0, 1: 1, 2: 2, 3: 3}, 4, 4)
    assert (score.precision, score.recall, score.f1, score.run_length) == (1.0, 1.0, 1.0, 4)


def test_swapping_two_steps_shortens_the_run_by_one() -> None:
    # Predicted A, C, B, D against gold A, B, C, D: the longest ordered run is A, B, D (or A, C, D).
    score = chain_score({0: 0, 1: 2, 2: 1, 3: 3}, 4, 4)
    assert score.run_length == 3
    assert score.f1 == pytest.approx(0.75)


def test_parallel_gold_steps_accept_either_order() -> None:
    orders = topological_orders(4, [[], [0], [0], [1, 2]])
    assert chain_score({0: 0, 1: 2, 2: 1, 3: 3}, 4, 4, orders).f1 == 1.0


def test_unmatched_and_extra_steps_lower_precision_only() -> None:
    # Five predicted steps, four of them matched in order, one extra.
    score = chain_score({0: 0, 1: 1, 3: 2, 4: 3}, 5, 4)
    assert score.precision == pytest.approx(4 / 5)
    assert score.recall == 1.0
    assert score.f1 == pytest.approx(2 * 0.8 / 1.8)


def test_nothing_matched_scores_zero() -> None:
    assert chain_score({}, 3, 3).f1 == 0.0
    assert chain_score({}, 0, 3).f1 == 0.0
