"""Read an integration from the user's words: systems, direction, trigger, mapping, auth, limits, recovery.

The text is parsed once with the shared English pipeline; system names, authentication methods
and cue words come from ``data/*.toml`` through phrase matchers; the parse says which noun is the
object that flows. When it runs and what happens to failures is read in ``policies``.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from process_designer.domain.models import DataFlow, DataMapping, IntegrationSpec, SystemAuth
from process_designer.integration.lexicon import auth_methods, cues, matches
from process_designer.integration.mapping import mapping_rows
from process_designer.integration.policies import frequency_text, rate_limits, recovery, trigger
from process_designer.integration.spans import SystemMention, clauses, inside, system_mentions
from process_designer.language.pipeline import english, noun_lemma

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["read_integration"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _word_before(mention: Span) -> str:
    """The word before ``mention`` (articles skipped), lower case, an arrow kept whole."""
    index = mention.start - 1
    doc = mention.doc
    while index >= 0 and doc[index].lower_ in ("the", "our", "a", "an", "its", "their"):
        index -= 1
    if index >= 1 and doc[index].text == ">" and doc[index - 1].text in ("-", "="):
        return doc[index - 1].text + ">"
    return doc[index].lower_ if index >= 0 else ""


# ------------------------------------------------------------------ flows and direction

_OBJECT_POS = ("NOUN", "PROPN", "ADJ")


def _runs(clause: Span, skip: set[int]) -> list[list[Token]]:
    """Runs of nouns and their modifiers in ``clause`` (system names, stop words and numbers break a run)."""
    stop = cues().object_stop
    runs: list[list[Token]] = [[]]
    for token in clause:
        inside = token.i not in skip and token.lower_ not in stop and noun_lemma(token.lower_) not in stop \
            and any(c.isalpha() for c in token.text) and (
            token.pos_ in _OBJECT_POS or token.dep_ in ("amod", "compound")) and token.pos_ not in ("NUM", "PUNCT")
        if inside and token.lemma_.lower() not in cues().flow_verbs:
            runs[-1].append(token)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run and run[-1].pos_ in ("NOUN", "PROPN")]


def _object_text(tokens: list[Token]) -> str:
    words = [t for t in tokens if t.lower_ != "'s"]
    return " ".join(t.text if t.text.isupper() and len(t.text) > 1 else t.lower_ for t in words or tokens)


def _clause_flow(clause: Span, mentions: list[SystemMention], others: list[str]) -> DataFlow | None:
    here = [m for m in mentions if inside(m.span, clause)]
    verb = next((t for t in clause if t.lemma_.lower() in cues().flow_verbs or t.lower_ in cues().flow_verbs), None)
    links = [_word_before(m.span) for m in here]
    toward = [m for m, w in zip(here, links, strict=True) if w in cues().toward]
    source = [m for m, w in zip(here, links, strict=True) if w in cues().source]
    free = [m for m in here if m not in toward and m not in source]
    if verb is None and not (toward and (source or free)):
        return None
    src = source[0].name if source else free[0].name if free and toward else None
    dst = toward[0].name if toward else None
    if dst is None and src is not None:
        dst = next((m.name for m in free if m.name != src), None)
    if src is None and dst is None and len(free) >= 2:
        src, dst = free[0].name, free[1].name
    rest = [name for name in others if name not in (src, dst)]
    src = src or (rest[0] if rest else None)
    dst = dst or (rest[0] if rest else None)
    if src is None or dst is None or src == dst:
        return None
    skip = {t.i for m in here for t in m.span}
    after_target = {m.span.end for m in here if m.name == dst}
    runs = _runs(clause, skip)
    target = next((run for run in runs if run[0].i in after_target or clause.doc[run[0].i - 1].lower_ == "as"
                   or (run[0].i > 0 and clause.doc[run[0].i - 1].lower_ in ("a", "an")
                       and clause.doc[run[0].i - 2].lower_ == "as")), None)
    if verb is None:  # "Shopify to QuickBooks order integration": what follows names what flows
        target = None
    objects = [run for run in runs if run is not target]
    text = _object_text(objects[0]) if objects else _earlier_object(clause) or "records"
    return DataFlow(objects=text, source=src, target=dst, target_objects=_object_text(target) if target else "")


def _earlier_object(clause: Span) -> str:
    """The thing a pronoun ("pushes it to QuickBooks") stands for: the last object named before it in the sentence."""
    if clause.start <= clause.sent.start:
        return ""
    before = clause.doc[clause.sent.start:clause.start]
    mentions = {t.i for _, span in matches(clause.doc, "system") for t in span}
    runs = _runs(before, mentions)
    return _object_text(runs[-1]) if runs else ""


def _flows(doc: Doc, mentions: list[SystemMention]) -> list[DataFlow]:
    names = list(dict.fromkeys(m.name for m in mentions))
    flows: list[DataFlow] = []
    seen: set[tuple[str, str, str]] = set()
    auth = [span for _, span in matches(doc, "auth")]
    for clause in clauses(doc):
        if any(inside(span, clause) for span in auth):
            continue  # "authenticate to NetSuite with …" names a system but moves nothing
        for flow in _segment_flows(clause, mentions, names):
            key = (flow.source, flow.target, noun_lemma(flow.objects.split()[-1]))
            if key not in seen:
                seen.add(key)
                flows.append(flow)
    return flows


def _segment_flows(clause: Span, mentions: list[SystemMention], names: list[str]) -> list[DataFlow]:
    """The flows of ``clause``'s comma-separated parts ("opps -> NetSuite orders, status comes back from …"),
    or of the whole clause when no part holds one."""
    cuts = [clause.start, *(t.i for t in clause if t.text == ","), clause.end]
    parts = [clause.doc[a + (a != clause.start):b] for a, b in itertools.pairwise(cuts)]
    found = [f for part in parts if len(part) and (f := _clause_flow(part, mentions, names)) is not None]
    if found:
        return found
    whole = _clause_flow(clause, mentions, names)
    return [whole] if whole is not None else []


def _direction(doc: Doc, flows: list[DataFlow]) -> str:
    if matches(doc, "two_way"):
        return "two-way"
    pairs = {(f.source, f.target) for f in flows}
    if any((b, a) in pairs for a, b in pairs):
        return "two-way"
    return "one-way"


def _data_flow_text(direction: str, flows: list[DataFlow]) -> str:
    parts = []
    for index, flow in enumerate(flows):
        back = " back" if index and (flow.target, flow.source) in {(f.source, f.target) for f in flows[:index]} else ""
        arrives = f" (as {flow.target_objects})" if flow.target_objects else ""
        parts.append(f"{flow.objects} from {flow.source}{back} to {flow.target}{arrives}")
    return f"{direction.capitalize()}: " + "; ".join(parts) if parts else direction.capitalize()


# ------------------------------------------------------------------ authentication

def _auth(doc: Doc, mentions: list[SystemMention]) -> list[SystemAuth]:
    """Each system's stated method: within a sentence, mentions pair up in the order the sentence uses."""
    labels = {m.id: m.label for m in auth_methods()}
    stated: dict[str, str] = {}
    everyone: list[str] = []
    for sentence in clauses(doc):
        methods = [(key, span) for key, span in matches(doc, "auth") if inside(span, sentence)]
        if not methods:
            continue
        merged = [item for i, item in enumerate(methods) if not i or methods[i - 1][0] != item[0]]
        here = [m for m in mentions if inside(m.span, sentence)]
        if not here:
            everyone.extend(key for key, _ in merged)
            continue
        events = sorted([(s.start, "auth", key) for key, s in merged] + [(m.span.start, "system", m.name) for m in here])
        first = events[0][1]
        pending: str | None = None
        for _, kind, value in events:
            if kind == first:
                pending = value
            elif pending is not None:
                system, method = (pending, value) if first == "system" else (value, pending)
                stated.setdefault(system, method)
                pending = None
    for method in everyone[:1]:
        for mention in mentions:
            stated.setdefault(mention.name, method)
    order = list(dict.fromkeys(m.name for m in mentions))
    return [SystemAuth(system=s, method=stated[s], label=labels[stated[s]]) for s in order if s in stated]


