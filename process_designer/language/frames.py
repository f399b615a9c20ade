"""Clause frames from the dependency parse: who does what to what, under which condition.

:func:`read_frames` reads a text into frames (:class:`Frame`), one for each predicate of a sentence (a
root verb, the verbs coordinated with it, a relative clause about an actor, the verb under "needs to"
or "is responsible for"). It splits the text into units, reads each sentence with the clause reader,
falls back to noun steps and telegraphic lines where the parse holds no clause, sets aside remarks,
and shares subjects and conditions across the clauses of a sentence. The frame and the reader's
memory are defined in :mod:`process_designer.language.reading`; the parts of the reading live in
``roles``, ``objects``, ``clauses``, ``nominal``, ``remarks`` and ``units``.
"""

from __future__ import annotations

import re
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from process_designer.language.clauses import (
    _RELATIVE,
    _is_passive,
    _SentenceReader,
    _tells_in_present,
    _verb_taken_for_noun,
    _with_shared_conditions,
)
from process_designer.language.lexicon import lexicon
from process_designer.language.nominal import (
    _TELEGRAPHIC_WORDS,
    _conditional_command,
    _nominal_frames,
    _telegraphic,
    _with_moments,
    _with_noun_steps,
)
from process_designer.language.phrases import _has_marker, _mark, _text, object_phrase
from process_designer.language.pipeline import english
from process_designer.language.reading import Frame, Reader
from process_designer.language.remarks import (
    _definition,
    _said_no_work,
    _set_aside_remarks,
    _statistic,
)
from process_designer.language.roles import (
    _narrator_role,
    _remember_actors,
    _remember_subjects,
    _subject,
    role_name,
)
from process_designer.language.units import _imperative, _listed, _own_clause, _units

__all__ = ["Frame", "Reader", "read_frames"]


def read_frames(text: str, reader: Reader | None = None, lend_verb: str = "") -> tuple[list[Frame], Reader, list[Span]]:
    """Read ``text`` into frames in the order the text gives them, with the reader's memory.

    ``lend_verb`` is the action a heading gives a list of bare nouns ("set up" for "laptop, accounts").
    """
    reader = reader or Reader()
    nlp = english()
    units = _units(text)
    docs: list[Doc] = list(nlp.pipe([_imperative(u) if listed else u for u, listed in units]))
    docs = [_own_clause(doc, unit) or doc for doc, (unit, _) in zip(docs, units, strict=True)]
    frames: list[Frame] = []
    sentences: list[Span] = []
    named: list[tuple[int, int, str]] = []  # (how plainly, sentence, role) of each self-introduction
    for doc in docs:
        for sentence in doc.sents:
            sentences.append(sentence)
            if (introduced := _narrator_role(sentence)) is not None:
                named.append((introduced[0], len(sentences) - 1, introduced[1]))
    reader.present = _tells_in_present(sentences)
    reader.provider_voice = any(t.lower_ in ("we", "us", "our") for sentence in sentences for t in sentence)
    if reader.narrator is None and named:  # the plainest self-introduction anywhere in the text names them
        reader.narrator = min(named)[2]
    reader.narrator_sentences = {index for rank, index, _ in named if rank < 4}
    # several people who each say who they are ("I am the bed manager. I allocate …") speak in turn
    turns = sorted((index, role) for rank, index, role in named if rank <= 1)
    if len({role for _, role in turns}) < 2:
        turns = []
    for index, sentence in enumerate(sentences):
        if spoken := [role for at, role in turns if at <= index]:
            reader.narrator = spoken[-1]
        listed = units[0][1] if len(units) == 1 else _listed(sentence, units, docs)
        if (_statistic(sentence) or _definition(sentence)) and not listed:
            reader.context.append(sentence.text.strip())
            _remember_subjects(sentence, reader)  # "Letters usually arrive within two days; …"
            continue
        _remember_subjects(sentence, reader)
        memory = (reader.last_performer, reader.last_object, reader.last_object_head)
        found = _with_shared_conditions(_SentenceReader(reader, sentence, index, listed))
        if _lost_clauses(sentence, found):
            after_whole = (reader.last_performer, reader.last_object, reader.last_object_head)
            reader.last_performer, reader.last_object, reader.last_object_head = memory
            chunked = _read_chunks(sentence, index, listed, reader)
            if _reading_weight(chunked) >= _reading_weight(found):
                found = chunked
            else:
                reader.last_performer, reader.last_object, reader.last_object_head = after_whole
        _set_aside_remarks(sentence, found)
        if not _acts(found):
            found = [*found, *_conditional_command(sentence, index, reader)]
        if not _acts(found) and not _said_no_work(found):
            found = [*found, *_telegraphic(sentence, index, reader)]
        if not _acts(found) and not _said_no_work(found):
            found = [*found, *_nominal_frames(sentence, index, reader, lend_verb, listed)]
        _set_aside_remarks(sentence, found)
        _share_subjects(found)
        found = _with_moments(found, frames, index, reader.topic)
        _place_beside(sentence, found)
        if index == 0 and not reader.trigger:
            found = [*_note_trigger(sentence, reader), *found]
        frames.extend(found)
        _remember_actors(sentence, reader)
        if not any(f.kind == "step" for f in found):
            reader.context.append(sentence.text.strip())
    _own_names(frames)
    return frames, reader, sentences


