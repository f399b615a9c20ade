"""Checks of a design against the requirements it was made from: is every step said, is everything said a step.

The offline reviewer reads the user's text once (spaCy's parse, cached by text) and compares the
step names with it. Each check gives typed :class:`~process_designer.domain.models.Finding` objects:

- ``ungrounded_step`` — the step's verb is nowhere in the requirements (nor a noun naming its doing,
  "approval" for "Approve"), and no template drafted the step (the generic template, which stands in
  when no template fits, knows nothing of the process: its steps must be grounded like any other);
- ``unsaid_action`` — the requirements use the step's verb, but every time on something else: "the
  analyst purges the email" designed as "Purge report";
- ``uncovered_action`` — an action the requirements state ("the agent checks whether a claim is
  open") that no step carries, read only while the design is as first read (after the user's own
  edits, what they removed is theirs to remove);
- ``drafted_step`` — a step the requirements do not state, drafted from a template: to confirm;
- ``foreign_template`` — most steps are drafted from a template, and none of them does the work the text
  names ("replacing broken laptops" drafted from a template that orders new ones): the template may be
  another process (read only while the design is as first read);
- ``thin_process`` — fewer than :data:`MIN_STEPS` steps: nothing says how the case starts or ends.

How much each finding lowers the score is in ``model_checks.DEDUCTIONS``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from process_designer.agents.analyst.draft import FALLBACK_TEMPLATE
from process_designer.domain.models import Finding, ProcessDocument, Requirement, Step
from process_designer.language import wordforms
from process_designer.language.forms import verb_of_noun
from process_designer.language.lexicon import expand_abbreviations, lexicon
from process_designer.language.pipeline import english
from process_designer.wording import NameParts, name_parts

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["GROUNDING_CODES", "MIN_STEPS", "ReviewSource", "grounding_findings", "review_words"]

GROUNDING_CODES = ("ungrounded_step", "unsaid_action", "uncovered_action", "drafted_step", "foreign_template",
                   "thin_process")

MIN_STEPS = 4  # a process with fewer steps rarely says how the case arrives and how it is closed
DRAFTED_SHARE = 0.5  # a design with at least this share of template-drafted steps is read as the template's
_PREDICATES = frozenset({"ROOT", "conj", "advcl", "xcomp"})  # not the verbs of relative or reported clauses
_OBJECTS = frozenset({"dobj", "pobj", "nsubjpass", "attr", "oprd", "dative"})
_PRONOUNS = frozenset({"PRP", "WDT", "WP", "DT", "EX"})
_QUOTE_WORDS = 12  # words of the requirements a finding quotes


@lru_cache(maxsize=1)
def review_words() -> dict[str, Any]:
    """The reviewer's word lists (``review_words.toml``)."""
    return tomllib.loads(resources.files(__package__).joinpath("review_words.toml").read_text(encoding="utf-8"))


def _no_work() -> frozenset[str]:
    """Verbs that describe, help or lend their place, never the work of a step."""
    return lexicon().not_actions | lexicon().weak_verbs | lexicon().support_verbs


def _same_work() -> dict[str, list[str]]:
    same: dict[str, list[str]] = review_words()["same_work"]
    return same


@dataclass(frozen=True)
class ReviewSource:
    """What a design was made from: the requirements, what the user said after, and the drafted steps."""

    text: str
    later: tuple[str, ...] = ()  # the user's later messages (edits): their words ground steps too
    drafted: frozenset[str] = frozenset()  # names of steps a template drafted, not stated in the text
    edited: bool = False  # the user changed the design after it was first read
    generic: bool = False  # the drafted steps come from the generic template, which knows nothing of the process

    @classmethod
    def of(cls, requirement: Requirement | None, later: Sequence[str] = (), *,
           edited: bool = False) -> ReviewSource | None:
        """The source of a design read into ``requirement``; ``None`` without one (nothing to compare with)."""
        if requirement is None or not requirement.text.strip():
            return None
        drafted = frozenset(s.name for s in requirement.steps if s.source != "user")
        read = " ".join(requirement.text.split())
        said = tuple(m for m in later if m.strip() and " ".join(m.split()) != read)
        return cls(requirement.text, said, drafted, edited,
                   generic=FALLBACK_TEMPLATE in requirement.templates)


@dataclass(frozen=True)
class _Reading:
    doc: Doc
    words: frozenset[str]  # lemmas and lower-case forms of every word, and the verbs behind its nouns
    actions: tuple[Token, ...]  # verbs that state something done


