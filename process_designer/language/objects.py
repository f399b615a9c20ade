"""What a step acts on: the choice of a clause's object.

Reads which noun a verb acts on when the parse is not plain: an object misread as a role or attached
to the next conjunct, a gerund's object, an object placed before its verb, what arrives ("a claim
comes in"), work done with a partner rather than handed to it, and what a pronoun object stands for.
"""

from __future__ import annotations

from spacy.tokens import Token

from process_designer.language import wordforms
from process_designer.language.lexicon import lexicon
from process_designer.language.phrases import _verb_form, object_phrase
from process_designer.language.roles import _measure, role_name


def _following_noun(verb: Token) -> Token | None:
    """The head of the noun phrase right after a verb the parser took for a noun ("cuts release branch")."""
    run: list[Token] = []
    start = verb.i + 1
    if start < verb.sent.end and (verb.doc[start].pos_ == "DET" or verb.doc[start].tag_ == "PRP$"):
        start += 1  # "legal drafts the lease amendment"
    for token in verb.doc[start: verb.sent.end]:
        if token.pos_ not in ("NOUN", "PROPN", "ADJ") or (_verb_form(token) not in (None, token.lower_) and run):
            break
        run.append(token)
    nouns = [t for t in run if t.pos_ in ("NOUN", "PROPN")]
    return nouns[-1] if nouns else None


def _object_misread(verb: Token) -> Token | None:
    """"rejects each abstract" parsed with "each abstract" as an adverb, "drafts the quote in the CRM, …"
    with "the quote" as an apposition of the verb: a noun after the verb with a determiner of its own is
    what the verb acts on, unless it says when ("every month") or how much."""
    lex = lexicon()
    shared = verb.head.children if verb.dep_ == "conj" else ()  # "accepts or rejects each abstract"
    return next((c for c in [*verb.children, *shared] if c.dep_ in ("advmod", "npadvmod", "appos") and c.pos_ == "NOUN"
                 and c.i > verb.i and any(d.dep_ == "det" for d in c.children) and c.lemma_.lower() not in lex.time_nouns
                 and all(t in set(c.subtree) or t.dep_ in ("cc", "conj") for t in verb.doc[verb.i + 1: c.i])
                 and c.lower_ not in lex.units and not _measure(c) and role_name(c) is None), None)


def _object_of_next_conjunct(verb: Token) -> Token | None:
    """"mitigate and restore service", "wraps and labels the parcels": a verb joined by "and" or "or" to the
    verbs after it, with nothing of its own, acts on the object of the first of them that names one."""
    following = sorted((c for c in verb.conjuncts if c.i > verb.i and c.pos_ == "VERB"), key=lambda t: t.i)
    if not following or not all(t.dep_ in ("cc", "punct") or t.text in ("+", "&")
                                for t in verb.doc[verb.i + 1: following[0].i]):
        return None
    for joined in following:
        if any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in joined.children):
            return None  # "the customer pays and the clerk files the receipt": a clause of its own
        found = next((c for c in joined.children if c.dep_ in ("dobj", "obj")), None) or _object_misread(joined)
        if found is not None:
            return found
        if any(c.dep_ not in ("cc", "punct", "conj", "advmod", "prt") for c in joined.children):
            return None  # "checks the form and approves if complete": the later verb's own words
    return None


def _gerund_object(verb: Token) -> Token | None:
    """"the crew swaps tooling" parsed with "tooling" as a second verb: a bare word in -ing right after a
    verb with nothing else to act on is its object, unless the verb takes a second action ("keeps waiting")."""
    after = verb.doc[verb.i + 1] if verb.i + 1 < verb.sent.end else None
    if after is None or after.tag_ != "VBG" or after.head != verb or after.dep_ not in ("xcomp", "dobj", "ccomp") \
            or any(True for _ in after.children) or verb.lemma_.lower() in lexicon().aspectual:
        return None
    return after


def _partner(token: Token) -> bool:
    """Whether a noun after "with" names whom the work is done with (a role, a team, a department); the
    one the work is for is what it acts on ("teaching with the patient")."""
    lex, lemma = lexicon(), token.lemma_.lower()
    return lemma not in lex.requesters and (role_name(token) is not None or lemma in lex.departments
                                            or lemma in lex.role_heads)


