"""LLM engine figures: per-turn overhead beyond the model's own time, LLM calls, tool calls and tokens per
designed process, with the model using its tools (the coder tests its code, the reviewer checks the graph)."""

from __future__ import annotations

import dataclasses
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench._figures import load
from process_designer.agents.llm import LLMEngines
from process_designer.config import load_settings
from process_designer.designer import Designer
from process_designer.knowledge import TemplateLibrary
from tests.llm.fake_openai import Action, FakeOpenAI, Reply
from tests.llm.scripted_model import answer_using_tools

# Seconds the scripted model takes for every answer: about what a fast hosted model needs for a
# short structured answer; the overhead target (<= 10 % of the model's time) is judged against it.
MODEL_DELAY = 0.5
OVERHEAD_TARGET = 0.10
ROUNDS = 5
REQUIREMENTS = "Automated customer onboarding for a SaaS product with CRM, e-mail and billing"
EDIT = "change step 2 so that it takes 45 minutes"


def _slow_model(body: dict[str, Any]) -> Action:
    reply = answer_using_tools(body)
    return dataclasses.replace(reply, delay=MODEL_DELAY) if isinstance(reply, Reply) else reply


def _turn(designer: Designer, engines: LLMEngines, thread: str, text: str) -> tuple[float, dict[str, Any]]:
    start = time.perf_counter()
    designer.run_turn(thread, text)
    return time.perf_counter() - start, engines.usage_snapshot(thread)["turn"]


def main() -> None:
    with tempfile.TemporaryDirectory() as data, FakeOpenAI(responder=_slow_model) as server:
        settings = load_settings(environ={"PD_MODEL": "openai:test-model", "OPENAI_BASE_URL": server.url,
                                          "PD_DATA_DIR": data}, dotenv=None)
        with TemplateLibrary(settings) as library:
            library.ensure_index()
            designer = Designer(settings, library=library)
            designer.deps.clock = lambda: datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
            engines = designer.deps.engines
            assert isinstance(engines, LLMEngines)
            _turn(designer, engines, "warm-up", REQUIREMENTS)
            for label, text, threads in (("design", REQUIREMENTS, "design"), ("edit", EDIT, "design")):
                walls, overheads, calls, tokens, tools = [], [], [], [], []
                for n in range(ROUNDS):
                    wall, usage = _turn(designer, engines, f"{threads}-{n}", text)
                    walls.append(wall * 1000)
                    overheads.append((wall - usage["calls"] * MODEL_DELAY) * 1000)
                    calls.append(usage["calls"])
                    tokens.append(usage["total_tokens"])
                    tools.append(usage["tool_calls"])
                share = statistics.median(overheads) / (statistics.median(calls) * MODEL_DELAY * 1000)
                print(f"{label} turn: wall p50 {statistics.median(walls):.0f} ms, overhead beyond the model "
                      f"p50 {statistics.median(overheads):.0f} ms = {share:.0%} of the model's time "
                      f"(target <= {OVERHEAD_TARGET:.0%}; model {MODEL_DELAY * 1000:.0f} ms per call), "
                      f"LLM calls {statistics.median(calls):.0f}, tool calls {statistics.median(tools):.0f}, "
                      f"tokens {statistics.median(tokens):.0f}  {load()}")
            designer.close()
        offline = load_settings(environ={"PD_DATA_DIR": str(Path(data) / "offline")}, dotenv=None)
        with TemplateLibrary(offline) as library:
            library.ensure_index()
            baseline = Designer(offline, library=library)
            walls = []
            for n in range(ROUNDS):
                start = time.perf_counter()
                baseline.run_turn(f"offline-{n}", REQUIREMENTS)
                walls.append((time.perf_counter() - start) * 1000)
            baseline.close()
        print(f"offline design turn for comparison: wall p50 {statistics.median(walls):.0f} ms")
        print(f"requests served by the scripted model: {len(server.chat_requests())}")


if __name__ == "__main__":
    main()
