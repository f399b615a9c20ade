"""Conditions read from a parsed clause: the words a branch shows and the rules the runner tests.

"the amount is over 10,000" → ``amount > 10000``; "between $2,500 and $25,000" → two rules;
"the claim is marked Not OK" → ``claim_marked_ok == False``. The comparison words, number words,
currencies and units come from the lexicon's data, not from patterns in code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from process_designer.domain.flow import Rule
from process_designer.language import wordforms
from process_designer.language.forms import snake
from process_designer.language.lexicon import lexicon

__all__ = ["Condition", "is_figure", "qualified", "read_condition"]

_SKIP_DEPS = {"det", "aux", "auxpass", "mark", "punct", "cc", "neg", "poss", "predet", "case"}
_COPULA = re.compile(r"\b(is|are|was|were)\b(?! not\b)")
_NUMBER = re.compile(r"^(?P<num>\d[\d,]*(?:\.\d+)?)(?P<mult>[kKmM]|bn)?$")


@dataclass
class Condition:
    label: str  # the words the document and the maps show
    rules: list[Rule] = field(default_factory=list)
    negated: bool = False
    verbs: frozenset[str] = frozenset()  # the lemmas of the verbs it is said with ("agree" of "if the panel agrees")

    def negation(self) -> Condition:
        """The condition that holds when this one does not: "the plans are complete" → "the plans are not
        complete"; rules that state a truth are flipped, limits are kept (the branch reads them)."""
        label, count = _COPULA.subn(r"\1 not", self.label, count=1)
        if not count:
            label, count = _not_done(self.label, self.verbs)
        return Condition(label=label if count else f"not {self.label}", negated=not self.negated, verbs=self.verbs,
                         rules=[r.model_copy(update={"value": not r.value}) if isinstance(r.value, bool) else r
                                for r in self.rules])

    def inverse_of(self, other: Condition) -> bool:
        """Whether the two conditions test the same field with opposite outcomes."""
        if len(self.rules) != 1 or len(other.rules) != 1:
            return False
        mine, theirs = self.rules[0], other.rules[0]
        return mine.subject == theirs.subject and (
            (isinstance(mine.value, bool) and mine.value != theirs.value)
            or (mine.value == theirs.value and {mine.operator, theirs.operator} in ({">", "<="}, {">=", "<"}))
        )


def _not_done(label: str, verbs: frozenset[str]) -> tuple[str, int]:
    """"customer chose an eSIM" → "customer did not choose an eSIM": the first form of one of its verbs."""
    words = label.split()
    for index, word in enumerate(words):
        for verb in verbs:
            for tag, aux in (("VBD", "did"), ("VBZ", "does"), ("VBP", "do")):
                if word.lower() in wordforms.inflections(verb, tag):
                    return " ".join([*words[:index], aux, "not", verb, *words[index + 1:]]), 1
    return label, 0


def _number(token: Token) -> float | None:
    lex = lexicon()
    text = token.text.lower().replace("$", "").replace("€", "").replace("£", "")
    match = _NUMBER.match(text)
    if match:
        value = float(match.group("num").replace(",", ""))
        if match.group("mult"):
            value *= lex.multipliers[match.group("mult").lower()]
    elif text in lex.number_words:
        value = float(lex.number_words[text])
    else:
        return None
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if following is not None and following.lower_ in lex.multipliers:
        value *= lex.multipliers[following.lower_]
    return value


def is_figure(token: Token) -> bool:
    """"500", "$5,000", "10k", "five": a token that states an amount."""
    return token.like_num or _number(token) is not None


def _compact(value: float) -> int | float:
    return int(value) if value == int(value) else value


def _unit(span: Span, token: Token) -> str:
    lex = lexicon()
    before = span.doc[token.i - 1] if token.i > 0 else None
    if before is not None and before.lower_ in lex.currency:
        return lex.currency_codes.get(before.lower_, "USD")
    if token.text[:1] in lex.currency_codes:  # "$500" as one token
        return lex.currency_codes[token.text[:1]]
    for nxt in span.doc[token.i + 1: token.i + 3]:
        if nxt.lower_ in lex.multipliers:
            continue
        if nxt.lower_ in lex.units:
            return lex.units[nxt.lower_]
        if nxt.lower_ in lex.currency:
            return lex.currency_codes.get(nxt.lower_, "USD")
        break
    return ""


def _comparator(span: Span, token: Token) -> tuple[str, str] | None:
    """The comparison word(s) nearest before ``token`` (or "or more" after it): (phrase, operator)."""
    comparators = lexicon().comparators
    start = max(span.start, token.i - 4)
    words = [t.lower_ for t in span.doc[start: token.i] if t.lower_ not in lexicon().currency]
    for size in (3, 2, 1):
        if len(words) >= size and " ".join(words[-size:]) in comparators:
            phrase = " ".join(words[-size:])
            return phrase, comparators[phrase]
    after = [t.lower_ for t in span.doc[token.i + 1: min(span.end, token.i + 4)]
             if t.lower_ not in lexicon().units and t.lower_ not in lexicon().multipliers]
    if len(after) >= 2 and " ".join(after[:2]) in comparators:
        phrase = " ".join(after[:2])
        return phrase, comparators[phrase]
    return None


