"""Who acts: role names, subjects, actors, pronouns and the narrator.

Reads the role a noun names ("the senior claims officer" → Senior Claims Officer), the subject of a
verb (repairing the parser where it took a role word for something else), the agent of a passive,
the actor a pronoun or a named person stands for, the role narrators name for themselves, and what
the reading remembers about the actors of each sentence.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from process_designer.language import wordforms
from process_designer.language.forms import known_verb, title_case, verb_of_noun
from process_designer.language.lexicon import lexicon
from process_designer.language.phrases import _joined, _mark, _phrase_tokens, _pronoun
from process_designer.language.reading import Reader

_PERSONAL = {"he", "she", "they", "them", "him", "her"}


_NARRATOR = {"i", "we", "me", "us"}


def role_name(head: Token) -> str | None:
    """The role a noun phrase names, normalised ("the claims officers" → "Claims Officer"), or None."""
    lex = lexicon()
    low = head.lower_
    after = next((c for c in head.rights if c.dep_ == "amod" and c.i == head.i + 1), None)
    if after is not None and f"{low} {after.lower_}" in lex.departments:
        return lex.departments[f"{low} {after.lower_}"]  # "accounts payable accrues …"
    if head.text.isupper() and low in lex.departments:
        return lex.departments[low]  # "AP" is accounts payable
    if head.text in ("IT", "HR") or (head.text.isupper() and 2 <= len(head.text) <= 6 and head.pos_ in ("PROPN", "NOUN")):
        words = [t.text for t in _phrase_tokens(head) if t.pos_ in ("NOUN", "PROPN") or t.text.isupper()]
        return " ".join(words) if len(words) <= 3 else head.text  # "the licensed AMT" is the AMT
    lemma = head.lemma_.lower() if head.tag_ in ("NNS", "NNPS") and low not in lex.departments else low
    if head.pos_ in ("ADJ", "VERB") and low in lex.departments and head.dep_ in ("nsubj", "amod", "compound", "ROOT",
                                                                                  "pobj"):
        return lex.departments[low]  # "legal reviews the terms", "adjusted by billing"
    if lemma in lex.not_roles or head.pos_ not in ("NOUN", "PROPN"):
        return None
    tokens = _phrase_tokens(head)
    words = _joined([t.text if t.text.isupper() and len(t.text) > 1 else t.lower_ for t in tokens[:-1]], tokens[:-1])
    if lemma.split()[-1] not in lex.role_heads and lemma not in lex.departments and not _agent_noun(lemma.split()[-1]):
        if head.pos_ == "PROPN" and head.ent_type_ in ("", "PERSON") and len(tokens) <= 2 and head.text.istitle():
            return " ".join(t.text for t in tokens)  # a named person acts
        return None
    if not words and lemma in lex.departments:
        return lex.departments[lemma]
    if not words and lemma in lex.modified_heads:
        return None  # "returned units go to the warehouse": a thing
    words.append(lemma if not (head.text.isupper() and len(head.text) > 1) else head.text)
    return _whose(head) + title_case(" ".join([*words, *_of_what(head)]))


def _whose(head: Token) -> str:
    """"the owner's representative", "the ordering provider's office": the role a role works for is part
    of its name."""
    owner = next((c for c in head.children if c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN")), None)
    role = role_name(owner) if owner is not None else None
    return f"{role}'s " if role else ""


def _of_what(head: Token) -> list[str]:
    """"the head of fraud", "director of finance": what the role heads is part of its name."""
    if head.lower_ not in lexicon().heads_of:
        return []
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    return ["of", *(t.text for t in _phrase_tokens(pobj))] if pobj is not None else []


def _agent_noun(noun: str) -> bool:
    """A noun for whoever does a verb: "writer" (write), "editor" (edit), "approver", "planner"."""
    if noun in lexicon().not_roles or len(noun) < 5:
        return False
    if noun.endswith(("man", "person")) and len(noun) > 6:
        return True  # "handyman", "foreman", "salesperson": whoever works at it
    for suffix in ("er", "or", "ar", "ist", "ant"):
        if noun.endswith(suffix):
            stem = noun[: -len(suffix)]
            candidates = (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else "", stem + "y")
            if any(c and known_verb(c) for c in candidates):
                return True
    return False


def _measure(token: Token) -> bool:
    """"30 days", "$500": a quantity, which belongs to a condition rather than acting."""
    return token.lower_ in lexicon().units and any(c.dep_ == "nummod" or c.like_num for c in token.children)


def _subject(verb: Token) -> Token | None:
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    own = next((c for c in verb.children if c.dep_ == "nsubj" and not _clause_as_subject(c)), None)
    if before is not None and before.dep_ == "conj" and before.pos_ in ("NOUN", "PROPN") \
            and verb.tag_ in ("VBZ", "VBP", "VBD") and role_name(before) \
            and (own is None or (own == before.head and role_name(own) is None)):
        return before  # "needs three quotes and procurement picks the supplier": the role joined to the object
    if own is None and before is not None and before.dep_ == "pobj" and before.head.head == verb \
            and before.head.i < before.i and verb.tag_ in ("VBZ", "VBP", "VBD") and role_name(before):
        return before  # "thirty days out the planner sends the list", with the planner read into "out …"
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "csubj") and not _measure(child) and not _clause_as_subject(child):
            return child
    if before is not None and before.pos_ in ("NOUN", "PROPN") and before.dep_ in ("npadvmod", "dep", "nmod", "attr") \
            and role_name(before):  # "if the amount is over $500 a manager approves", parsed into the condition
        return before
    if verb.i > 0 and (verb.pos_ == "NOUN" or _finite_verb_misattached(verb)):  # "finance reserves the budget"
        before = verb.doc[verb.i - 1]
        return before if before.pos_ in ("NOUN", "PROPN") or before.lower_ in lexicon().departments else None
    for child in verb.lefts:  # "the CFO signs off", with "CFO" parsed as a compound of the verb
        if child.dep_ in ("compound", "npadvmod", "dep", "nmod") and child.pos_ in ("NOUN", "PROPN") \
                and (role_name(child) or _bare_group(child)):
            return child
    if verb.dep_ in ("conj", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)
    if verb.dep_ == "relcl":
        return verb.head
    return None


def _clause_as_subject(token: Token) -> bool:
    """"anything over $10,000 needs three quotes and procurement picks …" parsed with "needs" as the subject
    of "picks": a verb with a subject of its own is a clause, never who acts ("offers above the band need …",
    with "offers" read as a verb, is still the thing)."""
    return token.pos_ == "VERB" and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)


def _finite_verb_misattached(token: Token) -> bool:
    """"The recruiter screens CVs" parsed with "screens" as a compound of "CVs": a finite verb right
    after a role still heads a clause."""
    return (token.pos_ == "VERB" and token.tag_ in ("VBZ", "VBP", "VBD") and token.dep_ in ("compound", "amod", "nmod",
                                                                                          "dep", "npadvmod")
            and token.i > 0 and role_name(token.doc[token.i - 1]) is not None)


def _verb_s_form(token: Token) -> bool:
    """Whether ``token`` is the -s form of a known verb ("signs", "reserves")."""
    lemmas = wordforms.lemmas(token.lower_, "VERB")
    return bool(lemmas) and token.lower_ in wordforms.inflections(lemmas[0], "VBZ") and known_verb(lemmas[0])


def _role_before_verb_form(subject: Token) -> Token | None:
    """"doc signs discharge order" parsed with "doctor signs" as the subject of "discharge": the role before a
    verb's -s form is who acts, the -s form no part of its name."""
    if subject.tag_ != "NNS" or subject.i == 0 or not _verb_s_form(subject) or role_name(subject) is not None:
        return None  # "department heads request …": a role's own plural
    if set(wordforms.all_lemmas(subject.head.lower_)) == {"VERB"}:
        return None  # "support tickets arrive": a word that is only a verb is the verb
    if subject.i + 1 < len(subject.doc) and subject.doc[subject.i + 1].pos_ == "DET":
        return None  # "Legal drafts the agreement and both parties sign it": the -s form's own object follows
    before = subject.doc[subject.i - 1]
    return before if before.head == subject and role_name(before) is not None else None


