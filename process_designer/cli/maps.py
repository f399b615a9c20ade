"""``process-designer export | import | gap | optimise``: process maps in and out, gaps and optimisations."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from process_designer.cli.inputs import read_text_file
from process_designer.config import load_settings
from process_designer.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from process_designer.domain.models import ProcessDocument

# The export formats, as maps.documents.EXPORT_FORMATS (tests/maps/test_cli.py keeps them equal):
# importing that module for the parser would put pydantic into every command's start.
EXPORT_FORMATS = ("mermaid", "bpmn", "svg", "md", "json", "spy")

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = subparsers.add_parser(
        "export", help="export a process as Mermaid, BPMN 2.0, markdown, JSON or SPy",
        description="Export a process document (a file as `design --format json` writes it, or a thread's "
                    "current document) as a Mermaid flowchart, BPMN 2.0 XML, markdown, JSON or SPy.")
    export.add_argument("document", nargs="?", type=Path, help="DOCUMENT.json (or .md, .bpmn, a numbered list)")
    export.add_argument("--thread", help="export the current document of this thread instead")
    export.add_argument("--format", choices=EXPORT_FORMATS, required=True, help="the export format")
    export.add_argument("--out", type=Path, help="write to this file instead of standard output")
    export.set_defaults(handler=run_export)

    imported = subparsers.add_parser(
        "import", help="read a BPMN 2.0 file, a markdown process or a numbered list into a process document",
        description="Read an existing process (BPMN 2.0, markdown in the standard structure, a numbered list "
                    "or JSON) and print it as a process document.")
    imported.add_argument("file", type=Path, help="the process file")
    imported.add_argument("--format", choices=EXPORT_FORMATS, default="json", help="what to print (default: json)")
    imported.set_defaults(handler=run_import)

    gap = subparsers.add_parser(
        "gap", help="compare a current process with the desired one",
        description="Report missing and extra steps, changed order, missing validations, error handling and "
                    "KPIs, hand-offs added or removed and duration changes between two processes, and how the "
                    "desired one could be faster.")
    gap.add_argument("current", type=Path, help="the current process (BPMN, markdown, numbered list or JSON)")
    gap.add_argument("desired", type=Path, help="the desired process (any of the same formats)")
    gap.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    gap.set_defaults(handler=run_gap)

    optimise = subparsers.add_parser(
        "optimise", help="suggest parallel steps, fewer hand-offs and automation for a process",
        description="Suggest steps that can run in parallel, redundant hand-offs and manual steps a declared "
                    "integration could do, each with its effect on total and critical-path duration.")
    optimise.add_argument("document", type=Path, help="the process (JSON, BPMN, markdown or a numbered list)")
    optimise.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    optimise.set_defaults(handler=run_optimise)


def load_document(path: Path) -> ProcessDocument:
    """The process in the file at ``path``; unreadable or non-UTF-8 files are one line."""
    from process_designer.maps.documents import parse_document

    return parse_document(read_text_file(path), str(path))


def _thread_document(thread_id: str) -> ProcessDocument:
    from process_designer.service import DesignService

    service = DesignService.open(load_settings())
    try:
        document = service.thread_document(thread_id)
    finally:
        service.close()
    if document is None:
        raise NotFoundError(f"thread {thread_id!r} has no process document yet; design one with "
                            "`process-designer chat --thread ID` or pass DOCUMENT.json")
    return document


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        print(text, end="")
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror}; choose a writable --out path") from None


def run_export(args: argparse.Namespace) -> int:
    if (args.document is None) == (args.thread is None):
        raise InputError("export needs exactly one of DOCUMENT.json or --thread ID")
    from process_designer.maps.documents import export_document

    document = _thread_document(args.thread) if args.thread else load_document(args.document)
    _emit(export_document(document, args.format), args.out)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from process_designer.maps.documents import export_document

    print(export_document(load_document(args.file), args.format), end="")
    return 0


def run_gap(args: argparse.Namespace) -> int:
    from process_designer.maps.gap import compare, render

    report = compare(load_document(args.current), load_document(args.desired))
    if args.format == "json":
        print(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        print(render(report), end="")
    return 0


def run_optimise(args: argparse.Namespace) -> int:
    from process_designer.maps.optimise import describe, suggest

    document = load_document(args.document)
    suggestions = suggest(document)
    if args.format == "json":
        print(json.dumps([o.model_dump(mode="json") for o in suggestions], indent=2, ensure_ascii=False))
    elif not suggestions:
        print(f"{document.title}: no optimisations found")
    else:
        print(f"Optimisations: {document.title}")
        print("\n".join(f"  - {describe(o)}" for o in suggestions))
    return 0