def _subject(span: Span, unit: str) -> str:
    """The field a condition tests: the clause's subject noun, or what its unit measures."""
    nouns = [t for t in span if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN") and _number(t) is None]
    if not nouns:  # "10k" tagged as a noun is the value, not what it measures
        nouns = [t for t in span if t.pos_ == "NOUN" and t.lower_ not in lexicon().units and _number(t) is None]
    head = nouns[0] if nouns else None
    words = [t.lemma_.lower() for t in head.subtree if t.dep_ in ("compound", "amod") or t == head] if head else []
    base = snake(" ".join(words), 3) if words else ""
    if unit in set(lexicon().currency_codes.values()):
        return base if base and base.endswith(("amount", "value", "total", "cost", "price", "spend")) else (
            f"{base}_amount" if base else "amount")
    if unit in ("%",):
        return f"{base}_percent" if base else "percent"
    if unit:
        return f"{base}_{unit}" if base else unit
    return base or "value"


def _range(span: Span, numbers: list[tuple[Token, float]]) -> bool:
    """"1k to 10k", "$500-$5,000": two figures joined by a range word, with no comparison before the first."""
    if len(numbers) < 2:
        return False
    first, second = numbers[0][0], numbers[1][0]
    between = [t.lower_ for t in span.doc[first.i + 1: second.i] if t.lower_ not in lexicon().currency]
    return between in (["to"], ["-"], ["–"]) and _comparator(span, first) is None


def _numeric(span: Span) -> list[Rule]:
    rules: list[Rule] = []
    numbers = [(t, v) for t in span if (v := _number(t)) is not None and t.pos_ in ("NUM", "X", "NOUN", "PROPN", "ADJ")]
    if not numbers:
        return rules
    between = any(t.lower_ == "between" for t in span)
    if (between or _range(span, numbers)) and len(numbers) >= 2:
        unit = _unit(span, numbers[0][0]) or _unit(span, numbers[1][0])
        subject = _subject(span, unit)
        return [Rule(subject=subject, operator=">=", value=_compact(numbers[0][1]), unit=unit),
                Rule(subject=subject, operator="<=", value=_compact(numbers[1][1]), unit=unit)]
    for token, value in numbers:
        found = _comparator(span, token)
        if found is None:
            continue
        phrase, operator = found
        unit = _unit(span, token)
        subject = _subject(span, unit)
        if phrase in ("older than", "younger than") and not subject.endswith("age_" + unit):
            subject = subject.replace(f"_{unit}", f"_age_{unit}") if unit else f"{subject}_age"
        rules.append(Rule(subject=subject, operator=operator, value=_compact(value), unit=unit))
    return rules


def _state(span: Span, antecedent: str) -> tuple[list[Rule], bool]:
    """A condition without a number: "the claim is marked Not OK" → claim_marked_ok is False."""
    negated = any(t.dep_ == "neg" or t.lower_ in ("not", "no", "never") for t in span)
    subjects = [t for t in span if t.dep_ in ("nsubj", "nsubjpass", "expl")]
    head = subjects[0] if subjects else None
    subject_words = [t.lemma_.lower() for t in head.subtree if t.dep_ in ("compound", "amod") or t == head] \
        if head is not None and head.pos_ in ("NOUN", "PROPN") else antecedent.lower().split()
    skip = {t.i for t in head.subtree} if head is not None else set()
    rest = [t.lemma_.lower() if t.pos_ in ("VERB", "AUX", "NOUN") else t.lower_ for t in span
            if t.i not in skip and t.dep_ not in _SKIP_DEPS and t.lower_ not in ("not", "no", "never") and t.lemma_ != "be"
            and not t.is_punct]
    words = [*subject_words, *rest]
    if not words:
        return [], negated
    return [Rule(subject=snake(" ".join(words), 5), operator="==", value=not negated)], negated


def read_condition(span: Span | Sequence[Token], antecedent: str = "") -> Condition:
    """Read a condition clause (without its "if"/"when") into words and rules.

    ``antecedent`` is what a pronoun subject ("if it is marked OK") stands for.
    """
    tokens = list(span)
    if not tokens:
        return Condition(label="")
    doc_span = tokens[0].doc[tokens[0].i: tokens[-1].i + 1]
    body = [t for t in doc_span if not (t.i == doc_span.start and t.dep_ == "mark")]
    label = re.sub(r"\s+", " ", "".join(t.text_with_ws for t in body)).strip(" ,;.")
    label = re.sub(r"\s+([,.;:%])", r"\1", label)
    label = re.sub(r"([$€£])\s+", r"\1", label)
    label = re.sub(r"^(?:the|an?|its|their)\s+", "", label, flags=re.IGNORECASE)
    if antecedent:
        label = re.sub(r"^(?:it|they|this|these)\b", antecedent, label, flags=re.IGNORECASE)
    rules = _numeric(doc_span)
    negated = False
    if not rules:
        rules, negated = _state(doc_span, antecedent)
    verbs = frozenset(t.lemma_.lower() for t in body if t.pos_ == "VERB")
    return Condition(label=label, rules=rules, negated=negated, verbs=verbs)


def qualified(subject: Token) -> Condition | None:
    """The state a subject's own words give it: "incomplete requests", "claims with missing information",
    "a failed retest" → the condition under which what the clause says is done to it; ``None`` when the
    subject names the thing and no state ("the request", "it")."""
    if subject.pos_ not in ("NOUN", "PROPN"):
        return None
    states = [t for t in subject.lefts if t.dep_ == "amod" or (t.dep_ in ("compound", "nmod") and (
        t.tag_ in ("JJ", "VBN", "VBD") or any(w.tag_ == "HYPH" for w in t.subtree)))]  # "out-of-policy"
    states += [t for t in subject.rights if t.dep_ in ("prep", "relcl", "acl")]
    if not states:
        return None
    tokens = sorted({subject, *(t for state in states for t in state.subtree)}, key=lambda t: t.i)
    return read_condition(tokens)
