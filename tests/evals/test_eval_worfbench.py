"""The WorFBench adapter: parsing Node/Edge workflows, f1_chain and f1_graph on a hand-made file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from process_designer.errors import InputError
from process_designer.evals.worfbench import (
    Workflow,
    document_workflow,
    f1_graph,
    load_worfbench,
    parse_workflow,
    score_items,
)
from process_designer.knowledge.embedding import get_embedder

SAMPLE = Path(__file__).parent / "data" / "worfbench_sample.json"


def test_parse_workflow_reads_nodes_and_edges_with_start_and_end() -> None:
    flow = parse_workflow(
        "Node:\n1: Open the box\n2. Take out the manual\nEdge: (START,1) (1,2) (2,END)"
    )
    assert flow.steps == ["Open the box", "Take out the manual"]
    assert flow.edges == [(0, 1), (1, 2), (2, 3)]
    assert flow.dependencies() == [[], [0]]


def test_parse_workflow_rejects_gaps_and_unknown_nodes() -> None:
    with pytest.raises(InputError, match=r"numbered 1..n in order, got \[1, 3\]"):
        parse_workflow("Node:\n1: a\n3: b\nEdge: (START,1)")
    with pytest.raises(InputError, match="names a node that does not exist"):
        parse_workflow("Node:\n1: a\nEdge: (START,1) (1,7)")


def test_load_reads_task_gold_and_prediction() -> None:
    items = load_worfbench(SAMPLE)
    assert [item.id for item in items] == ["chain_exact", "parallel_gold", "extra_step"]
    assert items[0].task == "Help a user who forgot their password"
    assert items[1].gold.edges == [(0, 1), (1, 2), (1, 3), (2, 4), (3, 4)]
    assert items[2].prediction is not None and len(items[2].prediction.steps) == 3


def test_scores_match_the_hand_computed_values() -> None:
    scores = {s.id: s for s in score_items(load_worfbench(SAMPLE), get_embedder())}
    exact, parallel, extra = scores["chain_exact"], scores["parallel_gold"], scores["extra_step"]
    assert (exact.chain.f1, exact.graph.f1) == (1.0, 1.0)
    # B and C run in parallel in the gold graph: A, C, B is a valid order ...
    assert parallel.chain.f1 == 1.0
    # ... but the edge C→B is not gold, so START-A-C and B-END are separate parts: 3 of 5 nodes.
    assert (parallel.graph.precision, parallel.graph.recall) == (
        pytest.approx(0.6),
        pytest.approx(0.6),
    )
    # An unrelated extra step: the chain keeps 2 of 3 predicted, 2 of 2 gold ...
    assert (extra.chain.precision, extra.chain.recall) == (pytest.approx(2 / 3), 1.0)
    assert extra.chain.f1 == pytest.approx(0.8)
    # ... and it cuts the graph into START-A and B-END: 2 of 5 predicted nodes, 2 of 4 gold nodes.
    assert (extra.graph.precision, extra.graph.recall) == (pytest.approx(0.4), pytest.approx(0.5))
    assert extra.graph.f1 == pytest.approx(2 * 0.4 * 0.5 / 0.9)


def test_graph_score_is_zero_without_steps(embedder_class: type) -> None:
    assert (
        f1_graph(Workflow([], [(0, 1)]), Workflow(["a"], [(0, 1), (1, 2)]), embedder_class()).f1
        == 0.0
    )


def test_document_workflow_uses_dependencies_and_joins_leaves_to_end(document_factory: Any) -> None:
    doc = document_factory(["a", "b", "c", "d"], depends_on={3: [1], 4: [2, 3]})
    flow = document_workflow(doc)
    assert flow.steps == ["a", "b", "c", "d"]
    assert flow.edges == [(0, 1), (1, 2), (1, 3), (2, 4), (3, 4), (4, 5)]


def test_items_without_a_prediction_need_a_predictor(tmp_path: Path, document_factory: Any) -> None:
    raw = json.loads(SAMPLE.read_text())[0]
    del raw["workflow"]
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(raw) + "\n")
    items = load_worfbench(path)
    with pytest.raises(InputError, match="has no 'workflow' and no designer"):
        score_items(items, get_embedder())
    gold = items[0].gold
    (score,) = score_items(items, get_embedder(), lambda task: Workflow(gold.steps, gold.edges))
    assert score.graph.f1 == 1.0


def test_malformed_files_are_input_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[{"id": 1}]')
    with pytest.raises(InputError, match="item 1: expected a 'conversations' list"):
        load_worfbench(path)
    path.write_text("[{")
    with pytest.raises(InputError, match="is not WorFBench JSON"):
        load_worfbench(path)
