"""Search, cache, add and usage of the template library in both store modes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from process_designer.domain.models import ProcessDocument, QualityReport
from process_designer.errors import InputError, NotFoundError, TemplateError
from process_designer.knowledge import TemplateLibrary, load_template

LibraryFactory = Callable[..., TemplateLibrary]
COSINE_REASON = re.compile(r"similar in meaning \(cosine 0\.\d\d\)")


def _ids(library: TemplateLibrary, query: str, **filters: object) -> list[str]:
    return [hit.template.id for hit in library.search(query, **filters)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"category": "HR"}, ["employee-onboarding"]),
        ({"domain": "saas"}, ["customer-onboarding"]),
        ({"complexity": "low"}, ["standard-process"]),
        ({"integrations": ["ERP"]}, ["system-integration"]),
        ({"integrations": ["erp", "hris"]}, ["employee-onboarding", "system-integration"]),
        ({"category": "finance", "integrations": ["hris"]}, []),
    ],
)
def test_filters_keep_only_matching_templates(
    make_library: LibraryFactory, filters: dict[str, object], expected: list[str]
) -> None:
    library = make_library()
    assert sorted(_ids(library, "process for a team", top=5, **filters)) == expected


def test_hits_have_scores_in_range_best_first_with_reasons(make_library: LibraryFactory) -> None:
    library = make_library()
    hits = library.search("refund a customer's order through billing", top=5)
    assert len(hits) == 5
    assert hits[0].template.id == "refund-request"
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert COSINE_REASON.fullmatch(hits[0].reasons[0])
    assert hits[0].reasons[1:] == [
        "keywords matched: refund, customer, order, billing",
        "uses 1 of 1 integrations: billing",
    ]


def test_filter_reasons_and_integration_overlap_are_explained(make_library: LibraryFactory) -> None:
    library = make_library()
    [hit] = library.search(
        "refund", top=1, category="Finance", integrations=["billing", "erp"], complexity="medium"
    )
    assert hit.template.id == "refund-request"
    assert hit.reasons[1:] == [
        "keywords matched: refund",
        "uses 1 of 2 integrations: billing",
        "category is finance",
        "complexity is medium",
    ]


def test_bad_search_input_is_refused_with_the_fix(make_library: LibraryFactory) -> None:
    library = make_library()
    with pytest.raises(InputError, match="the search query is empty; describe the process"):
        library.search("   ")
    with pytest.raises(InputError, match="top must be at least 1, got 0"):
        library.search("refund", top=0)
    with pytest.raises(
        InputError, match="complexity 'extreme' is unknown; use low, medium or high"
    ):
        library.search("refund", complexity="extreme")


def test_unknown_id_names_it_and_suggests_the_list(make_library: LibraryFactory) -> None:
    library = make_library()
    with pytest.raises(
        NotFoundError,
        match=r"no template with id 'refund-requests'; did you mean refund-request\? "
        r"run `process-designer templates list` to see the ids",
    ):
        library.get("refund-requests")


def test_repeated_queries_come_from_the_cache_until_the_index_changes(
    make_library: LibraryFactory, starter_dir: Path
) -> None:
    library = make_library()
    first = library.search("refund request", top=2)
    assert library.cache_size() == 1
    first[0].template.title = "changed by the caller"
    second = library.search("  Refund Request ", top=2)
    assert library.cache_size() == 1
    assert second[0].template.title == "Refund Request Processing"
    assert [h.model_dump() for h in second] == [
        h.model_dump() for h in library.search("refund request", top=2)
    ]

    path = starter_dir / "refund-request.toml"
    path.write_text(path.read_text().replace('"Refund Request Processing"', '"Refund Desk"'))
    library.ensure_index()
    assert library.cache_size() == 0
    assert library.search("refund request", top=1)[0].template.title == "Refund Desk"
    assert library.cache_size() == 1


def test_concurrent_searches_while_the_index_changes(
    make_library: LibraryFactory, starter_dir: Path
) -> None:
    library = make_library()
    library.ensure_index()
    queries = {
        "money back for a returned order": "refund-request",
        "new hire laptop and accounts": "employee-onboarding",
        "sync customer records from crm to erp": "system-integration",
    }
    path = starter_dir / "standard-process.toml"

    def run(query: str) -> str:
        return library.search(query, top=1)[0].template.id

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [(q, pool.submit(run, q)) for q in list(queries) * 6]
        path.write_text(path.read_text().replace("Standard Business Process", "Generic Request"))
        library.ensure_index()
        results = [(q, f.result()) for q, f in futures]
    assert all(found == queries[q] for q, found in results)
    assert library.get("standard-process").title == "Generic Request"


def test_add_saves_a_user_template_and_indexes_it(
    make_library: LibraryFactory, starter_dir: Path, tmp_path: Path
) -> None:
    library = make_library()
    library.search("warranty", top=1)
    original = load_template(starter_dir / "refund-request.toml")
    template = original.model_copy(
        update={
            "id": "warranty-claim",
            "title": "Warranty Claim Handling",
            "document": original.document.model_copy(update={"title": "Warranty Claim Handling"}),
        }
    )
    reviewed: list[ProcessDocument] = []

    def review(document: ProcessDocument) -> QualityReport:
        reviewed.append(document)
        return QualityReport(score=0.93)

    saved = library.add(template, review=review)
    assert reviewed == [template.document]
    assert saved == template
    path = tmp_path / "data" / "templates" / "warranty-claim.toml"
    assert load_template(path) == template
    assert library.cache_size() == 0
    assert library.search("warranty claim", top=1)[0].template.id == "warranty-claim"
    assert library.source_of("warranty-claim") == "user"
    assert make_library().get("warranty-claim") == template


def test_add_refuses_a_taken_id(make_library: LibraryFactory, starter_dir: Path) -> None:
    library = make_library()
    template = load_template(starter_dir / "standard-process.toml")
    with pytest.raises(
        InputError,
        match=r"a template with id 'standard-process' already exists \(.*standard-process\.toml\); "
        "change the id of the new template",
    ):
        library.add(template)


def test_add_refuses_a_template_the_reviewer_scores_low(
    make_library: LibraryFactory, starter_dir: Path, tmp_path: Path
) -> None:
    library = make_library()
    template = load_template(starter_dir / "refund-request.toml").model_copy(
        update={"id": "weak-refunds"}
    )

    def review(document: ProcessDocument) -> QualityReport:
        return QualityReport(
            score=0.62,
            findings=["step 2 has no validation", "KPI 'fast refunds' is not measurable"],
        )

    with pytest.raises(
        TemplateError,
        match=r"template 'weak-refunds' scored 0\.62 in review, below the required 0\.90; "
        r"fix these findings: step 2 has no validation; KPI 'fast refunds' is not measurable",
    ):
        library.add(template, review=review)
    assert not (tmp_path / "data" / "templates" / "weak-refunds.toml").exists()
    with pytest.raises(NotFoundError):
        library.get("weak-refunds")


def test_usage_counts_add_up_and_persist(make_library: LibraryFactory, tmp_path: Path) -> None:
    library = make_library()
    assert library.usage() == {}
    library.record_use(["refund-request", "standard-process"])
    library.record_use(["refund-request"])
    assert library.usage() == {"refund-request": 2, "standard-process": 1}
    assert make_library().usage() == {"refund-request": 2, "standard-process": 1}
    stored = json.loads((tmp_path / "data" / "template_usage.json").read_text())
    assert stored == {"refund-request": 2, "standard-process": 1}
