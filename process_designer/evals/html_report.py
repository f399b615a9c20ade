"""A self-contained HTML eval report: inline CSS, inline SVG plots, no external resources."""

from __future__ import annotations

from html import escape
from typing import Any

__all__ = ["SUITE_COLUMNS", "render_html"]

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2433;background:#fff}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}
th,td{border:1px solid #d5dae3;padding:3px 8px;text-align:right;vertical-align:top}
th{background:#eef1f6}td.l,th.l{text-align:left}
.pass{color:#137333;font-weight:600}.fail{color:#b3261e;font-weight:600}
.plots{display:flex;flex-wrap:wrap;gap:16px}
figure{margin:0}figcaption{font-size:12px;color:#555;text-align:center}
details{margin:2px 0}small{color:#555}
"""

_DISTRIBUTIONS = (
    ("step_f1", "step F1"),
    ("order_f1", "order (f1_chain)"),
    ("decision_coverage", "decision coverage"),
    ("constraint_coverage", "constraint coverage"),
    ("reviewer_score", "reviewer score"),
    ("spy_test_pass_rate", "SPy tests passed"),
    ("performer_accuracy", "performer accuracy"),
    ("fragment_share", "fragment share"),
)
# The per-suite row of the overview: what the reading and graph work is measured by.
SUITE_COLUMNS = (
    ("step_f1", "step F1"),
    ("order_f1", "order"),
    ("performer_accuracy", "performer"),
    ("fragment_share", "fragments"),
    ("gateway_precision", "gateway P"),
    ("gateway_recall", "gateway R"),
    ("path_coverage", "path tests"),
    ("reviewer_score", "reviewer"),
    ("reviewer_score_min", "reviewer min"),
    ("reviewer_f1_spearman", "ρ(reviewer, F1)"),
)
_CASE_COLUMNS = (
    ("step_f1", "step F1"),
    ("order_f1", "order"),
    ("performer_accuracy", "performer"),
    ("fragment_share", "fragments"),
    ("gateway_precision", "gw P"),
    ("gateway_recall", "gw R"),
    ("path_coverage", "paths"),
    ("decision_coverage", "decisions"),
    ("constraint_coverage", "constraints"),
    ("integration_coverage", "integrations"),
    ("error_case_coverage", "errors"),
    ("final_coverage", "multi-turn"),
    ("reviewer_score", "reviewer"),
    ("spy_check_clean", "check"),
    ("spy_test_pass_rate", "tests"),
    ("revisions", "rev"),
    ("latency_s", "s"),
)


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:.2f}"
    return escape(str(value))


def _histogram(values: list[float], title: str, bins: int = 10) -> str:
    """Counts of ``values`` in ``bins`` equal buckets over [0, 1] as an SVG bar chart."""
    width, height, pad = 260, 140, 22
    counts = [0] * bins
    for value in values:
        counts[min(bins - 1, max(0, int(value * bins)))] += 1
    top = max(counts, default=0) or 1
    bar = (width - 2 * pad) / bins
    parts = [
        f'<svg width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)} distribution">',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#888"/>',
    ]
    for i, count in enumerate(counts):
        h = (height - 2 * pad) * count / top
        x = pad + i * bar
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{height - pad - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
            f'fill="#3f6fd8"><title>{i / bins:.1f}–{(i + 1) / bins:.1f}: {count}</title></rect>'
        )
    parts.append(f'<text x="{pad}" y="{height - 6}" font-size="10">0</text>')
    parts.append(f'<text x="{width - pad - 6}" y="{height - 6}" font-size="10">1</text>')
    parts.append(f'<text x="{pad}" y="12" font-size="10">max {top}</text>')
    parts.append("</svg>")
    return f"<figure>{''.join(parts)}<figcaption>{escape(title)} (n={len(values)})</figcaption></figure>"


def _domain_bars(domains: dict[str, dict[str, float | None]], metric: str, title: str) -> str:
    """One horizontal bar per domain for ``metric`` (0..1)."""
    row, label_w, bar_w = 18, 130, 240
    height = row * len(domains) + 24
    parts = [
        f'<svg width="{label_w + bar_w + 50}" height="{height}" '
        f'role="img" aria-label="{escape(title)} per domain">'
    ]
    for i, (domain, figures) in enumerate(domains.items()):
        value = figures.get(metric) or 0.0
        y = 4 + i * row
        parts.append(f'<text x="0" y="{y + 12}" font-size="11">{escape(domain)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{bar_w * value:.1f}" height="{row - 6}" fill="#2f9e6e"/>'
        )
        parts.append(
            f'<text x="{label_w + bar_w * value + 4:.1f}" y="{y + 12}" font-size="10">{value:.2f}</text>'
        )
    parts.append("</svg>")
    return f"<figure>{''.join(parts)}<figcaption>{escape(title)} per domain</figcaption></figure>"


def _summary_table(data: dict[str, Any], group: str = "domains") -> str:
    overall: dict[str, Any] = data["overall"]
    domains: dict[str, dict[str, Any]] = data[group]
    keys = [k for k in overall if k != "cases"]
    head = "".join(f"<th>{escape(d)}</th>" for d in domains)
    rows = [f'<tr><th class="l">metric</th><th>overall</th>{head}</tr>']
    for key in ["cases", *keys]:
        cells = "".join(f"<td>{_fmt(domains[d].get(key))}</td>" for d in domains)
        rows.append(
            f'<tr><td class="l">{escape(key)}</td><td>{_fmt(overall.get(key))}</td>{cells}</tr>'
        )
    return "<table>" + "".join(rows) + "</table>"


def _targets_table(targets: list[dict[str, Any]]) -> str:
    rows = ['<tr><th class="l">target</th><th>value</th><th>result</th></tr>']
    for t in targets:
        mark = {
            True: '<span class="pass">pass</span>',
            False: '<span class="fail">MISS</span>',
            None: "n/a",
        }[t["passed"]]
        rows.append(
            f'<tr><td class="l">{escape(t["target"])}</td><td>{_fmt(t["value"])}</td><td>{mark}</td></tr>'
        )
    return "<table>" + "".join(rows) + "</table>"


def _case_detail(case: dict[str, Any]) -> str:
    lines = []
    if case.get("error"):
        lines.append(f"<b>error:</b> {escape(case['error'])}")
    matches = ", ".join(
        f"{escape(m['predicted'])} → {escape(m['gold'])} ({m['similarity']:.2f})"
        for m in case["matches"]
    )
    lines.append(f"<b>matched:</b> {matches or '–'}")
    lines.append(f"<b>missing steps:</b> {escape(', '.join(case['missing_steps'])) or '–'}")
    lines.append(f"<b>predicted steps:</b> {escape(' | '.join(case['predicted_steps'])) or '–'}")
    for kind, items in case["missed"].items():
        lines.append(f"<b>missed {escape(kind)}:</b> {escape('; '.join(items))}")
    return "<details><summary>detail</summary>" + "<br>".join(lines) + "</details>"


def _cases_table(cases: list[dict[str, Any]]) -> str:
    head = "".join(f"<th>{escape(label)}</th>" for _, label in _CASE_COLUMNS)
    rows = [
        f'<tr><th class="l">case</th><th class="l">domain</th><th class="l">style</th>{head}<th class="l">detail</th></tr>'
    ]
    for case in cases:
        cells = "".join(f"<td>{_fmt(case.get(key))}</td>" for key, _ in _CASE_COLUMNS)
        rows.append(
            f'<tr id="case-{escape(case["id"])}"><td class="l">{escape(case["id"])}</td>'
            f'<td class="l">{escape(case["domain"])}</td><td class="l">{escape(case["style"])}</td>'
            f'{cells}<td class="l">{_case_detail(case)}</td></tr>'
        )
    return '<table class="cases">' + "".join(rows) + "</table>"


def _suites_table(suites: dict[str, dict[str, Any]]) -> str:
    head = "".join(f"<th>{escape(label)}</th>" for _, label in SUITE_COLUMNS)
    rows = [f'<tr><th class="l">suite</th><th>cases</th>{head}</tr>']
    for name, suite in suites.items():
        overall = suite["overall"]
        cells = "".join(f"<td>{_fmt(overall.get(key))}</td>" for key, _ in SUITE_COLUMNS)
        rows.append(
            f'<tr><td class="l"><a href="#suite-{escape(name)}">{escape(name)}</a></td>'
            f"<td>{int(overall.get('cases') or 0)}</td>{cells}</tr>"
        )
    return "<table>" + "".join(rows) + "</table>"


def _suite_section(name: str, suite: dict[str, Any]) -> str:
    cases: list[dict[str, Any]] = suite["cases"]
    plots = []
    for key, title in _DISTRIBUTIONS:
        values = [float(c[key]) for c in cases if c.get(key) is not None]
        plots.append(_histogram(values, title))
    bars = [
        _domain_bars(suite["domains"], "step_f1", "step F1"),
        _domain_bars(suite["domains"], "reviewer_score", "reviewer score"),
    ]
    return (
        f'<h2 id="suite-{escape(name)}">Suite {escape(name)} <small>({len(cases)} cases)</small></h2>'
        f"<h3>Targets</h3>{_targets_table(suite['targets'])}"
        f"<h3>Per domain</h3>{_summary_table(suite)}"
        f"<h3>Per style</h3>{_summary_table(suite, 'styles')}"
        f'<h3>Score distributions</h3><div class="plots">{"".join(plots)}</div>'
        f'<div class="plots">{"".join(bars)}</div>'
        f"<h3>Cases</h3>{_cases_table(cases)}"
    )


def render_html(data: dict[str, Any]) -> str:
    """The whole report page for report data from :func:`process_designer.evals.report.report_data`."""
    suites: dict[str, dict[str, Any]] = data["suites"]
    total = sum(len(suite["cases"]) for suite in suites.values())
    title = f"Process Designer eval — {', '.join(suites)}"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<p><small>started {escape(str(data['started']))} · {total} cases in {len(suites)} suite(s) · "
        f"match threshold {data['threshold']}</small></p>"
        f"<h2>Suites</h2>{_suites_table(suites)}"
        + "".join(_suite_section(name, suite) for name, suite in suites.items())
        + "</body></html>\n"
    )
