"""``python -m process_designer`` runs the command line."""

from __future__ import annotations

import sys

from process_designer.cli.main import main

sys.exit(main())
