"""``process-designer design``: one design turn, no server needed.

The engine's modules are imported when the command runs, once: ``--help`` and the other commands
never pay for them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from process_designer.cli.inputs import argument_text, read_stdin
from process_designer.cli.program import collecting_rarely
from process_designer.config import load_settings
from process_designer.errors import InputError
from process_designer.limits import message_too_long

if TYPE_CHECKING:
    from process_designer.config import Settings
    from process_designer.domain.models import DesignContext, ProcessDocument
    from process_designer.knowledge.index_process import IndexProcess

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "design", help="design a process from requirements in one turn",
        description="Design a process from plain-language requirements: document, SPy code, tests, quality report.",
    )
    parser.add_argument("requirements", help="the requirements text, or - to read them from standard input")
    parser.add_argument("--title", help="the process title (default: derived from the requirements)")
    parser.add_argument("--context", help='JSON such as {"business_domain": "SaaS", "integrations": ["crm"]}')
    parser.add_argument("--out", type=Path, help="write <slug>.md, <slug>.spy, <slug>_test.spy and <slug>.json here")
    parser.add_argument("--format", choices=("md", "json"), default="md", help="what to print (default: md)")
    parser.add_argument("--quiet", action="store_true", help="print nothing on stderr but errors")
    parser.set_defaults(handler=run)


def _context(raw: str | None) -> DesignContext | None:
    if raw is None:
        return None
    from process_designer.domain.context import (
        KNOWN_KEYS,
        ContextError,
        context_from_json,
        validate_context,
    )

    try:
        return validate_context(context_from_json(argument_text(raw, "--context"), "--context"))
    except ContextError as exc:
        raise InputError(f"--context is invalid: {exc.key}: {exc.problem}; known keys are {KNOWN_KEYS}") from None


def _requirements(raw: str) -> str:
    text = read_stdin() if raw == "-" else argument_text(raw, "the requirements argument")
    if (too_long := message_too_long(text)) is not None:
        raise InputError(too_long)
    return text


def run(args: argparse.Namespace) -> int:
    text = _requirements(args.requirements)
    title = argument_text(args.title, "--title") if args.title else None
    context = _context(args.context)
    with collecting_rarely():  # the engine's objects live as long as the command (see cli.program)
        return _design(args, text, title, context)


def _design(args: argparse.Namespace, text: str, title: str | None, context: DesignContext | None) -> int:
    settings = load_settings()
    from process_designer.knowledge.index_process import IndexProcess

    # The template library opens in a second process while this one imports the engine (see index_process).
    library = IndexProcess.start(settings)
    try:
        document = _designed(args, settings, library, text, title, context)
    finally:
        library.close()
    if document is None:
        return 1
    if args.out:
        _write_outputs(args.out, document, quiet=args.quiet)
    from process_designer.domain.markdown import render_markdown

    if args.format == "json":
        print(json.dumps(document.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_markdown(document))
    return 0


def _designed(args: argparse.Namespace, settings: Settings, library: IndexProcess, text: str, title: str | None,
              context: DesignContext | None) -> ProcessDocument | None:
    """The designed document; ``None`` (the reason printed) when the requirements could not be designed."""
    from process_designer.language.pipeline import english
    from process_designer.service import DesignService

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"process-designer: {message}", file=sys.stderr, flush=True)

    service = DesignService.open(settings, library=library)
    try:
        english()  # every design reads with it: loaded here, while the other process may still be opening the index
        # Only a first start (or changed template files) indexes, and says so in one line.
        library.ensure_index(progress=progress)
        final = None
        for event in service.stream_design(text, title=title, context=context):
            if event.final:
                final = event
            elif not args.quiet:
                print(f"[{event.agent}] {event.content.splitlines()[0]}", file=sys.stderr, flush=True)
    finally:
        service.close()
    assert final is not None
    if final.document is None:
        print(final.content, file=sys.stderr)
    return final.document


def _write_outputs(folder: Path, document: ProcessDocument, *, quiet: bool) -> None:
    from process_designer.domain import slugs
    from process_designer.domain.markdown import render_markdown

    try:
        folder.mkdir(parents=True, exist_ok=True)
        slug = slugs.slug(document.title)
        (folder / f"{slug}.md").write_text(render_markdown(document), encoding="utf-8")
        (folder / f"{slug}.spy").write_text(document.spy.program, encoding="utf-8")
        (folder / f"{slug}_test.spy").write_text(document.spy.tests, encoding="utf-8")
        (folder / f"{slug}.json").write_text(json.dumps(document.to_json(), indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write to {folder}: {exc.strerror}; choose a writable --out folder") from None
    if not quiet:
        print(f"wrote {folder}/{slug}.md, {slug}.spy, {slug}_test.spy, {slug}.json", file=sys.stderr)
