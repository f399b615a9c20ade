"""The clause reader: one sentence's predicates read into frames.

:class:`_SentenceReader` finds a sentence's predicates (root verbs, their conjuncts, relative clauses
about an actor, the verb under "needs to") and reads each into a frame with its performer, object,
recipient, kind and flow words. Beside it: repairs of verbs the parser took for nouns and back, the
passive, the tense that marks background, and the conditions a clause carries (a figure, a consent,
a numeric lead, a condition shared by the clauses of a sentence).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from process_designer.language import wordforms
from process_designer.language.conditions import Condition, is_figure, qualified, read_condition
from process_designer.language.forms import known_verb, title_case, verb_of_noun
from process_designer.language.lexicon import lexicon
from process_designer.language.objects import (
    _arriving,
    _bare_adjective,
    _following_noun,
    _gerund_object,
    _misread_arrival,
    _object_before_verb,
    _object_misread,
    _object_of_next_conjunct,
    _partner,
    _referent,
    _verb_inside_object,
    _worked_with,
)
from process_designer.language.phrases import (
    _has_marker,
    _mark,
    _phrase_tokens,
    _pronoun,
    _text,
    _verb_form,
    object_phrase,
)
from process_designer.language.reading import Frame, Reader
from process_designer.language.roles import (
    _NARRATOR,
    _PERSONAL,
    _acts_on_object,
    _agent_phrase,
    _approver,
    _approving_role,
    _bare_group,
    _finite_verb_misattached,
    _generalisation,
    _giver,
    _group_name,
    _member_of,
    _pronoun_antecedent,
    _role_before_verb_form,
    _short_name,
    _stray_agent,
    _subject,
    _text_role,
    _verb_s_form,
    role_name,
)
from process_designer.language.systems import detect_systems

_PREDICATE_DEPS = {"ROOT", "conj", "relcl", "xcomp", "advcl", "pcomp", "ccomp"}


_RELATIVE = {"who", "that", "which", "whom"}


_TIME_MARKS = {"after", "once", "as soon as", "before"}


def _conjuncts(token: Token) -> list[Token]:
    return [token, *[t for t in token.conjuncts if t.i > token.i]]


def _bare_passive(token: Token) -> bool:
    """Notes drop the passive's "is": "req raised in Coupa", "every order scored by Signifyd at checkout"."""
    head = token.head
    return (token.dep_ == "acl" and token.tag_ == "VBN" and head.dep_ == "ROOT" and head.pos_ in ("NOUN", "PROPN")
            and token.i == head.i + 1 and not any(t.pos_ in ("VERB", "AUX") and t.tag_ in ("VBZ", "VBP", "VBD")
                                                  for t in token.sent))


def _root_verb_taken_for_noun(token: Token) -> bool:
    """"goodwill payments over £250 need the head of service", "incidents above $5,000 go to the director" with the
    verb tagged a noun: a sentence's root noun with a subject before it and an object or a phrase after it, spelled
    as a verb's base or -s form, is that verb."""
    if token.dep_ != "ROOT" or token.pos_ != "NOUN" or _verb_form(token) is None:
        return False
    return any(c.dep_ == "nsubj" and c.i < token.i for c in token.children) \
        and any(c.dep_ in ("dobj", "obj", "prep") and c.i > token.i for c in token.children)


def _is_passive(verb: Token) -> bool:
    if _bare_passive(verb):
        return True
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    return verb.dep_ == "conj" and verb.tag_ in ("VBN", "VBD") and not any(
        c.dep_ in ("nsubj", "dobj") for c in verb.children) and _is_passive(verb.head)


def _particle_taken_for_preposition(verb: Token) -> Token | None:
    """"signs off the upgrade" parsed with "off" as a preposition: the particle of a phrasal verb, right
    after a verb without an object of its own ("logs the fault in the system" and "log in FOIAXpress" say
    where, so "in", "on" and "at" are never taken)."""
    lemma = verb.lemma_.lower()
    if any(c.dep_ in ("dobj", "obj") for c in verb.children) or verb.i + 1 >= len(verb.doc):
        return None
    after = verb.doc[verb.i + 1]
    taken = after.head == verb and after.dep_ == "prep" and after.lower_ not in ("in", "on", "at") \
        and f"{lemma} {after.lower_}" in lexicon().phrasal and any(g.dep_ == "pobj" for g in after.children)
    return after if taken else None


def _verb_taken_for_noun(token: Token) -> bool:
    """"finance reserves the budget": a role, a word that is a verb's -s form, then an object."""
    if token.pos_ != "NOUN" or token.tag_ != "NNS" or token.i == 0 or token.i + 1 >= len(token.doc):
        return False
    before, after = token.doc[token.i - 1], token.doc[token.i + 1]
    if (before.pos_ == "ADV" or before.lower_ == "first") and token.i > 1:
        before = token.doc[token.i - 2]  # "the assistant first checks the catalogue"
    if after.pos_ not in ("DET", "PRON", "ADJ", "NOUN", "NUM", "ADP") and after.tag_ != "PRP$":
        return False
    if role_name(before) is None and before.lower_ not in lexicon().departments and not (
            after.pos_ == "DET" and after.lower_ in ("every", "each", "the", "a", "an", "all") and before.pos_ == "NOUN"
            and any(c.dep_ == "compound" for c in before.children)):
        return False  # "customer service contacts every affected customer": no noun phrase runs on into "every"
    return _verb_s_form(token)


def _noun_taken_for_verb(token: Token) -> bool:
    """"applies the MEL placards" parsed as a clause "the MEL placards": a plural noun right after a verb
    without an object, read as a verb whose subject is the words between."""
    verb = token.head
    if token.tag_ != "VBZ" or token.dep_ != "ccomp" or verb.pos_ != "VERB" or verb.i > token.i \
            or any(c.dep_ in ("dobj", "obj", "nsubj") for c in verb.children if c.i > verb.i and c != token) \
            or any(c.dep_ in ("dobj", "obj", "prep", "ccomp", "xcomp") for c in token.children):
        return False
    between = verb.doc[verb.i + 1: token.i]
    return len(between) > 0 and between[0].pos_ == "DET" and all(
        t.pos_ in ("DET", "ADJ", "NOUN", "PROPN") for t in between) and "NOUN" in wordforms.all_lemmas(token.lower_)


