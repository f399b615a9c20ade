"""``process-designer graph``: print the designer graph as Mermaid, ASCII, JSON or a self-drawn SVG."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from xml.sax.saxutils import escape

__all__ = ["GraphShape", "graph_shape", "register", "render_ascii", "render_json", "render_svg"]

_FORMATS = ("mermaid", "ascii", "json", "svg")
_START, _END = "__start__", "__end__"


@dataclass(frozen=True)
class GraphShape:
    """The nodes (in declaration order) and directed edges of a graph; ``conditional`` edges are routes."""

    nodes: tuple[str, ...]
    edges: tuple[tuple[str, str, bool], ...]

    def successors(self, node: str) -> list[tuple[str, bool]]:
        return [(target, conditional) for source, target, conditional in self.edges if source == node]


def graph_shape() -> GraphShape:
    """Read the designer graph's drawable shape from the compiled graph itself."""
    # Deferred: importing the graph loads the agents, which ``--help`` does not need.
    from process_designer.graphs.wiring import build_graph

    drawable = build_graph().get_graph()
    edges = tuple(sorted((edge.source, edge.target, bool(edge.conditional)) for edge in drawable.edges))
    return GraphShape(nodes=tuple(drawable.nodes), edges=edges)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``graph`` sub-command."""
    parser = subparsers.add_parser(
        "graph",
        help="print the designer graph (nodes and routes)",
        description="Print the designer graph drawn from the code: Mermaid text (default), "
        "an ASCII adjacency tree, JSON, or an SVG picture.",
    )
    parser.add_argument("--format", choices=_FORMATS, default="mermaid", help="output format (default mermaid)")
    parser.set_defaults(handler=_print_graph)


def _print_graph(args: argparse.Namespace) -> int:
    if args.format == "mermaid":
        from process_designer.graphs.wiring import build_graph

        sys.stdout.write(build_graph().get_graph().draw_mermaid())
        return 0
    shape = graph_shape()
    renderers = {"ascii": render_ascii, "json": render_json, "svg": render_svg}
    text = renderers[args.format](shape)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def render_json(shape: GraphShape) -> str:
    """Nodes and edges as JSON, edges sorted, so that diffs of the wiring stay readable."""
    payload = {
        "nodes": list(shape.nodes),
        "edges": [{"source": s, "target": t, "conditional": c} for s, t, c in shape.edges],
    }
    return json.dumps(payload, indent=2)


def render_ascii(shape: GraphShape) -> str:
    """One block per node: ``-->`` a fixed edge, ``-.->`` a route the node may take."""
    lines: list[str] = []
    for node in shape.nodes:
        successors = shape.successors(node)
        if not successors:
            continue
        lines.append(node)
        for index, (target, conditional) in enumerate(successors):
            branch = "`--" if index == len(successors) - 1 else "|--"
            arrow = "-.->" if conditional else "--->"
            lines.append(f"  {branch} {arrow} {target}")
    return "\n".join(lines)


# --- SVG: a layered drawing, so the README picture needs no web service and no extra package ---

_BOX_W, _BOX_H, _COL, _ROW, _MARGIN = 170, 36, 210, 80, 40


def _layers(shape: GraphShape) -> dict[str, int]:
    """Longest-path layers over the graph with its back edges (cycles) set aside."""
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}  # 1 on the DFS stack, 2 done

    def visit(node: str) -> None:
        state[node] = 1
        for target, _ in shape.successors(node):
            if state.get(target) == 1:
                back.add((node, target))
            elif target not in state:
                visit(target)
        state[node] = 2

    for node in shape.nodes:
        if node not in state:
            visit(node)
    layer = dict.fromkeys(shape.nodes, 0)
    for _ in shape.nodes:  # relax |V| times: enough for a DAG's longest paths
        for source, target, _conditional in shape.edges:
            if (source, target) not in back and layer[target] < layer[source] + 1:
                layer[target] = layer[source] + 1
    return layer


def render_svg(shape: GraphShape) -> str:
    """Draw the graph top-down: the first node of each layer on the spine, the others to its right."""
    layer = _layers(shape)
    position: dict[str, tuple[float, float]] = {}
    columns_used: dict[int, int] = {}
    spine_x = _MARGIN + 2 * _COL  # room on the left for long forward routes
    for node in shape.nodes:
        column = columns_used.get(layer[node], 0)
        columns_used[layer[node]] = column + 1
        position[node] = (spine_x + column * _COL, _MARGIN + layer[node] * _ROW)
    width = int(spine_x + max(columns_used.values()) * _COL + 2 * _COL)
    height = int(_MARGIN * 2 + max(layer.values()) * _ROW + _BOX_H)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">',
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
        "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/>"
        "</marker></defs>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for source, target, conditional in shape.edges:
        parts.append(_edge_path(position[source], position[target], layer[target] - layer[source], conditional))
    for node in shape.nodes:
        x, y = position[node]
        terminal = node in (_START, _END)
        fill = "#bfb6fc" if node == _END else ("#ffffff" if terminal else "#f2f0ff")
        radius = _BOX_H / 2 if terminal else 6
        parts.append(
            f'<rect x="{x - _BOX_W / 2:.0f}" y="{y:.0f}" width="{_BOX_W}" height="{_BOX_H}" rx="{radius:.0f}" '
            f'fill="{fill}" stroke="#6c5ce7"/>'
        )
        parts.append(
            f'<text x="{x:.0f}" y="{y + _BOX_H / 2 + 4:.0f}" text-anchor="middle">{escape(node)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _edge_path(source: tuple[float, float], target: tuple[float, float], span: int, conditional: bool) -> str:
    (sx, sy), (tx, ty) = source, target
    dash = ' stroke-dasharray="5 4"' if conditional else ""
    if span <= 0:  # a back edge: loop out on the right of both boxes
        bulge = _BOX_W / 2 + 30 + 25 * (-span)
        start, end = (sx + _BOX_W / 2, sy + _BOX_H / 2), (tx + _BOX_W / 2, ty + _BOX_H / 2)
        path = (f"M {start[0]:.0f} {start[1]:.0f} C {start[0] + bulge:.0f} {start[1]:.0f}, "
                f"{end[0] + bulge:.0f} {end[1]:.0f}, {end[0]:.0f} {end[1]:.0f}")
    elif span == 1 or sx != tx:  # neighbours, or a side node: down its own column, then across
        start, end = (sx, sy + _BOX_H), (tx, ty)
        path = (f"M {start[0]:.0f} {start[1]:.0f} C {start[0]:.0f} {end[1] - _ROW / 2:.0f}, "
                f"{end[0]:.0f} {end[1] - _ROW / 2:.0f}, {end[0]:.0f} {end[1]:.0f}")
    else:  # skips layers on the spine: swing out to the left so no box is crossed
        bulge = _BOX_W / 2 + 20 + 30 * span
        start, end = (sx - _BOX_W / 2, sy + _BOX_H / 2), (tx - _BOX_W / 2, ty + _BOX_H / 2)
        path = (f"M {start[0]:.0f} {start[1]:.0f} C {start[0] - bulge:.0f} {start[1]:.0f}, "
                f"{end[0] - bulge:.0f} {end[1]:.0f}, {end[0]:.0f} {end[1]:.0f}")
    return f'<path d="{path}" fill="none" stroke="#555"{dash} marker-end="url(#arrow)"/>'
