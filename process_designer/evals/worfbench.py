"""WorFBench-format data (Node/Edge gold workflows): f1_chain and f1_graph as that benchmark defines them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from process_designer.domain.models import ProcessDocument
from process_designer.errors import InputError
from process_designer.evals.matching import (
    DEFAULT_THRESHOLD,
    ChainScore,
    TextEmbedder,
    chain_score,
    match_one_to_one,
    similarity_matrix,
    topological_orders,
)

__all__ = [
    "WorfItem",
    "WorfScore",
    "Workflow",
    "document_workflow",
    "f1_chain",
    "f1_graph",
    "load_worfbench",
    "parse_workflow",
    "score_items",
]

_NODE = re.compile(r"^\s*(\d+)\s*[:.]\s*(.+?)\s*$", re.MULTILINE)
_EDGE = re.compile(r"\(\s*(\d+|START)\s*,\s*(\d+|END)\s*\)")
# WorFBench compares a long gold workflow with its listed order only.
_LISTED_ORDER_ONLY = 10


@dataclass(frozen=True)
class Workflow:
    """Step texts plus edges between 1-based step numbers; 0 is START and ``len(steps) + 1`` is END."""

    steps: list[str]
    edges: list[tuple[int, int]]

    @property
    def end(self) -> int:
        return len(self.steps) + 1

    def dependencies(self) -> list[list[int]]:
        """0-based prerequisites of each step (edges from START or to END left out)."""
        deps: list[list[int]] = [[] for _ in self.steps]
        for source, target in self.edges:
            if 1 <= source <= len(self.steps) and 1 <= target <= len(self.steps):
                deps[target - 1].append(source - 1)
        return deps


@dataclass(frozen=True)
class WorfItem:
    """One benchmark item: the task text, the gold workflow and, optionally, a predicted one."""

    id: str
    task: str
    gold: Workflow
    prediction: Workflow | None = None


@dataclass(frozen=True)
class WorfScore:
    id: str
    chain: ChainScore
    graph: ChainScore


def parse_workflow(text: str) -> Workflow:
    """Read ``Node: 1: … 2: … Edge: (START,1) (1,2) (2,END)``; step numbers must run 1..n."""
    node_part = re.split(r"\bEdges?\s*:", text, maxsplit=1)[0]
    found = _NODE.findall(node_part)
    numbers = [int(number) for number, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise InputError(f"workflow nodes must be numbered 1..n in order, got {numbers}")
    steps = [name for _, name in found]
    end = len(steps) + 1
    edges = []
    for source, target in _EDGE.findall(text):
        edge = (0 if source == "START" else int(source), end if target == "END" else int(target))
        if not (0 <= edge[0] <= end and 0 <= edge[1] <= end):
            raise InputError(
                f"edge {edge} names a node that does not exist (nodes 1..{len(steps)})"
            )
        edges.append(edge)
    return Workflow(steps, edges)


def document_workflow(document: ProcessDocument) -> Workflow:
    """A document's steps as a workflow: ``depends_on`` edges, else the previous step; leaves go to END."""
    number_of = {step.number: index + 1 for index, step in enumerate(document.steps)}
    edges: list[tuple[int, int]] = []
    for index, step in enumerate(document.steps, start=1):
        sources = [number_of[d] for d in step.depends_on if d in number_of] or [index - 1]
        edges += [(source, index) for source in sources]
    has_successor = {source for source, _ in edges}
    end = len(document.steps) + 1
    edges += [(i, end) for i in range(1, end) if i not in has_successor]
    return Workflow([step.name for step in document.steps], edges)


def _mapping(
    predicted: Workflow, gold: Workflow, embedder: TextEmbedder, threshold: float
) -> dict[int, int]:
    """``{predicted_step_index: gold_step_index}``, 0-based, by one-to-one semantic matching."""
    return match_one_to_one(similarity_matrix(embedder, predicted.steps, gold.steps), threshold)


def f1_chain(
    predicted: Workflow,
    gold: Workflow,
    embedder: TextEmbedder,
    threshold: float = DEFAULT_THRESHOLD,
) -> ChainScore:
    """Longest run of matched predicted steps in an order the gold graph allows (best of its orders)."""
    mapping = _mapping(predicted, gold, embedder, threshold)
    if len(gold.steps) >= _LISTED_ORDER_ONLY:
        orders = [list(range(len(gold.steps)))]
    else:
        orders = topological_orders(len(gold.steps), gold.dependencies())
    return chain_score(mapping, len(predicted.steps), len(gold.steps), orders)


