"""What the reader knows about processes, loaded once from ``data/lexicon.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["Lexicon", "Remarks", "expand_abbreviations", "lexicon"]


@dataclass(frozen=True)
class Remarks:
    """Words of clauses that are no work steps (``[remarks]`` of the data): complaints, wishes, targets."""

    habitual: frozenset[str]
    complaining: frozenset[str]
    complaint_words: frozenset[str]
    nobody: frozenset[str]
    aspiring: frozenset[str]
    promised: frozenset[str]
    quantity_nouns: frozenset[str]
    detailing: frozenset[str]
    clock: frozenset[str]
    describing: frozenset[str]
    recurring: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    role_heads: frozenset[str]
    modified_heads: frozenset[str]
    processed: frozenset[str]
    lead_modifiers: tuple[str, ...]
    departments: dict[str, str]
    not_roles: frozenset[str]
    requesters: frozenset[str]
    originators: frozenset[str]
    superiors: frozenset[str]
    subordinate: str
    manages: frozenset[str]
    addressee: str
    instructing: frozenset[str]
    addressing: frozenset[str]
    perceiving: frozenset[str]
    decision_nouns: frozenset[str]
    time_prepositions: frozenset[str]
    choosing: frozenset[str]
    prefixes: frozenset[str]
    quantifiers: frozenset[str]
    not_actions: frozenset[str]
    light_with_object: frozenset[str]
    support_verbs: frozenset[str]
    terminal: frozenset[str]
    consent: frozenset[str]
    rework: frozenset[str]
    rework_particles: frozenset[str]
    rework_back_verbs: frozenset[str]
    narrator_intro: frozenset[str]
    optional_modals: frozenset[str]
    receive: frozenset[str]
    phrasal: frozenset[str]
    requirement: frozenset[str]
    approval_nouns: dict[str, str]
    routing: frozenset[str]
    conversion: frozenset[str]
    time_nouns: frozenset[str]
    rework_adverbs: frozenset[str]
    waiting: frozenset[str]
    approval: frozenset[str]
    sign_off: frozenset[str]
    arrival: frozenset[str]
    aspectual: frozenset[str]
    parallel: tuple[str, ...]
    sequence: frozenset[str]
    otherwise: tuple[str, ...]
    statistics: tuple[str, ...]
    conditions: frozenset[str]
    outcomes: frozenset[str]
    elliptic: dict[str, bool]
    negative_answers: tuple[str, ...]
    automatic: frozenset[str]
    cumulative: tuple[str, ...]
    comparators: dict[str, str]
    number_words: dict[str, int]
    multipliers: dict[str, int]
    currency: frozenset[str]
    currency_codes: dict[str, str]
    units: dict[str, str]
    time_units: frozenset[str]
    abbreviations: dict[str, str]
    staged_release: frozenset[str]
    heads_of: frozenset[str]
    idioms: tuple[str, ...]
    process_nouns: frozenset[str]
    doings: frozenset[str]
    framing_verbs: frozenset[str]
    gerunds: frozenset[str]
    topic_prepositions: frozenset[str]
    weak_verbs: frozenset[str]
    owning_verbs: frozenset[str]
    owning_adjectives: frozenset[str]
    english_words: frozenset[str]
    foreign_words: frozenset[str]
    email_verb_followers: tuple[str, ...]
    indefinite: frozenset[str]
    substitutes: frozenset[str]
    deciding: frozenset[str]
    checking: frozenset[str]
    generic_objects: frozenset[str]
    passing: frozenset[str]
    integration_cues: tuple[str, ...]
    accompanying: frozenset[str]
    role_determiners: frozenset[str]
    acting_things: frozenset[str]
    approving_ranks: frozenset[str]
    irregular_nominals: dict[str, str]
    nominal_things: frozenset[str]
    messages: frozenset[str]
    deliverable_verb: str
    moment_prepositions: frozenset[str]
    detail_prepositions: frozenset[str]
    remarks: Remarks


def data_file(name: str) -> dict[str, Any]:
    """The TOML word list ``language/data/<name>`` as read, for the modules that keep their words there."""
    return tomllib.loads(resources.files("process_designer.language").joinpath(f"data/{name}").read_text("utf-8"))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = data_file("lexicon.toml")
    roles, verbs, markers = raw["roles"], raw["verbs"], raw["markers"]
    return Lexicon(
        role_heads=frozenset(roles["heads"]),
        modified_heads=frozenset(roles["modified_heads"]),
        processed=frozenset(raw["titles"]["processed"]),
        lead_modifiers=tuple(roles["lead_modifiers"]),
        departments=dict(roles["departments"]),
        not_roles=frozenset(roles["not_roles"]),
        requesters=frozenset(roles["requesters"]),
        originators=frozenset(roles["originators"]),
        superiors=frozenset(roles["superiors"]),
        subordinate=str(roles["subordinate"]),
        manages=frozenset(roles["manages"]),
        addressee=str(roles["addressee"]),
        instructing=frozenset(verbs["instructing"]),
        addressing=frozenset(verbs["addressing"]),
        perceiving=frozenset(verbs["perceiving"]),
        decision_nouns=frozenset(verbs["decision_nouns"]),
        time_prepositions=frozenset(verbs["time_prepositions"]),
        choosing=frozenset(verbs["choosing"]),
        prefixes=frozenset(verbs["prefixes"]),
        quantifiers=frozenset(markers["quantifiers"]),
        not_actions=frozenset(verbs["not_actions"]),
        light_with_object=frozenset(verbs["light_with_object"]),
        support_verbs=frozenset(verbs["support_verbs"]),
        terminal=frozenset(verbs["terminal"]),
        consent=frozenset(verbs["consent"]),
        rework=frozenset(verbs["rework"]),
        rework_particles=frozenset(verbs["rework_particles"]),
        rework_back_verbs=frozenset(verbs["rework_back_verbs"]),
        narrator_intro=frozenset(verbs["narrator_intro"]),
        optional_modals=frozenset(verbs["optional_modals"]),
        receive=frozenset(verbs["receive"]),
        phrasal=frozenset(verbs["phrasal"]),
        requirement=frozenset(verbs["requirement"]),
        approval_nouns=dict(verbs["approval_nouns"]),
        routing=frozenset(verbs["routing"]),
        conversion=frozenset(verbs["conversion"]),
        time_nouns=frozenset(raw["numbers"]["time_nouns"]),
        rework_adverbs=frozenset(verbs["rework_adverbs"]),
        waiting=frozenset(verbs["waiting"]),
        approval=frozenset(verbs["approval"]),
        sign_off=frozenset(verbs["sign_off"]),
        arrival=frozenset(verbs["arrival"]),
        aspectual=frozenset(verbs["aspectual"]),
        parallel=tuple(markers["parallel"]),
        sequence=frozenset(markers["sequence"]),
        otherwise=tuple(markers["otherwise"]),
        statistics=tuple(markers["statistics"]),
        conditions=frozenset(markers["conditions"]),
        outcomes=frozenset(markers["outcomes"]),
        elliptic=dict(markers["elliptic"]),
        negative_answers=tuple(markers["negative_answers"]),
        automatic=frozenset(markers["automatic"]),
        cumulative=tuple(markers["cumulative"]),
        comparators=dict(raw["comparators"]),
        number_words=dict(raw["numbers"]["words"]),
        multipliers=dict(raw["numbers"]["multipliers"]),
        currency=frozenset(raw["numbers"]["currency"]),
        currency_codes=dict(raw["numbers"]["currency_codes"]),
        units=dict(raw["numbers"]["units"]),
        time_units=frozenset(raw["numbers"]["time_units"]),
        abbreviations=dict(raw["abbreviations"]),
        staged_release=frozenset(verbs["staged_release"]),
        heads_of=frozenset(roles["heads_of"]),
        idioms=tuple(markers["idioms"]),
        process_nouns=frozenset(raw["topic"]["process_nouns"]),
        doings=frozenset(raw["topic"]["doings"]),
        framing_verbs=frozenset(raw["topic"]["framing_verbs"]),
        gerunds=frozenset(raw["topic"]["gerunds"]),
        topic_prepositions=frozenset(raw["topic"]["prepositions"]),
        weak_verbs=frozenset(raw["topic"]["weak_verbs"]),
        owning_verbs=frozenset(raw["topic"]["owning_verbs"]),
        owning_adjectives=frozenset(raw["topic"]["owning_adjectives"]),
        english_words=frozenset(raw["text"]["english"]),
        foreign_words=frozenset(raw["text"]["foreign"]),
        email_verb_followers=tuple(raw["text"]["email_verb_followers"]),
        indefinite=frozenset(raw["text"]["indefinite"]),
        substitutes=frozenset(raw["text"]["substitutes"]),
        deciding=frozenset(raw["analysis"]["deciding"]),
        checking=frozenset(raw["analysis"]["checking"]),
        generic_objects=frozenset(raw["analysis"]["generic_objects"]),
        passing=frozenset(raw["analysis"]["passing"]),
        integration_cues=tuple(raw["analysis"]["integration_cues"]),
        accompanying=frozenset(markers["accompanying"]),
        role_determiners=frozenset(roles["determiners"]),
        acting_things=frozenset(roles["acting_things"]),
        approving_ranks=frozenset(roles["approving_ranks"]),
        irregular_nominals=dict(raw["nominals"]["irregular"]),
        nominal_things=frozenset(raw["nominals"]["things"]),
        messages=frozenset(raw["nominals"]["messages"]),
        deliverable_verb=str(raw["nominals"]["deliverable_verb"]),
        moment_prepositions=frozenset(raw["nominals"]["moment_prepositions"]),
        detail_prepositions=frozenset(raw["nominals"]["detail_prepositions"]),
        remarks=Remarks(**{key: frozenset(words) for key, words in raw["remarks"].items()}),
    )


def expand_abbreviations(text: str) -> str:
    """Shorthand spelled out, whole words only: "mgr approves w/in 2 days" → "manager approves within 2 days"."""
    abbreviations = lexicon().abbreviations
    tokens = re.split(r"(\s+)", text)
    return "".join(_expand_word(token, abbreviations) if token.strip() else token for token in tokens)


def _expand_word(token: str, abbreviations: dict[str, str]) -> str:
    """"perms." and "(wks)" are abbreviations too: the punctuation around the word stays as written,
    and so does a capital that opens a sentence ("Eval on 300 PRs" → "Evaluate on 300 pull requests")."""
    word = _WORD.fullmatch(token)
    lead, core, trail = word.groups() if word is not None and token.lower() not in abbreviations else ("", token, "")
    expanded = abbreviations.get(core.lower())
    if expanded is None:
        return token
    if core[:1].isupper() and core[1:].islower():
        expanded = expanded[:1].upper() + expanded[1:]
    return lead + expanded + trail


_WORD = re.compile(r"([(\[]*)(.+?)([.,;:!?)\]]*)")
