"""Indexing of the template library in both store modes: incremental, model changes, bad files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from process_designer.config import Settings
from process_designer.errors import NotFoundError
from process_designer.knowledge import IndexReport, TemplateLibrary
from process_designer.knowledge.store import COLLECTION_NAME, open_client

LibraryFactory = Callable[..., TemplateLibrary]


def _collection(settings: Settings) -> chromadb.Collection:
    if settings.chroma_url:
        host, port = settings.chroma_url.removeprefix("http://").split(":")
        client = chromadb.HttpClient(
            host=host, port=int(port), settings=ChromaSettings(anonymized_telemetry=False)
        )
    else:
        client, _ = open_client(settings)  # the process's shared embedded client
    return client.get_collection(COLLECTION_NAME, embedding_function=None)


def _settings(tmp_path: Path, chroma_url: str | None) -> Settings:
    return Settings(data_dir=tmp_path / "data", chroma_url=chroma_url)


def test_first_build_adds_every_template_and_a_second_changes_nothing(
    make_library: LibraryFactory, tmp_path: Path, chroma_url: str | None, starter_dir: Path
) -> None:
    library = make_library()
    assert library.ensure_index() == IndexReport(added=5)
    assert library.ensure_index() == IndexReport(unchanged=5)
    assert [t.id for t in library.list()] == sorted(p.stem for p in starter_dir.glob("*.toml"))
    collection = _collection(_settings(tmp_path, chroma_url))
    assert collection.count() == 5
    stored = collection.get(ids=["refund-request"], include=["metadatas"])["metadatas"]
    assert stored is not None
    assert stored[0]["category"] == "finance"
    assert stored[0]["source"] == "curated"
    assert stored[0]["integrations"] == ["billing", "crm", "email", "ticketing"]
    assert len(str(stored[0]["content_hash"])) == 64


def test_a_new_library_on_an_existing_index_reembeds_nothing(make_library: LibraryFactory) -> None:
    assert make_library().ensure_index().added == 5
    assert make_library().ensure_index() == IndexReport(unchanged=5)


def test_changing_one_file_updates_only_that_template(
    make_library: LibraryFactory, starter_dir: Path, tmp_path: Path, chroma_url: str | None
) -> None:
    library = make_library()
    library.ensure_index()
    # Mark the vector of an unchanged template: a re-embedding would overwrite the mark.
    collection = _collection(_settings(tmp_path, chroma_url))
    marker = [1.0] + [0.0] * 383
    collection.update(ids=["standard-process"], embeddings=[marker])

    path = starter_dir / "refund-request.toml"
    path.write_text(
        path.read_text().replace('"Refund Request Processing"', '"Refund and Money-Back Handling"'),
    )
    assert library.ensure_index() == IndexReport(updated=1, unchanged=4)
    assert library.get("refund-request").title == "Refund and Money-Back Handling"
    vectors = collection.get(ids=["standard-process"], include=["embeddings"])["embeddings"]
    assert vectors is not None
    assert [round(float(x), 6) for x in vectors[0]] == marker


def test_removing_a_file_deletes_its_template(
    make_library: LibraryFactory, starter_dir: Path, tmp_path: Path, chroma_url: str | None
) -> None:
    library = make_library()
    library.ensure_index()
    (starter_dir / "standard-process.toml").unlink()
    assert library.ensure_index() == IndexReport(removed=1, unchanged=4)
    with pytest.raises(NotFoundError, match=r"no template with id 'standard-process'"):
        library.get("standard-process")
    assert _collection(_settings(tmp_path, chroma_url)).count() == 4
    assert "standard-process" not in [
        h.template.id for h in library.search("generic request", top=5)
    ]


def test_an_index_of_another_embedding_model_is_rebuilt(
    make_library: LibraryFactory, tmp_path: Path, chroma_url: str | None
) -> None:
    make_library().ensure_index()
    collection = _collection(_settings(tmp_path, chroma_url))
    collection.modify(metadata={"embedding_model": "older-model-v0", "dimensions": 384})

    progress: list[str] = []
    report = make_library().ensure_index(progress.append)
    assert report == IndexReport(added=5, rebuilt=True)
    assert progress[0] == (
        "index was built with another embedding model; rebuilding for all-MiniLM-L6-v2"
    )
    fresh = _collection(_settings(tmp_path, chroma_url))
    assert fresh.metadata == {"embedding_model": "all-MiniLM-L6-v2", "dimensions": 384}
    assert fresh.count() == 5


def test_corrupt_and_invalid_files_are_reported_by_name_and_line_and_skipped(
    make_library: LibraryFactory, starter_dir: Path
) -> None:
    broken = starter_dir / "broken.toml"
    broken.write_text('id = "broken"\ntitle = \n')
    source = (starter_dir / "standard-process.toml").read_text()
    no_objective = starter_dir / "no-objective.toml"
    no_objective.write_text(
        source.replace('id = "standard-process"', 'id = "no-objective"').replace(
            'objective = "Check that the request is complete and within the process\'s scope."\n',
            "",
        )
    )
    bad_complexity = starter_dir / "bad-complexity.toml"
    bad_complexity.write_text(
        source.replace('id = "standard-process"', 'id = "bad-complexity"').replace(
            'complexity = "low"', 'complexity = "extreme"'
        )
    )
    duplicate = starter_dir / "zz-copy.toml"
    duplicate.write_text(source)

    progress: list[str] = []
    report = make_library().ensure_index(progress.append)
    assert report.added == 5
    assert report.skipped == [
        f"{bad_complexity}:6: complexity: Input should be 'low', 'medium' or 'high'",
        f"{broken}: not valid TOML: Invalid value (at line 2, column 9)",
        f"{no_objective}:54: step 2 is invalid: objective: Field required",
        f"{duplicate}:1: id 'standard-process' is already used by "
        f"{starter_dir / 'standard-process.toml'}; give this template another id",
    ]
    assert [line for line in progress if line.startswith("skipped ")] == [
        f"skipped {line}" for line in report.skipped
    ]


def test_user_templates_are_indexed_beside_curated_ones(
    make_library: LibraryFactory, starter_dir: Path, tmp_path: Path
) -> None:
    user_dir = tmp_path / "data" / "templates"
    user_dir.mkdir(parents=True)
    text = (starter_dir / "refund-request.toml").read_text()
    (user_dir / "store-credit.toml").write_text(
        text.replace('id = "refund-request"', 'id = "store-credit"')
    )
    library = make_library()
    assert library.ensure_index() == IndexReport(added=6)
    assert library.source_of("store-credit") == "user"
    assert library.source_of("refund-request") == "curated"
