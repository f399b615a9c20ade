"""Coordinates for a process drawing: one column per rank from the start, one horizontal lane per performer.

Ranks ignore the flows that loop back, so every other flow points rightwards; a loop is drawn
below the nodes it joins, back to the left.
"""

from __future__ import annotations

from dataclasses import dataclass

from process_designer.maps.flow import Flow, FlowEdge, FlowNode

__all__ = ["Bounds", "Layout", "layout_flow"]

POOL_X, POOL_Y, LABEL_WIDTH = 100, 80, 30
COLUMN_WIDTH, ROW_HEIGHT, MARGIN = 160, 130, 70
SIZES = {"task": (100, 80), "decision": (50, 50), "split": (50, 50), "join": (50, 50), "start": (36, 36),
         "end": (36, 36)}


@dataclass(frozen=True)
class Bounds:
    x: float
    y: float
    width: float
    height: float

    @property
    def middle(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass
class Layout:
    pool: Bounds
    lanes: dict[str, Bounds]
    shapes: dict[str, Bounds]
    waypoints: dict[str, list[tuple[float, float]]]


def _ranks(flow: Flow) -> dict[str, int]:
    """Longest-path rank of every node over the flows that do not loop back."""
    incoming: dict[str, list[str]] = {n.id: [] for n in flow.nodes}
    for edge in flow.edges:
        if not edge.loop and edge.target in incoming:
            incoming[edge.target].append(edge.source)
    ranks: dict[str, int] = {}
    pending = [n.id for n in flow.nodes]
    while pending:
        progressed = False
        for node_id in list(pending):
            sources = incoming[node_id]
            if all(s in ranks for s in sources):
                ranks[node_id] = max((ranks[s] + 1 for s in sources), default=0)
                pending.remove(node_id)
                progressed = True
        if not progressed:  # only a cycle with no way in is left (an unreachable part): place it after the rest
            for node_id in pending:
                ranks[node_id] = max(ranks.values(), default=-1) + 1
            pending = []
    return ranks


def _waypoints(edge: FlowEdge, source: Bounds, target: Bounds) -> list[tuple[float, float]]:
    sx, sy = source.middle
    tx, ty = target.middle
    if edge.loop:
        below = max(source.bottom, target.bottom) + 22
        return [(sx, source.bottom), (sx, below), (tx, below), (tx, target.bottom)]
    start = (source.right, sy)
    if abs(sy - ty) < 0.5:
        return [start, (target.x, ty)]
    if tx > sx:  # turn in the gap after the source's column, where no node stands, then run along the target's row
        channel = sx + COLUMN_WIDTH / 2
        return [start, (channel, sy), (channel, ty), (target.x, ty)]
    return [start, (source.right + 15, sy), (source.right + 15, ty), (target.right, ty)]


def layout_flow(flow: Flow) -> Layout:
    """Bounds of the pool, each lane and each node, and the waypoints of each flow."""
    ranks = _ranks(flow)
    lanes = flow.lanes
    rows: dict[str, int] = {}
    used: dict[tuple[str, int], int] = {}
    for node in flow.nodes:
        key = (node.lane, ranks[node.id])
        rows[node.id] = used.get(key, 0)
        used[key] = rows[node.id] + 1
    lane_rows = {lane: max((count for (name, _), count in used.items() if name == lane), default=1) for lane in lanes}
    width = LABEL_WIDTH + MARGIN + max(ranks.values(), default=0) * COLUMN_WIDTH + 100 + MARGIN
    lane_bounds: dict[str, Bounds] = {}
    y = float(POOL_Y)
    for lane in lanes:
        height = lane_rows[lane] * ROW_HEIGHT + 20
        lane_bounds[lane] = Bounds(POOL_X + LABEL_WIDTH, y, width - LABEL_WIDTH, height)
        y += height
    pool = Bounds(POOL_X, POOL_Y, width, y - POOL_Y)
    shapes: dict[str, Bounds] = {}
    for node in flow.nodes:
        shapes[node.id] = _place(node, ranks[node.id], rows[node.id], lane_bounds[node.lane])
    waypoints = {e.id: _waypoints(e, shapes[e.source], shapes[e.target]) for e in flow.edges}
    return Layout(pool, lane_bounds, shapes, waypoints)


def _place(node: FlowNode, rank: int, row: int, lane: Bounds) -> Bounds:
    w, h = SIZES[node.kind]
    centre_x = lane.x + MARGIN + 50 + rank * COLUMN_WIDTH
    centre_y = lane.y + 10 + ROW_HEIGHT / 2 + row * ROW_HEIGHT
    return Bounds(centre_x - w / 2, centre_y - h / 2, w, h)