def _approver(token: Token) -> str | None:
    """The role a modifier of an approval noun names: "manager + DBA approval"; whoever owns the approval is a role
    whether or not the lexicon knows the noun ("a trustee's approval")."""
    role = role_name(token)
    if role is None and token.dep_ == "poss" and token.pos_ == "NOUN" and not _pronoun(token):
        role = title_case(" ".join([*(t.lower_ for t in _phrase_tokens(token)[:-1]), token.lemma_.lower()]))
    return role


def _giver(noun: Token) -> list[str]:
    """The roles an approval noun is asked of: "approval from the board", "sign-off by the CFO"."""
    preps = [c for c in noun.children if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by")]
    pobjs = [p for prep in preps for c in prep.children if c.dep_ == "pobj" for p in [c, *c.conjuncts]]
    return [role for p in pobjs if (role := role_name(p)) is not None]


def _stray_agent(verb: Token) -> Token | None:
    """"raised in writing by the employee": the passive's "by" hung on another word of its clause."""
    for token in verb.subtree:
        if token.lower_ != "by" or token.dep_ not in ("prep", "agent"):
            continue
        path = list(token.ancestors)
        if any(a.pos_ in ("VERB", "AUX") and a.dep_ not in ("pobj", "dobj") for a in path[: path.index(verb)]
               if verb in path):
            continue  # the "by" of another clause ("to the examination shed by …": "shed" is no verb there)
        if token.head.dep_ == "pobj" and token.head.head.lower_ in lexicon().moment_prepositions:
            continue  # "issued after approval by the manager": the agent of the approval, not of the issuing
        pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
        if pobj is not None and (role_name(pobj) is not None or _agent_phrase(pobj) is not None):
            return pobj
    return None


def _text_role(token: Token, reader: Reader) -> str | None:
    """The role ``token`` names in this text: a named person is the role the text gave them ("our handyman,
    Marco"); a role named by its head alone ("the team", "the nurse") is the role the text last named in
    full with that head ("the incident team", "a UM nurse"); anything else as :func:`role_name` reads it."""
    if token.text in reader.people:
        return reader.people[token.text]
    role = role_name(token)
    if role is None or " " in role or any(c.dep_ in ("poss", "amod", "compound") for c in token.children) \
            or any(c.dep_ == "det" and c.lower_ != "the" for c in token.children):
        return role  # "my manager", "a manager": someone of their own
    suffix = " " + role.lower()
    return next((r for r in reversed(reader.roles) if r.lower().endswith(suffix)), role)


def _pronoun_antecedent(pronoun: Token, reader: Reader) -> str | None:
    """The actor "she", "he" or "they" stands for: the last one named before it in the sentence ("let Priya
    in IT know: she creates the accounts"), else the last actor of an earlier sentence who is not the
    narrator ("Customer service contacts every affected customer; they offer a refund")."""
    before = [t for t in pronoun.sent if t.i < pronoun.i]
    return next((role for t in reversed(before) if (role := _third_person(t, reader))), None) or reader.last_third


def _third_person(token: Token, reader: Reader) -> str | None:
    """The role of ``token`` when it names an actor of its clause: a subject, a passive agent, or the one
    told, asked or let do something."""
    if _pronoun(token) and token.text != "IT":
        return None
    acting = token.dep_ in ("nsubj", "nsubjpass") or (token.dep_ == "pobj" and token.head.dep_ == "agent") or (
        token.dep_ == "dobj" and token.head.lemma_.lower() in lexicon().instructing)
    return _text_role(token, reader) if acting else None


def _member_of(pronoun: Token) -> str | None:
    """"someone in finance", "a member of the audit team": whoever it is belongs to the role named."""
    if pronoun.lower_ not in lexicon().not_roles:
        return None
    for prep in pronoun.children:
        group = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep.lower_ in ("in", "from", "of") \
            else None
        if group is not None and (role := role_name(group) or lexicon().departments.get(group.lower_)):
            return role
    return None


def _acts_on_object(verb: Token, subject: Token) -> bool:
    """"a radiographer screens the patient", "WorldTracer searches the network": the subject of a verb that
    does something to an object acts, whether or not the lexicon knows the noun (unless a quantity or a
    generalisation: "most owners avoid change"). So does the noun before a verb the tagger took for a noun
    ("customer service contacts every affected customer")."""
    if _generalisation(subject) or _measure(subject) or any(t.is_punct for t in verb.doc[subject.i + 1: verb.i]):
        return False  # "… our billing db. verify signature": a sentence the parser ran on
    return (subject.dep_ in ("nsubj", "compound") and any(c.dep_ in ("dobj", "obj") for c in verb.children)) \
        or verb.pos_ == "NOUN"


def _generalisation(subject: Token) -> bool:
    """"most disputes come from …", "many owners avoid …": a subject quantified over the cases states a
    habit or a figure, not a step."""
    return any(c.dep_ in ("amod", "det", "nummod") and c.lower_ in lexicon().quantifiers for c in subject.children)


def _agent_phrase(actor: Token) -> str | None:
    """"issued by the court", "generated by the monitoring system": whoever a passive names with "by" and
    a determiner or a name acts, whether or not the lexicon knows the noun ("by card" says how)."""
    lex = lexicon()
    lemma = actor.lemma_.lower()
    named = lemma in lex.acting_things and any(c.dep_ in ("compound", "amod") for c in actor.children)
    if actor.pos_ not in ("NOUN", "PROPN") or (lemma in lex.not_roles and not named) or lemma in lex.time_nouns:
        return None
    if actor.pos_ != "PROPN" and not any(c.dep_ in ("det", "poss", "compound") for c in actor.children):
        return None
    return title_case(" ".join(t.text for t in _phrase_tokens(actor)))


def _short_name(noun: Token, reader: Reader) -> str | None:
    """"the circulation desk checks the books in … circulation returns them": a noun with no article that is
    the first word of a role named in full before is that role, called short."""
    if noun.tag_ != "NN" or any(True for _ in noun.children):
        return None
    start = noun.lower_ + " "
    return next((r for r in reversed(reader.roles) if r.lower().startswith(start)), None)


def _bare_group(subject: Token) -> str | None:
    """"brand reviews it", "planning schedules the fix": a singular noun with no article, the subject of a
    verb in the present that acts on something, is the name of the team that does it. Not a noun made from
    another verb ("payment triggers the shipment", "information reaches the customer": events and things),
    unless it names the work itself ("planning", "underwriting")."""
    lex = lexicon()
    low = subject.lower_
    if subject.tag_ != "NN" or subject.dep_ not in ("nsubj", "compound") or any(True for _ in subject.children) \
            or subject.head.tag_ != "VBZ" or subject.lemma_.lower() in lex.not_roles | lex.time_nouns:
        return None
    made_from = verb_of_noun(low)
    if made_from and made_from != low and not low.endswith("ing"):
        return None
    return title_case(low)


def _group_name(head: Token) -> str | None:
    """"deferred defects go to planning, who schedule the fix": whoever "who" is said of is a person or a
    group of people, whether or not the lexicon knows the word."""
    if head.pos_ not in ("NOUN", "PROPN") or head.lemma_.lower() in lexicon().not_roles:
        return None
    if not any(c.dep_ == "relcl" and any(w.lower_ in ("who", "whom") and w.dep_ in ("nsubj", "dobj")
                                         for w in c.children) for c in head.children):
        return None
    return title_case(" ".join(t.text for t in _phrase_tokens(head)))


def _approving_role(role: str) -> bool:
    """Whether a role approves what is passed to it by its rank ("the finance director", "the CFO", "the team
    lead"), rather than looking at it for its own expertise ("the structural engineer", "a senior adjuster")."""
    words = role.lower().replace("'s", "").split()
    return bool(words) and (words[-1] in lexicon().approving_ranks or any(w in lexicon().heads_of for w in words))


def _narrator_role(sentence: Span) -> tuple[int, str] | None:
    """The role the narrator names for themselves in ``sentence``, with how plainly (0 most plainly):
    0 "I am the store manager", "As the shift lead, I …"; 1 "we are the payroll team", "my team (payroll)";
    2 "I run the service desk"; 3 "I manage three apartment buildings" (their manager); 4 "my manager
    approves it" (an employee)."""
    lex = lexicon()
    found: list[tuple[int, str]] = []
    for token in sentence:
        low, head = token.lower_, token.head
        if low in ("i", "we") and head.lemma_ == "be":
            for attr in head.children:
                if attr.dep_ == "attr" and (role := role_name(attr)):
                    found.append((0 if low == "i" else 1, role))
        elif low in ("i", "we") and token.dep_ == "nsubj" and head.lemma_ in lex.narrator_intro:
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None and (role := role_name(obj)):  # "I run the service desk"
                found.append((2, role))
            elif obj is not None and head.lemma_ in lex.manages and obj.pos_ == "NOUN":
                found.append((3, title_case(f"{obj.lemma_} manager")))
        if low == "as" and token.dep_ == "prep" and token.i == sentence.start:
            pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
            if pobj is not None and (role := role_name(pobj)):
                found.append((0, role))
        if low in ("my", "our") and head.lower_ in ("team", "department", "office", "unit"):
            words = [t for t in _phrase_tokens(head) if t.dep_ != "poss"]
            if len(words) > 1 and (role := role_name(head)):
                found.append((1, role))
        if low == "my" and token.dep_ == "poss" and " ".join(t.lower_ for t in _phrase_tokens(head)) in lex.superiors:
            found.append((4, lex.subordinate))
    return min(found, key=lambda pair: pair[0]) if found else None


def _role_word(token: Token) -> str | None:
    """A role by the word alone, whatever the tagger made of it ("Cardholder" read as a verb)."""
    word = token.lower_
    if word in lexicon().role_heads or _agent_noun(word):
        return title_case(word)
    return None


def _remember_people(sentence: Span, reader: Reader) -> None:
    """A person named with their role ("our handyman, Marco", "Priya in IT") acts in that role."""
    for token in sentence:
        if token.pos_ != "PROPN" or not token.text.istitle() or role_name(token) not in (None, token.text):
            continue
        related = [token.head] if token.dep_ == "appos" else []
        related += [c for c in token.children if c.dep_ == "appos"]
        after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        if after is not None and after.lower_ in ("in", "from"):  # "Priya in IT", wherever the parser hangs it
            related += _noun_run(token.doc[after.i + 1: after.sent.end])[-1:]
        role = next((r for t in related if (r := role_name(t) or lexicon().departments.get(t.lower_))), None)
        if role is not None and role != token.text:
            reader.people[token.text] = role


def _noun_run(span: Span) -> list[Token]:
    """The nouns of the noun phrase ``span`` opens with ("the IT team know …" → IT, team)."""
    nouns: list[Token] = []
    for token in span:
        if token.pos_ in ("NOUN", "PROPN"):
            nouns.append(token)
        elif token.pos_ not in ("DET", "ADJ") or nouns:
            break
    return nouns


def _remember_actors(sentence: Span, reader: Reader) -> None:
    """The last actor a sentence names other than the narrator, whether or not they act in a step of its
    own ("… and let Priya in IT know"), is what a "she" or "they" of the next sentence stands for; every
    role it names in full is what its head alone names from then on."""
    for token in sentence:
        if (role := _third_person(token, reader)) is not None:
            reader.last_third = role
        if token.dep_ == "compound" and token.head.pos_ in ("NOUN", "PROPN") and role_name(token.head) is None:
            continue  # "our most common security ticket": a role's word that says what kind of thing
        if token.pos_ in ("NOUN", "PROPN") and not _pronoun(token) and " " in (named := role_name(token) or ""):
            reader.roles.append(named)  # "convenes the incident team": "the team" is this one from now on


def _remember_subjects(sentence: Span, reader: Reader) -> None:
    """A thing that is the subject of a condition or trigger ("when a claim arrives") or that arrives
    ("Books arrive by post: the desk checks them in") is what a following "it" or "them" stands for."""
    _remember_people(sentence, reader)
    for token in sentence:
        timed = token.dep_ == "advcl" and _mark(token) in ("when", "whenever", "once", "as soon as", "after") \
            and token.i < token.head.i
        if timed or (token.pos_ == "VERB" and token.lemma_.lower() in lexicon().arrival):
            subject = _subject(token)
            if subject is not None and subject.pos_ in ("NOUN", "PROPN") and not _pronoun(subject) \
                    and role_name(subject) is None:
                reader.remember(subject)
        if timed and token.lemma_.lower() in lexicon().perceiving:  # "when the porter notices a leak, he …"
            noticed = next((c for c in token.children if c.dep_ in ("dobj", "obj") and not _pronoun(c)), None)
            if noticed is not None:
                reader.remember(noticed)
