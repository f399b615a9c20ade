"""The commands that answer at once import nothing heavy: no Chroma, LangGraph, numpy or gRPC at start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from process_designer.cli.maps import EXPORT_FORMATS
from process_designer.maps import documents

HEAVY = ("chromadb", "langgraph", "langchain_core", "numpy", "tokenizers", "onnxruntime", "torch", "grpc",
         "fastapi", "uvicorn", "psycopg", "scipy", "openai", "cryptography")
PROBE = (
    "import sys\n"
    "from process_designer.cli.main import main\n"
    "try:\n"
    "    code = main(sys.argv[1:])\n"
    "except SystemExit as exc:\n"
    "    code = exc.code\n"
    f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@pytest.mark.parametrize("argv", [
    ["--help"],
    ["design", "--help"],
    ["spy", "check", "{dir}/ok.spy"],
    ["templates", "list"],
    ["export", "{dir}/claims.txt", "--format", "mermaid"],
    ["audit"],
])
def test_command_imports_nothing_heavy(argv: list[str], tmp_path: Path) -> None:
    (tmp_path / "ok.spy").write_text("define A {\n  b() {\n    return 1\n  }\n}\n", encoding="utf-8")
    (tmp_path / "claims.txt").write_text("1. Submit the claim\n2. Approve the claim\n", encoding="utf-8")
    env = {**os.environ, "PD_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", PROBE, *(a.replace("{dir}", str(tmp_path)) for a in argv)],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "LOADED []"


def test_the_cli_offers_every_export_format() -> None:
    assert EXPORT_FORMATS == documents.EXPORT_FORMATS
