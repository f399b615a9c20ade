"""Spans of a three-turn chat through the HTTP API: names, nesting and GenAI attributes."""

from __future__ import annotations

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind

from telemetry.conftest import MESSAGES_ROUTE, REQUIREMENTS, Chat


def _children(spans: tuple[ReadableSpan, ...], parent: ReadableSpan) -> list[ReadableSpan]:
    assert parent.context is not None
    found = [s for s in spans if s.parent is not None and s.parent.span_id == parent.context.span_id]
    return sorted(found, key=lambda s: s.start_time or 0)


def _workflows(chat: Chat) -> list[ReadableSpan]:
    return sorted((s for s in chat.spans if s.name == "invoke_workflow"), key=lambda s: s.start_time or 0)


def test_each_turn_is_a_workflow_span_under_its_http_request(chat: Chat) -> None:
    workflows = _workflows(chat)
    requests = sorted((s for s in chat.spans if s.name == MESSAGES_ROUTE), key=lambda s: s.start_time or 0)
    assert len(workflows) == 3 and len(requests) == 3
    for workflow, request in zip(workflows, requests, strict=True):
        assert request.kind is SpanKind.SERVER
        assert request.attributes is not None and request.attributes["http.response.status_code"] == 200
        assert request.attributes["http.route"] == "/api/v1/process-designer/sessions/{session_id}/messages"
        assert _children(chat.spans, request) == [workflow]
        assert workflow.attributes is not None
        assert workflow.attributes["gen_ai.operation.name"] == "invoke_workflow"
        assert workflow.attributes["gen_ai.conversation.id"] == chat.thread_id
    assert [w.attributes["pd.route"] for w in workflows if w.attributes] == ["design", "code", "question"]


def test_agent_spans_follow_the_route_of_each_turn(chat: Chat) -> None:
    design, code, question = (_children(chat.spans, w) for w in _workflows(chat))
    design_names = [s.name for s in design]
    assert design_names[:5] == ["invoke_agent route_turn", "invoke_agent requirement_analyst",
                                "invoke_agent process_writer", "invoke_agent spy_coder",
                                "invoke_agent quality_reviewer"]
    assert design_names[-1] == "invoke_agent respond"
    assert [s.name for s in code][:3] == ["invoke_agent route_turn", "invoke_agent spy_coder",
                                          "invoke_agent quality_reviewer"]
    assert [s.name for s in question] == ["invoke_agent route_turn", "invoke_agent answer_question",
                                          "invoke_agent respond"]
    route = design[0]
    assert route.attributes is not None
    assert route.attributes["gen_ai.operation.name"] == "invoke_agent"
    assert route.attributes["gen_ai.agent.name"] == "route_turn"
    assert route.attributes["pd.next_node"] == "requirement_analyst"


def test_retrieval_and_tools_nest_under_the_agent_that_used_them(chat: Chat) -> None:
    design = _children(chat.spans, _workflows(chat)[0])
    analyst, coder = design[1], design[3]
    retrievals = _children(chat.spans, analyst)
    # a short request is searched by its words and by its lemmatised content words: a span each
    assert retrievals and [s.name for s in retrievals] == ["retrieval"] * len(retrievals)
    attributes = retrievals[0].attributes
    assert attributes is not None
    assert attributes["gen_ai.data_source.id"] == "templates" and attributes["gen_ai.request.top_k"] == 3
    assert attributes["pd.retrieval.results"] == len(attributes["pd.retrieval.template_ids"])  # type: ignore[arg-type]
    tools = _children(chat.spans, coder)
    assert [s.name for s in tools] == ["execute_tool spy_check", "execute_tool spy_test"]
    test_run = tools[1].attributes
    assert test_run is not None and test_run["gen_ai.tool.name"] == "spy_test"
    assert test_run["pd.spy.tests_failed"] == 0 and test_run["pd.spy.tests_passed"] > 0  # type: ignore[operator]


def test_every_span_of_a_turn_names_the_conversation(chat: Chat) -> None:
    for workflow in _workflows(chat):
        pending, seen = [workflow], 0
        while pending:
            span = pending.pop()
            seen += 1
            assert span.attributes is not None
            assert span.attributes["gen_ai.conversation.id"] == chat.thread_id, span.name
            assert span.context is not None and workflow.context is not None
            assert span.context.trace_id == workflow.context.trace_id
            pending += _children(chat.spans, span)
        assert seen > 3


def test_no_message_content_is_recorded_by_default(chat: Chat) -> None:
    for span in chat.spans:
        for key, value in (span.attributes or {}).items():
            assert key not in ("gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.retrieval.query.text")
            assert "onboarding" not in str(value).lower() or key == "pd.retrieval.template_ids", (span.name, key)
    assert REQUIREMENTS not in repr([s.to_json() for s in chat.spans])
