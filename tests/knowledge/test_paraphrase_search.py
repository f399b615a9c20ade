"""Acceptance: paraphrased requests find the right curated template in the top two."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from process_designer.config import Settings
from process_designer.knowledge import TemplateLibrary
from process_designer.knowledge.embedding import Embedder

PARAPHRASE_DIR = Path(__file__).parent / "paraphrases"
TEMPLATE_IDS = {p.stem for p in (Path(__file__).parents[2] / "process_designer" / "knowledge" / "templates").glob("*.toml")}


def _paraphrases() -> list[tuple[str, str]]:
    """``(query, template id)`` pairs from every ``paraphrases/*.json`` (``{"template-id": ["query", …]}``)."""
    pairs: list[tuple[str, str]] = []
    for path in sorted(PARAPHRASE_DIR.glob("*.json")):
        for template_id, queries in json.loads(path.read_text(encoding="utf-8")).items():
            pairs += [(query, template_id) for query in queries]
    return pairs


PARAPHRASES = _paraphrases()
TOP_TWO_HIT_RATE = 0.95


@pytest.fixture(scope="module")
def curated_library(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Iterator[TemplateLibrary]:
    data_dir: Path = tmp_path_factory.mktemp("paraphrase-data")
    library = TemplateLibrary(Settings(data_dir=data_dir), embedder=embedder)
    report = library.ensure_index()
    assert report.skipped == []
    yield library
    library.close()


def test_paraphrases_name_real_templates() -> None:
    assert len(PARAPHRASES) >= 16
    assert sorted({t for _, t in PARAPHRASES} - TEMPLATE_IDS) == []


def test_paraphrases_find_their_template_in_the_top_two(curated_library: TemplateLibrary) -> None:
    misses = []
    for query, expected in PARAPHRASES:
        top_two = [hit.template.id for hit in curated_library.search(query, top=2)]
        if expected not in top_two:
            misses.append(f"{query!r} → {top_two}, expected {expected}")
    hit_rate = 1 - len(misses) / len(PARAPHRASES)
    assert hit_rate >= TOP_TWO_HIT_RATE, f"top-2 hit rate {hit_rate:.2f}; misses:\n" + "\n".join(misses)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("returning money to customers who ask for reimbursement", "refund-request"),
        ("new hire laptop and accounts", "employee-onboarding"),
    ],
)
def test_the_issue_examples_rank_first(
    curated_library: TemplateLibrary, query: str, expected: str
) -> None:
    assert curated_library.search(query, top=1)[0].template.id == expected
