"""``process-designer spy check|fmt|run|test``: the SPy toolchain on files."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from process_designer.cli.inputs import read_text_file
from process_designer.errors import InputError

__all__ = ["register"]

# The toolchain (lark's parser and the interpreter) is imported by each command as it runs.


def _read(path: str) -> str:
    """The text of ``path``, or an ``InputError`` naming what is wrong with the file."""
    from process_designer.spy.parser import MAX_SOURCE_CHARS

    return read_text_file(path, max_bytes=MAX_SOURCE_CHARS * 4)


def _bindings(text: str | None, sources: dict[str, str]) -> list[str]:
    """``--bindings`` and the bindings headers of the files: the only free names a program may call.

    Nothing else is simulated, so a name such as ``open`` is an unknown-name error, never a connector.
    """
    from process_designer.spy.header import declared_bindings

    names = [name.strip() for name in (text or "").split(",") if name.strip()]
    for path, source in sources.items():
        names += declared_bindings(source, path)
    return sorted(set(names))


def _check(args: argparse.Namespace) -> int:
    from process_designer.spy import check

    source, starts, texts = _link(args.files)
    diagnostics = check(source, args.files[0], _bindings(args.bindings, texts))
    for d in diagnostics:
        path, line = _locate(starts, d.line)
        print(replace(d, line=line).format(path))
    return 1 if any(d.severity == "error" for d in diagnostics) else 0


def _fmt(args: argparse.Namespace) -> int:
    from process_designer.spy import SpySyntaxError, format_source

    changed = 0
    for path in args.files:
        source = _read(path)
        try:
            formatted = format_source(source)
        except SpySyntaxError as exc:
            exc.filename = path
            print(exc.diagnostic.format(path), file=sys.stderr)
            return 1
        if formatted != source:
            changed += 1
            if args.check:
                print(f"would reformat {path}")
            else:
                Path(path).write_text(formatted, encoding="utf-8")
    return 1 if args.check and changed else 0


def _run(args: argparse.Namespace) -> int:
    from process_designer.spy import (
        LimitExceeded,
        SimulatedRuntime,
        SpyRuntimeError,
        SpySyntaxError,
        call,
        parse,
    )

    source = _read(args.file)
    try:
        values: Any = json.loads(args.args) if args.args is not None else []
    except json.JSONDecodeError as exc:
        raise InputError(f"--args is not valid JSON ({exc.msg}); give a JSON array such as "
                         "'[{\"email\": \"a@b.c\"}]'") from None
    if not isinstance(values, list):
        raise InputError("--args must be a JSON array of arguments, e.g. '[1, \"x\"]'")
    try:
        program = parse(source, args.file)
    except SpySyntaxError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    runtime = SimulatedRuntime(_bindings(args.bindings, {args.file: source}))
    try:
        result = call(program, args.call, values, runtime=runtime, filename=args.file)
    except SpyRuntimeError as exc:
        error = exc.error
        where = f"{args.file}:{exc.line}" if exc.line is not None else args.file
        print(f"{where}: uncaught error {error.get('type')}: {error.get('message')}", file=sys.stderr)
        return 1
    except LimitExceeded as exc:
        print(f"{args.file}: LimitExceeded: {exc}", file=sys.stderr)
        return 1
    try:
        print(json.dumps(result, ensure_ascii=False))
    except RecursionError:
        print(f"{args.file}: LimitExceeded: the result of {args.call} is nested too deep to print; flatten it",
              file=sys.stderr)
        return 1
    return 0


def _link(paths: list[str]) -> tuple[str, list[tuple[int, str]], dict[str, str]]:
    """The files as one program (a test file uses the defines of the program beside it)."""
    parts: list[str] = []
    starts: list[tuple[int, str]] = []
    texts: dict[str, str] = {}
    line = 1
    for path in paths:
        source = texts[path] = _read(path)
        if source and not source.endswith("\n"):
            source += "\n"
        starts.append((line, path))
        parts.append(source)
        line += source.count("\n")
    return "".join(parts), starts, texts


def _locate(starts: list[tuple[int, str]], line: int) -> tuple[str, int]:
    for start, path in reversed(starts):
        if line >= start:
            return path, line - start + 1
    return starts[0][1], line


def _test(args: argparse.Namespace) -> int:
    from process_designer.spy import SpySyntaxError, run_tests

    source, starts, texts = _link(args.files)
    try:
        report = run_tests(source, args.files[0], bindings=_bindings(args.bindings, texts))
    except SpySyntaxError as exc:
        path, line = _locate(starts, exc.diagnostic.line)
        print(replace(exc.diagnostic, line=line).format(path))
        print("0 passed, 1 failed")
        return 1
    for case in report.cases:
        if case.line is None:
            print(case.format(args.files[0]))
            continue
        path, line = _locate(starts, case.line)
        print(replace(case, line=line).format(path))
    print(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


def register(subparsers: Any) -> None:
    """Add ``spy`` and its sub-commands to the CLI."""
    parser = subparsers.add_parser(
        "spy", help="check, format, run and test SPy programs",
        description="Check, format, run and test SPy programs. A file may declare the integration "
                    "connectors it calls in its first comment lines, '# spy: bindings crm, email'; check, "
                    "run and test add them to --bindings. Programs written by `design` carry that header.")
    commands = parser.add_subparsers(dest="spy_command", metavar="SUBCOMMAND")
    commands.required = True
    bindings_help = ("comma-separated integration connectors (e.g. crm,email), added to those a file's "
                     "header declares: a first comment line '# spy: bindings crm, email'")

    p = commands.add_parser("check", help="report diagnostics of the files, linked as one program "
                                          "(exit 1 on any error)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--bindings", help=bindings_help)
    p.set_defaults(handler=_check)

    p = commands.add_parser("fmt", help="rewrite files in the canonical style")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would change")
    p.set_defaults(handler=_fmt)

    p = commands.add_parser("run", help="call Define.method and print the result as JSON")
    p.add_argument("file")
    p.add_argument("--call", required=True, metavar="DEFINE.METHOD")
    p.add_argument("--args", help="JSON array of arguments")
    p.add_argument("--bindings", help=bindings_help)
    p.set_defaults(handler=_run)

    p = commands.add_parser("test", help="run *Test defines of the files, linked as one program; "
                                         "ends with 'N passed, N failed'")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--bindings", help=bindings_help)
    p.set_defaults(handler=_test)
