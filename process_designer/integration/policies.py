"""When an integration runs and what it does with failures: schedule or trigger, rate limits, retries, queue, reviewer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from process_designer.domain.models import IntegrationTrigger, RateLimit, RecoveryPolicy
from process_designer.integration.lexicon import cues, matches
from process_designer.integration.spans import SystemMention, clauses, inside
from process_designer.language.pipeline import noun_lemma

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["frequency_text", "rate_limit_spans", "rate_limits", "recovery", "retries", "schedule", "trigger"]


def _clock_after(doc: Doc, index: int) -> tuple[str, int]:
    """" at 02:00" / " at 2 am" after token ``index``, and the index after it."""
    if index < len(doc) and doc[index].lower_ == "at":
        end = index + 1
        while end < len(doc) and end - index <= 2 and (doc[end].like_num or ":" in doc[end].text
                                                       or doc[end].lower_ in ("am", "pm")
                                                       or doc[end].lower_.rstrip("apm").isdigit()):
            end += 1
        if end > index + 1:
            return " at " + doc[index + 1:end].text, end
    return "", index


def schedule(span: Span) -> str:
    """"every 15 minutes", "nightly at 02:00", "every night at 02:00" in ``span`` (normalised), or ""."""
    doc = span.doc
    units = cues().unit_names
    periods = cues().periods
    for token in span:
        if token.lower_ in cues().schedule_words:
            clock, _ = _clock_after(doc, token.i + 1)
            return token.lower_ + clock
        if token.lower_ in cues().every and token.i + 1 < span.end:
            index, count = token.i + 1, ""
            if doc[index].like_num:
                count, index = doc[index].text + " ", index + 1
            if index < len(doc):
                word = doc[index].lower_
                unit = units.get(word, word)
                if noun_lemma(unit) in periods or unit in periods:
                    clock, _ = _clock_after(doc, index + 1)
                    return f"every {count}{unit}{clock}"
    return ""


def trigger(doc: Doc) -> IntegrationTrigger | None:
    """What starts a run: a webhook, else a schedule, else an event ("when an order is paid …")."""
    for chunk in doc.noun_chunks:
        if chunk.root.lower_ in cues().webhook:
            words = [t.text for t in chunk if t.pos_ != "DET"]
            return IntegrationTrigger(kind="webhook", text=" ".join(words))
    for clause in clauses(doc):
        when = schedule(clause)
        if when:
            return IntegrationTrigger(kind="schedule", text=when)
    for _, span in matches(doc, "event"):
        clause = next(c for c in clauses(doc) if inside(span, c))
        end = next((t.i for t in clause if t.i > span.start and t.text == ","), clause.end)
        return IntegrationTrigger(kind="event", text=doc[span.start:end].text)
    return None


def frequency_text(trigger: IntegrationTrigger | None, systems: list[str]) -> str:
    if trigger is None:
        return ""
    if trigger.kind == "schedule":
        return f"{trigger.text[:1].upper()}{trigger.text[1:]} (scheduled)"
    if trigger.kind == "webhook":
        return f"On each {trigger.text} from {systems[0]} (event-driven)" if systems else f"On each {trigger.text}"
    return f"{trigger.text[:1].upper()}{trigger.text[1:]} (event-driven)"


def _nearest_system(span: Span, mentions: list[SystemMention]) -> str:
    here = [m for m in mentions if m.span.sent == span.sent]
    if not here:
        return ""
    return min(here, key=lambda m: abs(m.span.start - span.start)).name


def rate_limit_spans(doc: Doc) -> list[Span]:
    """"500 requests per minute": a number, a kind of call, "per", a period."""
    spans: list[Span] = []
    nouns, per, periods = cues().limit_nouns, cues().per, cues().periods
    for token in doc:
        if not token.like_num:
            continue
        index = token.i + 1
        while index < len(doc) and index - token.i <= 2 and noun_lemma(doc[index].lower_) not in nouns:
            index += 1
        if index >= len(doc) - 2 or noun_lemma(doc[index].lower_) not in nouns or doc[index + 1].lower_ not in per:
            continue
        unit = cues().unit_names.get(doc[index + 2].lower_, doc[index + 2].lower_)
        if noun_lemma(unit) in periods or unit in periods:
            spans.append(doc[token.i:index + 3])
    return spans


def rate_limits(doc: Doc, mentions: list[SystemMention]) -> list[RateLimit]:
    limits: list[RateLimit] = []
    for span in rate_limit_spans(doc):
        unit = span[-1].lower_
        unit = cues().unit_names.get(unit, unit)
        text = f"{span[:-2].text} per {noun_lemma(unit)}"
        limits.append(RateLimit(system=_nearest_system(span, mentions), limit=text))
    return limits


def _role(span: Span) -> str:
    words = [t.text for t in span if t.pos_ not in ("DET", "PUNCT") and t.dep_ != "poss"]
    return " ".join(w if any(c.isupper() for c in w) else w.capitalize() for w in words)


def _reviewer(sentence: Span) -> str:
    """Who reviews the failed records: the subject of "review" (or its "by" agent) in ``sentence``."""
    for token in sentence:
        if token.lemma_.lower() not in cues().review_verbs or token.pos_ not in ("VERB", "AUX"):
            continue
        for child in token.children:
            if child.dep_ in ("nsubj",) and child.pos_ not in ("PRON",):
                return _role(child.doc[child.left_edge.i:child.i + 1])
            if child.dep_ == "agent":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return _role(pobj.doc[pobj.left_edge.i:pobj.i + 1])
    return ""


def retries(sentence: Span) -> int | None:
    words = cues().retry_words
    if not any(t.lemma_.lower() == "retry" or t.lower_.startswith("retr") for t in sentence):
        return None
    for token in sentence:
        if token.like_num and token.text.isdigit():
            after = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""
            before = token.nbor(-1).lower_ if token.i > 0 else ""
            if after in words or before.startswith("retr"):
                return int(token.text)
    return None


def recovery(doc: Doc) -> RecoveryPolicy | None:
    queues = matches(doc, "queue")
    backoff = matches(doc, "backoff")
    policy = RecoveryPolicy(
        queue=cues().queues.get(queues[0][1].text.lower(), queues[0][1].text.lower()) if queues else "",
        backoff="exponential backoff" if any("exponential" in s.text.lower() for _, s in backoff)
        else ("backoff" if backoff else ""),
    )
    for sentence in doc.sents:
        count = retries(sentence)
        if count is not None and policy.retries is None:
            policy.retries = count
        if any(inside(span, sentence) for _, span in queues) and not policy.reviewer:
            policy.reviewer = _reviewer(sentence)
            when = schedule(sentence)
            policy.review_frequency = when or next(
                (doc[t.i:t.i + 2].text.lower() for t in sentence if t.lower_ in cues().every and t.i + 1 < len(doc)),
                "")
    return policy if policy != RecoveryPolicy() else None
