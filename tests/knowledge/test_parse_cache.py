"""The curated templates' parses are kept between runs; changed files, user templates and a bad cache are not."""

from __future__ import annotations

import pickle
from pathlib import Path

from process_designer.config import Settings
from process_designer.knowledge import TemplateLibrary, parse_cache


def _library(data_dir: Path, templates_dir: Path) -> TemplateLibrary:
    return TemplateLibrary(Settings(data_dir=data_dir), templates_dir=templates_dir)


def _titles(library: TemplateLibrary) -> dict[str, str]:
    return {t.id: t.title for t in library.on_disk()}


def test_a_later_run_takes_unchanged_templates_from_the_cache(tmp_path: Path, starter_dir: Path) -> None:
    data = tmp_path / "data"
    first = _titles(_library(data, starter_dir))
    cache = data / "template_cache.pickle"
    key, entries = pickle.loads(cache.read_bytes())
    assert len(entries) == len(first) == 5
    # Mark one cached parse: a run that reads it from the cache shows the mark.
    path, (digest, template) = next(iter(sorted(entries.items())))
    entries[path] = (digest, template.model_copy(update={"title": "From the cache"}))
    cache.write_bytes(pickle.dumps((key, entries)))

    assert _titles(_library(data, starter_dir))[template.id] == "From the cache"


def test_a_changed_file_is_parsed_again_and_the_cache_follows(tmp_path: Path, starter_dir: Path) -> None:
    data = tmp_path / "data"
    _library(data, starter_dir).on_disk()
    changed = sorted(starter_dir.glob("*.toml"))[0]
    text = changed.read_text(encoding="utf-8")
    old_title = next(line for line in text.splitlines() if line.startswith("title = "))
    changed.write_text(text.replace(old_title, 'title = "Renamed On Disk"', 1), encoding="utf-8")

    assert "Renamed On Disk" in _titles(_library(data, starter_dir)).values()
    _, entries = pickle.loads((data / "template_cache.pickle").read_bytes())
    assert entries[changed][1].title == "Renamed On Disk"


def test_a_damaged_or_stale_cache_is_ignored(tmp_path: Path, starter_dir: Path) -> None:
    data = tmp_path / "data"
    expected = _titles(_library(data, starter_dir))
    cache = data / "template_cache.pickle"
    cache.write_bytes(b"not a pickle")
    assert _titles(_library(data, starter_dir)) == expected
    _, entries = pickle.loads(cache.read_bytes())
    cache.write_bytes(pickle.dumps(("another version of the code", {
        path: (digest, template.model_copy(update={"title": "Stale"}))
        for path, (digest, template) in entries.items()
    })))
    assert _titles(_library(data, starter_dir)) == expected
    assert parse_cache.load(cache, starter_dir)  # rewritten under the current code's key


def test_user_templates_are_never_cached(tmp_path: Path, starter_dir: Path) -> None:
    data = tmp_path / "data"
    user_dir = data / "templates"
    user_dir.mkdir(parents=True)
    source = sorted(starter_dir.glob("*.toml"))[0]
    text = source.read_text(encoding="utf-8")
    old_id = next(line for line in text.splitlines() if line.startswith("id = "))
    old_title = next(line for line in text.splitlines() if line.startswith("title = "))
    (user_dir / "mine.toml").write_text(
        text.replace(old_id, 'id = "private-canary-process"', 1).replace(
            old_title, 'title = "Private Canary Process"', 1
        ),
        encoding="utf-8",
    )
    titles = _titles(_library(data, starter_dir))
    assert titles["private-canary-process"] == "Private Canary Process"
    assert b"Private Canary" not in (data / "template_cache.pickle").read_bytes()
