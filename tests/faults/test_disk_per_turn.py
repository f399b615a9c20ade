"""Disk per turn: a thread's stored checkpoints grow by a constant amount per turn, on SQLite and Postgres."""

from __future__ import annotations

from pathlib import Path

import pytest

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary

REQUIREMENTS = ("Support receives the refund request in Zendesk; an agent checks the order in Shopify; "
                "finance pays it back in Stripe.")
TURNS = 100
MEASURED = (10, 20, 90, 100)  # ten question turns early in the thread, ten late
# Keeping every checkpoint (each with the whole message list) makes turns 90-100 add about 1.7x what
# turns 10-20 added (and 0.3 MB a turn); a constant cost per turn makes them add about the same.
BOUND = 1.3


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_bytes_per_turn_do_not_grow_with_the_thread(store: str, tmp_path: Path, library: TemplateLibrary,
                                                    request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("postgres").new_database() if store == "postgres" else None
    designer = Designer(Settings(data_dir=tmp_path / "data", database_url=url), library=library)
    try:
        assert designer.run_turn("long", REQUIREMENTS)[-1].version == 1
        sizes: dict[int, int] = {}
        for turn in range(2, TURNS + 1):
            assert designer.run_turn("long", f"What does step {turn % 3 + 1} do?")[-1].final
            if turn in MEASURED:
                sizes[turn] = designer.stored_bytes("long")
        assert [entry.role for entry in designer.history("long")[:2]] == ["USER", "ASSISTANT"]
        assert len(designer.history("long")) == 2 * TURNS
        assert designer.versions("long")[-1].number == 1
    finally:
        designer.close()
    early, late = sizes[20] - sizes[10], sizes[100] - sizes[90]
    assert sizes[100] > sizes[10] and late <= BOUND * early, f"bytes after turns {MEASURED}: {sizes}"
