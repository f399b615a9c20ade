"""Reading a process from any supported file and writing it in any export format."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal, get_args

from pydantic import ValidationError

from process_designer.domain.markdown import render_markdown
from process_designer.domain.models import ProcessDocument
from process_designer.maps.bpmn import to_bpmn
from process_designer.maps.bpmn_import import parse_bpmn
from process_designer.maps.errors import MapError
from process_designer.maps.markdown_import import parse_markdown, parse_numbered_list
from process_designer.maps.mermaid import to_mermaid
from process_designer.maps.svg import to_svg

__all__ = ["EXPORT_FORMATS", "MEDIA_TYPES", "ExportFormat", "export_document", "load_document", "parse_document"]

ExportFormat = Literal["mermaid", "bpmn", "svg", "md", "json", "spy"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)
MEDIA_TYPES: dict[str, str] = {"mermaid": "text/vnd.mermaid; charset=utf-8", "bpmn": "application/xml",
                               "svg": "image/svg+xml",
                               "md": "text/markdown; charset=utf-8", "json": "application/json",
                               "spy": "text/plain; charset=utf-8"}


def export_document(document: ProcessDocument, format: str) -> str:
    """``document`` as text in ``format`` (one of :data:`EXPORT_FORMATS`)."""
    if format == "mermaid":
        return to_mermaid(document)
    if format == "bpmn":
        return to_bpmn(document)
    if format == "svg":
        return to_svg(document)
    if format == "md":
        return render_markdown(document)
    if format == "json":
        return json.dumps(document.to_json(), indent=2, ensure_ascii=False) + "\n"
    if format == "spy":
        if not document.spy.program.strip():
            raise MapError(document.title, "spy", "the document has no SPy program yet; design or revise it first")
        return document.spy.program.rstrip() + "\n"
    raise MapError(document.title, format, f"unknown export format; choose one of {', '.join(EXPORT_FORMATS)}")


def _from_json(text: str, source: str) -> ProcessDocument:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MapError(source, f"line {exc.lineno}, column {exc.colno}", f"not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise MapError(source, "top level", "must be a JSON object as `design --format json` prints it")
    data.pop("markdown", None)  # derived from the rest; design --format json adds it
    try:
        return ProcessDocument.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "top level"
        raise MapError(source, where, f"{error['msg'].lower()} (as `design --format json` writes it)") from None


def parse_document(text: str, source: str) -> ProcessDocument:
    """A document from JSON, BPMN 2.0 XML, markdown in the seed's structure or a numbered list, told by content."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise MapError(source, "", "is empty; give a JSON document, a BPMN file, markdown or a numbered list")
    if stripped.startswith("{") or stripped.startswith("["):
        return _from_json(stripped, source)
    if stripped.startswith("<"):
        return parse_bpmn(stripped, source)
    if any(line.startswith("## ") or line.startswith("### Step ") for line in stripped.splitlines()):
        return parse_markdown(stripped, source)
    return parse_numbered_list(_one_item_a_line(stripped), source)


_INLINE_ITEM = re.compile(r"(?:(?<=\s)|^)(\d{1,2})[.)]\s+")


def _one_item_a_line(text: str) -> str:
    """A list typed on one line ("1. Receive request 2. Issue refund") with each item on its own line."""
    if "\n" in text.strip():
        return text
    markers = list(_INLINE_ITEM.finditer(text))
    numbers = [int(m.group(1)) for m in markers]
    if len(markers) < 2 or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return text
    return "\n".join(text[m.start():(markers[i + 1].start() if i + 1 < len(markers) else len(text))].strip()
                     for i, m in enumerate(markers))


def load_document(path: Path) -> ProcessDocument:
    """:func:`parse_document` of a file; unreadable files raise :class:`MapError` naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MapError(str(path), "", "no such file") from None
    except IsADirectoryError:
        raise MapError(str(path), "", "is a directory; give a file") from None
    except OSError as exc:
        raise MapError(str(path), "", f"cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise MapError(str(path), "", "is not UTF-8 text") from None
    return parse_document(text, str(path))
