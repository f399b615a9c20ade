"""``python -m process_designer`` runs the command line."""

from __future__ import annotations

from process_designer.cli.main import run

run()
