"""The document says what the process graph does: branches and where they go, parallel work, loops, assumptions."""

from __future__ import annotations

from process_designer.domain.flow import FlowBuilder, ProcessFlow, Rule
from process_designer.domain.markdown import render_markdown
from process_designer.domain.models import Overview, ProcessDocument, Step
from tests.graph_documents import claim, onboarding, purchase


def _section(markdown: str, number: int) -> str:
    return markdown.split(f"### Step {number}:")[1].split("### Step")[0].split("\n## ")[0]


def test_each_decision_says_where_each_branch_goes() -> None:
    markdown = render_markdown(purchase())
    assert ("**Decision**: Amount over 10,000?\n- amount over 10,000 → Step 2 (Approve as CFO)\n"
            "- otherwise → Step 3 (Approve as team lead)") in _section(markdown, 1)
    for number in (2, 3):  # both approvals lead into the same decision
        assert ("**Decision**: Approved?\n- approved → Step 5 (Order from vendor) and Step 6 (Reserve budget), "
                "in parallel\n- otherwise → Step 4 (Reject request)") in _section(markdown, number)
    assert "**Next**: End: Request rejected" in _section(markdown, 4)
    assert "**Decision**" not in _section(markdown, 5) + _section(markdown, 7)


def test_parallel_steps_name_each_other_and_where_they_join() -> None:
    markdown = render_markdown(purchase())
    assert ("**In Parallel**: Runs at the same time as Step 6 (Reserve budget); the branches join before "
            "Step 7 (Close request)") in _section(markdown, 5)
    assert "**In Parallel**: Runs at the same time as Step 5 (Order from vendor)" in _section(markdown, 6)
    assert "In Parallel" not in _section(markdown, 7)
    waits = render_markdown(onboarding())
    assert "Runs at the same time as Step 3 (Set up laptop); the branches join before Step 4 (Hold welcome meeting)" \
        in _section(waits, 2)


def test_a_loop_names_its_exit_condition() -> None:
    section = _section(render_markdown(claim()), 3)
    assert "- marked Not OK → back to Step 2 (Recommend settlement)\n- otherwise → Step 4 (Pay claim)" in section
    assert ("**Loop**: Step 2 (Recommend settlement) and Step 3 (Check recommendation) repeat when marked Not OK "
            "(at most 5 passes); the loop ends otherwise, on to Step 4 (Pay claim)") in section


def _document(flow_builder: FlowBuilder | None = None, **changes: object) -> ProcessDocument:
    steps = [Step(number=n, name=name, objective=f"{name}.", responsible=role, duration="1 hour",
                  actions=[f"{name} in the ERP", "Note the case number"], validation=["Done"])
             for n, (name, role) in enumerate([("Receive order", "Sales Clerk"), ("Ship order", "Warehouse Operator")],
                                              start=1)]
    document = ProcessDocument(title="Orders", overview=Overview(purpose="p", scope="s", owner="o", last_updated="d"),
                               steps=steps, flow=flow_builder.build() if flow_builder else ProcessFlow())
    return document.model_copy(update=changes)


def test_a_decision_before_the_first_step_and_a_loop_without_exit_are_shown() -> None:
    b = FlowBuilder()
    gate = b.exclusive("Order paid?")
    b.connect("start", gate)
    b.connect(gate, b.task(1, "Receive order"), condition="paid", rules=[Rule(subject="paid", value=True)])
    b.connect(gate, b.end("Order cancelled"), default=True)
    b.connect("step_1", b.task(2, "Ship order"))
    b.connect("step_2", "step_1")
    markdown = render_markdown(_document(b))
    steps = markdown.split("## Process Steps")[1]
    assert steps.startswith("\n\n**Decision**: Order paid?\n- paid → Step 1 (Receive order)\n- otherwise → End: Order cancelled")
    assert "**Loop**: Step 1 (Receive order) and Step 2 (Ship order) repeat with no decision that leaves the loop" \
        in _section(markdown, 2)


def test_assumed_performers_are_marked_and_open_questions_listed() -> None:
    document = _document()
    plain = render_markdown(document)
    assert "## Open Questions" not in plain and "(assumed)" not in plain
    steps = [document.steps[0].model_copy(update={"performer_source": "assumed"}),
             document.steps[1].model_copy(update={"performer_source": "template"})]
    marked = render_markdown(document.model_copy(update={
        "steps": steps, "open_questions": ["Who receives the order? Sales Clerk is assumed."]}))
    assert "**Responsible**: Sales Clerk (assumed)" in marked
    assert "**Responsible**: Warehouse Operator\n" in marked  # a template's role is not flagged
    assert marked.endswith("## Open Questions\n- Who receives the order? Sales Clerk is assumed.\n")


def test_json_export_carries_flow_performer_source_and_open_questions() -> None:
    document = purchase().model_copy(update={"open_questions": ["Who closes the request?"]})
    data = document.to_json()
    assert data["open_questions"] == ["Who closes the request?"]
    assert {s["performer_source"] for s in data["steps"]} == {"stated"}
    kinds = [n["kind"] for n in data["flow"]["nodes"]]
    assert kinds.count("exclusive") == 2 and kinds.count("parallel") == 2
    edge = next(e for e in data["flow"]["edges"] if e["condition"] == "amount over 10,000")
    assert (edge["from"], edge["to"], edge["default"]) == ("decision_1", "step_2", False)
    assert "**Decision**: Amount over 10,000?" in data["markdown"]
    assert data["quality"]["issues"] == [] and "soundness" in data["quality"]