@lru_cache(maxsize=16)
def _read(text: str) -> _Reading:
    doc = english()(expand_abbreviations(text))
    words = {t.lemma_.lower() for t in doc if t.is_alpha} | {t.lower_ for t in doc if t.is_alpha}
    words |= _doings(frozenset(words))
    skip = _no_work()
    request = _request(doc)  # a token index
    predicates = [t for t in doc if t.pos_ == "VERB" and t.dep_ in _PREDICATES]
    # a noun taken for a verb ("Cardholder disputes a fee"): the verb is the word it took for its object
    predicates = [taken or t for t in predicates for taken in [_subject_taken(t)]]
    actions = tuple(t for t in predicates if t.lemma_.lower() not in skip
                    and t.is_alpha and len(t) > 2 and not _subordinate(t) and t.i != request
                    and not (t.tag_ == "VBG" and t.dep_ == "ROOT"))  # a heading: "Civil claim filing"
    return _Reading(doc, frozenset(words), actions)


def _subject_taken(verb: Token) -> Token | None:
    """The real verb when ``verb`` is a noun the tagger took for one, and its verb for its object: "Cardholder
    disputes a fee" (a word the dictionary knows as no verb, whose object is a verb's third person)."""
    if "VERB" in wordforms.all_lemmas(verb.lower_):
        return None
    return next((c for c in verb.children if c.dep_ == "dobj" and c.lower_.endswith("s")
                 and any(lemma != c.lower_ for lemma in wordforms.all_lemmas(c.lower_).get("VERB", ()))), None)


def _imperative(sentence: Span) -> bool:
    root = sentence.root
    return root.tag_ == "VB" and not any(c.dep_.startswith("nsubj") for c in root.children)


def _request(doc: Doc) -> int | None:
    """The verb of an opening imperative that asks for the whole process ("Deploy our customer service chatbot.")
    when the sentences after it say who does the work, not more instructions."""
    sentences = list(doc.sents)
    if len(sentences) < 2 or not _imperative(sentences[0]) or any(_imperative(s) for s in sentences[1:]):
        return None
    root = sentences[0].root
    return None if any(c.dep_ == "advcl" for c in root.children) else root.i  # "if X: contain it" is an instruction


def _doings(words: frozenset[str]) -> set[str]:
    """The verbs ``words`` name the doing of: a verb form the tagger took for a noun ("verifies"), a noun of
    doing ("approval" → approve, "manager's OK" → approve), a conversion ("turned into an order" → create)."""
    lex = lexicon()
    doings = {lemma for word in words for lemma in wordforms.all_lemmas(word).get("VERB", ())}
    doings |= {v for word in words if (v := verb_of_noun(word))}
    doings |= {lex.approval_nouns[word].split()[0] for word in words if word in lex.approval_nouns}
    if words & lex.conversion:
        doings.add("create")
    doings |= {same for word in words | doings for same in _same_work().get(word, ())}  # "arrives" → receive
    return doings


