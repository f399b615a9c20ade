"""Tracer and meter providers built from Settings, and the one installed for the process."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import (
    ConsoleMetricExporter,
    InMemoryMetricReader,
    MetricReader,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.trace import Tracer

from process_designer import __version__
from process_designer.config import Settings
from process_designer.errors import ConfigError
from process_designer.telemetry.instruments import Instruments
from process_designer.telemetry.prometheus import render_prometheus

__all__ = ["Telemetry", "current", "exporting", "install", "setup_telemetry"]

SCOPE = "process_designer"


@dataclass
class Telemetry:
    """The providers of one process: spans, metric instruments, and the reader behind ``/metrics``."""

    tracer_provider: TracerProvider
    meter_provider: MeterProvider
    scrape_reader: InMemoryMetricReader
    capture_content: bool = False
    instruments: Instruments = field(init=False)
    tracer: Tracer = field(init=False)

    def __post_init__(self) -> None:
        self.tracer = self.tracer_provider.get_tracer(SCOPE, __version__)
        self.instruments = Instruments(self.meter_provider.get_meter(SCOPE, __version__))

    def prometheus_text(self) -> str:
        """Every metric so far in the Prometheus text exposition format (version 0.0.4)."""
        return render_prometheus(self.scrape_reader.get_metrics_data())

    def shutdown(self) -> None:
        """Flush and stop the exporters; spans and metrics after this are dropped."""
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()


def _exporters(kind: str) -> tuple[SpanExporter | None, MetricReader | None]:
    if kind == "none":
        return None, None
    if kind == "console":
        # On stderr: stdout carries what a command prints (a document, the listeners' addresses).
        return (ConsoleSpanExporter(out=sys.stderr),
                PeriodicExportingMetricReader(ConsoleMetricExporter(out=sys.stderr), 60_000))
    if kind == "otlp":
        # Both read OTEL_EXPORTER_OTLP_ENDPOINT (and the other OTEL_EXPORTER_OTLP_* variables) themselves.
        from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter(), PeriodicExportingMetricReader(OTLPMetricExporter())
    raise ConfigError(f"PD_OTEL_EXPORTER={kind!r} is unknown; use one of none, console, otlp")


def setup_telemetry(settings: Settings, *, span_exporter: SpanExporter | None = None,
                    metric_readers: tuple[MetricReader, ...] = ()) -> Telemetry:
    """Providers for ``settings.otel_exporter``; tests add an in-memory ``span_exporter`` and readers.

    Nothing is sent anywhere with the default exporter ``none``.
    """
    resource = Resource.create({"service.name": "process-designer", "service.version": __version__})
    tracer_provider = TracerProvider(resource=resource)
    exported_spans, exported_metrics = _exporters(settings.otel_exporter)
    if exported_spans is not None:
        processor = SimpleSpanProcessor if settings.otel_exporter == "console" else BatchSpanProcessor
        tracer_provider.add_span_processor(processor(exported_spans))
    if span_exporter is not None:
        tracer_provider.add_span_processor(SimpleSpanProcessor(span_exporter))
    scrape = InMemoryMetricReader()
    readers: list[MetricReader] = [scrape, *metric_readers]
    if exported_metrics is not None:
        readers.append(exported_metrics)
    meter_provider = MeterProvider(resource=resource, metric_readers=readers)
    return Telemetry(tracer_provider, meter_provider, scrape,
                     capture_content=settings.otel_capture_content)


_lock = threading.Lock()
_current: Telemetry | None = None


def install(telemetry: Telemetry | None) -> Telemetry | None:
    """Make ``telemetry`` the process's (``None``: a quiet one on next use); returns the one it replaces (not shut down)."""
    global _current
    with _lock:
        previous, _current = _current, telemetry
    return previous


def current() -> Telemetry:
    """The installed telemetry; until one is installed, a quiet one that exports nothing."""
    global _current
    with _lock:
        if _current is None:
            _current = setup_telemetry(Settings())
        return _current


@contextmanager
def exporting(settings: Settings) -> Iterator[Telemetry]:
    """The telemetry of ``settings`` installed for the block, then flushed, and the previous one put back."""
    telemetry = setup_telemetry(settings)
    previous = install(telemetry)
    try:
        yield telemetry
    finally:
        telemetry.shutdown()
        install(previous)
