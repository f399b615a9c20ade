"""The service's metric instruments: turns, latency, errors, LLM tokens, quality and template hits."""

from __future__ import annotations

from opentelemetry.metrics import Meter

__all__ = ["LATENCY_BUCKETS", "Instruments"]

# Seconds: offline turns take tens of milliseconds to seconds, LLM turns up to minutes.
LATENCY_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
_SCORE_BUCKETS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0)
_ROUND_BUCKETS = (0.0, 1.0, 2.0, 3.0, 5.0, 10.0)
_TOKEN_BUCKETS = (16.0, 64.0, 256.0, 1024.0, 4096.0, 16384.0, 65536.0, 262144.0)


class Instruments:
    """Created once per meter; names follow OpenTelemetry conventions (``gen_ai.*`` where one exists)."""

    def __init__(self, meter: Meter) -> None:
        self.turn_duration = meter.create_histogram(
            "pd.turn.duration", unit="s", description="Time from a message to its final answer",
            explicit_bucket_boundaries_advisory=LATENCY_BUCKETS)
        self.time_to_first_chunk = meter.create_histogram(
            "pd.turn.time_to_first_chunk", unit="s", description="Time from a message to its first streamed stage",
            explicit_bucket_boundaries_advisory=LATENCY_BUCKETS)
        self.turns = meter.create_counter("pd.turns", unit="{turn}", description="Chat turns run, by route")
        self.errors = meter.create_counter("pd.errors", unit="{error}", description="Failed turns, by error.type")
        self.token_usage = meter.create_histogram(
            "gen_ai.client.token.usage", unit="{token}", description="Tokens per LLM call, by gen_ai.token.type",
            explicit_bucket_boundaries_advisory=_TOKEN_BUCKETS)
        self.llm_duration = meter.create_histogram(
            "gen_ai.client.operation.duration", unit="s", description="Duration of an LLM call",
            explicit_bucket_boundaries_advisory=LATENCY_BUCKETS)
        self.quality = meter.create_histogram(
            "pd.quality.score", unit="1", description="Reviewed quality, by pd.quality.dimension",
            explicit_bucket_boundaries_advisory=_SCORE_BUCKETS)
        self.revision_rounds = meter.create_histogram(
            "pd.revision.rounds", unit="{round}", description="Reviewer send-backs per reviewed turn",
            explicit_bucket_boundaries_advisory=_ROUND_BUCKETS)
        self.template_hits = meter.create_counter(
            "pd.template.hits", unit="{hit}", description="Templates a design drew on, by pd.template.id")
        self.retrievals = meter.create_counter(
            "pd.retrievals", unit="{search}", description="Template searches, by whether anything was found")
