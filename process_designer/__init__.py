"""Process Designer: conversational design of processes, SPy code, tests and quality reports."""

from __future__ import annotations

__all__ = ["__version__"]
__version__ = "0.1.0"
