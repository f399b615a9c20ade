"""The template library in a process of its own, opened while a one-shot command imports its engine.

Opening the library costs a one-shot ``design`` about a second before its first search: importing Chroma,
reading the index and loading the embedding model. None of it needs the engine, which takes longer still
to import. :class:`IndexProcess` starts that work in a second process first and then answers the graph's
template calls (:class:`~process_designer.graphs.context.TemplateSource`: search, get, add, record_use,
close) from it. The other process runs the same :class:`TemplateLibrary`, so the answers are the same; an
error it raises is raised here, with the same type and message. With a core free for it, the user waits
for the longer of the two starts instead of both.

The two processes speak over a pair of pipes: each request is ``(method, args, kwargs)``; the answers are
``("progress", line)`` while the index is brought up to date, ``("review", document)`` when adding a template
needs the caller's review, and one ``("ok", result)`` or ``("error", exception)`` per request.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

from process_designer.config import Settings
from process_designer.errors import ProcessDesignerError, TemplateError
from process_designer.knowledge.embedding import DIMENSIONS, MODEL_NAME
from process_designer.telemetry.spans import traced_retrieval

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from process_designer.domain.models import ProcessDocument, QualityReport
    from process_designer.knowledge.library import IndexReport, TemplateHit, TemplateLibrary
    from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["IndexProcess"]

Progress = Callable[[str], None]
_END_TIMEOUT_S = 30.0


class IndexProcess:
    """A template source served by a second process of this program; start it with :meth:`start`."""

    def __init__(self, process: subprocess.Popen[bytes], requests: Connection, answers: Connection) -> None:
        self._process = process
        self._requests = requests
        self._answers = answers
        self._lock = threading.Lock()
        self._opened = False  # whether the answer to the opening (its ensure_index) has been read
        self._closed = False

    @classmethod
    def start(cls, settings: Settings, *, templates_dir: Path | None = None) -> IndexProcess:
        """Start opening the library of ``settings`` in a new process; :meth:`ensure_index` waits for it.

        ``templates_dir`` replaces the curated templates' folder, as in :class:`TemplateLibrary`.
        """
        from multiprocessing.connection import Connection

        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        # The other process imports exactly the modules this one would: the same path, in the same order.
        code = (f"import sys; sys.path[:] = {sys.path!r}; from process_designer.knowledge.index_process import serve; "
                f"serve({request_read}, {answer_write})")
        try:
            process = subprocess.Popen([sys.executable, "-c", code], pass_fds=(request_read, answer_write),
                                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        except OSError as exc:
            for fd in (request_read, request_write, answer_read, answer_write):
                os.close(fd)
            raise TemplateError(f"cannot start the template index process: {exc.strerror}; "
                                "check that the system allows this program to start processes") from None
        finally:
            with contextlib.suppress(OSError):  # closed above when the start failed
                os.close(request_read)
                os.close(answer_write)
        index = cls(process, Connection(request_write, readable=False), Connection(answer_read, writable=False))
        with contextlib.suppress(OSError):  # a process that ended at once is reported at the first answer
            index._requests.send((settings, templates_dir))
        return index

    @property
    def pid(self) -> int:
        """The other process's id."""
        return self._process.pid

    # -- the library's calls ------------------------------------------------------------------

    def ensure_index(self, progress: Progress | None = None) -> IndexReport:
        """Wait until the other process has brought the index in step with the template files; what changed.

        Its progress lines are passed to ``progress`` as they come, as :meth:`TemplateLibrary.ensure_index` does.
        """
        if not self._opened:
            with self._lock:
                if not self._opened:
                    self._opened = True
                    report: IndexReport = self._answer(progress, None)
                    return report
        return self._call("ensure_index", progress=progress)

    @traced_retrieval
    def search(self, query: str, *, top: int = 5, **filters: Any) -> list[TemplateHit]:
        """:meth:`TemplateLibrary.search`, answered by the other process."""
        return self._call("search", query, top=top, **filters)

    def get(self, template_id: str) -> ProcessTemplate:
        return self._call("get", template_id)

    def add(self, template: ProcessTemplate, *, review: Callable[[ProcessDocument], QualityReport] | None = None,
            min_score: float = 0.9) -> ProcessTemplate:
        """:meth:`TemplateLibrary.add`; ``review`` runs here, when the other process asks for it."""
        return self._call("add", template, reviewed=review is not None, min_score=min_score, review=review)

    def record_use(self, template_ids: Sequence[str]) -> None:
        self._call("record_use", list(template_ids))

    @property
    def embedder(self) -> _Embedder:
        """The other process's embedder (a tenant's own templates are embedded with the same model)."""
        return _Embedder(self)

    def close(self) -> None:
        """End the other process (it closes the library first) and wait for it."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._requests.close()
            self._answers.close()
        try:
            self._process.wait(timeout=_END_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    # -- the pipes ----------------------------------------------------------------------------

    def _call(self, method: str, *args: Any, progress: Progress | None = None,
              review: Callable[[ProcessDocument], QualityReport] | None = None, **kwargs: Any) -> Any:
        with self._lock:
            if self._closed:
                raise TemplateError("the template library is closed; open it again")
            if not self._opened:  # as a library's first call opens it (and fails as opening it failed)
                self._opened = True
                self._answer(None, None)
            try:
                self._requests.send((method, args, kwargs))
            except OSError:
                self._ended()
            return self._answer(progress, review)

    def _answer(self, progress: Progress | None, review: Callable[[ProcessDocument], QualityReport] | None) -> Any:
        while True:
            try:
                kind, value = self._answers.recv()
            except (EOFError, OSError):
                self._ended()
            if kind == "progress":
                if progress is not None:
                    progress(value)
            elif kind == "review":
                self._requests.send(_outcome("review", review, value))
            elif kind == "error":
                raise value
            else:
                return value

    def _ended(self) -> NoReturn:
        code = self._process.poll()
        how = "ended" if code is None else f"exited with code {code}"
        raise TemplateError(f"the template index process {how} before it answered; run the command again "
                            "(its error, if any, is printed above)")


class _Embedder:
    """The embedder of an :class:`IndexProcess`: the same model, name and vectors as the library's."""

    name = MODEL_NAME
    dimensions = DIMENSIONS

    def __init__(self, index: IndexProcess) -> None:
        self._index = index

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return self._index._call("embed", list(texts))