def _clause_tokens(verb: Token, predicates: set[int]) -> list[Token]:
    """The tokens of ``verb``'s own clause: its subtree without the clauses of other predicates."""
    out: list[Token] = []

    def walk(token: Token) -> None:
        out.append(token)
        for child in token.children:
            if child.i in predicates and child != verb:
                continue
            if child.dep_ == "advcl" and any(m.dep_ == "mark" for m in child.children):
                continue
            walk(child)

    walk(verb)
    return sorted(out, key=lambda t: t.i)


class _SentenceReader:
    def __init__(self, reader: Reader, sentence: Span, index: int, listed: bool) -> None:
        self.reader = reader
        self.sentence = sentence
        self.index = index
        self.listed = listed
        self.lex = lexicon()

    # which tokens head a clause of their own
    def predicates(self) -> list[Token]:
        found: list[Token] = []
        for token in self.sentence:
            if token.dep_ == "advcl" and _mark(token) in ("when", "whenever", "once", "as soon as", "if") \
                    and token.lemma_.lower() in self.lex.perceiving:
                continue  # "when housekeeping spots a fault": what sets the work off, not work
            if any(_misread_arrival(c) for c in token.children):
                continue  # "warranty claims arrive": the plural taken for a verb is what arrives
            if _verb_inside_object(token):
                found.append(token)  # "renew the lease and issue invoices", with "issue" read into the object
                continue
            if _verb_taken_for_noun(token) or _finite_verb_misattached(token) or _bare_passive(token) \
                    or _root_verb_taken_for_noun(token) or _misread_arrival(token) \
                    or (token.dep_ == "ccomp" and _arriving(token) is not None):
                found.append(token)
                continue
            if token.pos_ not in ("VERB", "AUX") or token.dep_ not in _PREDICATE_DEPS:
                continue
            if token.pos_ == "AUX" and not self._responsible(token):
                continue
            if token.dep_ == "conj" and token.head.i not in {t.i for t in found} and not (
                    token.tag_ in ("VBZ", "VBD", "VBP") and token.head.pos_ in ("NOUN", "PROPN")
                    and any(f.i < token.i for f in found)):
                continue  # a finite verb joined to a noun is the parser's slip: "buyer converts req … and sends it"
            if token.dep_ == "xcomp" and token.head.lemma_ not in self.lex.not_actions:
                continue
            if token.dep_ == "relcl" and not self._relative_actor(token):
                continue
            if token.dep_ == "ccomp" and (not self._acting_subject(token) or _noun_taken_for_verb(token)):
                continue
            if token.dep_ == "ROOT" and _mark(token) in ("if", "unless", "when", "whenever") and any(
                    c.dep_ == "ccomp" for c in token.children):
                continue  # "if the panel agrees we send an offer", parsed with the condition on top
            if token.dep_ == "pcomp" and not self._responsible_for(token) and not (
                    token.tag_ == "VBG" and token.head.lower_ in ("after", "before")):
                continue
            if token.dep_ == "advcl" and not _mark(token) and token.tag_ == "VBG":
                continue  # "…, comparing the loss with the policy": a detail of the clause above
            if token.dep_ == "advcl" and _purpose(token) and not self._sent_back(token.head):
                continue  # "I call the client back to get the date": what the step is for
            if token.dep_ == "advcl" and _mark(token) not in ("", *_TIME_MARKS, "while") and not (
                    _mark(token) in ("when", "whenever") and self._temporal(token)
                    and token.lemma_.lower() not in self.lex.arrival):
                continue  # "if …", "until …": a condition of the clause above, read with it
            found.append(token)
        return found

    def _acting_subject(self, verb: Token) -> bool:
        """Whether a clause the parser put under another names who acts: its subject, or the agent of its
        passive ("the request is validated by the porting system: the PAC is checked …")."""
        subject = _subject(verb)
        if subject is not None and (subject.lower_ in _NARRATOR or role_name(subject) is not None):
            return True
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        actor = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        return actor is not None and (role_name(actor) is not None or _agent_phrase(actor) is not None)

    def _responsible(self, aux: Token) -> bool:
        return any(c.dep_ == "acomp" and c.lower_ in ("responsible", "accountable", "in") for c in aux.children)

    def _sent_back(self, verb: Token) -> bool:
        """"sent back to the employee to fix": what work is sent back for is the receiver's step, not a purpose."""
        return verb.lemma_.lower() in self.lex.rework_back_verbs

    def _responsible_for(self, token: Token) -> bool:
        prep = token.head
        return prep.lower_ == "for" and prep.head.lower_ in ("responsible", "accountable", "charge")

    def _relative_actor(self, verb: Token) -> bool:
        """"… sends it to a manager, who approves it" is a step; "examined by a claims officer, who
        compares …" describes how the officer examines and stays with that step."""
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.lower_ not in _RELATIVE and (role_name(subject) is not None
                                                                   or subject.lower_ in _NARRATOR):
            return any(c.lower_ in _RELATIVE and c.dep_ in ("dobj", "obj") for c in verb.children)  # "…, which procurement advertises"
        if subject is None or subject.lower_ not in _RELATIVE or (role_name(verb.head) is None
                                                                and _group_name(verb.head) is None):
            return False
        return verb.head.head.dep_ != "agent" and verb.head.dep_ not in ("nsubj", "nsubjpass")

    def frames(self) -> list[Frame]:
        decision = self._decision_options()
        if decision is not None:
            return [decision]
        predicates = self.predicates()
        ids = {p.i for p in predicates}
        frames: list[Frame] = []
        for verb in predicates:
            if verb.pos_ == "AUX":
                continue  # "X is responsible for …": the frame is the verb under "for"
            frame = self._frame(verb, ids)
            if frame is not None and frame.verb in self.lex.requirement:
                frames.extend(self._needed_approvals(frame, verb))
            elif frame is not None:
                frames.extend(self._approvals_from(frame, verb) or [frame])
        for frame in frames:  # "the purchase must go out to formal bid, which procurement advertises"
            if frame.head.lemma_.lower() in self.lex.not_actions and any(
                    other.head.dep_ == "relcl" and other.performer and other.head.head in frame.head.subtree
                    for other in frames if other is not frame):
                frame.kind = "context"  # the work is the relative clause's step; going there is no step
        return self._order(frames)

    def _decision_options(self) -> Frame | None:
        """"The committee's decision may be to approve, to request revisions or to reject": the options are
        the outcomes of one decision, the step of whoever decides, not a step each."""
        root = self.sentence.root
        subject = _subject(root)
        if root.lemma_ != "be" or subject is None or subject.lemma_.lower() not in self.lex.decision_nouns \
                or not any(c.dep_ == "xcomp" and c.pos_ == "VERB" for c in root.children):
            return None
        frame = Frame(verb="decide", head=root, text=_text(self.sentence), sentence=self.index, listed=self.listed,
                      obj="outcome", obj_head="outcome")
        owner = next((c for c in subject.children if c.dep_ == "poss"), None)
        role = self._role(owner) if owner is not None else None
        if role:
            frame.performer, frame.performer_how = role, "subject"
            self.reader.last_performer = self.reader.last_third = role
        return frame

    def _needed_approvals(self, frame: Frame, verb: Token) -> list[Frame]:
        """"Anything over $500 needs the manager's OK", "access needs manager + DBA approval": a step
        for each role named, doing what the needed noun says, under the condition on the subject."""
        needed = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        if needed is None:
            return [frame]
        roles: list[str] = []
        action = "approve"
        for token in [needed, *needed.conjuncts]:
            if (role := role_name(token)) is not None and token.lower_ not in self.lex.approval_nouns:
                roles.append(role)
                continue
            written = object_phrase(token)[0].split()[-1]  # "sign-off", parsed as "sign", "-", "off"
            noun = next((w for w in (written, token.lower_) if w in self.lex.approval_nouns), token.lemma_.lower())
            if noun in self.lex.approval_nouns:
                action = self.lex.approval_nouns[noun]
                for modifier in token.lefts:
                    for part in [modifier, *modifier.conjuncts]:
                        if part.dep_ in ("compound", "poss", "nmod", "amod", "conj") and (role := _approver(part)):
                            roles.append(role)
                roles += _giver(token)  # "approval from the board"
        if not roles:
            return [frame]
        if self.reader.last_object == frame.obj:  # the approval needed is not what the work is about
            self.reader.last_object = frame.antecedent
            self.reader.last_object_head = frame.antecedent.split()[-1] if frame.antecedent else ""
        subject = _subject(verb)
        if subject is not None and is_figure(subject):  # "orders >10k need …": the figure parsed as the subject
            subject = next((t for t in reversed(verb.doc[verb.sent.start: subject.i]) if t.pos_ in ("NOUN", "PROPN")
                            and not is_figure(t)), subject)
        if frame.condition is None and subject is not None:
            frame.condition = _subject_condition(subject) or _figure_before(verb)
        out: list[Frame] = []
        for role in dict.fromkeys(roles):
            step = Frame(verb=action, head=verb, text=frame.text, sentence=frame.sentence, listed=frame.listed,
                         performer=role, performer_how="subject", condition=frame.condition,
                         antecedent=frame.antecedent)
            if subject is not None and not _pronoun(subject) and subject.pos_ in ("NOUN", "PROPN") \
                    and not _bare_adjective(subject):
                step.obj, step.obj_head = object_phrase(subject)
            out.append(step)
        return out

    def _approvals_from(self, frame: Frame, verb: Token) -> list[Frame]:
        """"gets sign-off from the CTO and from legal": each role asked gives the approval, a step of its
        own, on what the work was about; the one who asks has nothing to do but wait."""
        if verb.lemma_.lower() not in self.lex.receive:
            return []
        needed = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        noun = "".join(t.text_with_ws for t in _phrase_tokens(needed)).lower().replace(" ", "") if needed else ""
        action = self.lex.approval_nouns.get(noun) or self.lex.approval_nouns.get(needed.lemma_.lower() if needed else "")
        if needed is None or action is None:
            return []
        preps = sorted((c for t in (verb, needed) for c in t.children if c.dep_ == "prep" and c.lower_ == "from"),
                       key=lambda t: t.i)
        roles = [role for prep in preps for joined in _conjuncts(prep) for pobj in joined.children
                 if pobj.dep_ == "pobj" for part in _conjuncts(pobj) if (role := role_name(part))]
        return [Frame(verb=action, head=verb, text=frame.text, sentence=frame.sentence, listed=frame.listed,
                      performer=role, performer_how="subject", condition=frame.condition, obj=frame.antecedent,
                      obj_head=frame.antecedent.split()[-1] if frame.antecedent else "", antecedent=frame.antecedent,
                      parallel=index > 0)
                for index, role in enumerate(dict.fromkeys(roles))]

    def _order(self, frames: list[Frame]) -> list[Frame]:
        """Clauses "after"/"once" something happens come before it; "before" clauses after."""
        ordered = list(frames)
        for frame in frames:
            governor = frame.head.head
            mark = _mark(frame.head) if frame.head.dep_ == "advcl" else ""
            if frame.head.dep_ == "pcomp":
                mark, governor = frame.head.head.lower_, frame.head.head.head
            if mark not in _TIME_MARKS and mark not in ("when", "whenever"):
                continue
            head = next((f for f in ordered if f.head == governor), None)
            if head is None:
                continue
            ordered.remove(frame)
            at = ordered.index(head)
            ordered.insert(at + 1 if mark == "before" else at, frame)
        return ordered

    def _frame(self, verb: Token, predicates: set[int]) -> Frame | None:
        lex = self.lex
        clause = _clause_tokens(verb, predicates)
        particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), "")
        lemma = verb.lemma_.lower()
        if verb.pos_ == "NOUN":
            lemma = wordforms.lemmas(verb.lower_, "VERB")[0]
        if not particle and any(c.lower_ == "back" and c.dep_ == "advmod" for c in verb.children):
            particle = "back"  # "rolls back to manual triage"
        if not particle and (taken := _particle_taken_for_preposition(verb)) is not None:
            particle = taken.lower_  # "signs off the upgrade"
        keep = particle != "back" or f"{lemma} back" in lex.phrasal  # "roll back" is a verb; "send back" reworks
        frame = Frame(verb=f"{lemma} {particle}".strip() if keep else lemma, head=verb,
                      text=_text(clause), sentence=self.index, listed=self.listed)
        result = next((c for c in verb.children if c.dep_ in ("oprd", "ccomp", "xcomp") and c.tag_ == "VBN"), None)
        if lemma in lex.light_with_object and result is not None:  # "keeps merchants updated" → update merchants
            frame.verb = result.lemma_.lower()
        frame.passive = _is_passive(verb)
        frame.negated = any(c.dep_ == "neg" for c in verb.children)
        antecedent = self.reader.last_object
        frame.antecedent = antecedent
        self._performer(frame, verb)
        self._object(frame, verb)
        self._recipient(frame, verb)
        if not frame.obj and frame.recipient and not frame.back_to and not frame.passive and lemma not in lex.receive \
                and not _worked_with(verb):
            frame.obj, frame.obj_head = f"to {frame.recipient}", frame.recipient.split()[-1].lower()  # hand over to carrier
        self._flow_words(frame, verb, clause, particle, antecedent)
        self._kind(frame, verb, lemma)
        said = _subject(verb) if not frame.passive else None
        if said is not None and _role_before_verb_form(said) is not None:
            # "doc signs discharge order": the -s form is the action, the word taken for the verb its object
            frame.verb = wordforms.lemmas(said.lower_, "VERB")[0]
            frame.obj = f"{verb.lower_} {frame.obj}".strip()
            frame.obj_head = frame.obj.split()[-1]
            frame.kind = "step"
        return frame

    def _performer(self, frame: Frame, verb: Token) -> None:
        lex = self.lex
        actor: Token | None = None
        how = "subject"
        if frame.passive:
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            actor = _stray_agent(verb) if agent is None else None  # its own "by", wherever the parser hung it
            if agent is None and actor is None and verb.dep_ == "conj":
                agent = next((c for c in verb.head.children if c.dep_ == "agent"), None)
            if agent is not None:
                actor = next((c for c in agent.children if c.dep_ == "pobj"), None)
            how = "agent"
        elif verb.dep_ == "pcomp":
            be = verb.head.head.head
            actor = next((c for c in be.children if c.dep_ == "nsubj"), None)
            how = "responsible"
        else:
            actor = _subject(verb)
            actor = (_role_before_verb_form(actor) or actor) if actor is not None else None
        if actor is None:
            return
        if actor.lower_ in _RELATIVE and actor.head.dep_ == "relcl":
            actor = actor.head.head
        low = actor.lower_
        role: str | None
        if low in _NARRATOR or (low in ("team", "department") and any(c.lower_ in ("my", "our") for c in actor.children)):
            role, how = self.reader.narrator, "narrator"
            frame.performer_how = how
        elif low == "you":  # addressed by a provider speaking as "we", the reader is its customer
            role, how = (lex.addressee if self.reader.provider_voice else self.reader.narrator), "narrator"
        elif low in _PERSONAL:
            role, how = _pronoun_antecedent(actor, self.reader), "pronoun"
        elif _pronoun(actor) and actor.text != "IT":
            role = _member_of(actor)  # "audited by someone in finance"
        elif _generalisation(actor):
            return
        else:
            role = self._role(actor) or (_agent_phrase(actor) if how == "agent" or _acts_on_object(verb, actor) else None) \
                or _group_name(actor) or (_short_name(actor, self.reader) or _bare_group(actor)
                                          if _acts_on_object(verb, actor) or how == "agent" else None)
            others = [self._role(t) for t in _conjuncts(actor)[1:]]
            frame.co_performers = [o for o in others if o]
        if role and role.lower() not in lex.not_roles:
            frame.performer, frame.performer_how = role, how
            self.reader.last_performer = role
            if how != "narrator":
                self.reader.last_third = role
                self.reader.roles.append(role)

    def _role(self, token: Token) -> str | None:
        """The role ``token`` names, as this text has named it before (see :func:`_text_role`)."""
        return _text_role(token, self.reader)

    def _object(self, frame: Frame, verb: Token) -> None:
        subject = _subject(verb)
        earlier = self.reader.last_object, self.reader.last_object_head, self.reader.plural_object
        if subject is not None and not frame.passive and not _pronoun(subject) and role_name(subject) is None \
                and subject.pos_ in ("NOUN", "PROPN") and frame.performer is None:
            self.reader.remember(subject)  # "alerts from Prometheus page the SRE": about alerts
        target: Token | None = None
        if frame.passive:
            target = verb.head if _bare_passive(verb) else next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            if target is not None and target.like_num:  # "Orders over $5,000 are approved", parsed around the sum
                target = next((c for c in target.lefts if c.pos_ in ("NOUN", "PROPN")), target)
            given = next((c for c in verb.children if c.dep_ in ("dobj", "obj") and c.pos_ in ("NOUN", "PROPN", "ADJ")), None)
            person = target is not None and (role_name(target) is not None or target.lemma_.lower() in self.lex.requesters)
            if given is not None and person and target is not None:  # "the patient is offered a new date"
                frame.recipient, target = role_name(target) or title_case(target.lemma_.lower()), given
            if target is None and verb.dep_ == "conj":
                target = next((c for c in verb.head.children if c.dep_ == "nsubjpass"), None)
        else:
            objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
            taken = _particle_taken_for_preposition(verb)
            objects += [c for c in (taken.children if taken is not None else ()) if c.dep_ == "pobj"]
            near = [c for c in objects if not any(t.is_punct for t in verb.doc[min(verb.i, c.i): max(verb.i, c.i)])]
            objects = near or objects  # "book the carrier: pallets …, parcels by UPS": the object is the carrier
            # "send the tenant a renewal proposal": the thing sent, not the person it goes to
            target = next((c for c in reversed(objects) if role_name(c) is None), objects[0] if objects else None)
            if target is not None and role_name(target) is not None and len(objects) > 1:
                frame.recipient = role_name(target)
            whether = next((c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and any(
                m.lower_ in ("whether", "if") for m in c.children)), None)
            if target is None and whether is not None:  # "decides whether to renew": what is decided
                frame.obj = f"whether to {whether.lemma_.lower()}"
                frame.obj_head = whether.lemma_.lower()
                return
            inside = _verb_inside_object(verb)
            if target is None and inside:
                target = _following_noun(verb)
            if target is not None and not inside and (first := _object_before_verb(target)) is not None:
                target = first  # "renew the lease and issue invoices": the lease, and "issue invoices" a step
            if target is None and verb.pos_ == "NOUN":
                target = next((c for c in verb.rights if c.pos_ in ("NOUN", "PROPN")), None) or _following_noun(verb)
            if target is None and verb.dep_ == "compound" and verb.head.pos_ in ("NOUN", "PROPN"):
                target = verb.head
            if target is None:
                target = _object_misread(verb) or _object_of_next_conjunct(verb) or _gerund_object(verb)
            taken_noun = next((c for c in verb.children if _noun_taken_for_verb(c)), None)
            if target is None and taken_noun is not None:  # "applies the MEL placards"
                words = object_phrase(taken_noun)[0].split()
                noun = wordforms.all_lemmas(taken_noun.lower_)["NOUN"][0]
                frame.obj, frame.obj_head = " ".join([*words[:-1], noun]), noun
                self.reader.remember(taken_noun, (frame.obj, frame.obj_head))
                return
            if target is None:  # "we check the policy is active": what the clause is about
                clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
                subject = _subject(clause) if clause is not None else None
                own = next((c for c in clause.children if c.dep_ == "nsubj"), None) if clause is not None else None
                if subject is not None and own is not None and subject.head == own and subject.dep_ == "conj":
                    subject = own  # "tunes the rules and the engineer evaluates it": the role joined to this object
                target = subject if subject is not None and subject.pos_ in ("NOUN", "PROPN") \
                    and role_name(subject) is None else None
            if target is None:
                backs = [c for c in verb.children if c.lower_ == "back"]  # "rolls back to manual triage"
                for prep in [*verb.children, *(p for back in backs for p in back.children)]:
                    if prep.dep_ == "prep" and prep.lower_ in ("for", "on", "with", "into", "through", "from", "to", "in"):
                        target = next((c for c in prep.children if c.dep_ == "pobj"), None)
                        if target is not None and prep.lower_ == "in" and (target.pos_ == "PROPN" or detect_systems(
                                target.text)):
                            target = None  # "enters it in SAP": where, not what
                            continue
                        if target is not None and prep.lower_ == "with" and _partner(target):
                            target = None  # "investigate with the relevant department": who helps, not what
                            continue
                        if target is not None and not (prep.lower_ == "to" and role_name(target)):
                            if prep.lower_ in ("from", "to", "on", "in"):
                                text, head = object_phrase(target)
                                frame.obj, frame.obj_head = f"{prep.lower_} {text}", head
                                return
                            break
                        target = None
        if target is not None and target.lemma_.lower() in self.lex.time_nouns and not frame.passive:
            target = None  # "I investigate the same day": when, not what
        if target is None:
            return
        if _pronoun(target) or target.lower_ in _RELATIVE or target.lemma_.lower() == "one":
            if target.dep_ in ("nsubjpass", "dobj") and target.lower_ in _RELATIVE and target.head.dep_ == "relcl":
                target = target.head.head
            elif (told := self._person_told(frame, verb, target)) is not None:
                frame.obj, frame.obj_head = told.lower(), told.split()[-1].lower()  # "tell them" → tell customer
                return
            else:  # what the text was about before this clause: "a delivery company brings it"
                frame.obj, frame.obj_head = _referent(target, *earlier)
                return
        nominal = verb_of_noun(target.lemma_.lower()) if verb.lemma_.lower() in self.lex.support_verbs \
            and not frame.passive else None
        if nominal and target.lemma_.lower() != nominal and target.pos_ == "NOUN" and self._nominal_action(
                frame, verb, target, nominal):
            return
        frame.obj, frame.obj_head = self.reader.standing_for(object_phrase(target))
        last = self.reader.last_object
        if frame.obj == frame.obj_head == self.reader.last_object_head and " " in last and target.head != verb \
                and target.head.dep_ == "conj" and not frame.passive:
            frame.obj = last  # "raise access requests … approves or rejects the request": the one named before
        words = frame.obj.split()
        if verb.i < target.i and verb.lower_ in words[:-1]:  # "legal reviews non-standard terms" read as one noun
            frame.obj = " ".join(words[words.index(verb.lower_) + 1:])
        self.reader.remember(target, (frame.obj, frame.obj_head))

    def _person_told(self, frame: Frame, verb: Token, pronoun: Token) -> str | None:
        """Whom "them" or "her" stands for after a verb of telling or contacting: the last role named other
        than the one who tells ("the agent checks for open claims; if any, tell them" → the customer)."""
        if pronoun.lower_ not in _PERSONAL or verb.lemma_.lower() not in self.lex.addressing or any(
                c.dep_ in ("prep", "dative") and c.lower_ == "to" for c in verb.children):
            return None  # "emails them to the requester": the things sent
        teller = {frame.performer, self.reader.last_performer}
        return next((r for r in reversed(self.reader.roles) if r not in teller), None)

    def _nominal_action(self, frame: Frame, verb: Token, target: Token, nominal: str) -> bool:
        """"the nurse does teaching with the family" → teach family; "run identity verification with Onfido" →
        verify identity (the noun's own modifier, not the system it runs on). A noun with nothing to act on
        stays as written ("run transformations")."""
        modifiers = [t for t in _phrase_tokens(target) if t != target and t.pos_ in ("NOUN", "PROPN")]
        pobj = None
        for prep in [*target.children, *verb.children]:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "with", "for", "on", "to"):
                pobj = next((c for c in prep.children if c.dep_ == "pobj" and not detect_systems(c.text)
                             and c.pos_ != "PROPN" and not c.text[:1].isupper()), None)
                if pobj is not None:
                    break
        if pobj is not None:
            frame.obj, frame.obj_head = object_phrase(pobj)
        elif modifiers:
            frame.obj = " ".join(t.text if t.text.isupper() else t.lower_ for t in modifiers)
            frame.obj_head = modifiers[-1].lower_
        else:
            return False
        frame.verb = nominal
        self.reader.last_object, self.reader.last_object_head = frame.obj, frame.obj_head
        return True

    def _recipient(self, frame: Frame, verb: Token) -> None:
        if verb.lemma_.lower() in self.lex.receive:  # "applicants receive a letter from the GO": the GO sends it
            received = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
            for prep in [*verb.children, *(c for o in received for c in o.children)]:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep.lower_ == "from" else None
                role = role_name(pobj) if pobj is not None else None
                if role:
                    frame.recipient, frame.performer, frame.performer_how = frame.performer, role, "subject"
                    frame.verb = "send"
                    return
        for child in verb.children:
            preps = [child] if child.dep_ == "prep" else [c for c in child.children if c.dep_ == "prep"] \
                if child.lower_ == "back" else []
            for prep in preps:
                if prep.lower_ not in ("to", "with"):
                    continue
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                role = role_name(pobj) if pobj is not None else None
                if role:
                    frame.recipient = role
                    if child.lower_ == "back" or any(c.lower_ == "back" for c in verb.children):
                        frame.back_to = role
            if child.dep_ == "dative":
                role = role_name(child)
                frame.recipient = role or frame.recipient

    def _flow_words(self, frame: Frame, verb: Token, clause: list[Token], particle: str, antecedent: str) -> None:
        lex = self.lex
        lemma = verb.lemma_.lower()
        for child in verb.children:
            if child.dep_ == "advcl":
                mark = _mark(child)
                if mark in ("if", "unless", "where", "in case", "provided") or (
                        mark in ("when", "whenever") and not self._temporal(child)):
                    condition = read_condition(_condition_tokens(child), antecedent)
                    frame.condition = condition.negation() if mark == "unless" else condition
                elif mark == "until":
                    frame.until = read_condition(list(child.subtree), frame.obj)
                elif mark == "while" and child.i < verb.i:
                    frame.parallel = True  # "while the kitchen cooks, the waiter readies a cart": read after it
            if child.dep_ == "prep" and child.lower_ in ("for", "above", "over", "under", "below", "between", "with"):
                numeric = read_condition(list(child.subtree))
                if numeric.rules and not isinstance(numeric.rules[0].value, bool):
                    frame.condition = frame.condition or numeric
        if frame.condition is None:
            frame.condition = _on_consent(verb)
        if frame.condition is None and verb.dep_ == "ccomp" and _mark(verb.head) in ("if", "unless", "when", "whenever"):
            condition_tokens = [t for t in verb.head.subtree if t not in set(verb.subtree) and not t.is_punct]
            frame.condition = read_condition(condition_tokens, antecedent)
        if frame.condition is None:
            frame.condition = _numeric_lead(verb)
        own = [t for t in clause if t.i <= verb.i] or clause
        if _has_marker(own, lex.otherwise) or any(t.lower_ in ("otherwise", "else") for t in clause):
            frame.otherwise, frame.condition = True, None
        if _has_marker(clause, [p for p in lex.parallel if p != "while"]):
            frame.parallel = True
        if verb.dep_ == "advcl" and _mark(verb) == "while" and verb.i > verb.head.i:
            frame.parallel = True  # "A prepares the notice while B arranges collection": B beside A
        if verb.dep_ == "conj" and any(t.lower_ in ("or", "either") and t.i < verb.i and t.head == verb.head
                                       for t in verb.head.children if t.dep_ in ("cc", "preconj")):
            frame.alternative = True
        sent_back = lemma in lex.rework_back_verbs and (particle in lex.rework_particles or any(
            c.lower_ == "back" and c.dep_ in ("advmod", "prt") for c in verb.children))
        rework = lemma in lex.rework or lemma.replace("-", "") in lex.rework or sent_back or any(c.lower_ in lex.rework_adverbs for c in verb.children)
        if lemma == "return" and frame.passive and frame.recipient:
            rework = True
        if rework:
            frame.kind = "rework"
            self._reworked_when(frame, verb, lemma)

    def _reworked_when(self, frame: Frame, verb: Token, lemma: str) -> None:
        """"incomplete requests are returned to the originator": work sent back to a role goes back to that
        role's step, and only the requests the subject's words single out go back — a decision."""
        if frame.back_to is None and frame.recipient and lemma in self.lex.rework_back_verbs:
            frame.back_to = frame.recipient
        subject = _subject(verb)
        if frame.condition is None and subject is not None and not _pronoun(subject):
            frame.condition = qualified(subject)

    def _routed(self, frame: Frame, subject: Token | None) -> None:
        """"anything beyond 30% goes to the CFO": above a threshold, the role approves; "technical issues
        go to tier 2": the work is escalated to the role."""
        what = object_phrase(subject) if subject is not None and subject.pos_ in ("NOUN", "PROPN") else ("", "")
        role = frame.recipient or ""
        threshold = frame.condition is not None and any(
            not isinstance(r.value, bool) and r.unit not in self.lex.time_units for r in frame.condition.rules)
        tiers = any(t.lemma_.lower() in self.lex.approval and t.pos_ == "VERB" and _subject(t) is not None
                    for t in frame.head.sent if t.i < frame.head.i)
        if threshold or tiers:  # "under $100 agents approve, above goes to the team lead"
            approves = tiers or _approving_role(role)  # "over 3 floors also goes to the structural engineer": a review
            frame.verb, frame.performer, frame.performer_how = "approve" if approves else "review", role, "subject"
            frame.obj, frame.obj_head = what
            return
        frame.verb = "escalate"
        if any(c.dep_ == "relcl" for prep in frame.head.children if prep.lower_ == "to" for c in prep.subtree):
            frame.kind = "context"  # "… go to the panel, which scores them": the panel's step says the rest
        frame.obj, frame.obj_head = (f"{what[0]} to {role}".strip(), what[1] or role.split()[-1].lower())

    def _converted(self, frame: Frame, verb: Token) -> bool:
        """"signed quotes are turned into a sales order", "it becomes a Jira bug": the result is created."""
        result = next((c for c in verb.children if c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN")), None)
        for prep in verb.children:
            if result is None and prep.dep_ == "prep" and prep.lower_ == "into":
                result = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if result is None:
            return False
        frame.verb = "create"
        frame.obj, frame.obj_head = object_phrase(result)
        frame.kind = "step"
        return True

    def _breaks_condition(self, verb: Token) -> bool:
        """"if X, A does p; otherwise B does q" — a conjunct after "otherwise" leaves the condition."""
        between = verb.doc[verb.head.i + 1: verb.i]
        return any(t.lower_ in ("otherwise", "else") for t in between)

    def _temporal(self, clause: Token) -> bool:
        """"When a claim arrives", "when the customer submits it": a moment, not a decision. "When the
        claim is marked Not OK", "when the amount exceeds $500": a condition."""
        if clause.lemma_.lower() in self.lex.arrival:
            return True
        subject = _subject(clause)
        return subject is not None and role_name(subject) is not None and not _is_passive(clause)

    def _kind(self, frame: Frame, verb: Token, lemma: str) -> None:
        lex = self.lex
        if frame.kind == "rework":
            return
        subject = _subject(verb)
        if lemma in lex.arrival and verb.dep_ == "ROOT" and subject is not None and subject.pos_ in ("NOUN", "PROPN") \
                and role_name(subject) is None and subject.lemma_.lower() in lex.process_nouns:
            frame.kind = "context"  # "the process begins when …": the process itself is nothing received
            return
        arriving = _arriving(verb) if verb.dep_ != "advcl" else None
        if arriving is not None:  # "support tickets arrive in Zendesk": the process receives them
            frame.verb = "receive"
            frame.obj, frame.obj_head = arriving
            self.reader.last_object, self.reader.last_object_head = arriving
            self.reader.plural_object = arriving
            return
        if lemma in lex.routing and (subject is None or role_name(subject) is None) and _routed_to(verb, frame):
            self._routed(frame, subject)
            return
        if lemma in lex.conversion and self._converted(frame, verb):
            return
        # "look" describes, "look up the order" acts; a clause with no object, actor or command is context
        if (frame.verb in lex.not_actions and not (lemma in lex.light_with_object and frame.obj)) or (
                not frame.obj and not frame.performer and not self.listed and verb.tag_ != "VB"
                and frame.performer_how != "narrator"):
            frame.kind = "context"
        if lemma in lex.light_with_object and not any(c.dep_ in ("dobj", "nsubjpass") for c in verb.children) \
                and frame.verb == lemma and not (frame.passive and frame.obj) and not _verb_inside_object(verb):
            frame.kind = "context"  # "discharge takes way too long on the ward"
        if subject is not None and _generalisation(subject):
            frame.kind = "context"  # "most owners avoid changes": a habit, not a step
        if self.reader.present and verb.dep_ in ("ROOT", "conj", "ccomp") and _background(verb):
            frame.kind = "context"  # "I'm drowning in requests", "so I wrote down the rules", "what we've agreed"
        if frame.negated and frame.kind == "step":
            frame.kind = "context"  # "the clerk does not check …" states a rule, not a step
        if any(c.dep_ == "aux" and c.lower_ in lex.optional_modals for c in verb.children):
            frame.kind = "context"  # "rejected applicants may re-apply": an option, not a step
        if frame.performer_how == "narrator" and lemma in lex.narrator_intro and self.index in self.reader.narrator_sentences:
            frame.kind = "context"  # "I run the service desk": who is speaking
        if not verb.text.replace("-", "").isalpha() or len(verb.text) < 2:
            frame.kind = "context"
        if verb.i == verb.sent.start and verb.text[:1].isupper() and not known_verb(lemma) and verb.pos_ == "VERB":
            frame.kind = "context"  # "Cardholder disputes …": a capitalised first word the tagger took for a verb


def _background(verb: Token) -> bool:
    """A clause in the past, the perfect or the progressive without an object ("I wrote down", "we've
    agreed", "I'm drowning"): in a text that tells its steps in the present, it tells how things came to
    be, not a step."""
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _background(verb.head)  # "is collected by the agent and sold at auction": the tense of the first
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ in ("VBD",) for a in auxiliaries) or (_past(verb) and not auxiliaries):
        return True
    if verb.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxiliaries):
        return True
    return verb.tag_ == "VBG" and any(a.lemma_ == "be" and a.dep_ == "aux" for a in auxiliaries) and not any(
        c.dep_ in ("dobj", "obj") for c in verb.children)  # "we're launching an agent" announces the work


