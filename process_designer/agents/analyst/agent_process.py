"""Processes that configure, evaluate and roll out AI agents, read as the people's work around the agent.

A text about an agent's life cycle ("the ML engineer evaluates the agent …, the SRE rolls it back")
also says what the agent itself does once live ("the agent reads each ticket and routes it") and
opens with a line that names the whole undertaking ("Configure and deploy a new AI agent"). Neither
is a step of the process: the agent's behaviour is context, the opening line is the heading. And
"tests it" in such a text tests the agent, not the guardrails written in the sentence before.

The words (agent nouns, life-cycle verbs) are in ``language/data/lexicon.toml`` under ``[agents]``.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from spacy.tokens import Token

from process_designer.language.frames import Frame, Reader
from process_designer.language.lexicon import lexicon

__all__ = ["AgentWords", "agent_words", "settle_agent_frames"]

_PRONOUNS = {"it", "them"}
_OBJECT_DEPS = {"dobj", "nsubjpass"}
_ARTICLES = {"a", "an", "the", "our", "their", "its"}
_JOINERS = {"then", "and", "finally", "also", "later", "next", "afterwards"}


@dataclass(frozen=True)
class AgentWords:
    nouns: frozenset[str]  # heads that name the software agent: "agent", "chatbot"
    objects: frozenset[str]  # heads that name it only as what is worked on: "multi-agent system"
    lifecycle: frozenset[str]  # verbs of work done on an agent: "evaluate", "roll out"
    heading: frozenset[str]  # verbs of a line that names the whole undertaking: "deploy", "launch"
    owning: frozenset[str]  # verbs that relate the speaker to the agent: "owns it"
    cues: tuple[str, ...]  # words that make "agent" software rather than a person: "AI", "prompt", "chatbot"
    staged: frozenset[str]  # verbs that take an agent to a stage of its roll-out: "run", "roll out"
    stage_preps: frozenset[str]  # prepositions that name the stage: "in shadow mode", "to a 10% canary"


@lru_cache(maxsize=1)
def agent_words() -> AgentWords:
    raw = tomllib.loads(resources.files("process_designer.language").joinpath("data/lexicon.toml").read_text("utf-8"))
    words = raw["agents"]
    return AgentWords(nouns=frozenset(words["nouns"]), objects=frozenset(words["nouns"] + words["objects"]),
                      lifecycle=frozenset(words["lifecycle"]), heading=frozenset(words["heading"]),
                      owning=frozenset(words["owning"]), cues=tuple(words["cues"]),
                      staged=frozenset(words["staged"]), stage_preps=frozenset(words["stage_preps"]))


def _agent_performer(frame: Frame, nouns: frozenset[str]) -> bool:
    """"the agent reads", "a research agent that gathers the figures", "a team of agents produces the
    report": the agent is the one acting."""
    if frame.performer is None or frame.performer_how == "narrator":
        return False
    subject = next((c for c in frame.head.children if c.dep_ == "nsubj"), None)
    members = [g for c in (subject.children if subject is not None else ()) if c.dep_ == "prep" and c.lower_ == "of"
               for g in c.children if g.dep_ == "pobj"]
    return frame.performer.split()[-1].lower().rstrip("s") in nouns or any(m.lemma_.lower() in nouns for m in members)


def _on_agent(frame: Frame, words: AgentWords) -> bool:
    return frame.obj_head.lower() in words.objects and frame.verb in words.lifecycle | words.heading


def _about_software(text: str, words: AgentWords) -> bool:
    """"AI agent", "prompt", "chatbot": the agents of the text are software, not support agents."""
    lowered = f" {re.sub(r'[^a-z0-9-]+', ' ', text.lower())} "
    return any(f" {cue} " in lowered for cue in words.cues)