# -- the other process ------------------------------------------------------------------------


def serve(requests_fd: int, answers_fd: int) -> NoReturn:
    """The other process: open the library of the settings it is sent, then answer until the pipe closes."""
    from multiprocessing.connection import Connection

    from process_designer.cli.program import collecting_rarely, end

    requests, answers = Connection(requests_fd, writable=False), Connection(answers_fd, readable=False)
    try:
        with collecting_rarely():  # the library's objects live as long as the process
            _serve(requests, answers)
    except (KeyboardInterrupt, BrokenPipeError, EOFError):
        end(1)  # the command was interrupted or has ended; it says so itself
    end(0)


def _serve(requests: Connection, answers: Connection) -> None:
    from process_designer.knowledge.embedding import check_weights_early

    settings: Settings
    templates_dir: Path | None
    settings, templates_dir = requests.recv()
    check_weights_early()  # on another thread while Chroma is imported
    from process_designer.knowledge.library import TemplateLibrary

    library = TemplateLibrary(settings, templates_dir=templates_dir)
    try:
        answers.send(_outcome("ensure_index", library, requests, answers))
        with contextlib.suppress(ProcessDesignerError):  # a model that cannot load says so at the first search
            library.embedder.load()
        while True:
            try:
                method, args, kwargs = requests.recv()
            except EOFError:
                return
            answers.send(_outcome(method, library, requests, answers, *args, **kwargs))
    finally:
        library.close()


def _outcome(method: str, *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """``("ok", result)`` of ``method``, or ``("error", exception)`` in a form the other side can unpickle."""
    try:
        return "ok", _METHODS[method](*args, **kwargs)
    except Exception as exc:  # raised again by the caller
        return "error", _portable(exc)


def _portable(exc: Exception) -> Exception:
    """``exc`` if it survives pickling; else a TemplateError with its message."""
    try:
        copy = pickle.loads(pickle.dumps(exc))
    except Exception:  # an exception type that cannot be rebuilt from its arguments
        copy = None
    if isinstance(copy, ProcessDesignerError):
        return exc
    return TemplateError(f"the template index failed: {type(exc).__name__}: {exc}")


def _add(library: TemplateLibrary, requests: Connection, answers: Connection, template: ProcessTemplate, *,
         reviewed: bool, min_score: float) -> ProcessTemplate:
    def review(document: ProcessDocument) -> QualityReport:
        answers.send(("review", document))
        kind, report = requests.recv()
        if kind == "error":  # the review failed over there: the add fails with its error, as it would in one process
            raise report
        return cast("QualityReport", report)

    return library.add(template, review=review if reviewed else None, min_score=min_score)


def _review(review: Callable[[ProcessDocument], QualityReport], document: ProcessDocument) -> QualityReport:
    return review(document)


def _simple(name: str) -> Callable[..., Any]:
    def call(library: TemplateLibrary, requests: Connection, answers: Connection, *args: Any, **kwargs: Any) -> Any:
        del requests, answers
        return getattr(library, name)(*args, **kwargs)

    return call


def _ensure_index(library: TemplateLibrary, requests: Connection, answers: Connection) -> IndexReport:
    del requests
    return library.ensure_index(progress=lambda line: answers.send(("progress", line)))


def _embed(library: TemplateLibrary, requests: Connection, answers: Connection, texts: list[str]) -> Any:
    del requests, answers
    return library.embedder.embed(texts)


_METHODS: dict[str, Callable[..., Any]] = {
    "search": _simple("search"), "get": _simple("get"), "record_use": _simple("record_use"), "add": _add,
    "embed": _embed, "ensure_index": _ensure_index, "review": _review,
}
