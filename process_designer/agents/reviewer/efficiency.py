"""Efficiency analysis of a document's step graph: durations, critical path, hand-offs, parallelism."""

from __future__ import annotations

from collections.abc import Sequence

from process_designer.domain.durations import parse_duration
from process_designer.domain.models import Efficiency, Step

__all__ = ["analyse_efficiency"]


def analyse_efficiency(steps: Sequence[Step]) -> Efficiency:
    """Total and critical-path minutes, hand-offs between roles, parallel groups and bottlenecks."""
    if not steps:
        return Efficiency()
    minutes = {s.number: parse_duration(s.duration) or 0.0 for s in steps}
    finish: dict[int, float] = {}
    previous: dict[int, int | None] = {}
    for step in sorted(steps, key=lambda s: s.number):
        deps = [d for d in step.depends_on if d in finish]
        start_from = max(deps, key=lambda d: finish[d]) if deps else None
        previous[step.number] = start_from
        finish[step.number] = (finish[start_from] if start_from else 0.0) + minutes[step.number]
    end = max(finish, key=lambda n: finish[n])
    path: list[int] = []
    cursor: int | None = end
    while cursor is not None:
        path.append(cursor)
        cursor = previous[cursor]
    path.reverse()
    by_number = {s.number: s for s in steps}
    handoffs = sum(
        1 for s in steps for d in s.depends_on
        if d in by_number and by_number[d].responsible != s.responsible
    )
    groups: dict[tuple[int, ...], list[int]] = {}
    for step in steps:
        groups.setdefault(tuple(sorted(step.depends_on)), []).append(step.number)
    parallel = [sorted(g) for g in groups.values() if len(g) > 1]
    critical = finish[end]
    bottlenecks = [n for n in path if critical and minutes[n] / critical >= 0.4 and len(path) > 1]
    return Efficiency(
        total_minutes=sum(minutes.values()),
        critical_path=path,
        critical_path_minutes=critical,
        handoffs=handoffs,
        parallel_groups=parallel,
        bottlenecks=bottlenecks,
    )
