"""``process-designer audit``: read the audit log (who did what to which id, and when)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from process_designer.config import load_settings

__all__ = ["register", "run"]


def _limit(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1_000_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a count; use 1 to 1000000")
    return int(text)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``audit`` sub-command."""
    parser = subparsers.add_parser(
        "audit", help="print the audit log, oldest first",
        description="Print audit entries (sessions created, messages accepted, denials, failed logins) "
        "from PD_DATABASE_URL or PD_DATA_DIR. Entries never hold message content.",
    )
    parser.add_argument("--tenant", help="only this tenant's entries")
    parser.add_argument("--limit", type=_limit, default=100, help="the newest N entries (default 100)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from process_designer.storage import open_database
    from process_designer.storage.audit import AuditLog

    database = open_database(load_settings(), "access.sqlite")
    try:
        entries = AuditLog(database).entries(tenant=args.tenant, limit=args.limit)
    finally:
        database.close()
    if args.format == "json":
        print(json.dumps([asdict(entry) for entry in entries], indent=2))
        return 0
    for entry in entries:
        print(f"{entry.at}  {entry.tenant}/{entry.subject}  {entry.action}  {entry.resource}  {entry.outcome}")
    return 0
