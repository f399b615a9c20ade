"""The nodes of the designer graph: one per agent, plus routing, answers, context and the reply."""

from __future__ import annotations

import re
from typing import Any, Literal, TypeVar

from langgraph.config import get_config
from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from process_designer.agents.analyst.draft import FALLBACK_TEMPLATE, retrieval_queries, work_query
from process_designer.agents.engines import OfflineWriter
from process_designer.agents.reviewer import (
    ReviewSource,
    min_score_with,
    review_document,
    revisable_score,
    template_blockers,
    template_refusal,
    wants_override,
)
from process_designer.agents.writer.rederive import rederive
from process_designer.api_paths import API_PREFIX
from process_designer.domain.changes import document_changes, render_changes
from process_designer.domain.context import (
    KNOWN_KEYS,
    ContextError,
    parse_context,
    validate_context,
)
from process_designer.domain.markdown import render_markdown
from process_designer.domain.models import DesignContext, ProcessDocument, Requirement
from process_designer.domain.slugs import slug
from process_designer.errors import InputError, TemplateError
from process_designer.feedback import parse_feedback_message
from process_designer.feedback.learning import apply_preferences, learn_edit, record_message
from process_designer.graphs.context import DesignerDeps
from process_designer.graphs.router import classify_turn
from process_designer.graphs.state import DesignerState
from process_designer.graphs.versions import run_version_command
from process_designer.knowledge.embedding import get_embedder
from process_designer.knowledge.template_model import ProcessTemplate
from process_designer.maps.errors import MapError
from process_designer.principal import LOCAL
from process_designer.tools import gap_analysis

__all__ = [
    "answer_question",
    "compare_processes",
    "manage_versions",
    "process_writer",
    "quality_reviewer",
    "requirement_analyst",
    "respond",
    "route_turn",
    "save_as_template",
    "spy_coder",
    "update_context",
]

Next = TypeVar("Next", bound=str)


def _stage(agent: str, note: str, goto: Next, **update: Any) -> Command[Next]:
    """Move on to ``goto`` with ``update``, reporting what ``agent`` did as the stage ``note``."""
    return Command(update={**update, "stage": {"agent": agent, "content": note}}, goto=goto)


def _answer(agent: str, reply: str, *, note: str | None = None, **update: Any) -> Command[Any]:
    """Go to ``respond`` with ``reply`` for the user; the stage says ``note``, or the reply itself.

    Typed ``Command[Any]`` because ``Command`` is invariant: each node's own annotation lists its routes.
    """
    return _stage(agent, reply if note is None else note, "respond", reply=reply, **update)


def _document(state: DesignerState) -> ProcessDocument | None:
    raw = state.get("document")
    return ProcessDocument.model_validate(raw) if raw else None


def _context(state: DesignerState) -> DesignContext:
    return DesignContext.model_validate(state.get("context") or {})