def _is_lifecycle(frames: list[Frame], text: str, words: AgentWords) -> bool:
    """A text about software agents in which people configure, evaluate or roll out an agent (or the
    agents act too) and do more of the work than the agents do."""
    steps = [f for f in frames if f.kind in ("step", "rework")]
    by_agents = sum(_agent_performer(f, words.nouns) for f in steps)
    by_people = sum(bool(f.performer) and not _agent_performer(f, words.nouns) for f in steps)
    return _about_software(text, words) and by_people > by_agents and (
        by_agents > 0 or any(_on_agent(f, words) for f in steps))


def _runtime(frames: list[Frame], words: AgentWords) -> set[int]:
    """Frames the agent performs, and the clauses that continue them in the same sentence without a
    subject of their own ("the agent reads each ticket, tags its category and routes it")."""
    found: set[int] = set()
    acting_in: int | None = None
    for index, frame in enumerate(frames):
        if _agent_performer(frame, words.nouns):
            found.add(index)
            acting_in = frame.sentence
        elif frame.sentence == acting_in and not frame.performer and not frame.passive:
            found.add(index)
        elif frame.sentence != acting_in or frame.performer:
            acting_in = None
    return found


def _heading(frames: list[Frame], words: AgentWords) -> set[int]:
    """The opening sentence's clauses that name the undertaking itself ("Configure and deploy a new AI
    agent", "We are rolling out a triage agent"), when no role of the process does them."""
    first = [i for i, f in enumerate(frames) if f.sentence == frames[0].sentence] if frames else []
    named = [i for i in first if frames[i].obj_head.lower() in words.objects
             and frames[i].verb in words.heading and frames[i].performer_how in ("", "narrator")]
    if not named:
        return set()
    owner = {i for i in first if frames[i].obj_head.lower() in words.objects and frames[i].verb in words.owning}
    bare = {i for i in first if not frames[i].obj and frames[i].verb in words.heading}  # "Configure and deploy …"
    return {*named, *owner, *bare}


def _agent_noun(frames: list[Frame], words: AgentWords) -> str:
    heads = Counter(f.obj_head.lower() for f in frames if f.obj_head.lower() in words.nouns)
    return heads.most_common(1)[0][0] if heads else "agent"


def _resolve_pronouns(frames: list[Frame], words: AgentWords) -> None:
    """"The ML engineer tests it", "before it is released": in a text about an agent, the agent."""
    noun = _agent_noun(frames, words)
    for frame in frames:
        if frame.verb in words.lifecycle and any(
                c.dep_ in _OBJECT_DEPS and c.lower_ in _PRONOUNS for c in frame.head.children):
            frame.obj, frame.obj_head = noun, noun


def _stage_preps(prep: Token) -> list[Token]:
    """"to a 10% canary and finally to all users": the preposition and those coordinated with it."""
    return [prep, *(c for c in prep.conjuncts if c.pos_ == "ADP" and c.i > prep.i)]


def _stage_phrase(prep: Token) -> str:
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None or lexicon().units.get(pobj.lemma_.lower()) in lexicon().time_units:  # "for a week": how long
        return ""
    return f"{prep.lower_} {_phrase(pobj)}"


def _phrase(head: Token) -> str:
    words = [t for t in head.subtree if t.dep_ not in ("punct", "cc", "poss", "case", "quantmod")
             and t.lower_ not in _ARTICLES]
    return "".join(t.text_with_ws for t in words).strip()


def _stages(frame: Frame, words: AgentWords) -> list[str]:
    """Where a roll-out verb takes the agent: "in shadow mode", "to a 10% canary", "to all users"."""
    holders = [frame.head, *(c for c in frame.head.children if c.dep_ in _OBJECT_DEPS or c.lower_ == "back")]
    preps = [c for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ in words.stage_preps]
    stages = [_stage_phrase(p) for prep in sorted(preps, key=lambda t: t.i) for p in _stage_preps(prep)]
    shares = [c for c in frame.head.children if c.dep_ == "dobj" and c.text == "%"]  # "rolled out to 20% of traffic"
    return [*(f"to {_phrase(share)}" for share in shares), *(s for s in stages if s)]


