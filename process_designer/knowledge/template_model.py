"""A process template: a complete process document plus the metadata search filters on.

Templates live as TOML files in ``process_designer/knowledge/templates/`` (schema in that
folder's README.md). :func:`load_template` turns one file into a :class:`ProcessTemplate`.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from process_designer.domain.models import IntegrationSpec, Overview, ProcessDocument, Step
from process_designer.errors import TemplateError
from process_designer.knowledge.template_flow import template_flow

__all__ = ["ProcessTemplate", "load_template", "template_from_toml"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


class ProcessTemplate(BaseModel):
    """A curated (or user-saved) process template."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    category: str
    business_domain: str
    tags: list[str] = Field(default_factory=list)
    complexity: Literal["low", "medium", "high"] = "medium"
    integrations: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    description: str = ""
    sources: list[str] = Field(default_factory=list)  # the standards, regulations or texts the template follows
    document: ProcessDocument

    def search_text(self) -> str:
        """The text that is embedded for similarity search."""
        steps = "; ".join(step.name for step in self.document.steps)
        return (
            f"{self.title}. {self.description} Category: {self.category}. "
            f"Domain: {self.business_domain}. Tags: {', '.join(self.tags)}. Steps: {steps}."
        )


def _first_line_of(source: str, key: str, after: int = 0) -> int | None:
    # [ \t]* rather than \s*: \s would run over blank lines and report the line above.
    pattern = re.compile(rf"^[ \t]*(\[\[?)?[ \t]*{re.escape(key)}\b", re.MULTILINE)
    match = pattern.search(source, after)
    return source.count("\n", 0, match.start()) + 1 if match else None


def _step_line(source: str, number: int) -> int | None:
    """The line of the ``number``-th ``[[steps]]`` table."""
    tables = list(re.finditer(r"^[ \t]*\[\[[ \t]*steps[ \t]*\]\]", source, re.MULTILINE))
    if len(tables) < number:
        return _first_line_of(source, "steps")
    return source.count("\n", 0, tables[number - 1].start()) + 1


def _error_line(source: str, exc: ValidationError) -> int | None:
    """The line of the innermost key of the first error that appears in ``source``."""
    for part in reversed(exc.errors()[0]["loc"]):
        if isinstance(part, str) and part != "document":
            line = _first_line_of(source, part)
            if line is not None:
                return line
    return None


def template_from_toml(source: str, name: str = "<template>") -> ProcessTemplate:
    """Parse TOML ``source``; errors name the file, the line where known, and what is wrong."""
    try:
        data: dict[str, Any] = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{name}: not valid TOML: {exc}") from None
    steps_raw = data.pop("steps", None)
    if not isinstance(steps_raw, list) or not steps_raw:
        raise TemplateError(f"{name}: a template needs at least one [[steps]] table")
    gateways = data.pop("gateways", [])
    ends = data.pop("ends", [])
    if not isinstance(gateways, list) or not isinstance(ends, list):
        raise TemplateError(f"{name}: gateways and ends are arrays of tables ([[gateways]], [[ends]])")
    flow = template_flow([dict(raw) for raw in steps_raw], gateways, ends, name)
    predecessors = flow.step_predecessors()
    steps: list[Step] = []
    for number, raw in enumerate(steps_raw, start=1):
        raw = {key: value for key, value in raw.items() if key not in ("id", "next")}
        raw["depends_on"] = predecessors.get(number, [])
        try:
            steps.append(Step(number=number, **raw))
        except ValidationError as exc:
            line = _step_line(source, number)
            where = f"{name}:{line}" if line else name
            raise TemplateError(f"{where}: step {number} is invalid: {_brief(exc)}") from None
    overview = dict(data.pop("overview", {}) or {})
    overview.setdefault("last_updated", date.today().isoformat())
    overview.setdefault("owner", data.get("roles", ["Process Owner"])[0] if data.get("roles") else "Process Owner")
    integration = data.pop("integration", None)
    document_fields = {
        key: data.pop(key)
        for key in ("prerequisites", "error_handling", "monitoring", "related_documents", "kind")
        if key in data
    }
    try:
        document = ProcessDocument(
            title=data.get("title", ""),
            overview=Overview(**overview),
            steps=steps,
            flow=flow,
            integration=IntegrationSpec(**integration) if integration else None,
            **document_fields,
        )
        template = ProcessTemplate(document=document, **data)
    except ValidationError as exc:
        line = _error_line(source, exc)
        raise TemplateError(f"{name}:{line}: {_brief(exc)}" if line else f"{name}: {_brief(exc)}") from None
    except TypeError as exc:
        raise TemplateError(f"{name}: {_brief(exc)}") from None
    if not _ID.match(template.id):
        line = _first_line_of(source, "id")
        raise TemplateError(
            f"{name}:{line or 1}: id {template.id!r} must be lowercase letters, digits and dashes"
        )
    return template


def load_template(path: Path) -> ProcessTemplate:
    """Read one template file (see :func:`template_from_toml`)."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: cannot read the template: {exc}") from None
    return template_from_toml(source, str(path))


def _brief(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else "")
    return str(exc)
