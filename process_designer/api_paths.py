"""Where the REST API lives, for the gateway that serves it and for the answers that point users to it."""

from __future__ import annotations

__all__ = ["API_PREFIX"]

API_PREFIX = "/api/v1/process-designer"