def _subordinate(verb: Token) -> bool:
    """A clause opened by "if", "when", "where", "once" or "because" is a condition or a trigger, not an action;
    one under "can" or "may" is a permission or a rule ("customers can return unworn items within 30 days"). A verb
    coordinated with such a clause shares its opener ("whether to renew, renegotiate or let it lapse"), and one
    the parse coordinates with a noun ("room count and meeting space") is no verb."""
    if verb.dep_ == "conj" and ((verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN")) or _subordinate(verb.head)):
        return True
    if verb.tag_ == "VBN" and not any(c.dep_.startswith("nsubj") for c in verb.children) and any(
            c.dep_ == "advmod" and c.lower_ == "once" and c.i < verb.i for c in verb.children):
        return True  # "Once rectified, ..." (not "once a week I check")
    return any(c.dep_ == "mark" or (c.dep_ == "advmod" and c.tag_ == "WRB")
               or (c.dep_ == "aux" and c.lower_ in lexicon().optional_modals) for c in verb.children)


def _label(step: Step) -> str:
    return f"Step {step.number} ({step.name})"


def _quote(verb: Token) -> str:
    """The clause of ``verb`` as the text says it, at most :data:`_QUOTE_WORDS` words from its subject on."""
    own = [t for t in verb.subtree if t.i <= verb.i or not (t.dep_ in _PREDICATES and t.pos_ == "VERB")]
    start = next((t.i for t in own if t.i >= verb.i - 8), verb.i)
    words = [t.text for t in own if start <= t.i < start + _QUOTE_WORDS and not t.is_space]
    return " ".join(words).replace(" ,", ",").strip(" ,;:.")


def _objects(verb: Token) -> list[Token]:
    """What ``verb`` acts on in the text: its objects, its passive subject, the objects of its prepositions."""
    found = [c for c in verb.children if c.dep_ in _OBJECTS and not (c.dep_ == "pobj" and _measure(c))]
    found += [g for c in verb.children if c.dep_ in ("prep", "prt") and c.lower_ not in _settings()
              for g in c.children if g.dep_ == "pobj" and not _measure(g)]
    if verb.dep_ == "conj" and not any(c.dep_.startswith("nsubj") for c in verb.children):
        # "checks and approves the request", "is declared a loss and sold": the object is shared
        found += [c for c in verb.head.children if c.dep_ == "nsubjpass" or (not found and c.dep_ in _OBJECTS)]
    return found


def _settings() -> frozenset[str]:
    """Prepositions whose object says where, when or with what the work is done ("cancels in Guidewire")."""
    return frozenset(review_words()["setting_prepositions"]["words"])


def _measure(noun: Token) -> bool:
    """Whether a preposition's object is an amount, a deadline or a threshold ("decides above 50k", "refunds within
    14 days"), which says when or how much, not what is acted on."""
    return any(ch.isdigit() for ch in noun.text) or noun.like_num or any(c.dep_ == "nummod" for c in noun.children)


def _acts_on(verb: Token, nouns: Sequence[str]) -> bool | None:
    """Whether ``verb`` in the text acts on one of ``nouns``; ``None`` when the text does not say on what."""
    objects = _objects(verb)
    if not objects or any(o.tag_ in _PRONOUNS or o.lower_ in lexicon().indefinite for o in objects):
        return None
    subtree = {t.lemma_.lower() for o in objects for t in o.subtree} | {t.lower_ for o in objects for t in o.subtree}
    return any(noun in subtree for noun in nouns)


def _said_later(source: ReviewSource, words: Sequence[str]) -> bool:
    """Whether the user's later messages use any of ``words`` (read only when the requirements do not)."""
    return bool(source.later) and bool(_read("\n".join(source.later)).words & set(words))


def _step_findings(step: Step, parts: NameParts, reading: _Reading, source: ReviewSource) -> list[Finding]:
    verb = parts.verb
    if not verb or (step.name in source.drafted and not source.generic):
        return []
    if verb not in reading.words and not _said_later(source, [verb]):
        return [Finding(code="ungrounded_step", step=step.number, node=f"step_{step.number}",
                        text=f"{_label(step)}: the requirements never say '{verb}'; say where this step comes from "
                             "or remove it")]
    uses = [t for t in reading.doc if t.pos_ == "VERB" and t.lemma_.lower() == verb]  # said anywhere, conditions too
    said = [_acts_on(t, parts.nouns) for t in uses] if parts.nouns else []
    if said and all(s is False for s in said) and not _said_later(source, parts.nouns):
        objects = [o for t in uses for o in _objects(t)]
        direct = [o for o in objects if o.dep_ != "pobj"] or objects
        what = " or ".join(dict.fromkeys(o.text.lower() for o in direct))
        return [Finding(code="unsaid_action", step=step.number, node=f"step_{step.number}",
                        text=f"{_label(step)}: the requirements '{verb}' the {what}, never the "
                             f"{' '.join(parts.nouns)}; name the step after what is acted on")]
    actor = _actor_named_as_object(uses, parts.nouns)
    if actor and not any(said) and not _said_later(source, parts.nouns):
        return [Finding(code="unsaid_action", step=step.number, node=f"step_{step.number}",
                        text=f"{_label(step)}: in the requirements the {actor} does the '{verb}', nobody does it to "
                             f"the {actor}; name the step after what is acted on")]
    return []


def _actor_named_as_object(uses: Sequence[Token], nouns: Sequence[str]) -> str | None:
    """The actor of ``uses`` when the step names its doer as the thing acted on: "the patient books online"
    designed as "Book patient"; ``None`` when any use has no such subject."""
    if not nouns:
        return None
    actors = []
    for verb in uses:
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        lemma = subject.lemma_.lower() if subject is not None else ""
        # the thing the step is named after ("Approve refund as agent" names the refund), said of someone who acts
        if subject is None or verb.tag_ == "VBN" or lemma != nouns[0] or lemma not in lexicon().role_heads:
            return None
        actors.append(subject.lower_)
    return actors[0] if actors else None


def _carried(verb: Token, parts: Sequence[NameParts]) -> bool:
    """Whether a step does what ``verb`` says: the same verb on the same thing, or a noun naming its doing."""
    lemma = verb.lemma_.lower()
    if any(lemma in p.nouns or any(verb_of_noun(n) == lemma for n in p.nouns) for p in parts):
        return True
    if lemma in lexicon().conversion and any(p.verb == "create" for p in parts):  # "turned into an order"
        return True
    same = [p for p in parts if p.verb == lemma]
    return bool(same) and (not same[0].nouns or any(_acts_on(verb, p.nouns) is not False for p in same))


def _uncovered(parts: Sequence[NameParts], reading: _Reading) -> list[Finding]:
    found: list[Finding] = []
    seen: set[str] = set()
    for token in reading.actions:
        quote = _quote(token)
        if quote in seen or _carried(token, parts):
            continue
        seen.add(quote)
        found.append(Finding(code="uncovered_action", text=f"The requirements say '{quote}', but no step does it; "
                                                           "add the step or say why it is left out"))
    return found


def _drafted(document: ProcessDocument, source: ReviewSource, flagged: set[int | None]) -> list[Finding]:
    return [Finding(code="drafted_step", step=s.number, node=f"step_{s.number}", severity="info",
                    text=f"{_label(s)}: the requirements do not state this step; it is drafted from the template "
                         f"{', '.join(document.templates_used) or 'library'} — confirm the process runs this way")
            for s in document.steps if s.name in source.drafted and s.number not in flagged]


def _describing(verb: Token) -> bool:
    """A verb that says who or what, not the work asked for: "broken laptops", "patients who miss appointments",
    "parts found on the line"."""
    return verb.dep_ in ("amod", "relcl") or (verb.dep_ == "acl" and verb.tag_ == "VBN")


def _step_words(names: Sequence[str]) -> set[str]:
    """Every word of the step names, its lemmas, the verb a noun names the doing of, and the verbs of the same work."""
    words = {w.strip(".,:;()'").lower() for name in names for w in name.replace("-", " ").split()}
    found = set(words) | {lemma for w in words for group in wordforms.all_lemmas(w).values() for lemma in group}
    found |= {v for w in words if (v := verb_of_noun(w))}
    return found | {verb for verb, same in _same_work().items() if found & set(same)}


def _foreign_template(document: ProcessDocument, reading: _Reading, source: ReviewSource) -> list[Finding]:
    """A design mostly drafted from a template whose steps (and name) do none of the work the text names."""
    drafted = [s for s in document.steps if s.name in source.drafted]
    # the generic template's steps are each held against the text already (``ungrounded_step``)
    if source.edited or source.generic or len(drafted) < DRAFTED_SHARE * len(document.steps):
        return []
    skip = _no_work() | frozenset(review_words()["process_verbs"]["verbs"])
    named = [t for t in reading.doc if t.pos_ == "VERB" and t.is_alpha and len(t) > 2 and not _describing(t)
             and t.lemma_.lower() not in skip]
    # the template's own name counts: "click-and-collect" is the process "click and collect orders" asks for
    steps = _step_words([*(s.name for s in document.steps), *document.templates_used])
    if not named or any(t.lemma_.lower() in steps for t in named):
        return []
    verbs = " or ".join(dict.fromkeys(f"'{t.lemma_.lower()}'" for t in named))
    template = ", ".join(document.templates_used) or "library"
    return [Finding(code="foreign_template",
                    text=f"The requirements ask for '{_quote(named[0])}', but no step does {verbs}: {len(drafted)} of "
                         f"{len(document.steps)} steps are drafted from the template {template}, which may be another "
                         "process; check it fits, or describe the steps")]


def _thin(document: ProcessDocument) -> list[Finding]:
    count = len(document.steps)
    if not count or count >= MIN_STEPS:
        return []
    return [Finding(code="thin_process", text=f"The process has only {count} step(s): say how a case arrives, "
                                              "who does the work and how it is closed (who is told, what is recorded)")]


def grounding_findings(document: ProcessDocument, source: ReviewSource | None) -> list[Finding]:
    """The findings of ``document`` against what it was made from (none without a ``source``).

    An integration's steps are its run (extract, transform, load, reconcile), designed from the
    configuration the text states, and that configuration lives in the integration section, not
    in steps: neither is held against the text's verbs.
    """
    if source is None or not document.steps or document.kind == "integration":
        return []
    reading = _read(source.text)
    parts = name_parts([s.name for s in document.steps])
    found = [f for step, p in zip(document.steps, parts, strict=True)
             for f in _step_findings(step, p, reading, source)]
    if not source.edited:
        found += _uncovered(parts, reading)
    found += _foreign_template(document, reading, source)
    flagged = {f.step for f in found}
    return [*found, *_drafted(document, source, flagged), *_thin(document)]
