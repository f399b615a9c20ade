"""A design built on a template with a graph shows the template's decisions, loops and ends, through the designer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from process_designer.config import load_settings
from process_designer.designer import Designer
from process_designer.domain.markdown import render_markdown
from process_designer.knowledge.library import TemplateLibrary
from process_designer.knowledge.template_model import template_from_toml
from tests.graph_documents import CLAIM


@pytest.fixture(scope="module")
def designer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Designer]:
    data_dir: Path = tmp_path_factory.mktemp("graph-templates")
    settings = load_settings(environ={}, dotenv=None).with_overrides(data_dir=data_dir)
    library = TemplateLibrary(settings)
    library.ensure_index()
    library.add(template_from_toml(CLAIM, "claim.toml"))
    instance = Designer(settings, library=library)
    yield instance
    instance.close()
    library.close()


def test_a_claim_design_on_a_looping_template_shows_the_loop_and_its_exit(designer: Designer) -> None:
    designer.run_turn("claim", "Claim settlement process")
    document = designer.document("claim")
    assert document is not None and document.templates_used == ["claim-settlement"]
    assert [n.kind for n in document.flow.nodes].count("exclusive") == 1
    markdown = render_markdown(document)
    assert "- marked Not OK → back to Step 2 (Recommend settlement)\n- otherwise → Step 4 (Pay claim)" in markdown
    assert "**Loop**: Step 2 (Recommend settlement) and Step 3 (Check recommendation) repeat when marked Not OK" \
        in markdown
    assert ("'Recommendation OK?' (Step 3) sends the case back a 5th time: stop the loop and escalate to Operations "
            "with the history of each pass") in document.error_handling
    assert ("Data for the decision 'Recommendation OK?' (Step 3) missing or invalid: stop before deciding and have "
            "the Senior Claims Officer record the claim status") in document.error_handling
    # the template's own "Record the outcome" in every step is stock, and the reviewer says so; the request only
    # names the process, so every step is drafted from the template, for the user to confirm
    assert {(i.code, i.step) for i in document.quality.issues} == {
        (code, n) for code in ("stock_action", "drafted_step") for n in (1, 2, 3, 4)}
