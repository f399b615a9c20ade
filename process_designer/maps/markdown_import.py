"""Markdown in the seed's Standard Process Structure, or a plain numbered list, read back into a process document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from process_designer.domain.durations import parse_duration
from process_designer.domain.flow import ProcessFlow, from_dependencies
from process_designer.domain.markdown import ASSUMED
from process_designer.domain.models import (
    DataMapping,
    Decision,
    IntegrationSpec,
    Overview,
    ProcessDocument,
    Step,
)
from process_designer.maps.errors import MapError

__all__ = ["parse_markdown", "parse_numbered_list"]

# What render_markdown writes for an empty list; read back as "nothing there".
_PLACEHOLDERS = {"None", "None identified", "None defined", "Step owner confirms completion"}
_TITLE = re.compile(r"^#\s+(?P<title>.+?)(?:\s+-\s+(?:Process Documentation|Integration Process))?\s*$")
_STEP = re.compile(r"^###\s+Step\s+(?P<number>\d+)\s*:\s*(?P<name>.+?)\s*$")
_FIELD = re.compile(r"^-?\s*\*\*(?P<key>[^*]+)\*\*\s*:\s*(?P<value>.*)$")
_NUMBERED = re.compile(r"^\s*(?P<number>\d+)[.)]\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(?P<text>\S.*)$")
_DECISION_ACTION = re.compile(r"^If (?P<condition>.+?): (?P<yes>.+?); otherwise (?P<no>.+)$")


@dataclass
class _Section:
    heading: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


def _sections(lines: list[str], level: str) -> list[_Section]:
    sections: list[_Section] = []
    for number, line in enumerate(lines, start=1):
        if line.startswith(level + " "):
            sections.append(_Section(line[len(level) + 1:].strip(), number))
        elif sections:
            sections[-1].lines.append((number, line))
    return sections


def _bullets(section: _Section | None) -> list[str]:
    if section is None:
        return []
    items = [m.group("text").strip() for _, line in section.lines if (m := _BULLET.match(line))]
    return [item for item in items if item not in _PLACEHOLDERS]


def _fence(lines: list[tuple[int, str]], start: int) -> tuple[str, int]:
    """The body of the fenced block opening at ``lines[start]`` and the index after its closing fence."""
    body: list[str] = []
    index = start + 1
    while index < len(lines) and lines[index][1].strip() != "```":
        body.append(lines[index][1])
        index += 1
    return "\n".join(body), index + 1


def _decision(action: str) -> Decision | None:
    match = _DECISION_ACTION.match(action)
    if match is None:
        return None
    yes, no = match.group("yes").strip(), match.group("no").strip()
    from process_designer.language.conditions import read_condition
    from process_designer.language.pipeline import english

    condition = read_condition(english()(match.group("condition"))[:])
    if not condition.rules:
        return Decision(text=action, if_true=yes, if_false=no)
    rule = condition.rules[0]
    return Decision(text=action, subject=rule.subject, operator=rule.operator, value=rule.value, unit=rule.unit,
                    if_true=yes, if_false=no)


def _step(source: str, section: _Section, previous: int | None) -> Step:
    match = _STEP.match("### " + section.heading)
    assert match is not None
    number = int(match.group("number"))
    values: dict[str, str] = {}
    actions: list[str] = []
    validation: list[str] = []
    code = ""
    target: list[str] | None = None
    index = 0
    while index < len(section.lines):
        _, line = section.lines[index]
        index += 1
        field_match = _FIELD.match(line.strip())
        if field_match:
            key = field_match.group("key").strip().lower()
            values[key] = field_match.group("value").strip()
            target = actions if key == "actions" else validation if key == "validation" else None
            if key == "code implementation" and index < len(section.lines) and section.lines[index][1].startswith("```"):
                code, index = _fence(section.lines, index)
            continue
        item = _NUMBERED.match(line) or _BULLET.match(line)
        if item and target is not None:
            target.append(item.group("text").strip())
    for required in ("objective", "responsible", "duration"):
        if not values.get(required):
            raise MapError(source, f"line {section.line} (Step {number})",
                           f"has no **{required.capitalize()}**; write it as '**{required.capitalize()}**: …'")
    depends = [int(n) for n in re.findall(r"\d+", values.get("depends on", ""))]
    validation = [v for v in validation if v not in _PLACEHOLDERS]
    decisions = [d for a in actions if (d := _decision(a)) is not None]
    responsible = values["responsible"]
    assumed = responsible.endswith(ASSUMED)
    return Step(number=number, name=match.group("name"), objective=values["objective"],
                responsible=responsible.removesuffix(ASSUMED).strip() if assumed else responsible,
                performer_source="assumed" if assumed else "stated", duration=values["duration"], actions=actions,
                validation=validation, code=code, decisions=decisions,
                depends_on=depends or ([previous] if previous is not None else []))


def _flow(steps: list[Step]) -> ProcessFlow:
    """The graph of the listed steps: each follows the steps it depends on (the one before it by default)."""
    return from_dependencies((s.number, s.name, s.responsible, s.depends_on) for s in steps)


def _overview(section: _Section | None) -> Overview:
    values: dict[str, str] = {}
    for _, line in section.lines if section else []:
        if match := _FIELD.match(line.strip()):
            values[match.group("key").strip().lower()] = match.group("value").strip()
    return Overview(purpose=values.get("purpose", ""), scope=values.get("scope", ""),
                    owner=values.get("owner", ""), last_updated=values.get("last updated", ""))


def _integration(by_name: dict[str, _Section]) -> IntegrationSpec | None:
    section = by_name.get("integration overview")
    if section is None:
        return None
    values = {m.group("key").strip().lower(): m.group("value").strip()
              for _, line in section.lines if (m := _FIELD.match(line.strip()))}
    mapping: list[DataMapping] = []
    for _, line in by_name["data mapping"].lines if "data mapping" in by_name else []:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] != "Source Field" and not set(cells[0]) <= {"-"}:
            mapping.append(DataMapping(source=cells[0], target=cells[1], transformation=cells[2]))

    def code(name: str) -> str:
        lines = by_name[name].lines if name in by_name else []
        starts = [i for i, (_, line) in enumerate(lines) if line.startswith("```")]
        return _fence(lines, starts[0])[0] if starts else ""

    return IntegrationSpec(systems=[s.strip() for s in values.get("systems", "").split(",") if s.strip()],
                           data_flow=values.get("data flow", ""), frequency=values.get("frequency", ""),
                           data_mapping=mapping, authentication=code("authentication setup"),
                           error_recovery=code("error recovery"))


def parse_markdown(text: str, source: str = "<markdown>") -> ProcessDocument:
    """A document written as ``render_markdown`` writes it (the seed's structure)."""
    lines = text.splitlines()
    heading = next(((i, line) for i, line in enumerate(lines, start=1) if line.startswith("# ")), None)
    if heading is None:
        raise MapError(source, "line 1", "has no '# Title - Process Documentation' heading")
    title_match = _TITLE.match(heading[1])
    assert title_match is not None
    by_name = {s.heading.lower(): s for s in _sections(lines, "##")}
    steps_section = by_name.get("process steps")
    if steps_section is None:
        raise MapError(source, "## Process Steps", "the section is missing; steps are read from '### Step N: Name'")
    steps: list[Step] = []
    for section in _sections([line for _, line in steps_section.lines], "###"):
        section.line += steps_section.line
        section.lines = [(n + steps_section.line, line) for n, line in section.lines]
        if not _STEP.match("### " + section.heading):
            raise MapError(source, f"line {section.line}", f"'### {section.heading}' is not a 'Step N: Name' heading")
        steps.append(_step(source, section, steps[-1].number if steps else None))
    if not steps:
        raise MapError(source, f"line {steps_section.line} (## Process Steps)", "has no '### Step N: Name' sections")
    integration = _integration(by_name)
    return ProcessDocument(
        title=title_match.group("title"), kind="integration" if integration else "standard", flow=_flow(steps),
        overview=_overview(by_name.get("overview")), prerequisites=_bullets(by_name.get("prerequisites")),
        steps=steps, error_handling=_bullets(by_name.get("error handling")),
        monitoring=_bullets(by_name.get("monitoring and metrics")),
        related_documents=_bullets(by_name.get("related documents")), integration=integration)


def _list_item(number: int, text: str, role: str, actions: list[str]) -> Step:
    """``Name (Role, 2 hours)``: the parenthesis may name the role, a duration, or both."""
    name, duration = text, "Not specified"
    extra = re.match(r"^(?P<name>.+?)\s*\((?P<extra>[^()]*)\)\s*$", text)
    if extra:
        name = extra.group("name")
        for part in (p.strip() for p in extra.group("extra").split(",")):
            if parse_duration(part) is not None:
                duration = part
            elif part:
                role = part
    name = name.rstrip(".").strip()
    return Step(number=number, name=name, objective=name, responsible=role, duration=duration,
                actions=actions or [name], depends_on=[number - 1] if number > 1 else [])


def parse_numbered_list(text: str, source: str = "<list>") -> ProcessDocument:
    """``1. Submit the claim (Employee, 10 minutes)`` lines; indented bullets under an item are its actions."""
    title = ""
    items: list[tuple[str, list[str]]] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if numbered := _NUMBERED.match(line):
            expected = len(items) + 1
            if int(numbered.group("number")) != expected:
                raise MapError(source, f"line {line_number}",
                               f"item {numbered.group('number')} follows item {expected - 1}; number the steps 1, 2, 3, …")
            items.append((numbered.group("text").strip(), []))
        elif (bullet := _BULLET.match(line)) and items:
            items[-1][1].append(bullet.group("text").strip())
        elif not items and not title:
            title = line.strip().lstrip("#").strip().rstrip(":")
        else:
            raise MapError(source, f"line {line_number}",
                           "is neither a numbered step nor a '- action' under one; write '3. Approve the claim'")
    if not items:
        raise MapError(source, "", "has no numbered steps; write one step per line as '1. Submit the claim'")
    title = title or "Imported Process"
    steps = [_list_item(i, text_, "Unassigned", actions) for i, (text_, actions) in enumerate(items, start=1)]
    return ProcessDocument(title=title, overview=Overview(purpose=title, scope="As listed", owner="Unassigned",
                                                          last_updated=""), steps=steps, flow=_flow(steps))
