"""The control flow of a template file: step ``id``/``next``, ``[[gateways]]`` and ``[[ends]]`` → a ProcessFlow.

The format is in ``templates/README.md``. A template without gateways or ``next`` keys runs its
steps in file order (``depends_on`` may still make steps parallel).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from process_designer.domain.flow import FlowBuilder, ProcessFlow, Rule, from_dependencies
from process_designer.errors import TemplateError

__all__ = ["parse_rules", "template_flow"]

_RULE = re.compile(r"^\s*(?P<subject>[a-z_][a-z0-9_]*)\s*(?P<op>>=|<=|==|!=|>|<)\s*(?P<value>.+?)\s*$")
_NUMBER = re.compile(r"^-?\d+(?:_\d{3})*(?:\.\d+)?$")
_ID = re.compile(r"^[a-z][a-z0-9_-]*$")


def parse_rules(text: str) -> list[Rule]:
    """``"amount > 2500 and amount <= 25000"`` → two rules; raises ``ValueError`` naming the bad part."""
    rules: list[Rule] = []
    for part in re.split(r"\s+and\s+", text.strip()):
        match = _RULE.match(part)
        if not match:
            raise ValueError(f"'{part}' is not 'field op value' (op one of > >= < <= == !=, field in snake_case)")
        raw = match.group("value")
        value: bool | int | float | str | None
        if raw in ("true", "false"):
            value = raw == "true"
        elif raw == "null":
            value = None
        elif _NUMBER.match(raw):
            clean = raw.replace("_", "")
            value = float(clean) if "." in clean else int(clean)
        elif len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
            value = raw[1:-1]
        else:
            value = raw
        rules.append(Rule(subject=match.group("subject"), operator=match.group("op"), value=value))
    return rules


def template_flow(steps: Sequence[dict[str, Any]], gateways: Sequence[dict[str, Any]],
                  ends: Sequence[dict[str, Any]], name: str) -> ProcessFlow:
    """The flow of a template's raw ``steps`` (numbered 1… in order), ``gateways`` and ``ends``."""
    if not gateways and not ends and not any("next" in step for step in steps):
        return from_dependencies((n, str(s.get("name", "")), s.get("responsible"), s.get("depends_on") or [])
                                 for n, s in enumerate(steps, start=1))
    builder = FlowBuilder()
    targets: dict[str, str] = {}
    for number, step in enumerate(steps, start=1):
        node = builder.task(number, str(step.get("name", "")), step.get("responsible"))
        targets[str(number)] = node
        if "id" in step:
            _claim(targets, str(step["id"]), node, name)
    for gateway in gateways:
        gid = str(gateway.get("id", ""))
        kind = gateway.get("kind")
        if kind not in ("exclusive", "parallel"):
            raise TemplateError(f"{name}: gateway '{gid}': kind must be 'exclusive' or 'parallel', not {kind!r}")
        node = (builder.exclusive(str(gateway.get("label", "")) or gid) if kind == "exclusive"
                else builder.parallel(str(gateway.get("label", ""))))
        _claim(targets, gid, node, name)
    end = builder.end()
    targets.setdefault("end", end)
    for extra in ends:
        node = builder.end(str(extra.get("label", "")) or "End")
        _claim(targets, str(extra.get("id", "")), node, name)

    def resolve(target: Any, where: str) -> str:
        if str(target) not in targets:
            known = ", ".join(sorted(targets))
            raise TemplateError(f"{name}: {where} leads to '{target}', which is no step, gateway or end ({known})")
        return targets[str(target)]

    if steps:
        builder.connect("start", "step_1")
    for number, step in enumerate(steps, start=1):
        following = step.get("next", number + 1 if number < len(steps) else "end")
        builder.connect(f"step_{number}", resolve(following, f"step {number}"))
    for gateway in gateways:
        gid = str(gateway["id"])
        node = targets[gid]
        branches = gateway.get("branches") or []
        if "next" in gateway:
            builder.connect(node, resolve(gateway["next"], f"gateway '{gid}'"))
        for index, branch in enumerate(branches, start=1):
            where = f"gateway '{gid}' branch {index}"
            try:
                rules = parse_rules(branch["rule"]) if branch.get("rule") else []
            except ValueError as exc:
                raise TemplateError(f"{name}: {where}: rule {exc}") from None
            builder.connect(node, resolve(branch.get("to"), where), condition=branch.get("condition"),
                            default=bool(branch.get("default", False)), rules=rules)
    flow = builder.build()
    problems = flow.problems()
    if problems:
        raise TemplateError(f"{name}: the flow is not well formed: {problems[0].text}")
    return flow


def _claim(targets: dict[str, str], key: str, node: str, name: str) -> None:
    if not _ID.match(key) or key.isdigit():
        raise TemplateError(f"{name}: id '{key}' must start with a letter and hold lowercase letters, digits, _ or -")
    if key in targets:
        raise TemplateError(f"{name}: the id '{key}' is used twice")
    targets[key] = node
