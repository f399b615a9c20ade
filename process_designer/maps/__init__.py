"""Process maps in and out: Mermaid, BPMN 2.0 and SVG export, BPMN/markdown/list import, gap analysis, optimisation.

Names load on first use (PEP 562): a design that reads no map does not import them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from process_designer.lazy import exports

if TYPE_CHECKING:
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

# Each name and the module it lives in.
_EXPORTS = {
    "EXPORT_FORMATS": "process_designer.maps.documents",
    "GapReport": "process_designer.maps.gap",
    "MapError": "process_designer.maps.errors",
    "Optimisation": "process_designer.maps.optimise",
    "compare": "process_designer.maps.gap",
    "export_document": "process_designer.maps.documents",
    "load_document": "process_designer.maps.documents",
    "parse_bpmn": "process_designer.maps.bpmn_import",
    "parse_document": "process_designer.maps.documents",
    "parse_markdown": "process_designer.maps.markdown_import",
    "parse_numbered_list": "process_designer.maps.markdown_import",
    "render": "process_designer.maps.gap",
    "suggest": "process_designer.maps.optimise",
    "to_bpmn": "process_designer.maps.bpmn",
    "to_mermaid": "process_designer.maps.mermaid",
    "to_svg": "process_designer.maps.svg",
}

__getattr__ = exports(__name__, _EXPORTS)
