"""``process-designer templates``: list, search, show and add process templates."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from process_designer.cli.inputs import read_text_file
from process_designer.cli.template_review import file_reviewer
from process_designer.config import load_settings

if TYPE_CHECKING:
    from process_designer.domain.models import ProcessDocument, QualityReport
    from process_designer.knowledge.library import TemplateHit, TemplateLibrary
    from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["register"]

_REVIEWER_MODULE = "process_designer.agents.reviewer"
Reviewer = Callable[["ProcessDocument"], "QualityReport"]


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
    add.set_defaults(handler=_add)


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


def _open_library() -> TemplateLibrary:
    from process_designer.knowledge.library import TemplateLibrary

    library = TemplateLibrary(load_settings())
    library.ensure_index(progress=_progress)
    return library


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


def _list(args: argparse.Namespace) -> int:
    from process_designer.knowledge.library import TemplateLibrary

    # The files themselves, not the index: listing needs neither Chroma nor the embedding model.
    with TemplateLibrary(load_settings()) as library:
        templates = library.on_disk(progress=_progress)
        usage = library.usage()
    if args.format == "json":
        print(
            json.dumps([{**_summary(t), "uses": usage.get(t.id, 0)} for t in templates], indent=2)
        )
        return 0
    rows = [
        [t.id, t.title, t.category, t.business_domain, t.complexity, str(usage.get(t.id, 0))]
        for t in templates
    ]
    print(_table(["ID", "TITLE", "CATEGORY", "DOMAIN", "COMPLEXITY", "USES"], rows))
    print(f"\n{len(templates)} templates")
    return 0


def _search(args: argparse.Namespace) -> int:
    with _open_library() as library:
        _progress(f"loading the embedding model {library.embedder.name}")
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
    with _open_library() as library:
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


def _find_reviewer() -> Reviewer | None:
    """The offline quality reviewer's ``review_document`` when that agent is installed."""
    if importlib.util.find_spec(_REVIEWER_MODULE) is None:
        return None
    module = importlib.import_module(_REVIEWER_MODULE)
    review = getattr(module, "review_document", None)
    return review if callable(review) else None


def _add(args: argparse.Namespace) -> int:
    from process_designer.knowledge.template_model import template_from_toml

    template = template_from_toml(read_text_file(args.file), str(args.file))
    review = _find_reviewer()
    if review is None:
        _progress("the quality reviewer is not available; adding the template without review")
    with _open_library() as library:
        saved = library.add(template, review=review and file_reviewer(review), min_score=args.min_score)
        path = library.user_templates_dir / f"{saved.id}.toml"
    print(f"added template {saved.id} ({saved.title}) to {path}")
    return 0