def _verb_inside_object(token: Token) -> bool:
    """"renew the lease and issue invoices", "close the order and archive documents": a verb after "and",
    right before a noun, that the parser read into the object of the verb before (as a noun joined to a
    modifier of the object, or as an adjective of a noun joined to the object). The noun before "and" has a
    determiner of its own and the word after none: "configures repo access and tool list" is one list."""
    if token.i == 0 or token.doc[token.i - 1].lower_ != "and" or token.i + 1 >= len(token.doc) \
            or token.pos_ not in ("NOUN", "ADJ") or _verb_form(token) is None:
        return False
    head, after = token.head, token.doc[token.i + 1]
    into_modifier = token.dep_ == "conj" and head.dep_ in ("nmod", "compound") and head.head == after \
        and after.dep_ in ("dobj", "obj")
    into_joined = token.dep_ == "amod" and head == after and after.dep_ == "conj" and after.head.dep_ in ("dobj", "obj")
    verb = after.head if into_modifier else after.head.head if into_joined else None
    first = head if into_modifier else after.head
    opening = first.doc[first.i - 1] if first.i > 0 else first  # "the lease", wherever "the" is hung
    return verb is not None and verb.pos_ == "VERB" and (opening.pos_ == "DET" or opening.tag_ == "PRP$")


def _object_before_verb(target: Token) -> Token | None:
    """The object of a verb when the parser read "the lease and issue invoices" as one noun phrase: the
    modifier before the verb taken for a noun."""
    return next((c for c in target.children if c.dep_ in ("nmod", "compound") and c.i < target.i
                 and any(_verb_inside_object(j) for j in c.conjuncts)), None)


def _misread_arrival(token: Token) -> bool:
    """"Warranty claims arrive …" parsed with "claims" as the verb and "arrive" under it."""
    head = token.head
    return (token.lemma_.lower() in lexicon().arrival and token.dep_ in ("xcomp", "ccomp") and head.i == token.i - 1
            and head.tag_ == "VBZ" and "NOUN" in wordforms.all_lemmas(head.lower_)
            and not any(c.dep_ in ("aux", "nsubj") for c in token.children))


def _arriving(verb: Token) -> tuple[str, str] | None:
    """The thing that arrives or comes in ("support tickets arrive", "invoices come into the mailbox"), as
    (phrase, head) in the singular: something from outside that the process receives; None for a person
    ("the patient arrives") or for the process itself ("the process begins when …")."""
    lex = lexicon()
    if verb.lemma_.lower() not in lex.arrival or verb.dep_ not in ("ROOT", "ccomp", "xcomp", "conj"):
        return None
    if _misread_arrival(verb):
        words = object_phrase(verb.head)[0].split()
        noun = wordforms.all_lemmas(verb.head.lower_)["NOUN"][0]
        return " ".join([*words[:-1], noun]), noun
    if verb.dep_ == "xcomp":
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ not in ("NOUN", "PROPN") or role_name(subject) is not None \
            or subject.lemma_.lower() in lex.process_nouns or subject.lemma_.lower() in lex.time_nouns:
        return None
    return object_phrase(subject)


def _worked_with(verb: Token) -> bool:
    """"investigate with the service partner": the role after "with" helps; nothing is handed to it."""
    return any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children) and not any(
        c.dep_ in ("prep", "dative") and c.lower_ == "to" for c in verb.children)


def _bare_adjective(token: Token) -> bool:
    """"high also needs sign-off" (a class of change named by its adjective): no thing a step acts on."""
    return not any(c.dep_ in ("compound", "amod", "det") for c in token.children) \
        and "ADJ" in wordforms.all_lemmas(token.lower_)


def _referent(pronoun: Token, last: str, last_head: str, plural: tuple[str, str]) -> tuple[str, str]:
    """What a pronoun object stands for: "them" the last things named in the plural ("Returned units go to
    the warehouse, which quarantines them"), anything else the last thing named."""
    if pronoun.lower_ in ("them", "they", "those", "these") and plural[0]:
        return plural
    return last, last_head
