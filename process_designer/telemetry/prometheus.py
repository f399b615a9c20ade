"""The Prometheus text exposition format (0.0.4), written from the SDK's collected metrics."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from opentelemetry.sdk.metrics.export import Gauge, Histogram, Metric, MetricsData, Sum

__all__ = ["CONTENT_TYPE", "metric_name", "render_prometheus"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_UNIT_SUFFIX = {"s": "seconds", "ms": "milliseconds", "By": "bytes", "1": "ratio"}


def _sanitize(name: str) -> str:
    cleaned = re.sub(r"[^a-zA-Z0-9_:]", "_", name)
    return "_" + cleaned if cleaned[:1].isdigit() else cleaned


def metric_name(metric: Metric) -> str:
    """``pd.turn.duration`` in seconds becomes ``pd_turn_duration_seconds``; counters end in ``_total``."""
    name = _sanitize(metric.name)
    suffix = _UNIT_SUFFIX.get(metric.unit or "")
    if suffix and not name.endswith("_" + suffix):
        name += "_" + suffix
    if isinstance(metric.data, Sum) and metric.data.is_monotonic and not name.endswith("_total"):
        name += "_total"
    return name


def _number(value: float | int) -> str:
    if isinstance(value, float):
        if math.isinf(value):
            return "+Inf" if value > 0 else "-Inf"
        if math.isnan(value):
            return "NaN"
        return repr(value)
    return str(value)


def _escape(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(attributes: Mapping[str, object] | None, extra: tuple[tuple[str, str], ...] = ()) -> str:
    pairs = sorted((_sanitize(k), _escape(v)) for k, v in (attributes or {}).items())
    pairs += [(k, _escape(v)) for k, v in extra]
    return "{" + ",".join(f'{k}="{v}"' for k, v in pairs) + "}" if pairs else ""


def _samples(name: str, metric: Metric) -> Iterable[str]:
    data = metric.data
    if isinstance(data, Histogram):
        for point in sorted(data.data_points, key=lambda p: _labels(p.attributes)):
            cumulative = 0
            bounds = [*point.explicit_bounds, math.inf]
            for bound, count in zip(bounds, point.bucket_counts, strict=True):
                cumulative += count
                yield f"{name}_bucket{_labels(point.attributes, (('le', _number(float(bound))),))} {cumulative}"
            yield f"{name}_sum{_labels(point.attributes)} {_number(point.sum)}"
            yield f"{name}_count{_labels(point.attributes)} {point.count}"
    elif isinstance(data, Sum | Gauge):
        for number_point in sorted(data.data_points, key=lambda p: _labels(p.attributes)):
            yield f"{name}{_labels(number_point.attributes)} {_number(number_point.value)}"


def _kind(metric: Metric) -> str:
    if isinstance(metric.data, Histogram):
        return "histogram"
    if isinstance(metric.data, Sum) and metric.data.is_monotonic:
        return "counter"
    return "gauge"


def render_prometheus(data: MetricsData | None) -> str:
    """One ``# HELP``/``# TYPE`` block per metric, metrics sorted by name, samples by labels."""
    metrics: dict[str, Metric] = {}
    for resource in data.resource_metrics if data is not None else ():
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                metrics.setdefault(metric_name(metric), metric)
    lines: list[str] = []
    for name in sorted(metrics):
        metric = metrics[name]
        lines.append(f"# HELP {name} {_escape(metric.description or metric.name)}")
        lines.append(f"# TYPE {name} {_kind(metric)}")
        lines.extend(_samples(name, metric))
    return "\n".join(lines) + "\n" if lines else ""
