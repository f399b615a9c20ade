"""``process-designer design``: one design turn, no server needed."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from process_designer.config import load_settings
from process_designer.designer import Designer
from process_designer.domain.markdown import render_markdown
from process_designer.domain.models import DesignContext
from process_designer.errors import InputError

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
    parser.add_argument("--quiet", action="store_true", help="do not show the agent stages on stderr")
    parser.set_defaults(handler=run)


def _context(raw: str | None) -> DesignContext | None:
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"--context is not valid JSON (column {exc.colno}): {exc.msg}; "
                         'example: --context \'{"business_domain": "SaaS"}\'') from None
    if not isinstance(data, dict):
        raise InputError('--context must be a JSON object, e.g. {"integrations": ["crm", "email"]}')
    try:
        return DesignContext.model_validate(data)
    except ValueError as exc:
        first = str(exc).splitlines()[1:3]
        raise InputError(f"--context is invalid: {' '.join(s.strip() for s in first)}; known keys: "
                         "business_domain, complexity (low|medium|high), integrations, owner") from None


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "process"


def run(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.requirements == "-" else args.requirements
    context = _context(args.context)
    settings = load_settings()
    if not args.quiet:
        print("… loading the template library (the first start takes a few seconds)", file=sys.stderr, flush=True)
    with Designer(settings) as designer:
        final = None
        for event in designer.stream_design(text, title=args.title, context=context):
            if event.final:
                final = event
            elif not args.quiet:
                print(f"[{event.agent}] {event.content.splitlines()[0]}", file=sys.stderr, flush=True)
    assert final is not None
    if final.document is None:
        print(final.content, file=sys.stderr)
        return 1
    document = final.document
    if args.out:
        _write_outputs(args.out, document)
    if args.format == "json":
        print(json.dumps(document.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_markdown(document))
    return 0


def _write_outputs(folder: Path, document: object) -> None:
    from process_designer.domain.models import ProcessDocument

    assert isinstance(document, ProcessDocument)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        slug = slugify(document.title)
        (folder / f"{slug}.md").write_text(render_markdown(document), encoding="utf-8")
        (folder / f"{slug}.spy").write_text(document.spy.program, encoding="utf-8")
        (folder / f"{slug}_test.spy").write_text(document.spy.tests, encoding="utf-8")
        (folder / f"{slug}.json").write_text(json.dumps(document.to_json(), indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write to {folder}: {exc.strerror}; choose a writable --out folder") from None
    print(f"wrote {folder}/{slug}.md, {slug}.spy, {slug}_test.spy, {slug}.json", file=sys.stderr)
