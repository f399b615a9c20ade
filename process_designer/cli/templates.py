"""``process-designer templates``: list, search, show and add process templates."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from process_designer.cli.inputs import read_text_file
from process_designer.config import Settings, load_settings
from process_designer.principal import LOCAL

if TYPE_CHECKING:
    from process_designer.knowledge.library import TemplateHit, TemplateLibrary
    from process_designer.knowledge.template_model import ProcessTemplate
    from process_designer.knowledge.tenant_library import TenantLibrary

__all__ = ["register"]



def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``templates`` sub-command and its ``list``, ``search``, ``show`` and ``add``."""
    parser = subparsers.add_parser(
        "templates",
        help="browse and extend the process template library",
        description="Browse, search and extend the library of process templates.",
    )
    actions = parser.add_subparsers(dest="templates_command", metavar="ACTION")
    actions.required = True

    listing = actions.add_parser("list", help="list every template")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=_list)

    search = actions.add_parser("search", help="find templates for a description")
    search.add_argument("query", metavar="QUERY", help="what the process is about")
    search.add_argument("--top", type=_positive, default=5, help="how many results (default 5)")
    search.add_argument("--category", help="only this category, e.g. finance")
    search.add_argument("--domain", help="only this business domain, e.g. SaaS")
    search.add_argument(
        "--integration",
        action="append",
        default=[],
        metavar="NAME",
        help="only templates using this integration (repeat for any of several)",
    )
    search.add_argument("--complexity", choices=("low", "medium", "high"))
    search.add_argument("--format", choices=("table", "json"), default="table")
    search.set_defaults(handler=_search)

    show = actions.add_parser("show", help="print one template")
    show.add_argument("template_id", metavar="ID")
    show.add_argument("--format", choices=("md", "json"), default="md")
    show.set_defaults(handler=_show)

    add = actions.add_parser("add", help="save a template file into the user library")
    add.add_argument("file", metavar="FILE", type=Path, help="a template TOML file")
    add.add_argument(
        "--min-score",
        type=float,
        default=0.9,
        help="lowest reviewer score accepted (default 0.9)",
    )
    add.add_argument(
        "--override",
        action="store_true",
        help="save it although a step name is a fragment or a performer was not stated (the refusal lists them)",
    )
    add.set_defaults(handler=_add)
    for action in (listing, search, show, add):
        action.add_argument(
            "--tenant",
            default=LOCAL.tenant,
            help=f"whose own templates to include next to the shared library (default: {LOCAL.tenant})",
        )


def _positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def _progress(message: str) -> None:
    print(f"process-designer: {message}", file=sys.stderr, flush=True)


def _indexed(library: TemplateLibrary) -> TemplateLibrary:
    library.ensure_index(progress=_progress)
    return library


@contextmanager
def _libraries(tenant: str) -> Iterator[tuple[TenantLibrary, TemplateLibrary]]:
    """``tenant``'s view of the templates (the shared library, indexed on first use, and its own) and the
    shared library itself, whose files can be read without the index."""
    from process_designer.knowledge.library import TemplateLibrary
    from process_designer.knowledge.tenant_library import TenantLibrary, TenantTemplates

    settings = load_settings()
    shared = TemplateLibrary(settings)
    library = TenantLibrary(lambda: _indexed(shared), TenantTemplates.open(settings), lambda: tenant)
    try:
        yield library, shared
    finally:
        try:
            library.close()
        finally:
            shared.close()


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell; the last column is never padded."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = []
    for row in [headers, ["-" * w for w in widths], *rows]:
        cells = [str(cell).ljust(width) for cell, width in zip(row[:-1], widths, strict=False)]
        lines.append("  ".join([*cells, str(row[-1])]).rstrip())
    return "\n".join(lines)


def _summary(template: ProcessTemplate) -> dict[str, Any]:
    return {
        "id": template.id,
        "title": template.title,
        "category": template.category,
        "business_domain": template.business_domain,
        "complexity": template.complexity,
        "kind": template.document.kind,
        "tags": template.tags,
        "integrations": template.integrations,
        "roles": template.roles,
        "steps": len(template.document.steps),
    }