# ------------------------------------------------------------------ the whole spec

def _mapping(text: str) -> list[DataMapping]:
    """Rows of every mapping sentence; sentences end at ". " and line breaks (field names hold dots)."""
    rows: list[DataMapping] = []
    for line in text.splitlines():
        for sentence in _SENTENCE_END.split(line):
            rows.extend(r for r in mapping_rows(sentence) if (r.source, r.target) not in {(x.source, x.target) for x in rows})
    return rows


def read_integration(text: str) -> IntegrationSpec | None:
    """The integration ``text`` describes, or ``None`` when it describes none.

    An integration names two systems or more and says what flows between them, how fields map,
    or that it syncs or integrates them.
    """
    doc = english()(text)
    mentions = system_mentions(doc)
    systems = list(dict.fromkeys(m.name for m in mentions))
    if len(systems) < 2:
        return None
    flows = _flows(doc, mentions)
    mapping = _mapping(text)
    integrates = any(t.lemma_.lower() in ("integrate", "integration", "sync", "synchronise", "synchronize")
                     for t in doc)
    if not (flows or mapping or integrates):
        return None
    direction = _direction(doc, flows)
    when = trigger(doc)
    return IntegrationSpec(
        systems=systems,
        data_flow=_data_flow_text(direction, flows),
        frequency=frequency_text(when, systems),
        data_mapping=mapping,
        direction="two-way" if direction == "two-way" else "one-way",
        flows=flows,
        trigger=when,
        auth=_auth(doc, mentions),
        rate_limits=rate_limits(doc, mentions),
        recovery=recovery(doc),
    )