def _largest_component(nodes: set[int], edges: list[tuple[int, int]]) -> int:
    parent = {node: node for node in nodes}

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        parent[root(a)] = root(b)
    sizes: dict[int, int] = {}
    for node in nodes:
        sizes[root(node)] = sizes.get(root(node), 0) + 1
    return max(sizes.values(), default=0)


def f1_graph(
    predicted: Workflow,
    gold: Workflow,
    embedder: TextEmbedder,
    threshold: float = DEFAULT_THRESHOLD,
) -> ChainScore:
    """Largest connected part of matched nodes joined by edges both graphs share (START/END count).

    Precision divides its size by the predicted node count, recall by the gold node count.
    """
    if not predicted.steps or not gold.steps:
        return ChainScore(0.0, 0.0, 0.0, 0)
    steps = _mapping(predicted, gold, embedder, threshold)
    node_map = {0: 0, predicted.end: gold.end} | {p + 1: g + 1 for p, g in steps.items()}
    gold_edges = set(gold.edges)
    shared = [
        (a, b)
        for a, b in predicted.edges
        if a in node_map and b in node_map and (node_map[a], node_map[b]) in gold_edges
    ]
    size = _largest_component(set(node_map), shared)
    precision, recall = size / (len(predicted.steps) + 2), size / (len(gold.steps) + 2)
    f1 = 2 * precision * recall / (precision + recall) if size else 0.0
    return ChainScore(precision, recall, f1, size)


def _gold_and_task(raw: dict[str, Any], where: str) -> tuple[str, str]:
    turns = raw.get("conversations")
    if not isinstance(turns, list) or not turns:
        raise InputError(
            f"{where}: expected a 'conversations' list with the task and the gold workflow"
        )
    user = next((t.get("content", "") for t in turns if t.get("role") == "user"), "")
    gold = turns[-1].get("content", "") if turns[-1].get("role") == "assistant" else ""
    if not gold:
        raise InputError(
            f"{where}: the last conversation turn must be the assistant's gold workflow"
        )
    task = re.split(r"\n\s*The action list", str(user), maxsplit=1)[0]
    task = re.sub(r"^\s*Task:\s*", "", task).strip()
    return task, str(gold)


def load_worfbench(path: Path) -> list[WorfItem]:
    """Items of a WorFBench file (a JSON array or JSON lines); an item may carry a predicted ``workflow``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read WorFBench file {path}: {exc.strerror}") from exc
    try:
        stripped = text.lstrip()
        raws = (
            json.loads(text)
            if stripped.startswith("[")
            else [json.loads(row) for row in text.splitlines() if row.strip()]
        )
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not WorFBench JSON (line {exc.lineno}: {exc.msg})") from exc
    items = []
    for index, raw in enumerate(raws, start=1):
        where = f"{path} item {index}"
        if not isinstance(raw, dict):
            raise InputError(f"{where}: expected an object with 'conversations'")
        task, gold_text = _gold_and_task(raw, where)
        try:
            gold = parse_workflow(gold_text)
            prediction = parse_workflow(str(raw["workflow"])) if raw.get("workflow") else None
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from exc
        items.append(WorfItem(str(raw.get("id", index)), task, gold, prediction))
    if not items:
        raise InputError(f"{path} holds no WorFBench items")
    return items


def score_items(
    items: Sequence[WorfItem],
    embedder: TextEmbedder,
    predict: Callable[[str], Workflow] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[WorfScore]:
    """Score each item's prediction (its own ``workflow``, else ``predict(task)``) against its gold."""
    scores = []
    for item in items:
        predicted = item.prediction
        if predicted is None:
            if predict is None:
                raise InputError(
                    f"item {item.id} has no 'workflow' and no designer was given to predict one"
                )
            predicted = predict(item.task)
        scores.append(
            WorfScore(
                item.id,
                f1_chain(predicted, item.gold, embedder, threshold),
                f1_graph(predicted, item.gold, embedder, threshold),
            )
        )
    return scores