def _own_templates(settings: Settings, tenant: str) -> list[ProcessTemplate]:
    """``tenant``'s own templates; the database is not opened for the local user of an instance without a key."""
    from process_designer.knowledge.tenant_library import TenantTemplates, keeps_own

    if not keeps_own(tenant, sealed=settings.encryption_key is not None):
        return []
    store = TenantTemplates.open(settings)
    try:
        return store.of(tenant)
    finally:
        store.close()


def _list(args: argparse.Namespace) -> int:
    from process_designer.knowledge.library import TemplateLibrary

    # The files themselves, not the index: listing needs neither Chroma nor the embedding model.
    settings = load_settings()
    own = {t.id: t for t in _own_templates(settings, args.tenant)}
    with TemplateLibrary(settings) as shared:
        files = [t for t in shared.on_disk(progress=_progress) if t.id not in own]
        usage = shared.usage()
    templates = sorted([*files, *own.values()], key=lambda t: t.id)
    if args.format == "json":
        data = [{**_summary(t), "uses": usage.get(t.id, 0), "own": t.id in own} for t in templates]
        print(json.dumps(data, indent=2))
        return 0
    rows = [
        [t.id, t.title, t.category, t.business_domain, t.complexity, str(usage.get(t.id, 0))]
        for t in templates
    ]
    print(_table(["ID", "TITLE", "CATEGORY", "DOMAIN", "COMPLEXITY", "USES"], rows))
    mine = f" ({len(own)} of them tenant {args.tenant}'s own)" if own else ""
    print(f"\n{len(templates)} templates{mine}")
    return 0


def _search(args: argparse.Namespace) -> int:
    with _libraries(args.tenant) as (library, shared):
        library.shared()  # the index first: an unreachable Chroma server is the one line printed
        _progress(f"loading the embedding model {shared.embedder.name}")
        hits: list[TemplateHit] = library.search(
            args.query,
            top=args.top,
            category=args.category,
            domain=args.domain,
            integrations=args.integration or None,
            complexity=args.complexity,
        )
    if args.format == "json":
        data = [{**_summary(h.template), "score": h.score, "reasons": h.reasons} for h in hits]
        print(json.dumps(data, indent=2))
        return 0
    if not hits:
        print("no template matches; loosen the filters or run `process-designer templates list`")
        return 0
    rows = [
        [
            str(rank),
            f"{h.score:.2f}",
            h.template.id,
            h.template.title,
            h.template.category,
            "; ".join(h.reasons),
        ]
        for rank, h in enumerate(hits, start=1)
    ]
    print(_table(["#", "SCORE", "ID", "TITLE", "CATEGORY", "WHY"], rows))
    return 0


def _show(args: argparse.Namespace) -> int:
    with _libraries(args.tenant) as (library, _shared):
        template = library.get(args.template_id)
    if args.format == "json":
        print(json.dumps(template.model_dump(mode="json"), indent=2))
        return 0
    from process_designer.domain.markdown import render_markdown

    header = (
        f"<!-- template {template.id} · {template.category} · {template.business_domain} · "
        f"{template.complexity} · integrations: {', '.join(template.integrations) or 'none'} -->"
    )
    print(header)
    print(render_markdown(template.document))
    return 0


def _add(args: argparse.Namespace) -> int:
    from process_designer.agents.reviewer import admit_template
    from process_designer.knowledge.template_model import template_from_toml

    template = template_from_toml(read_text_file(args.file), str(args.file))
    with _libraries(args.tenant) as (library, shared):
        admitted = admit_template(library, template, override=args.override, min_score=args.min_score)
        saved = admitted.template
        where = (f"tenant {args.tenant}'s own templates in the database" if library.keeps_own()
                 else str(shared.user_templates_dir / f"{saved.id}.toml"))
    print(f"added template {saved.id} ({saved.title}) to {where}")
    for finding in admitted.overridden:
        print(f"overridden: {finding}", file=sys.stderr)
    for finding in admitted.findings:
        print(f"note: {finding}", file=sys.stderr)
    return 0