def _tells_in_present(sentences: Sequence[Span]) -> bool:
    """Whether most finite verbs of the text are in the present tense."""
    finite = [t for sentence in sentences for t in sentence if t.tag_ in ("VBZ", "VBP", "VBD")]
    past = sum(_past(t) for t in finite)
    return len(finite) - past > 2 * past


def _past(verb: Token) -> bool:
    """A verb in the past tense, and plainly so: "set", "put" or "let" may as well be the present."""
    return verb.tag_ == "VBD" and verb.lower_ != verb.lemma_.lower()


def _purpose(verb: Token) -> bool:
    """"(in order) to get the date": an infinitive with no subject of its own, saying what its clause is for."""
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) \
        and _subject_child(verb) is None


def _subject_child(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _routed_to(verb: Token, frame: Frame) -> bool:
    """Whether ``verb`` passes work "to" a role or a numbered level ("to the CFO", "to tier 2"); the
    frame's recipient becomes that role."""
    if frame.recipient:
        return True
    for prep in verb.children:
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep.lower_ == "to" else None
        if pobj is not None and pobj.pos_ in ("NOUN", "PROPN") and any(c.like_num for c in pobj.children):
            frame.recipient = title_case(" ".join(t.text for t in pobj.subtree if not _pronoun(t) and t.pos_ != "DET"))
            return True
    return False


def _subject_condition(subject: Token) -> Condition | None:
    """"offers above the salary band": the subject's own qualifier is the condition."""
    qualifiers = [t for t in subject.children if t.dep_ in ("prep", "amod", "relcl", "acl") and t.i > subject.i]
    if not qualifiers:
        return None
    tokens = [t for q in qualifiers for t in q.subtree]
    comparators = {w for phrase in lexicon().comparators for w in phrase.split()}
    if not any(t.lower_ in comparators for t in tokens):
        return None  # "requests for prod databases" says what is meant, not when
    condition = read_condition([subject, *tokens])
    condition.label = " ".join(t.text for t in sorted({subject, *tokens}, key=lambda t: t.i))
    return condition


def _figure_before(verb: Token) -> Condition | None:
    """"discounts >15% need sales director", with the share parsed as a second subject: the figure the words
    before the verb set is the condition."""
    tokens = [t for t in verb.doc[verb.sent.start: verb.i] if not t.is_punct or t.text in ("<", ">", "%")]
    if not any(is_figure(t) or t.like_num for t in tokens):
        return None
    condition = read_condition(tokens)
    return condition if condition.rules and not isinstance(condition.rules[0].value, bool) else None


def _on_consent(verb: Token) -> Condition | None:
    """"On acceptance, bind the policy", "upon approval, the buyer issues the PO": work that waits for someone's
    consent is conditional on it (and the case ends without it, see ``analyst.model``)."""
    for prep in verb.lefts:
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep.lower_ in ("on", "upon") else None
        consent = verb_of_noun(pobj.lower_) if pobj is not None else None
        if pobj is not None and consent in lexicon().consent:
            condition = read_condition([pobj])
            condition.verbs = frozenset({consent})
            return condition
    return None


def _numeric_lead(verb: Token) -> Condition | None:
    """A threshold before the clause's subject ("above $25,000 the CFO signs off") or on it
    ("requests up to $2,500 are approved by …") is the clause's condition."""
    subject = _subject(verb)
    start = verb.sent.start if verb.dep_ == "ROOT" else verb.left_edge.i
    candidates: list[list[Token]] = []
    if subject is not None and start <= subject.i < verb.i:
        # "requests up to $2,500 are …"; "1k to 10k need the manager": a figure as the subject is part of it
        candidates.append([t for t in subject.subtree if t.i > subject.i or (t == subject and is_figure(t))])
        # "anything over $500 needs …" parsed with "500" as a second subject
        candidates += [list(c.subtree) for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c != subject
                       and is_figure(c)]
        candidates.append(_own_lead(verb.doc[start: subject.left_edge.i]))
    else:
        candidates.append(_own_lead(verb.doc[start: verb.i]))
    for tokens in candidates:
        if any(is_figure(t) for t in tokens):
            condition = read_condition(tokens)
            if condition.rules and not isinstance(condition.rules[0].value, bool):
                return condition
    return None


def _own_lead(span: Span) -> list[Token]:
    """The words before a clause's subject that belong to it: after the last comma or semicolon, since
    a clause before it ("anything over $500 needs the manager's OK, anything over $5,000 …") has its own."""
    cut = max((t.i + 1 for t in span if t.text in (",", ";")), default=span.start)
    return [t for t in span.doc[cut: span.end] if not t.is_punct]


def _condition_tokens(clause: Token) -> list[Token]:
    """The words of a condition clause. One that comes first runs up to the main clause's subject,
    so that words the parser hangs on the main verb ("if marked Not OK it is …") stay with it."""
    head = clause.head
    if clause.i > head.i:
        return list(clause.subtree)
    subject = _subject(head)
    end = subject.left_edge.i if subject is not None and subject.i > clause.i else head.i
    return [t for t in clause.doc[clause.left_edge.i: end] if not t.is_punct]


def _with_shared_conditions(sentence_reader: _SentenceReader) -> list[Frame]:
    """Frames of one sentence; a conjunct shares the condition of the clause it is joined to."""
    frames = sentence_reader.frames()
    by_head = {f.head.i: f for f in frames}
    for frame in frames:
        if frame.condition is None and frame.head.dep_ == "xcomp" and frame.head.head.i in by_head:
            frame.condition = by_head[frame.head.head.i].condition  # "above 30% the director has to approve"
        if frame.condition is None and not frame.otherwise and frame.head.dep_ == "conj":
            head = by_head.get(frame.head.head.i)
            if head is not None and head.condition is not None and not sentence_reader._breaks_condition(frame.head):
                frame.condition = head.condition
        if frame.head.dep_ == "conj" and frame.performer is None and not frame.passive:
            earlier = [f for f in frames if f.head.i < frame.head.i]
            head = by_head.get(frame.head.head.i) or (earlier[-1] if earlier else None)
            if head is not None:
                frame.performer, frame.performer_how = head.performer, head.performer_how
        if frame.passive and frame.performer is None:  # "witnesses are interviewed and evidence is gathered by X"
            joined = [f for f in frames if f.passive and f.performer_how == "agent" and f.head.dep_ == "conj"
                      and f.head.head == frame.head]
            if joined:
                frame.performer, frame.performer_how = joined[0].performer, "agent"
    return frames
