"""Path-test coverage: the share of a design's start-to-end paths that its generated SPy tests prove.

Convention of the generated tests: ``ProcessRunnerTest`` holds one case per path of
``ProcessFlow.paths()``, named ``test_path_<k>_<anything>`` with ``k`` the 1-based index of the
path in that order, which runs ``ProcessRunner.run`` on data that takes the path and asserts the
steps it visits (and those it must not). Coverage runs the document's program with its tests on
the project's SPy test runner and counts the distinct ``k`` in ``1..len(paths())`` with a passing
case, over ``len(paths())``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from process_designer.domain.models import ProcessDocument
from process_designer.evals.gateways import document_flow

__all__ = ["PATH_TEST", "PathCoverage", "path_coverage"]

PATH_TEST = re.compile(r"^test_path_(\d+)(?:_|$)")
_RUNNER_TESTS = "ProcessRunnerTest"


@dataclass(frozen=True)
class PathCoverage:
    paths: int
    tested: int  # paths with a passing test_path_<k> case

    @property
    def share(self) -> float | None:
        return self.tested / self.paths if self.paths else None


def path_coverage(document: ProcessDocument) -> PathCoverage:
    """Run the document's SPy program and tests; count the paths whose ``test_path_<k>`` case passes."""
    from process_designer import spy
    from process_designer.errors import SpyError

    paths = len(document_flow(document).paths())
    if not paths or not document.spy.tests.strip():
        return PathCoverage(paths, 0)
    try:
        report = spy.run_tests(document.spy.program + "\n" + document.spy.tests, "process.spy")
    except SpyError:
        return PathCoverage(paths, 0)  # code that does not parse proves no path
    proved: set[int] = set()
    for case in report.cases:
        match = PATH_TEST.match(case.name)
        if case.passed and case.suite == _RUNNER_TESTS and match:
            number = int(match.group(1))
            if 1 <= number <= paths:
                proved.add(number)
    return PathCoverage(paths, len(proved))
