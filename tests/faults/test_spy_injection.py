"""Text from users, templates and drafts reaches SPy only inside strings and comments, never as code."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from process_designer import spy
from process_designer.agents.coder import compile_document
from process_designer.agents.coder.spy_source import string
from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.domain.flow import FlowEdge, FlowNode, Rule
from process_designer.domain.models import DataMapping, IntegrationSpec, ProcessDocument
from process_designer.knowledge.library import TemplateLibrary
from tests.graph_documents import claim, purchase

REFUND = (
    "When a refund request arrives, look up the order in the CRM; if the amount is over $500 a manager approves; "
    "issue the refund in billing; e-mail the customer; close the ticket"
)
# Ends a comment, a string and a block, then defines a handler of its own; and every escape in between.
PAYLOAD = 'x"\n}\n}\ndefine Pwn {\n  run() {\n    return "pwned"\n  }\n}\n# \\" \' \r\t\u2028\x0b{'


@pytest.fixture(scope="module")
def designer(tmp_path_factory: pytest.TempPathFactory, library: TemplateLibrary) -> Iterator[Designer]:
    instance = Designer(Settings(data_dir=tmp_path_factory.mktemp("injection")), library=library)
    yield instance
    instance.close()


@pytest.fixture(scope="module")
def refund(designer: Designer) -> ProcessDocument:
    return designer.design(REFUND, context={"integrations": ["crm", "billing", "email"]})


def _defines(document: ProcessDocument) -> list[str]:
    parsed = spy.parse(document.spy.program + "\n" + document.spy.tests, "process.spy")
    return [define.name for define in parsed.defines]


def _hostile(text: str) -> str:
    return text + PAYLOAD


def _poison_flow(node: FlowNode) -> FlowNode:
    return node.model_copy(update={"label": _hostile(node.label)})


def _poison_edge(edge: FlowEdge) -> FlowEdge:
    rules = [Rule(subject=_hostile(rule.subject), operator=rule.operator,
                  value=_hostile(rule.value) if isinstance(rule.value, str) else rule.value) for rule in edge.rules]
    return edge.model_copy(update={"condition": _hostile(edge.condition or ""), "rules": rules})


@pytest.mark.parametrize("graph", [purchase, claim])
def test_hostile_names_conditions_and_mappings_stay_data(graph: Callable[[], ProcessDocument]) -> None:
    document = graph().model_copy(update={"integration": IntegrationSpec(
        systems=["crm"], data_flow="one-way", frequency="hourly", data_mapping=[
            DataMapping(source="email", target="contact", transformation="lowercase")])})
    reference = compile_document(document)
    assert reference.spy.check_errors == [] and reference.flow.edges
    poisoned = document.model_copy(update={
        "steps": [step.model_copy(update={"name": _hostile(step.name), "responsible": _hostile(step.responsible)})
                  for step in document.steps],
        "flow": document.flow.model_copy(update={"nodes": [_poison_flow(n) for n in document.flow.nodes],
                                                 "edges": [_poison_edge(e) for e in document.flow.edges]}),
        "integration": document.integration.model_copy(update={"data_mapping": [  # type: ignore[union-attr]
            DataMapping(source=_hostile("email"), target=_hostile("contact"), transformation="lowercase"),
            DataMapping(source="id", target="id\n}\ndefine Pwn2 {", transformation=_hostile("string")),
        ]}),
    })
    compiled = compile_document(poisoned)
    assert compiled.spy.check_errors == []
    assert _defines(compiled) == _defines(reference)
    assert string(poisoned.steps[1].name) in compiled.spy.program  # kept exactly, as data
    assert compiled.spy.tests_failed == 0 and compiled.spy.tests_passed == reference.spy.tests_passed


def test_kept_code_that_fails_its_checks_is_written_anew(refund: ProcessDocument) -> None:
    broken = refund.steps[1].code.replace("check_input(input_data)\n", "check_input(input_data\n", 1)
    assert broken != refund.steps[1].code
    kept = refund.model_copy(update={"steps": [refund.steps[0], refund.steps[1].model_copy(update={"code": broken}),
                                               *refund.steps[2:]]})
    compiled = compile_document(kept, only_steps={1})
    assert compiled.spy.check_errors == []
    assert compiled.steps[1].code == refund.steps[1].code
    assert compiled.spy.diagnostics[-1].startswith("note: the kept step code failed its checks (process.spy:")


def test_a_renamed_step_with_code_in_its_name_stays_one_step(designer: Designer) -> None:
    thread = "rename-injection"
    designer.run_turn(thread, REFUND)
    designer.run_turn(thread, "rename step 2 to Verify order\ndefine Pwn {\n  x() {\n    return 1\n  }\n}")
    document = designer.document(thread)
    assert document is not None
    assert "Pwn" not in _defines(document)
    assert document.spy.check_errors == []
    assert [v.number for v in designer.versions(thread)] == [1, 2]
    assert not any(line.lstrip().startswith("define Pwn") for line in document.spy.program.splitlines())

