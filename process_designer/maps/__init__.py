"""Process maps in and out: Mermaid, BPMN 2.0 and SVG export, BPMN/markdown/list import, gap analysis, optimisation."""

from __future__ import annotations

from process_designer.maps.bpmn import to_bpmn
from process_designer.maps.bpmn_import import parse_bpmn
from process_designer.maps.documents import (
    EXPORT_FORMATS,
    export_document,
    load_document,
    parse_document,
)
from process_designer.maps.errors import MapError
from process_designer.maps.gap import GapReport, compare, render
from process_designer.maps.markdown_import import parse_markdown, parse_numbered_list
from process_designer.maps.mermaid import to_mermaid
from process_designer.maps.optimise import Optimisation, suggest
from process_designer.maps.svg import to_svg

__all__ = [
    "EXPORT_FORMATS",
    "GapReport",
    "MapError",
    "Optimisation",
    "compare",
    "export_document",
    "load_document",
    "parse_bpmn",
    "parse_document",
    "parse_markdown",
    "parse_numbered_list",
    "render",
    "suggest",
    "to_bpmn",
    "to_mermaid",
    "to_svg",
]