def route_turn(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[
    Literal["requirement_analyst", "process_writer", "spy_coder", "quality_reviewer", "answer_question",
            "update_context", "compare_processes", "save_as_template", "manage_versions", "respond"]
]:
    """Classify the turn and send it to the agents it needs."""
    deps = runtime.context
    text, role = state.get("input", ""), state.get("role", "USER")
    intent = classify_turn(text, role, state.get("document") is not None)
    goto: Any = {"context": "update_context", "design": "requirement_analyst", "revise": "process_writer",
            "compare": "compare_processes", "save_template": "save_as_template",
            "code": "spy_coder", "review": "quality_reviewer", "question": "answer_question",
            "clarify": "requirement_analyst", "versions": "manage_versions"}[intent]
    entry = {"role": role, "content": text, "agent": "", "at": deps.now_iso()}
    return _stage("route_turn", f"Route: {intent}", goto, intent=intent, changed=False, changed_steps=None,
                  revisions=0, fixed=[], reply="", summary="", messages=[entry])


def requirement_analyst(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[
    Literal["process_writer", "respond"]
]:
    """Read the requirements (with retrieved templates) into a structured Requirement."""
    deps = runtime.context
    text = state.get("input", "")
    context = deps.with_preferences(_context(state))
    query = " ".join([text[:2000], context.business_domain or "", " ".join(context.integrations)])
    alternates = retrieval_queries(text)
    templates = deps.templates_for(query, alternates=alternates) if text.strip() else []
    if text.strip() and not templates:  # the generic template, and the nearest the analyst may draft from
        nearest = deps.nearest_template(query, alternates, skip=FALLBACK_TEMPLATE) or _nearest_kind(deps, text)
        templates = [t for t in (deps.template(FALLBACK_TEMPLATE), nearest) if t is not None]
    requirement = deps.engines.analyst.analyze(text, context, templates, state.get("title") or None)
    if requirement.questions:
        return _answer("requirement_analyst", requirement.questions[0], requirement=None)
    gateways = requirement.flow.gateways
    decisions = sum(g.kind == "exclusive" for g in gateways)
    parallel = sum(g.kind == "parallel" and requirement.flow.is_split(g.id) for g in gateways)
    loops = len(requirement.flow.back_edges())
    note = (f"Understood '{requirement.title}': {len(requirement.steps)} steps, {decisions} decision(s), "
            f"{parallel} parallel split(s), {loops} loop(s), systems: {', '.join(requirement.systems) or 'none'}"
            + (f"; templates: {', '.join(requirement.templates)}" if requirement.templates else ""))
    return _stage("requirement_analyst", note, "process_writer", requirement=requirement.model_dump(mode="json"))


def _nearest_kind(deps: DesignerDeps, text: str) -> ProcessTemplate | None:
    """With no template near the whole request, the closest to the kind of work it names, at any score:
    its head verb and thing ("organising the annual chess tournament" → "organise tournament": an event
    organised), else the closest to the request itself."""
    kind = work_query(text)
    found = deps.nearest_template(kind, skip=FALLBACK_TEMPLATE, floor=0.0) if kind else None
    return found or deps.nearest_template(text, skip=FALLBACK_TEMPLATE, floor=0.0)


def process_writer(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[
    Literal["spy_coder", "respond"]
]:
    """Compose a new document, apply a requested edit, or fix the reviewer's findings."""
    deps = runtime.context
    document = _document(state)
    if state.get("revisions", 0) and document is not None:
        findings = deps.engines.reviewer.findings_for(document.quality, document, "writer")
        revised, fixed = deps.engines.writer.revise(document, findings)
        note = "Revised: " + "; ".join(fixed) if fixed else "Nothing left for the writer to fix"
        return _stage("process_writer", note, "spy_coder", document=revised.model_dump(mode="json"),
                      fixed=[*state.get("fixed", []), *fixed], changed_steps=None)
    if state.get("intent") == "revise" and document is not None:
        try:
            result = deps.engines.writer.edit(document, state.get("input", ""))
        except InputError as exc:
            said = str(exc)[:1].upper() + str(exc)[1:]
            return _answer("process_writer", said if said.endswith(("?", ".")) else said + ".", note=str(exc))
        if deps.feedback is not None:  # what the user changed by hand becomes the tenant's default
            learn_edit(deps.feedback, deps.tenant(), _thread_id(), _version(state), document, result.document)
        return _stage("process_writer", result.summary, "spy_coder", document=result.document.model_dump(mode="json"),
                      summary=result.summary, changed=True, changed_steps=sorted(result.changed_steps))
    requirement = Requirement.model_validate(state["requirement"])
    templates = [template for template_id in requirement.templates
                 if (template := deps.template(template_id)) is not None]
    composed = deps.engines.writer.compose(requirement, templates, deps.clock().date())
    if (profile := deps.feedback_profile()) is not None:
        # the tenant's roles and durations, with the prose built on the steps re-derived to match
        composed = rederive(composed, apply_preferences(composed, requirement, profile))
    summary = f"Drafted '{composed.title}' with {len(composed.steps)} steps."
    return _stage("process_writer", summary + "\n\n" + render_markdown(composed), "spy_coder",
                  document=composed.model_dump(mode="json"), summary=summary, changed=True, changed_steps=None)


def spy_coder(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[Literal["quality_reviewer", "respond"]]:
    """Compile the steps to SPy, write the tests, and run both."""
    deps = runtime.context
    document = _document(state)
    if document is None:
        return _answer("spy_coder", "There is no process yet; describe one first.", note="No document to compile")
    changed = state.get("changed_steps")
    compiled = deps.engines.coder.compile(document, set(changed) if changed is not None else None)
    spy = compiled.spy
    errors = sum(1 for d in spy.diagnostics if re.search(r": E\d{3} ", d))
    note = (f"SPy for {len(compiled.steps)} steps: {errors} check error(s); tests {spy.tests_passed} passed, "
            f"{spy.tests_failed} failed")
    return _stage("spy_coder", note, "quality_reviewer", document=compiled.model_dump(mode="json"), changed=True)


def quality_reviewer(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[
    Literal["process_writer", "spy_coder", "respond"]
]:
    """Score the work; send it back with findings while under the threshold and within budget."""
    deps = runtime.context
    settings = deps.settings
    document = _document(state)
    if document is None:
        return _answer("quality_reviewer", "There is no process to review yet; describe one first.",
                       note="Nothing to review")
    revisions = state.get("revisions", 0)
    profile = deps.feedback_profile()
    report = deps.engines.reviewer.review(document, revisions,
                                          profile.dismissed_findings() if profile is not None else (),
                                          _review_source(state))
    report = report.model_copy(update={"fixed": list(state.get("fixed", []))})
    reviewed = document.model_copy(update={"quality": report})
    update: dict[str, Any] = {"document": reviewed.model_dump(mode="json")}
    note = f"Quality {report.score:.2f} (completeness {report.completeness:.2f}, clarity {report.clarity:.2f})"
    goto: Literal["process_writer", "spy_coder", "respond"] = "respond"
    if revisable_score(report) < settings.quality_threshold and revisions < settings.revision_budget:
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
    return _stage("quality_reviewer", note, goto, **update)


def _review_source(state: DesignerState) -> ReviewSource | None:
    """What the document was made from: the requirements read on the design turn, and what the user said since.

    After an edit or a version command the design is the user's, so the reviewer no longer asks for every
    action of the first requirements.
    """
    raw = state.get("requirement")
    said = [m["content"] for m in state.get("messages", []) if m["role"] == "USER"]
    edited = state.get("intent") in ("revise", "versions") or len(state.get("versions", [])) > 1
    return ReviewSource.of(Requirement.model_validate(raw) if raw else None, said, edited=edited)


def answer_question(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[Literal["respond"]]:
    """Answer from the current document."""
    deps = runtime.context
    document = _document(state)
    answer = deps.engines.writer.answer(document, state.get("input", "")) if document else (
        "There is no process yet. Describe the process you need and I will design it.")
    return _answer("answer_question", answer)


def manage_versions(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[Literal["respond"]]:
    """List the versions, show a diff, or make an earlier version current again (undo, revert)."""
    outcome = run_version_command(state.get("input", ""), state.get("versions", []))
    if outcome.document is None:
        return _answer("manage_versions", outcome.reply)
    return _stage("manage_versions", outcome.summary, "respond", document=outcome.document.model_dump(mode="json"),
                  summary=outcome.summary, changed=True, changed_steps=None)


def compare_processes(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[Literal["respond"]]:
    """Gap analysis: the current process the user pastes against the document designed here."""
    deps = runtime.context
    desired = _document(state)
    text = state.get("input", "")
    if desired is None:
        reply = ("There is no designed process to compare with yet. Describe the process you want first, then send "
                 "'compare with our current process:' followed by the current one.")
        return _answer("compare_processes", reply)
    current_text = text.split(":", 1)[1].strip() if ":" in text else text
    from process_designer.maps.documents import parse_document  # only a comparison reads maps

    try:
        current = parse_document(current_text, "current process")
    except MapError:
        # prose rather than a list, markdown or BPMN: read it as requirements
        requirement = deps.engines.analyst.analyze(current_text, _context(state), [], None)
        if not requirement.steps:
            reply = ("I could not read the current process. Paste it as a numbered list, markdown in the process "
                     "structure, or BPMN, after 'compare with our current process:'.")
            return _answer("compare_processes", reply)
        current = deps.engines.writer.compose(requirement, [], deps.clock().date())
    reply = gap_analysis(current, desired, get_embedder())
    return _answer("compare_processes", reply)


_YES = re.compile(r"^\s*(?:y|yes|yep|ok|okay|approve|approved|save|save it|go ahead|confirm|do it)\b", re.IGNORECASE)


def save_as_template(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[Literal["respond"]]:
    """Save the current document as a user template, after a person approves it (an interrupt).

    A design with fragment step names or performers the user did not state (assumed, or taken from a
    template) is refused, naming each finding, unless the message insists ("save it as a template anyway").
    """
    deps = runtime.context
    document = _document(state)
    if document is None:
        reply = "There is no process to save yet; design one first."
        return _answer("save_as_template", reply)
    blockers = template_blockers(review_document(document), document)
    if blockers and not wants_override(state.get("input", "")):
        return _answer("save_as_template", template_refusal(document.title, blockers))
    template_id = slug(document.title)
    question = (f"Save '{document.title}' (quality {document.quality.score:.2f}) as the template '{template_id}'? "
                "Answer yes to save it, anything else to cancel.")
    answer = interrupt({"question": question, "template_id": template_id, "title": document.title,
                        "score": document.quality.score})
    approved = bool(answer.get("approved")) if isinstance(answer, dict) else bool(_YES.match(str(answer)))
    if not approved:
        reply = f"Not saved: '{document.title}' stays in this conversation only."
        return _answer("save_as_template", reply)
    library = deps.templates()
    if library is None:
        reply = "The template library is not available, so nothing was saved."
        return _answer("save_as_template", reply)
    template = ProcessTemplate(
        id=template_id, title=document.title, category=document.context.business_domain or "general",
        business_domain=document.context.business_domain or "general", complexity=document.context.complexity or "medium",
        integrations=document.integrations, roles=sorted({s.responsible for s in document.steps}),
        description=document.overview.purpose, document=document,
    )
    try:
        saved = library.add(template, review=lambda d: deps.engines.reviewer.review(deps.engines.coder.compile(d, None), 0),
                            min_score=min_score_with(blockers, len(document.steps)))
    except (InputError, TemplateError) as exc:
        reply = f"Not saved: {exc}"
    else:
        reply = f"Saved as the template '{saved.id}'; {_where_to_read(saved.id, deps.tenant())}."
    return _answer("save_as_template", reply)


def _where_to_read(template_id: str, tenant: str) -> str:
    """Where the saver reads a template they saved: the command line for the local user, else the REST API
    (the command line on the server acts for the local tenant unless told another)."""
    if tenant == LOCAL.tenant:
        return f"`process-designer templates show {template_id}` prints it"
    return (f"it is your tenant's only: your designs and template searches use it, and "
            f"`GET {API_PREFIX}/templates/{template_id}` returns it")


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
        return _answer("update_context", reply)
    if feedback is not None:
        deps = runtime.context
        reply = (record_message(deps.feedback, deps.tenant(), _thread_id(), feedback, _document(state), _version(state))
                 if deps.feedback is not None else "Feedback is not recorded by this designer.")
        return _answer("update_context", reply)
    try:
        merged = validate_context({**(state.get("context") or {}), **parse_context(state.get("input", ""))})
    except ContextError as exc:
        return _answer("update_context", f"Context not changed: {exc.key}: {exc.problem}. Known keys: {KNOWN_KEYS}.")
    except InputError as exc:
        return _answer("update_context", f"Context not changed: {exc}.")
    shown = ", ".join(f"{k}={v}" for k, v in merged.model_dump(exclude_defaults=True).items())
    reply = f"Context updated: {shown or 'cleared'}."
    return _answer("update_context", reply, context=merged.model_dump(mode="json"))


def _final_reply(state: DesignerState, document: ProcessDocument, number: int | None = None) -> str:
    quality = document.quality
    spy = document.spy
    head = state.get("summary") or f"Process '{document.title}'."
    versions = state.get("versions", [])
    if number is not None and versions and state.get("intent") in ("revise", "versions"):
        # an edit answers with what changed and the version it made
        before = ProcessDocument.model_validate(versions[-1]["document"])
        head += f" Version {number}.\n" + render_changes(document_changes(before, document))
    elif number is not None:
        head += f" Version {number}."
    lines = [
        head,
        f"Quality score {quality.score:.2f} (completeness {quality.completeness:.2f}, clarity {quality.clarity:.2f}); "
        f"SPy tests {spy.tests_passed} passed, {spy.tests_failed} failed.",
    ]
    if state.get("fixed"):
        lines.append("Fixed in review: " + "; ".join(state["fixed"]))
    if state.get("intent") == "design" and document.open_questions:
        asked = document.open_questions[:3]
        lines.append("Before you rely on it, tell me:" + "".join(f"\n- {q}" for q in asked))
    return "\n".join(lines) + "\n\n" + render_markdown(document)


def respond(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Command[Literal["__end__"]]:
    """Write the turn's answer and, when the document changed, record a new version."""
    deps = runtime.context
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
        number = len(state.get("versions", [])) + 1
        reply = _final_reply(state, document, number)
        update["versions"] = [{"number": number, "at": deps.now_iso(), "summary": state.get("summary", ""),
                               "document": document.model_dump(mode="json")}]
    elif not reply and document is not None:
        reply = _final_reply(state, document)
    reply = reply or "Tell me about the process you want to design."
    update["messages"] = [{"role": "ASSISTANT", "content": reply, "agent": "respond", "at": deps.now_iso()}]
    return _stage("respond", reply, END, reply=reply, **update)  # type: ignore[arg-type]
