"""Fixtures of the template library tests: one embedder, a real `chroma run` server, both store modes."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from process_designer.config import Settings
from process_designer.knowledge import CURATED_TEMPLATES_DIR, TemplateLibrary
from process_designer.knowledge.embedding import Embedder, get_embedder
from process_designer.knowledge.store import COLLECTION_NAME

STARTERS = (
    "customer-onboarding",
    "employee-onboarding",
    "refund-request",
    "standard-process",
    "system-integration",
)

LibraryFactory = Callable[..., TemplateLibrary]


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real MiniLM embedder, loaded once for the whole session."""
    instance = get_embedder()
    instance.embed(["warm up"])
    return instance


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server on loopback, started once and stopped at the end of the session."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert chroma, "the `chroma` CLI must be installed in the virtualenv"
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data.parent / "chroma-server.log").open("wb")
    process = subprocess.Popen(
        [chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"chroma run exited with {process.returncode}"
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "chroma run did not answer within 60 s"
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(params=["embedded", "server"])
def chroma_url(request: pytest.FixtureRequest) -> str | None:
    """``None`` for the embedded store, or the URL of a fresh-looking server store."""
    if request.param == "embedded":
        return None
    url: str = request.getfixturevalue("chroma_server")
    host, port = url.removeprefix("http://").split(":")
    client = chromadb.HttpClient(
        host=host, port=int(port), settings=ChromaSettings(anonymized_telemetry=False)
    )
    # Tests share the server: each starts from an empty collection.
    if COLLECTION_NAME in {c.name for c in client.list_collections()}:
        client.delete_collection(COLLECTION_NAME)
    return url


@pytest.fixture
def starter_dir(tmp_path: Path) -> Path:
    """A private copy of the five starter templates that a test may change."""
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in STARTERS:
        shutil.copy(CURATED_TEMPLATES_DIR / f"{name}.toml", folder)
    return folder


@pytest.fixture
def make_library(
    tmp_path: Path, embedder: Embedder, chroma_url: str | None, starter_dir: Path
) -> Iterator[LibraryFactory]:
    """Build libraries over ``starter_dir`` (or another folder) in the current store mode."""
    made: list[TemplateLibrary] = []

    def make(templates_dir: Path | None = None, data_dir: Path | None = None) -> TemplateLibrary:
        settings = Settings(data_dir=data_dir or tmp_path / "data", chroma_url=chroma_url)
        library = TemplateLibrary(
            settings, embedder=embedder, templates_dir=templates_dir or starter_dir
        )
        made.append(library)
        return library

    yield make
    for library in made:
        library.close()
