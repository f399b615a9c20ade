"""Prompts of the process writer: compose, edit, revise and answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from process_designer.agents.llm.prompts import DATA_RULE, data_block
from process_designer.domain.models import ProcessDocument, Requirement
from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["ANSWER", "COMPOSE", "EDIT", "REVISE", "answer_message", "compose_message", "document_data",
           "edit_message", "revise_message"]

_STRUCTURE = """Follow the Standard Process Structure: an overview (purpose, scope, owner), prerequisites,
numbered steps — each with an objective, the responsible role, a duration such as "15 minutes" or
"2 hours", concrete actions in the imperative, validation checks, the steps it depends on, its
decisions and the systems it calls (lower_snake_case connector names) — error handling, monitoring and
metrics, related documents. For an integration process also fill "integration" (systems, data flow,
frequency, data mapping). In "flow" give the process graph (a start node, one task node per step with
its number, exclusive gateways for decisions, parallel gateways, end nodes), or leave it empty to keep
the steps' dependencies as the graph. Write short, concrete sentences; name owners and numbers."""

COMPOSE = f"""ROLE: process_writer
You are the process writer of a business-process design service. Write the process document for the
analysed requirements, using the reference templates where they fit.
{_STRUCTURE}

{DATA_RULE}"""

EDIT = f"""ROLE: process_writer
You are the process writer of a business-process design service. Apply the requested change to the
current document and return the whole changed document, a one-sentence summary of the change and the
numbers of the steps whose content changed. If the request cannot be applied to this document, leave
"document" null and say why in "refusal".
{_STRUCTURE}

{DATA_RULE}"""

REVISE = f"""ROLE: process_writer
You are the process writer of a business-process design service. A quality review found gaps in the
document. Fix every finding you can and return the whole revised document, and in "fixed" one short
line per finding you fixed.
{_STRUCTURE}

{DATA_RULE}"""

ANSWER = f"""ROLE: process_writer
You answer questions about one process document. Answer only from the document; when it does not say,
say so. Reply in plain prose of at most a few sentences.

{DATA_RULE}"""


def document_data(document: ProcessDocument) -> dict[str, Any]:
    """The parts of a document the writer works on (no code, no quality report)."""
    data: dict[str, Any] = document.model_dump(mode="json", exclude={"spy", "quality", "context", "templates_used"})
    data["overview"].pop("last_updated", None)
    for step in data["steps"]:
        step.pop("code", None)
    if data.get("integration"):
        data["integration"].pop("authentication", None)
        data["integration"].pop("error_recovery", None)
    return data


def compose_message(requirement: Requirement, templates: Sequence[ProcessTemplate]) -> str:
    refs = [{"id": t.id, **document_data(t.document)} for t in templates]
    return "Write the process document.\n" + data_block(
        requirement=requirement.model_dump(mode="json", exclude={"templates"}), templates=refs)


def edit_message(document: ProcessDocument, request: str) -> str:
    return "Apply the change request.\n" + data_block(document=document_data(document), change_request=request)


def revise_message(document: ProcessDocument, findings: Sequence[str]) -> str:
    return "Fix the findings.\n" + data_block(document=document_data(document), findings=list(findings))


def answer_message(document: ProcessDocument, question: str) -> str:
    return "Answer the question.\n" + data_block(document=document_data(document), question=question)
