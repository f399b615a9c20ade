"""Case data as SPy map literals, keys kept exactly as the process graph names its fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from process_designer.agents.coder.spy_source import key, literal

__all__ = ["CASE_ID", "case_literal"]

CASE_ID = "CASE-1001"


def case_literal(values: Mapping[str, Any], *, case_id: bool = True) -> str:
    """``{case_id: "CASE-1001", amount: 12000, "order.total": 5}``: a key that is no plain name stays quoted."""
    data = {"case_id": CASE_ID, **values} if case_id else dict(values)
    entries = [f"{key(k)}: {literal(v)}" for k, v in data.items()]
    return "{" + ", ".join(entries) + "}"
