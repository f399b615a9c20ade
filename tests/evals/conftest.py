"""Shared fixtures of the eval tests: a concept embedder with exact cosines and hand-built documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from process_designer.domain.models import (
    DesignContext,
    Overview,
    ProcessDocument,
    QualityReport,
    SpyArtifacts,
    Step,
)


class ConceptEmbedder:
    """Texts in the same concept get cosine 1, different concepts 0; unknown texts are their own concept."""

    def __init__(self, concepts: dict[str, Sequence[str]] | None = None) -> None:
        self._concept_of: dict[str, str] = {}
        for concept, texts in (concepts or {}).items():
            for text in texts:
                self._concept_of[text.lower()] = concept
        self._axes: dict[str, int] = {}

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        rows = []
        for text in texts:
            concept = self._concept_of.get(text.lower(), text.lower())
            axis = self._axes.setdefault(concept, len(self._axes))
            row = [0.0] * 256
            row[axis] = 1.0
            rows.append(row)
        return rows


def make_document(
    names: Sequence[str],
    *,
    depends_on: dict[int, list[int]] | None = None,
    error_handling: Sequence[str] = (),
    diagnostics: Sequence[str] = (),
    tests_passed: int = 3,
    tests_failed: int = 0,
    score: float = 0.9,
    revisions: int = 0,
    integrations: Sequence[str] = (),
    actions: dict[int, list[str]] | None = None,
) -> ProcessDocument:
    """A minimal valid document whose steps are ``names`` (numbered from 1)."""
    steps = [
        Step(
            number=i,
            name=name,
            objective=f"Do: {name}",
            responsible="Operations",
            duration="10 minutes",
            actions=(actions or {}).get(i, []),
            depends_on=(depends_on or {}).get(i, [i - 1] if i > 1 else []),
        )
        for i, name in enumerate(names, start=1)
    ]
    return ProcessDocument(
        title="Test process",
        overview=Overview(purpose="p", scope="s", owner="o", last_updated="2024-01-01"),
        steps=steps,
        error_handling=list(error_handling),
        spy=SpyArtifacts(
            diagnostics=list(diagnostics), tests_passed=tests_passed, tests_failed=tests_failed
        ),
        quality=QualityReport(score=score, completeness=0.8, clarity=0.7, revisions=revisions),
        context=DesignContext(integrations=list(integrations)),
    )


class ScriptedDesigner:
    """Answers each requirement text (or a conversation's last message) with a prepared document."""

    def __init__(self, documents: dict[str, ProcessDocument], fail_on: Sequence[str] = ()) -> None:
        self._documents = documents
        self._fail_on = set(fail_on)
        self._threads: dict[str, ProcessDocument] = {}
        self.closed = False

    def design(
        self, requirements: str, *, title: str | None = None, context: Any = None
    ) -> ProcessDocument:
        if requirements in self._fail_on:
            raise RuntimeError("engine exploded")
        return self._documents[requirements]

    def run_turn(self, thread_id: str, content: str) -> list[object]:
        if content in self._documents:
            self._threads[thread_id] = self._documents[content]
        return []

    def document(self, thread_id: str) -> ProcessDocument | None:
        return self._threads.get(thread_id)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def concept_embedder() -> ConceptEmbedder:
    return ConceptEmbedder()


@pytest.fixture
def document_factory() -> Any:
    """:func:`make_document`, for tests that build documents."""
    return make_document


@pytest.fixture
def designer_class() -> type[ScriptedDesigner]:
    return ScriptedDesigner


@pytest.fixture
def embedder_class() -> type[ConceptEmbedder]:
    return ConceptEmbedder
