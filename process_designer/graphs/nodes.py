"""The nodes of the designer graph: one per agent, plus routing, answers, context and the reply."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from langgraph.config import get_config
from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt
from pydantic import ValidationError

from process_designer.agents.engines import OfflineWriter
from process_designer.domain.markdown import render_markdown
from process_designer.domain.models import DesignContext, ProcessDocument, Requirement
from process_designer.errors import InputError, TemplateError
from process_designer.feedback import parse_feedback_message
from process_designer.feedback.learning import apply_preferences, learn_edit, record_message
from process_designer.graphs.context import DesignerDeps
from process_designer.graphs.router import classify_turn
from process_designer.graphs.state import DesignerState
from process_designer.knowledge.template_model import ProcessTemplate
from process_designer.limits import load_json
from process_designer.maps import MapError, parse_document
from process_designer.maps import compare as compare_documents
from process_designer.maps import render as render_gap

__all__ = [
    "answer_question",
    "compare_processes",
    "process_writer",
    "quality_reviewer",
    "requirement_analyst",
    "respond",
    "route_turn",
    "save_as_template",
    "spy_coder",
    "update_context",
]

_DEFAULT_DEPS: DesignerDeps | None = None


def _deps(runtime: Runtime[DesignerDeps] | None) -> DesignerDeps:
    global _DEFAULT_DEPS
    if runtime is not None and runtime.context is not None:
        return runtime.context
    if _DEFAULT_DEPS is None:  # Studio and other callers without context get the environment's settings
        _DEFAULT_DEPS = DesignerDeps()
    return _DEFAULT_DEPS


def _document(state: DesignerState) -> ProcessDocument | None:
    raw = state.get("document")
    return ProcessDocument.model_validate(raw) if raw else None


def _context(state: DesignerState) -> DesignContext:
    return DesignContext.model_validate(state.get("context") or {})


def route_turn(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[
    Literal["requirement_analyst", "process_writer", "spy_coder", "quality_reviewer", "answer_question",
            "update_context", "compare_processes", "save_as_template", "respond"]
]:
    """Classify the turn and send it to the agents it needs."""
    deps = _deps(runtime)
    text, role = state.get("input", ""), state.get("role", "USER")
    intent = classify_turn(text, role, state.get("document") is not None)
    goto: Any = {"context": "update_context", "design": "requirement_analyst", "revise": "process_writer",
            "compare": "compare_processes", "save_template": "save_as_template",
            "code": "spy_coder", "review": "quality_reviewer", "question": "answer_question",
            "clarify": "requirement_analyst"}[intent]
    entry = {"role": role, "content": text, "agent": "", "at": deps.now_iso()}
    reset = {"intent": intent, "changed": False, "changed_steps": None, "revisions": 0, "fixed": [], "reply": "",
             "summary": "", "messages": [entry], "stage": {"agent": "route_turn", "content": f"Route: {intent}"}}
    return Command(update=reset, goto=goto)


def requirement_analyst(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[
    Literal["process_writer", "respond"]
]:
    """Read the requirements (with retrieved templates) into a structured Requirement."""
    deps = _deps(runtime)
    text = state.get("input", "")
    context = deps.with_preferences(_context(state))
    query = " ".join([text[:2000], context.business_domain or "", " ".join(context.integrations)])
    templates = deps.templates_for(query) if text.strip() else []
    requirement = deps.engines.analyst.analyze(text, context, templates, state.get("title") or None)
    if requirement.questions:
        return Command(update={"requirement": None, "reply": requirement.questions[0],
                               "stage": {"agent": "requirement_analyst", "content": requirement.questions[0]}},
                       goto="respond")
    note = (f"Understood '{requirement.title}': {len(requirement.steps)} steps, "
            f"{len(requirement.decisions)} decision(s), systems: {', '.join(requirement.systems) or 'none'}"
            + (f"; templates: {', '.join(requirement.templates)}" if requirement.templates else ""))
    return Command(update={"requirement": requirement.model_dump(mode="json"),
                           "stage": {"agent": "requirement_analyst", "content": note}}, goto="process_writer")


def process_writer(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[
    Literal["spy_coder", "respond"]
]:
    """Compose a new document, apply a requested edit, or fix the reviewer's findings."""
    deps = _deps(runtime)
    document = _document(state)
    if state.get("revisions", 0) and document is not None:
        findings = deps.engines.reviewer.findings_for(document.quality, document, "writer")
        revised, fixed = deps.engines.writer.revise(document, findings)
        note = "Revised: " + "; ".join(fixed) if fixed else "Nothing left for the writer to fix"
        return Command(update={"document": revised.model_dump(mode="json"), "fixed": [*state.get("fixed", []), *fixed],
                               "changed_steps": None, "stage": {"agent": "process_writer", "content": note}},
                       goto="spy_coder")
    if state.get("intent") == "revise" and document is not None:
        try:
            result = deps.engines.writer.edit(document, state.get("input", ""))
        except InputError as exc:
            return Command(update={"reply": str(exc)[:1].upper() + str(exc)[1:] + ".",
                                   "stage": {"agent": "process_writer", "content": str(exc)}}, goto="respond")
        if deps.feedback is not None:  # what the user changed by hand becomes the tenant's default
            learn_edit(deps.feedback, deps.tenant(), _thread_id(), _version(state), document, result.document)
        return Command(update={"document": result.document.model_dump(mode="json"), "summary": result.summary,
                               "changed": True, "changed_steps": sorted(result.changed_steps),
                               "stage": {"agent": "process_writer", "content": result.summary}}, goto="spy_coder")
    requirement = Requirement.model_validate(state["requirement"])
    templates = []
    library = deps._library()
    for template_id in requirement.templates:
        try:
            templates.append(library.get(template_id))  # type: ignore[attr-defined]
        except (AttributeError, InputError):
            continue
    composed = deps.engines.writer.compose(requirement, templates, deps.clock().date())
    if (profile := deps.feedback_profile()) is not None:
        composed = apply_preferences(composed, requirement, profile)
    summary = f"Drafted '{composed.title}' with {len(composed.steps)} steps."
    return Command(update={"document": composed.model_dump(mode="json"), "summary": summary, "changed": True,
                           "changed_steps": None,
                           "stage": {"agent": "process_writer", "content": summary + "\n\n" + render_markdown(composed)}},
                   goto="spy_coder")