def _own_names(frames: list[Frame]) -> None:
    """"the contractor's project manager writes the request … the project manager bills the change": a role
    named once with whom it works for and then by its own name is one role, called by its own name."""
    named = {f.performer for f in frames if f.performer}
    for frame in frames:
        owned = frame.performer.split("'s ", 1) if frame.performer else []
        if len(owned) == 2 and owned[1] in named:
            frame.performer = owned[1]


def _reading_weight(frames: list[Frame]) -> tuple[int, int]:
    """How much a reading of a sentence found: its steps, then the steps it found a condition for (the
    clause-by-clause reading loses a condition the whole sentence's parse ties to its clauses)."""
    steps = [f for f in frames if f.kind == "step"]
    return len(steps), sum(f.condition is not None for f in steps)


def _acts(frames: list[Frame]) -> bool:
    """Whether a sentence's clauses do work: a step, or work sent back ("claims with missing information
    are returned to the claimant with a notice"), whose nouns are then no steps of their own. Rework a role
    is said to do ("the account manager revises the quote") is that role's step too, read by what follows."""
    return any(f.kind == "step" or (f.kind == "rework" and not f.performer) for f in frames)


_CONDITION_START = ("if ", "when ", "whenever ", "unless ", "once ", "in case ", "where ")


def _lost_clauses(sentence: Span, frames: list[Frame]) -> bool:
    """Whether the parse left verbs of the sentence outside every frame: telegraphic and comma-joined
    clauses ("legal reviews the terms, finance checks the payment terms") often come out that way."""
    if not any(t.text == "," for t in sentence):
        return False
    if any(f.head == sentence.root and f.head.pos_ == "AUX" for f in frames):
        return False  # read whole: "the decision may be to approve, to defer or to reject"
    heads = {f.head.i for f in frames}
    commas = sum(t.text == "," for t in sentence)
    if commas >= 2:
        return True  # a comma list of clauses: read clause by clause as well, and keep the better reading
    if any(t.lower_ in ("if", "unless") and t.i > sentence.start + 1 for t in sentence):
        return True  # a condition in the middle of a clause list
    for token in sentence:
        if token.i in heads or any(a.dep_ in ("xcomp", "ccomp", "advcl", "relcl") for a in token.ancestors):
            continue  # a verb inside what is decided or described is no clause of its own
        if _verb_taken_for_noun(token) or (token.pos_ == "VERB" and token.dep_ not in (
                "amod", "acl", "compound", "advcl", "xcomp", "pcomp", "auxpass", "aux", "relcl")):
            return True
    return False


def _read_chunks(sentence: Span, index: int, listed: bool, reader: Reader) -> list[Frame]:
    """Read a sentence clause by clause, split at its commas and "then"s; a condition chunk stays
    with the chunk after it."""
    pieces: list[str] = []
    current: list[str] = []
    for token in sentence:
        if token.text == "," or (token.lower_ == "then" and current and token.dep_ != "advmod"):
            if current:
                pieces.append("".join(current).strip())
            current = []
            continue
        current.append(token.text_with_ws)
    if current:
        pieces.append("".join(current).strip())
    merged: list[str] = []
    carried = ""
    for piece in pieces:
        piece = re.sub(r"^(?:and|then|and then)\s+", "", piece, flags=re.IGNORECASE)
        piece = re.sub(r"\s+(?:and|or)$", "", piece, flags=re.IGNORECASE)
        if carried:
            piece, carried = f"{carried}, {piece}", ""
        words = f" {' '.join(piece.lower().split())} "
        opens = piece.split()[0].lower() in lexicon().parallel and len(piece.split()) <= _TELEGRAPHIC_WORDS
        if (len(piece.split()) <= 4 and any(f" {marker} " in words for marker in lexicon().parallel)) or (
                opens and not merged):
            # ", in parallel, finance reserves …", "While the kitchen is cooking, the waiter …": the marker (or
            # the clause it opens) belongs with the clause after it
            carried = piece
            continue
        if opens and merged:
            merged[-1] = f"{merged[-1]}, {piece}"  # "…, while the AMT troubleshoots": beside the clause before
            continue
        if piece.split()[0].lower() in lexicon().accompanying and not _has_own_clause(piece):
            carried = piece  # "…, with HR and the BU head, identifies the custodians": how the clause after acts
            continue
        if merged and (piece.split()[0].lower() in ("who", "whom", "which") or (
                _details(piece) and not merged[-1].lower().startswith(_CONDITION_START))):
            merged[-1] = f"{merged[-1]}, {piece}"  # a relative clause stays with the noun it is about
            continue
        if merged and merged[-1].lower().startswith(_CONDITION_START) and len(merged[-1].split()) <= 12 \
                and not _has_own_clause(merged[-1]):
            merged[-1] = f"{merged[-1]}, {piece}"
            continue
        merged.append(piece)
    if carried:
        merged.append(carried)  # a marker or while-clause the sentence ends with is still read
    chunks = [p.removeprefix("and ").strip() for p in merged if p.strip()]
    chunks = [c for c in chunks if c.split()[0].lower() not in _RELATIVE]  # "…, who compares …" describes
    read: list[tuple[Span, list[Frame]]] = []
    for doc in english().pipe(chunks):
        for chunk in doc.sents:
            found = _with_shared_conditions(_SentenceReader(reader, chunk, index, listed))
            if not any(f.kind == "step" for f in found):
                found = [*found, *_telegraphic(chunk, index, reader)]
            read.append((chunk, found))
    return _with_noun_steps(read, index, reader)


