"""The SPy coder: turns process steps into SPy defines and SPy tests, validated by the toolchain."""

from __future__ import annotations

from process_designer.agents.coder.offline import compile_document, validate_spy

__all__ = ["compile_document", "validate_spy"]
