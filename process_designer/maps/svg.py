"""A process document as an SVG diagram: the BPMN layout drawn in lanes, each task linked to its step.

The web page shows this drawing (served by the HTTP app, no script library needed); ``export --format
svg`` writes it to a file. Tasks carry ``data-step`` so a page can link them to the document's steps.
"""

from __future__ import annotations

import itertools
import textwrap
import xml.etree.ElementTree as ET

from process_designer.domain.models import ProcessDocument
from process_designer.maps.flow import Flow, FlowEdge, FlowNode, build_flow
from process_designer.maps.layout import Bounds, Layout, layout_flow

__all__ = ["SVG", "to_svg"]

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)
_PAD = 20
_LINE = 13  # text line height
_STYLE = """
.pd-lane rect { fill: #fbfbfd; stroke: #9aa3b5; }
.pd-lane text { font: 600 12px sans-serif; fill: #2d3748; }
.pd-pool { fill: none; stroke: #4a5568; stroke-width: 1.5; }
.pd-node text { font: 12px sans-serif; fill: #1a202c; }
.pd-task rect { fill: #fff; stroke: #2b6cb0; stroke-width: 1.5; }
.pd-task { cursor: pointer; }
.pd-task:hover rect, .pd-task:focus rect { fill: #ebf4ff; stroke-width: 2.5; }
.pd-decision polygon { fill: #fff4d6; stroke: #b7791f; stroke-width: 1.5; }
.pd-split polygon, .pd-join polygon { fill: #e6f0ff; stroke: #2b6cb0; stroke-width: 1.5; }
.pd-marker { font: 700 20px sans-serif; }
.pd-start circle { fill: #f0fff4; stroke: #2f855a; stroke-width: 1.5; }
.pd-end circle { fill: #fff5f5; stroke: #c53030; stroke-width: 3.5; }
.pd-flow polyline { fill: none; stroke: #4a5568; stroke-width: 1.2; }
.pd-flow.pd-loop polyline { stroke-dasharray: 5 3; }
.pd-flow text { font: 11px sans-serif; fill: #744210; }
"""


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str | float) -> ET.Element:
    element = ET.SubElement(parent, f"{{{SVG}}}{tag}", {k.replace("_", "-"): f"{v:g}" if isinstance(v, float) else
                                                        str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _lines(parent: ET.Element, text: str, x: float, y: float, width: int, most: int = 4) -> None:
    """``text`` wrapped to ``width`` characters, centred on ``x``, starting at baseline ``y``."""
    lines = textwrap.wrap(" ".join(text.split()), width) or [""]
    if len(lines) > most:
        lines = [*lines[:most - 1], textwrap.shorten(" ".join(lines[most - 1:]), width, placeholder="…")]
    label = _el(parent, "text", None, x=x, y=y, text_anchor="middle")
    for index, line in enumerate(lines):
        _el(label, "tspan", line, x=x, dy=0.0 if index == 0 else float(_LINE))


def _diamond(group: ET.Element, box: Bounds, marker: str) -> None:
    cx, cy = box.middle
    points = f"{cx:g},{box.y:g} {box.right:g},{cy:g} {cx:g},{box.bottom:g} {box.x:g},{cy:g}"
    _el(group, "polygon", points=points)
    _el(group, "text", marker, x=cx, y=cy + 7, text_anchor="middle", **{"class": "pd-marker"})


def _node(parent: ET.Element, node: FlowNode, box: Bounds) -> None:
    group = _el(parent, "g", id=f"pd-{node.id}", **{"class": f"pd-node pd-{node.kind}"})
    cx, cy = box.middle
    if node.kind == "task" and node.step is not None:
        step = node.step
        group.set("data-step", str(step.number))
        group.set("tabindex", "0")
        group.set("role", "link")
        _el(group, "title", f"Step {step.number}: {step.name} ({node.lane}, {step.duration})")
        _el(group, "rect", x=box.x, y=box.y, width=box.width, height=box.height, rx=10.0)
        text = f"{step.number}. {node.label}"
        line_count = min(len(textwrap.wrap(text, 15)) or 1, 4)
        _lines(group, text, cx, cy - (line_count - 1) * _LINE / 2 + 4, 15)
        return
    if node.kind in ("decision", "split", "join"):
        _diamond(group, box, "×" if node.kind == "decision" else "+")
        if node.label:
            _el(group, "title", node.label)
            _lines(group, node.label, cx, box.y - 8 - _LINE, 22, most=2)
        return
    _el(group, "circle", cx=cx, cy=cy, r=box.width / 2)
    _lines(group, node.label, cx, box.bottom + _LINE + 2, 18, most=2)


def _flow(parent: ET.Element, edge: FlowEdge, points: list[tuple[float, float]]) -> None:
    kind = " pd-loop" if edge.loop else " pd-default" if edge.default else ""
    group = _el(parent, "g", **{"class": f"pd-flow{kind}", "data-from": edge.source, "data-to": edge.target})
    _el(group, "polyline", points=" ".join(f"{x:g},{y:g}" for x, y in points), marker_end="url(#pd-arrow)")
    if not edge.label:
        return
    if len(points) == 4 and not edge.loop and points[1][0] == points[2][0]:
        # A branch that turns in the gap after its decision: name it where it turns into the target's row.
        _el(group, "text", edge.label, x=points[2][0] - 4, y=points[2][1] - 5, text_anchor="end")
        return
    (x1, y1), (x2, y2) = max(itertools.pairwise(points), key=lambda p: abs(p[1][0] - p[0][0]) + abs(p[1][1] - p[0][1]))
    horizontal = abs(y2 - y1) < abs(x2 - x1)
    x, y = ((x1 + x2) / 2, y1 - 6) if horizontal else (x1 + 6, (y1 + y2) / 2)
    _el(group, "text", edge.label, x=x, y=y, text_anchor="middle" if horizontal else "start")


def _canvas(title: str, layout: Layout) -> ET.Element:
    pool = layout.pool
    bottom = max([pool.bottom, *(y for points in layout.waypoints.values() for _, y in points)])
    width, height = pool.right + _PAD, bottom + _PAD + 10
    svg = ET.Element(f"{{{SVG}}}svg", {"viewBox": f"{pool.x - _PAD:g} {pool.y - _PAD:g} {width - pool.x + _PAD:g} "
                                                  f"{height - pool.y + _PAD:g}",
                                       "width": f"{width - pool.x + _PAD:g}", "height": f"{height - pool.y + _PAD:g}",
                                       "role": "img", "class": "pd-diagram"})
    _el(svg, "title", f"{title}: process diagram")
    _el(svg, "style", _STYLE)
    defs = _el(svg, "defs")
    marker = _el(defs, "marker", id="pd-arrow", viewBox="0 0 10 10", refX=10.0, refY=5.0, markerWidth=7.0,
                 markerHeight=7.0, orient="auto-start-reverse")
    _el(marker, "path", d="M 0 0 L 10 5 L 0 10 z", fill="#4a5568")
    return svg


def _draw(title: str, flow: Flow) -> ET.Element:
    layout = layout_flow(flow)
    svg = _canvas(title, layout)
    lanes = _el(svg, "g", **{"class": "pd-lanes"})
    for lane, box in layout.lanes.items():
        group = _el(lanes, "g", **{"class": "pd-lane"})
        _el(group, "rect", x=box.x, y=box.y, width=box.width, height=box.height)
        cx, cy = box.x - 15, box.y + box.height / 2
        _el(group, "text", textwrap.shorten(lane, 24, placeholder="…"), x=cx, y=cy, text_anchor="middle",
            dominant_baseline="middle", transform=f"rotate(-90 {cx:g} {cy:g})")
    pool = layout.pool
    _el(svg, "rect", x=pool.x, y=pool.y, width=pool.width, height=pool.height, **{"class": "pd-pool"})
    flows = _el(svg, "g", **{"class": "pd-flows"})
    for edge in flow.edges:
        _flow(flows, edge, layout.waypoints[edge.id])
    nodes = _el(svg, "g", **{"class": "pd-nodes"})
    for node in flow.nodes:
        _node(nodes, node, layout.shapes[node.id])
    return svg


def to_svg(document: ProcessDocument) -> str:
    """The diagram of ``document``'s process graph as a standalone SVG file."""
    svg = _draw(document.title, build_flow(document))
    ET.indent(svg, space="  ")
    for label in svg.iter(f"{{{SVG}}}text"):  # whitespace between lines would be drawn as spaces
        if len(label):
            label.text = None
            for line in label:
                line.tail = None
    return ET.tostring(svg, encoding="unicode") + "\n"