def _details(piece: str) -> bool:
    """"including ombudsman rights": a piece of a sentence that details what the clause before it handles."""
    low = piece.lower()
    return any(low == word or low.startswith(word + " ") for word in lexicon().remarks.detailing)


def _has_own_clause(text: str) -> bool:
    """"if the panel agrees we send an offer" holds its main clause; "if more than 10 days" does not."""
    doc = english()(text)
    return any(t.dep_ == "ROOT" and t.pos_ == "VERB" and not _mark(t) for t in doc)


def _share_subjects(frames: list[Frame]) -> None:
    """"the manager takes down the order, reads it back and enters it in the POS": a finite verb with no
    subject of its own, in a sentence whose clause before it names who acts, is that actor's work too
    (whether the parser joined the verbs or the sentence was read clause by clause); "the request is
    validated by the porting system: the PAC is checked against the database" — a passive without an
    agent after a passive with one goes on with that agent."""
    for at, frame in enumerate(frames):
        if frame.performer is not None or frame.kind not in ("step", "rework"):
            continue
        earlier = next((f for f in reversed(frames[:at]) if f.performer is not None), None)
        if earlier is None or not _verb_without_subject(frame.head):
            continue
        linked = frame.head.head == earlier.head or earlier.head.head == frame.head
        if frame.passive and not (earlier.passive and earlier.performer_how == "agent" and linked):
            continue  # "the claim is checked by the adjuster; the payment is made …": no one said who pays
        if not frame.passive and earlier.performer_how == "agent":
            continue  # "it is examined by X, then returns to …": the thing, not X, goes on
        frame.performer, frame.performer_how = earlier.performer, earlier.performer_how


def _verb_without_subject(verb: Token) -> bool:
    """A finite verb ("reads", "adds", "is checked") whose clause names no subject at all."""
    if _is_passive(verb):
        return True  # the agent was looked for already
    if _subject(verb) is not None or any(c.dep_ == "expl" for c in verb.children):
        return False
    return verb.tag_ in ("VBZ", "VBP", "VBD") or _verb_taken_for_noun(verb)


def _place_beside(sentence: Span, frames: list[Frame]) -> None:
    """"At the same time, security assesses the exposure": a sentence that opens with a marker of parallel
    work puts its first step beside the work before it, wherever the parser hung the marker; "in parallel,
    IT places the hold and the RIM team suspends the schedules": a joined clause of another performer is
    one more branch beside it."""
    steps = [f for f in frames if f.kind == "step"]
    markers = [p for p in lexicon().parallel if p != "while"]
    if steps and _has_marker(list(sentence[:5]), markers):
        steps[0].parallel = True
    for before, frame in pairwise(steps):
        joined = frame.head.dep_ == "conj" and frame.head.head == before.head
        chunked = frame.head.doc is not sentence.doc  # the sentence was read clause by clause
        if before.parallel and (joined or chunked) and frame.performer != before.performer:
            frame.parallel = True


def _note_trigger(sentence: Span, reader: Reader) -> list[Frame]:
    """The event the process opens with ("when a refund request arrives"); what arrives is received first."""
    for token in sentence:
        if token.dep_ == "advcl" and _mark(token) in ("when", "whenever", "once", "as soon as"):
            reader.trigger = _text(token.subtree)
            subject = _subject(token)
            if subject is None or subject.pos_ not in ("NOUN", "PROPN") or role_name(subject) is not None:
                return []
            reader.trigger_object = object_phrase(subject)[0]
            if token.lemma_.lower() not in lexicon().arrival:
                return []
            return [Frame(verb="receive", head=token, text=reader.trigger, obj=reader.trigger_object,
                          obj_head=reader.trigger_object.split()[-1], listed=True)]
    return []
