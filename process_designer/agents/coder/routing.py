"""The graph the SPy runner executes: every conditional branch testable on the case's data.

A branch may carry only the words of its condition ("if the customer is a VIP") when nothing could
turn them into rules. The runner still has to route on data, so such a branch tests a yes/no field
named after its words (``customer_is_a_vip == true``); a "yes"/"no" pair under a question
("In stock?") tests one field named after the question (``in_stock == true`` / ``== false``).
The program, its tests and their expected results all come from this one graph, so the runner and
:meth:`ProcessFlow.simulate` agree by construction.
"""

from __future__ import annotations

import re

from process_designer.agents.coder.spy_source import identifier
from process_designer.domain.flow import FlowEdge, FlowNode, ProcessFlow, Rule

__all__ = ["executable_flow", "field_name"]

_YES = {"yes", "y", "true", "ok", "approved", "accepted", "passed", "pass", "valid"}
_NO = {"no", "n", "false", "not ok", "rejected", "declined", "failed", "fail", "invalid"}
_QUESTION_WORDS = {"is", "are", "was", "were", "does", "do", "did", "has", "have", "can", "should", "will", "the",
                   "a", "an", "if", "whether"}
_MAX_WORDS = 5


def field_name(text: str) -> str:
    """A case field named after a condition or a question: "Is the item in stock?" → ``item_in_stock``."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    while words and words[0] in _QUESTION_WORDS:
        words.pop(0)
    return identifier("_".join(words[:_MAX_WORDS]) or "condition")


def _testable(gateway: FlowNode, edge: FlowEdge) -> FlowEdge:
    if edge.default or edge.rules:
        return edge
    words = " ".join((edge.condition or "").lower().split()).strip(" .:")
    if gateway.label and words in _YES | _NO:
        rule = Rule(subject=field_name(gateway.label), value=words in _YES)
    else:
        rule = Rule(subject=field_name(edge.condition or gateway.label), value=True)
    return edge.model_copy(update={"rules": [rule]})


def executable_flow(flow: ProcessFlow) -> ProcessFlow:
    """``flow`` with a rule on every conditional branch of an exclusive gateway that has none."""
    kinds = {node.id: node for node in flow.nodes}
    edges = [_testable(kinds[edge.source], edge) if edge.source in kinds and kinds[edge.source].kind == "exclusive"
             else edge for edge in flow.edges]
    return flow.model_copy(update={"edges": edges})
