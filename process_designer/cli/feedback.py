"""``process-designer feedback``: what the designer learned from a tenant's feedback, reset it, or rate a thread."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from process_designer.config import load_settings

if TYPE_CHECKING:
    from process_designer.feedback.profile import FeedbackProfile

__all__ = ["register", "render_profile", "run_rate", "run_reset", "run_show"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``feedback`` sub-command with ``show``, ``reset`` and ``rate``."""
    parser = subparsers.add_parser(
        "feedback", help="show, reset or add what the designer learned from feedback",
        description="Ratings, edits and dismissed findings are recorded per tenant (PD_DATABASE_URL or "
        "PD_DATA_DIR) and weight template ranking, writer defaults and reviewer findings.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    show = actions.add_parser("show", help="print what was learned for a tenant")
    show.add_argument("--tenant", default="local", help="the tenant (default: local)")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(handler=run_show)
    reset = actions.add_parser("reset", help="forget everything learned for a tenant")
    reset.add_argument("--tenant", default="local", help="the tenant (default: local)")
    reset.set_defaults(handler=run_reset)
    rate = actions.add_parser("rate", help="rate the latest process of a thread")
    rate.add_argument("thread", help="the thread id")
    rate.add_argument("rating", choices=("up", "down"))
    rate.add_argument("--comment", default="", help="why")
    rate.add_argument("--version", type=int, default=None, help="the version to rate (default: the latest)")
    rate.add_argument("--tenant", default="local", help="the tenant (default: local)")
    rate.set_defaults(handler=run_rate)


def render_profile(profile: FeedbackProfile) -> str:
    """The profile as the text ``feedback show`` prints."""
    if profile.empty:
        return f"Nothing learned for tenant {profile.tenant} yet."
    lines = [f"Tenant {profile.tenant}: {profile.ratings.get('up', 0)} up, {profile.ratings.get('down', 0)} down"]
    if profile.templates:
        lines.append("Templates:")
        for template_id, votes in sorted(profile.templates.items()):
            lines.append(f"  {template_id}: accepted {votes.accepted}, rejected {votes.rejected} "
                         f"(ranking {profile.template_adjustment(template_id):+.2f})")
    if profile.preferred_owner:
        lines.append(f"Owner: {profile.preferred_owner}")
    lines.extend(f"Role: {old} -> {new}" for old, new in sorted(profile.roles.items()))
    lines.extend(f"Duration: {step} -> {duration}" for step, duration in sorted(profile.durations.items()))
    weighted = profile.dismissed_findings()
    lines.extend(f"Dismissed {count}x{' (weighted down)' if key in weighted else ''}: {key}"
                 for key, count in sorted(profile.dismissed.items()))
    return "\n".join(lines)


def run_show(args: argparse.Namespace) -> int:
    from process_designer.feedback.store import FeedbackStore

    store = FeedbackStore.open(load_settings())
    try:
        profile = store.profile(args.tenant)
    finally:
        store.close()
    print(profile.model_dump_json(indent=2) if args.format == "json" else render_profile(profile))
    return 0


def run_reset(args: argparse.Namespace) -> int:
    from process_designer.feedback.store import FeedbackStore

    store = FeedbackStore.open(load_settings())
    try:
        removed = store.reset(args.tenant)
    finally:
        store.close()
    print(f"Reset tenant {args.tenant}: {removed} feedback record(s) removed.")
    return 0


def run_rate(args: argparse.Namespace) -> int:
    from process_designer.principal import Principal, acting_as
    from process_designer.service import DesignService

    acting_as(Principal(subject="cli", tenant=args.tenant))
    service = DesignService.open(load_settings())
    try:
        rated = service.rate_thread(args.thread, args.rating, args.comment, args.version)
    finally:
        service.close()
    used = ", ".join(rated.document.templates_used) or "no template"
    print(f"Rated version {rated.number} of {args.thread} {args.rating} (templates: {used}).")
    return 0
