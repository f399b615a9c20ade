"""Gateway precision and recall: the decisions and parallel splits of a design's flow against the gold ones.

Both sides are read through the one-to-one step matching of step F1 (``{predicted index: gold
index}``), so a gateway is found only where the steps around it are found too.

- A **predicted gateway** is an ``exclusive`` or ``parallel`` node of the flow with two or more
  outgoing edges (joins and merges, with one way out, are not decisions).
- A predicted **branch** (one outgoing edge) *reaches* the first matched steps on the way from
  that edge: the walk passes unmatched tasks and other gateways and stops at each matched step;
  a walk that gets to an end node without passing a matched step reaches ``"end"``.
- A predicted gateway's **anchors** are the first matched steps met walking backwards from it
  (over edges that do not close a loop), or ``"start"`` when the walk gets there first.
- A predicted gateway **matches** a gold one when the kinds agree; the gold ``after`` step is
  among its anchors (``0`` ≙ ``"start"``) — waived when no predicted step matched that gold step,
  so a missed step is not counted twice; each gold branch is reached by a different predicted
  branch; and every predicted branch reaches at least one of the gold branches (no branch goes
  where the text does not send it).

Gateways are paired one-to-one (the largest number of matched pairs); precision = matched /
predicted gateways, recall = matched / gold gateways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from process_designer.domain.flow import ProcessFlow, from_dependencies
from process_designer.domain.models import ProcessDocument
from process_designer.evals.cases import GoldGateway

__all__ = [
    "GatewayScore",
    "PredictedGateway",
    "document_flow",
    "gateway_matches",
    "predicted_gateways",
    "score_gateways",
]

Target = int | str  # a gold step index (0-based) or "end" / "start"


@dataclass(frozen=True)
class PredictedGateway:
    """A decision or split of the predicted flow, read through the step matching (gold indices)."""

    node: str
    kind: str
    anchors: frozenset[Target]
    branches: tuple[frozenset[Target], ...]


@dataclass(frozen=True)
class GatewayScore:
    gold: int
    predicted: int
    matched: int
    missed: tuple[str, ...]  # gold gateways not found, described for the report

    @property
    def precision(self) -> float | None:
        return self.matched / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None


def document_flow(document: ProcessDocument) -> ProcessFlow:
    """The flow a design states; a document without one is read from its steps' ``depends_on``."""
    if document.flow.start is not None:
        return document.flow
    return from_dependencies(
        (step.number, step.name, step.responsible, step.depends_on) for step in document.steps
    )


def predicted_gateways(
    flow: ProcessFlow, step_to_gold: Mapping[int, int]
) -> list[PredictedGateway]:
    """Every decision and split of ``flow``; ``step_to_gold`` maps matched step numbers to gold indices."""
    back = flow.back_edges()
    found = []
    for node in flow.gateways:
        out = flow.outgoing(node.id)
        if len(out) < 2:
            continue
        branches = tuple(_reach(flow, edge.target, step_to_gold) for edge in out)
        found.append(
            PredictedGateway(node.id, node.kind, _anchors(flow, node.id, step_to_gold, back), branches)
        )
    return found


def _reach(flow: ProcessFlow, node_id: str, step_to_gold: Mapping[int, int]) -> frozenset[Target]:
    reached: set[Target] = set()
    seen: set[str] = set()
    frontier = [node_id]
    while frontier:
        current = frontier.pop()
        if current in seen or not flow.has(current):
            continue
        seen.add(current)
        node = flow.node(current)
        if node.kind == "task" and node.step is not None and node.step in step_to_gold:
            reached.add(step_to_gold[node.step])
            continue
        if node.kind == "end":
            reached.add("end")
            continue
        frontier += [edge.target for edge in flow.outgoing(current)]
    return frozenset(reached)


def _anchors(
    flow: ProcessFlow,
    node_id: str,
    step_to_gold: Mapping[int, int],
    back: set[tuple[str, str]],
) -> frozenset[Target]:
    anchors: set[Target] = set()
    seen = {node_id}
    frontier = [e.source for e in flow.incoming(node_id) if (e.source, e.target) not in back]
    while frontier:
        current = frontier.pop()
        if current in seen or not flow.has(current):
            continue
        seen.add(current)
        node = flow.node(current)
        if node.kind == "task" and node.step is not None and node.step in step_to_gold:
            anchors.add(step_to_gold[node.step])
            continue
        if node.kind == "start":
            anchors.add("start")
            continue
        frontier += [e.source for e in flow.incoming(current) if (e.source, e.target) not in back]
    return frozenset(anchors)


def _gold_target(branch: int | str) -> Target:
    return branch - 1 if isinstance(branch, int) else branch


def gateway_matches(
    predicted: PredictedGateway, gold: GoldGateway, matched_gold: frozenset[int] | set[int]
) -> bool:
    """Whether ``predicted`` is ``gold`` (the module doc's rule); ``matched_gold``: gold indices found."""
    if predicted.kind != gold.kind:
        return False
    anchor: Target = "start" if gold.after == 0 else gold.after - 1
    if anchor not in predicted.anchors and (anchor == "start" or anchor in matched_gold):
        return False
    targets = [_gold_target(b) for b in gold.branches]
    if len(predicted.branches) < len(targets):
        return False
    if any(not (reach & set(targets)) for reach in predicted.branches):
        return False
    cover = np.array([[1.0 if t in reach else 0.0 for reach in predicted.branches] for t in targets])
    rows, cols = linear_sum_assignment(cover, maximize=True)
    return bool(cover[rows, cols].sum() == len(targets))


def score_gateways(
    document: ProcessDocument, gold: Sequence[GoldGateway], mapping: Mapping[int, int]
) -> GatewayScore:
    """Gateway counts of ``document`` against ``gold`` through ``mapping`` (``{predicted index: gold index}``)."""
    step_to_gold = {document.steps[p].number: g for p, g in mapping.items()}
    predicted = predicted_gateways(document_flow(document), step_to_gold)
    matched_gold = frozenset(mapping.values())
    if predicted and gold:
        fits = np.array(
            [[1.0 if gateway_matches(p, g, matched_gold) else 0.0 for p in predicted] for g in gold]
        )
        rows, cols = linear_sum_assignment(fits, maximize=True)
        pairs = [(r, c) for r, c in zip(rows, cols, strict=True) if fits[r, c] > 0]
    else:
        pairs = []
    found = {r for r, _ in pairs}
    missed = tuple(
        f"{g.kind} after {g.after or 'start'} → {', '.join(str(b) for b in g.branches)}"
        for index, g in enumerate(gold)
        if index not in found
    )
    return GatewayScore(len(gold), len(predicted), len(pairs), missed)
