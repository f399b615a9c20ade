"""A one-shot design as a user runs it: what it loads, what it prints, and how its process ends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "process_designer"]
REQUIREMENTS = ("When a refund request arrives, look up the order in the CRM; if the amount is over $500 a manager "
                "approves; issue the refund in billing; e-mail the customer")
# What an offline design from the command line never uses: the LLM engine, the servers, the exports,
# Postgres, the evals and any deep-learning framework; and what the template library's own process loads
# (Chroma with its telemetry exporter and schemas, the tokenizer, the embedding network).
NEVER_LOADED = ("langchain_openai", "openai", "fastapi", "uvicorn", "starlette", "psycopg", "torch", "transformers",
                "sentence_transformers", "onnxruntime", "scipy", "langgraph.checkpoint.postgres",
                "process_designer.agents.llm", "process_designer.server.chat_service",
                "process_designer.server.grpc_server", "process_designer.server.http_app",
                "process_designer.maps.documents", "process_designer.evals",
                "chromadb", "opentelemetry.exporter", "jsonschema", "tokenizers", "process_designer.knowledge.store",
                "process_designer.knowledge.minilm")
PROBE = (
    "import gc, sys\n"
    "from process_designer.cli.main import main\n"
    "before = gc.get_threshold()\n"
    "code = main(sys.argv[1:])\n"
    f"print('LOADED', [m for m in {NEVER_LOADED!r} if m in sys.modules], file=sys.stderr)\n"
    "print('THRESHOLDS RESTORED', gc.get_threshold() == before, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@pytest.fixture(scope="module")
def data_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {**os.environ, "PD_DATA_DIR": str(tmp_path_factory.mktemp("one-shot") / "data")}


def _python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=300, check=False)


def test_a_design_loads_nothing_it_does_not_use(data_env: dict[str, str]) -> None:
    done = _python(["-c", PROBE, "design", REQUIREMENTS, "--quiet"], data_env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-2:] == ["LOADED []", "THRESHOLDS RESTORED True"]


def test_the_whole_answer_is_printed_and_written_before_the_process_ends(data_env: dict[str, str],
                                                                         tmp_path: Path) -> None:
    done = _python(["-m", "process_designer", "design", REQUIREMENTS, "--quiet", "--format", "json",
                    "--out", str(tmp_path)], data_env)
    assert (done.returncode, done.stderr) == (0, "")
    printed = json.loads(done.stdout)
    (written,) = tmp_path.glob("*.json")
    assert printed == json.loads(written.read_text(encoding="utf-8"))
    assert printed["steps"]


def test_an_index_that_cannot_open_is_one_line_and_nothing_is_printed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "chroma").write_text("not a folder", encoding="utf-8")
    done = _python(["-m", "process_designer", "design", REQUIREMENTS, "--quiet"], {**os.environ, "PD_DATA_DIR": str(data)})
    assert (done.returncode, done.stdout) == (1, "")
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"process-designer: error: cannot open the template index at {data / 'chroma'}")


def _end(body: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = f"import atexit, sys, threading, time\nfrom process_designer.cli.program import end\n{body}\n"
    return _python(["-c", script], {**os.environ, "MARK": str(tmp_path / "mark")})


def test_the_end_flushes_output_and_runs_the_exit_handlers(tmp_path: Path) -> None:
    done = _end("import os\n"
                "atexit.register(lambda: open(os.environ['MARK'], 'w').write('handled'))\n"
                "print('answer', end='')\n"
                "end(3)", tmp_path)
    assert (done.returncode, done.stdout) == (3, "answer")
    assert (tmp_path / "mark").read_text() == "handled"


def test_the_end_waits_for_a_thread_still_at_work(tmp_path: Path) -> None:
    done = _end("import os\n"
                "def work():\n"
                "    time.sleep(0.5)\n"
                "    open(os.environ['MARK'], 'w').write('finished')\n"
                "threading.Thread(target=work).start()\n"
                "end(4)", tmp_path)
    assert done.returncode == 4, done.stderr
    assert (tmp_path / "mark").read_text() == "finished"
