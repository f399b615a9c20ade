"""Entry point of ``process-designer``: builds the parser from the sub-command modules and runs one.

Exit codes: 0 success, 1 the input is wrong or checks failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from process_designer import __version__
from process_designer.errors import ProcessDesignerError

__all__ = ["build_parser", "main", "run"]

# Each module defines ``register(subparsers)``; its parser sets ``handler(args) -> int``.
_COMMANDS = (
    "process_designer.cli.audit",
    "process_designer.cli.chat",
    "process_designer.cli.design",
    "process_designer.cli.eval",
    "process_designer.cli.feedback",
    "process_designer.cli.graph",
    "process_designer.cli.maps",
    "process_designer.cli.serve",
    "process_designer.cli.spy",
    "process_designer.cli.stats",
    "process_designer.cli.templates",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="process-designer",
        description="Design processes by conversation: documents, SPy code, tests and quality reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for module_name in _COMMANDS:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("LANGGRAPH_CLI_NO_ANALYTICS", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except ProcessDesignerError as exc:
        print(f"process-designer: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("process-designer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _run(args: argparse.Namespace) -> int:
    """Run the command; with ``PD_OTEL_EXPORTER`` set, its spans and metrics are exported (and flushed at the end)."""
    from process_designer.config import load_settings

    settings = load_settings()
    if settings.otel_exporter == "none":  # the default: nothing to export, and no OpenTelemetry SDK to load
        return int(args.handler(args) or 0)
    from process_designer.telemetry.setup import exporting

    with exporting(settings):
        return int(args.handler(args) or 0)


def run() -> NoReturn:
    """``process-designer`` as a program: run one command, then end the process at once (see ``program``)."""
    from process_designer.cli.program import end

    end(main())


if __name__ == "__main__":
    run()