def _name_stages(frames: list[Frame], words: AgentWords) -> list[Frame]:
    """"runs the agent in shadow mode, then rolls it out to a 10% canary and finally to all users": each
    stage the agent is taken to is a step of its own, named with the stage."""
    staged: list[Frame] = []
    for frame in frames:
        staged.append(frame)
        stages = _stages(frame, words) if frame.kind == "step" and frame.verb in words.staged and (
            frame.obj_head.lower() in words.objects or not frame.obj) else []
        noun = frame.obj or _agent_noun(frames, words)
        for number, stage in enumerate(stages):
            named = frame if number == 0 else replace(frame, condition=None, otherwise=False, alternative=False)
            named.obj, named.obj_head = f"{noun} {stage}", noun.split()[-1]
            if number:
                staged.append(named)
    return staged


def _surface(head: Token) -> str:
    """"routing rules" of "the routing rules": the words of a noun phrase up to its head, as written."""
    words = [t for t in head.lefts if t.dep_ in ("compound", "amod", "nmod") and t.i >= head.i - 3]
    return " ".join(t.lower_ for t in [*words, head])


def _name_objects(frames: list[Frame], words: AgentWords) -> None:
    """"defines the agent's tools, permissions and data access" → "Define agent tools and permissions":
    the agent a thing belongs to and the first two of the things worked on name the step."""
    for frame in frames:
        target = next((c for c in frame.head.children if c.dep_ in _OBJECT_DEPS and c.pos_ in ("NOUN", "PROPN")),
                      None)
        if frame.kind not in ("step", "rework") or target is None or frame.obj_head.lower() in words.objects:
            continue
        owner = next((c for c in target.children if c.dep_ == "poss" and c.lemma_.lower() in words.nouns), None)
        things = [target, *(c for c in target.conjuncts if c.i > target.i and c.pos_ in ("NOUN", "PROPN"))][:2]
        if owner is None and len(things) < 2:
            continue
        named = " and ".join(_surface(t) for t in things)
        frame.obj = f"{owner.lemma_.lower()} {named}" if owner is not None else named


def _name_manner(frames: list[Frame]) -> None:
    """"tests the agents end to end": how the agent is worked on names the step too."""
    idioms = {idiom.replace(" ", "-") for idiom in lexicon().idioms}
    for frame in frames:
        manner = next((idiom for idiom in idioms if idiom in frame.text.lower()), "")
        if manner and frame.kind in ("step", "rework") and manner not in frame.obj:
            frame.obj = f"{frame.obj} {manner}".strip()


def _share_subjects(frames: list[Frame]) -> None:
    """"The SRE runs the agent in shadow mode, then rolls it out": a clause of the same sentence that
    opens with its verb is done by the role of the clause before it."""
    for before, frame in pairwise(frames):
        opening = [w for w in frame.text.lower().split() if w not in _JOINERS][:1]
        if frame.sentence == before.sentence and before.performer and not frame.performer and not frame.passive \
                and opening == [frame.head.lower_]:
            frame.performer, frame.performer_how = before.performer, before.performer_how


def settle_agent_frames(frames: list[Frame], reader: Reader, text: str) -> str:
    """In a text about an agent's life cycle, make the agent's behaviour and the opening line context
    and read "it" as the agent; returns the heading (the process's topic) or ""."""
    words = agent_words()
    if not _is_lifecycle(frames, text, words):
        return ""
    _resolve_pronouns(frames, words)
    _share_subjects(frames)
    frames[:] = _name_stages(frames, words)
    _name_objects(frames, words)
    _name_manner(frames)
    heading = _heading(frames, words)
    for index in sorted(_runtime(frames, words) | heading):
        frames[index].kind = "context"
        if frames[index].text not in reader.context:
            reader.context.append(frames[index].text)
    return next((frames[i].obj for i in sorted(heading) if frames[i].obj), "")