def spy_coder(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[Literal["quality_reviewer", "respond"]]:
    """Compile the steps to SPy, write the tests, and run both."""
    deps = _deps(runtime)
    document = _document(state)
    if document is None:
        return Command(update={"reply": "There is no process yet; describe one first.",
                               "stage": {"agent": "spy_coder", "content": "No document to compile"}}, goto="respond")
    changed = state.get("changed_steps")
    compiled = deps.engines.coder.compile(document, set(changed) if changed is not None else None)
    spy = compiled.spy
    errors = sum(1 for d in spy.diagnostics if re.search(r": E\d{3} ", d))
    note = (f"SPy for {len(compiled.steps)} steps: {errors} check error(s); tests {spy.tests_passed} passed, "
            f"{spy.tests_failed} failed")
    return Command(update={"document": compiled.model_dump(mode="json"), "changed": True,
                           "stage": {"agent": "spy_coder", "content": note}}, goto="quality_reviewer")


def quality_reviewer(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[
    Literal["process_writer", "spy_coder", "respond"]
]:
    """Score the work; send it back with findings while under the threshold and within budget."""
    deps = _deps(runtime)
    settings = deps.settings
    document = _document(state)
    if document is None:
        return Command(update={"reply": "There is no process to review yet; describe one first.",
                               "stage": {"agent": "quality_reviewer", "content": "Nothing to review"}}, goto="respond")
    revisions = state.get("revisions", 0)
    profile = deps.feedback_profile()
    report = deps.engines.reviewer.review(document, revisions,
                                          profile.dismissed_findings() if profile is not None else ())
    report = report.model_copy(update={"fixed": list(state.get("fixed", []))})
    reviewed = document.model_copy(update={"quality": report})
    update: dict[str, Any] = {"document": reviewed.model_dump(mode="json")}
    note = f"Quality {report.score:.2f} (completeness {report.completeness:.2f}, clarity {report.clarity:.2f})"
    goto: Literal["process_writer", "spy_coder", "respond"] = "respond"
    if report.score < settings.quality_threshold and revisions < settings.revision_budget:
        writer_findings = deps.engines.reviewer.findings_for(report, document, "writer")
        if deps.engines.reviewer.findings_for(report, document, "coder") and revisions == 0:
            goto = "spy_coder"
        elif writer_findings and (not isinstance(deps.engines.writer, OfflineWriter)
                                  or deps.engines.writer.revise(document, writer_findings)[1]):
            # the offline writer is asked first whether it can fix anything; a model writer is trusted to try
            goto = "process_writer"
        if goto != "respond":
            update["revisions"] = revisions + 1
            update["changed_steps"] = None
            note += f"; below {settings.quality_threshold:.2f}, sending back to the {goto.replace('_', ' ')}"
    update["stage"] = {"agent": "quality_reviewer", "content": note}
    return Command(update=update, goto=goto)


def answer_question(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[Literal["respond"]]:
    """Answer from the current document."""
    deps = _deps(runtime)
    document = _document(state)
    answer = deps.engines.writer.answer(document, state.get("input", "")) if document else (
        "There is no process yet. Describe the process you need and I will design it.")
    return Command(update={"reply": answer, "stage": {"agent": "answer_question", "content": answer}}, goto="respond")


def compare_processes(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[Literal["respond"]]:
    """Gap analysis: the current process the user pastes against the document designed here."""
    deps = _deps(runtime)
    desired = _document(state)
    text = state.get("input", "")
    if desired is None:
        reply = ("There is no designed process to compare with yet. Describe the process you want first, then send "
                 "'compare with our current process:' followed by the current one.")
        return Command(update={"reply": reply, "stage": {"agent": "compare_processes", "content": reply}},
                       goto="respond")
    current_text = text.split(":", 1)[1].strip() if ":" in text else text
    try:
        current = parse_document(current_text, "current process")
    except MapError:
        # prose rather than a list, markdown or BPMN: read it as requirements
        requirement = deps.engines.analyst.analyze(current_text, _context(state), [], None)
        if not requirement.steps:
            reply = ("I could not read the current process. Paste it as a numbered list, markdown in the process "
                     "structure, or BPMN, after 'compare with our current process:'.")
            return Command(update={"reply": reply, "stage": {"agent": "compare_processes", "content": reply}},
                           goto="respond")
        current = deps.engines.writer.compose(requirement, [], deps.clock().date())
    reply = render_gap(compare_documents(current, desired))
    return Command(update={"reply": reply, "stage": {"agent": "compare_processes", "content": reply}}, goto="respond")


_YES = re.compile(r"^\s*(?:y|yes|yep|ok|okay|approve|approved|save|save it|go ahead|confirm|do it)\b", re.IGNORECASE)


def save_as_template(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[Literal["respond"]]:
    """Save the current document as a user template, after a person approves it (an interrupt)."""
    deps = _deps(runtime)
    document = _document(state)
    if document is None:
        reply = "There is no process to save yet; design one first."
        return Command(update={"reply": reply, "stage": {"agent": "save_as_template", "content": reply}}, goto="respond")
    template_id = re.sub(r"[^a-z0-9]+", "-", document.title.lower()).strip("-")[:60] or "process"
    question = (f"Save '{document.title}' (quality {document.quality.score:.2f}) as the template '{template_id}'? "
                "Answer yes to save it, anything else to cancel.")
    answer = interrupt({"question": question, "template_id": template_id, "title": document.title,
                        "score": document.quality.score})
    approved = bool(answer.get("approved")) if isinstance(answer, dict) else bool(_YES.match(str(answer)))
    if not approved:
        reply = f"Not saved: '{document.title}' stays in this conversation only."
        return Command(update={"reply": reply, "stage": {"agent": "save_as_template", "content": reply}}, goto="respond")
    library = deps._library()
    if library is None:
        reply = "The template library is not available, so nothing was saved."
        return Command(update={"reply": reply, "stage": {"agent": "save_as_template", "content": reply}}, goto="respond")
    template = ProcessTemplate(
        id=template_id, title=document.title, category=document.context.business_domain or "general",
        business_domain=document.context.business_domain or "general", complexity=document.context.complexity or "medium",
        integrations=document.integrations, roles=sorted({s.responsible for s in document.steps}),
        description=document.overview.purpose, document=document,
    )
    try:
        saved = library.add(template, review=lambda d: deps.engines.reviewer.review(  # type: ignore[attr-defined]
            deps.engines.coder.compile(d, None), 0))
    except (InputError, TemplateError) as exc:
        reply = f"Not saved: {exc}"
    else:
        reply = f"Saved as the template '{saved.id}'; `process-designer templates show {saved.id}` prints it."
    return Command(update={"reply": reply, "stage": {"agent": "save_as_template", "content": reply}}, goto="respond")


def _parse_context(text: str) -> dict[str, Any]:
    text = text.strip()
    if text.startswith("{"):
        try:
            data = load_json(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"the context is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
        except ValueError as exc:
            raise InputError(f"the context has {exc}; send short values") from None
        if not isinstance(data, dict):
            raise InputError("the context must be a JSON object such as {\"business_domain\": \"SaaS\"}")
        return data
    pairs: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise InputError(f"context line {number} is not 'key: value': {line.strip()!r}")
        key = key.strip().lower().replace(" ", "_")
        pairs[key] = [v.strip() for v in value.split(",") if v.strip()] if key == "integrations" else value.strip()
    return pairs


def _thread_id() -> str:
    return str(get_config().get("configurable", {}).get("thread_id", ""))


def _version(state: DesignerState) -> int | None:
    versions = state.get("versions", [])
    return int(versions[-1]["number"]) if versions else None


def update_context(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[Literal["respond"]]:
    """Merge a SYSTEM message into the thread's context (JSON or ``key: value`` lines), or record feedback."""
    try:
        feedback = parse_feedback_message(state.get("input", ""))
    except InputError as exc:
        reply = f"Feedback not recorded: {exc}."
        return Command(update={"reply": reply, "stage": {"agent": "update_context", "content": reply}}, goto="respond")
    if feedback is not None:
        deps = _deps(runtime)
        reply = (record_message(deps.feedback, deps.tenant(), _thread_id(), feedback, _document(state), _version(state))
                 if deps.feedback is not None else "Feedback is not recorded by this designer.")
        return Command(update={"reply": reply, "stage": {"agent": "update_context", "content": reply}}, goto="respond")
    try:
        changes = _parse_context(state.get("input", ""))
        merged = DesignContext.model_validate({**(state.get("context") or {}), **changes})
    except InputError as exc:
        reply = f"Context not changed: {exc}."
        return Command(update={"reply": reply, "stage": {"agent": "update_context", "content": reply}}, goto="respond")
    except ValidationError as exc:
        first = exc.errors()[0]
        reply = (f"Context not changed: {'.'.join(map(str, first['loc']))}: {first['msg']}. Known keys: "
                 "business_domain, complexity (low|medium|high), integrations, owner.")
        return Command(update={"reply": reply, "stage": {"agent": "update_context", "content": reply}}, goto="respond")
    shown = ", ".join(f"{k}={v}" for k, v in merged.model_dump(exclude_defaults=True).items())
    reply = f"Context updated: {shown or 'cleared'}."
    return Command(update={"context": merged.model_dump(mode="json"), "reply": reply,
                           "stage": {"agent": "update_context", "content": reply}}, goto="respond")


def _final_reply(state: DesignerState, document: ProcessDocument) -> str:
    quality = document.quality
    spy = document.spy
    head = state.get("summary") or f"Process '{document.title}'."
    lines = [
        head,
        f"Quality score {quality.score:.2f} (completeness {quality.completeness:.2f}, clarity {quality.clarity:.2f}); "
        f"SPy tests {spy.tests_passed} passed, {spy.tests_failed} failed.",
    ]
    if state.get("fixed"):
        lines.append("Fixed in review: " + "; ".join(state["fixed"]))
    return "\n".join(lines) + "\n\n" + render_markdown(document)


def respond(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[Literal["__end__"]]:
    """Write the turn's answer and, when the document changed, record a new version."""
    deps = _deps(runtime)
    document = _document(state)
    update: dict[str, Any] = {}
    reply = state.get("reply", "")
    if not reply and document is not None and state.get("changed") and document.spy.check_errors:
        # A program that fails its checks is never delivered: the thread keeps its last version.
        reply = (f"The SPy program failed its checks ({document.spy.check_errors[0]}); no new version was saved. "
                 "Rephrase the change and try again.")
        versions = state.get("versions", [])
        update["document"] = versions[-1]["document"] if versions else None
    elif not reply and document is not None and state.get("changed"):
        reply = _final_reply(state, document)
        number = len(state.get("versions", [])) + 1
        update["versions"] = [{"number": number, "at": deps.now_iso(), "summary": state.get("summary", ""),
                               "document": document.model_dump(mode="json")}]
    elif not reply and document is not None:
        reply = _final_reply(state, document)
    reply = reply or "Tell me about the process you want to design."
    update["reply"] = reply
    update["messages"] = [{"role": "ASSISTANT", "content": reply, "agent": "respond", "at": deps.now_iso()}]
    update["stage"] = {"agent": "respond", "content": reply}
    return Command(update=update, goto=END)  # type: ignore[arg-type]
