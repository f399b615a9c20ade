"""Coordinates for a flow graph: one column per rank from the start, one horizontal lane per responsible role."""

from __future__ import annotations

from dataclasses import dataclass

from process_designer.maps.flow import Flow, FlowEdge, FlowNode

__all__ = ["Bounds", "Layout", "layout_flow"]

POOL_X, POOL_Y, LABEL_WIDTH = 100, 80, 30
COLUMN_WIDTH, ROW_HEIGHT, MARGIN = 160, 130, 70
SIZES = {"task": (100, 80), "decision": (50, 50), "fork": (50, 50), "join": (50, 50), "start": (36, 36),
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


@dataclass
class Layout:
    pool: Bounds
    lanes: dict[str, Bounds]
    shapes: dict[str, Bounds]
    waypoints: dict[str, list[tuple[float, float]]]


def _ranks(flow: Flow) -> dict[str, int]:
    """Longest-path rank of every node, so each flow points rightwards."""
    incoming: dict[str, list[str]] = {n.id: [] for n in flow.nodes}
    for edge in flow.edges:
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
        if not progressed:  # a cycle cannot come from depends_on on earlier steps; place the rest in order
            for node_id in pending:
                ranks[node_id] = max(ranks.values(), default=-1) + 1
            pending = []
    return ranks


def _waypoints(edge: FlowEdge, source: Bounds, target: Bounds) -> list[tuple[float, float]]:
    sx, sy = source.middle
    tx, ty = target.x, target.middle[1]
    if edge.branch is False:
        below = max(source.y + source.height, target.y + target.height) + 20
        return [(sx, source.y + source.height), (sx, below), (tx - 20, below), (tx - 20, ty), (tx, ty)]
    start = (source.x + source.width, sy)
    if sy == ty:
        return [start, (tx, ty)]
    bend = tx - 25
    return [start, (bend, sy), (bend, ty), (tx, ty)]


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
