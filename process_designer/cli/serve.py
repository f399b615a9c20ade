"""``process-designer serve``: run the gRPC chat service (and the HTTP app beside it) until stopped."""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import sys

from process_designer.config import load_settings
from process_designer.errors import ConfigError

__all__ = ["register", "run"]


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number; use 0-65535") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is out of range; use 0-65535 (0 picks a free port)")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``serve`` sub-command."""
    parser = subparsers.add_parser(
        "serve",
        help="run the chat service (gRPC, and HTTP with the web page) until SIGTERM or Ctrl-C",
        description="Serve sopwriter.v1.ProcessWriter over gRPC with health and reflection. "
        "Defaults come from PD_GRPC_PORT, PD_HTTP_PORT and PD_HOST.",
    )
    parser.add_argument("--grpc-port", type=_port, help="gRPC port (default PD_GRPC_PORT or 50051; 0 picks one)")
    parser.add_argument("--http-port", type=_port, help="HTTP port (default PD_HTTP_PORT or 8080)")
    parser.add_argument("--host", help="interface to listen on (default PD_HOST or 127.0.0.1)")
    parser.add_argument(
        "--grace", type=float, default=10.0, help="seconds turns in progress may take to finish on shutdown"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Start the service from the environment plus the command-line overrides."""
    from process_designer.knowledge.library import TemplateLibrary
    from process_designer.server.auth import bind_check
    from process_designer.server.serving import serve
    from process_designer.service import DesignService
    from process_designer.telemetry import configure_json_logging

    if args.grace < 0:
        raise ConfigError(f"--grace {args.grace:g} is negative; give the seconds to wait, e.g. --grace 10")
    overrides = {
        name: value
        for name, value in (("grpc_port", args.grpc_port), ("http_port", args.http_port), ("host", args.host))
        if value is not None
    }
    settings = load_settings().with_overrides(**overrides)
    # Refuses a non-loopback host without authentication; stdout stays the listeners' addresses.
    if (notice := bind_check(settings)) is not None:
        print(notice, file=sys.stderr, flush=True)
    # Spans and metrics go where PD_OTEL_EXPORTER says, set up for every command by cli.main; /metrics reads
    # them in-process either way.
    configure_json_logging(logging.WARNING)

    async def main() -> None:
        # One library for the designer and the template routes: embedded Chroma is one client per directory.
        service = DesignService.open(settings, library=TemplateLibrary(settings))
        try:
            await serve(service, settings, grace=args.grace, announce=functools.partial(print, flush=True))
        finally:
            service.close()

    asyncio.run(main())
    return 0
