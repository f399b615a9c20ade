"""Turning documents into feedback (what a rating or an edit says) and feedback into defaults for new documents."""

from __future__ import annotations

from process_designer.domain.models import ProcessDocument, Requirement
from process_designer.feedback.messages import FeedbackMessage
from process_designer.feedback.profile import FeedbackProfile
from process_designer.feedback.store import FeedbackStore

__all__ = ["apply_preferences", "learn_edit", "rate_document", "record_message"]


def rate_document(store: FeedbackStore, tenant: str, thread_id: str, version: int | None,
                  document: ProcessDocument, rating: str, comment: str = "") -> None:
    """Record a rating of ``document``: its templates count as accepted (up) or rejected (down)."""
    store.record_rating(tenant, thread_id, version, rating, comment, document.templates_used)


def learn_edit(store: FeedbackStore, tenant: str, thread_id: str, version: int | None,
               before: ProcessDocument, after: ProcessDocument) -> None:
    """Record the owner, role names and durations a user changed by hand between ``before`` and ``after``."""
    owner = after.overview.owner if after.overview.owner != before.overview.owner else None
    roles: dict[str, str] = {}
    durations: dict[str, str] = {}
    old_steps = {step.number: step for step in before.steps}
    for step in after.steps:
        old = old_steps.get(step.number)
        if old is None or old.name != step.name:
            continue
        if old.responsible != step.responsible:
            roles[old.responsible] = step.responsible
        if old.duration != step.duration:
            durations[step.name] = step.duration
    store.record_edit(tenant, thread_id, version, owner=owner, roles=roles, durations=durations)


def apply_preferences(document: ProcessDocument, requirement: Requirement,
                      profile: FeedbackProfile) -> ProcessDocument:
    """``document`` with the tenant's role names and step durations where the user named none this time."""
    if not (profile.roles or profile.durations):
        return document
    named = {number for number, step in enumerate(requirement.steps, start=1)
             if step.actor and step.performer_source == "stated"}  # a role the text gave, not one assumed
    steps = []
    for step in document.steps:
        update: dict[str, str] = {}
        if step.number not in named and step.responsible in profile.roles:
            update["responsible"] = profile.roles[step.responsible]
        if step.name.lower() in profile.durations:
            update["duration"] = profile.durations[step.name.lower()]
        steps.append(step.model_copy(update=update) if update else step)
    return document.model_copy(update={"steps": steps})


def record_message(store: FeedbackStore, tenant: str, thread_id: str, message: FeedbackMessage,
                   document: ProcessDocument | None, version: int | None) -> str:
    """Record a chat feedback message on the thread's current document; the reply for the user."""
    if message.action == "dismiss":
        store.record_dismissal(tenant, thread_id, message.text)
        return f"Noted: the finding '{message.text}' will weigh less in your reviews once dismissed twice."
    if document is None:
        return "There is no process to rate yet; design one first."
    rate_document(store, tenant, thread_id, version, document, message.action, message.text)
    used = ", ".join(document.templates_used) or "no template"
    verb = "accepted" if message.action == "up" else "rejected"
    return f"Thanks: version {version} rated {message.action}; templates {verb}: {used}."
