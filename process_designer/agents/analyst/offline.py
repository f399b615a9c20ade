"""The offline requirement analyst: free text plus context and templates → a structured Requirement.

The text is parsed (``language.frames``) into clause frames, the frames into a process model with
its graph (``analyst.model``), and the model into the Requirement every later agent derives from.
Templates stand in only where the text says too little: for a request that names fewer than two
steps, and for steps whose performer the text does not name — and the requirement says so in its
``open_questions``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from process_designer.agents.analyst.agent_process import settle_agent_frames
from process_designer.agents.analyst.draft import (
    FALLBACK_TEMPLATE,
    draft_from_template,
    names_a_process,
    names_only,
    request_object,
)
from process_designer.agents.analyst.model import build_model
from process_designer.agents.analyst.text import is_english, normalise, strip_injection
from process_designer.agents.analyst.topic import read_topic
from process_designer.agents.vocabulary import detect_systems
from process_designer.domain.flow import ProcessFlow
from process_designer.domain.models import (
    DesignContext,
    PerformerSource,
    Requirement,
    RequirementStep,
)
from process_designer.integration import integration_requirement, is_mapping_sentence
from process_designer.knowledge.template_model import ProcessTemplate
from process_designer.language import wordforms
from process_designer.language.constraints import find_constraints
from process_designer.language.forms import title_case
from process_designer.language.frames import Frame, Reader, read_frames
from process_designer.language.instructions import instruction
from process_designer.language.layout import plain
from process_designer.language.lexicon import lexicon
from process_designer.language.pipeline import noun_lemma

__all__ = ["MAX_ANALYSED_CHARS", "MAX_STEPS", "analyze_requirements"]

MAX_ANALYSED_CHARS = 20_000
MAX_STEPS = 40
_ASK_FOR_PROCESS = ("What process should I design? Tell me what starts it, the main steps in order, who does each "
                    "one and which systems are involved (for example: CRM, e-mail, billing).")
_NO_STEPS = ("I could not find the steps of a process in that. Tell me what starts it, the main steps in order, "
             "who does each one and which systems are involved.")
_NO_TEMPLATE = ("None of my process templates is close to that, so I have not guessed its steps. Tell me what starts "
                "it, the main steps in order, who does each one and which systems are involved.")
_ENGLISH_ONLY = ("I can read requirements in English only. Please describe the process in English: what starts "
                 "it, the main steps in order, who does each one and which systems are involved.")


def analyze_requirements(
    text: str,
    context: DesignContext | None = None,
    templates: Sequence[ProcessTemplate] = (),
    title: str | None = None,
) -> Requirement:
    """Read ``text`` into a :class:`Requirement`.

    The user's own steps, performers and control flow win; the best template drafts the process
    when the text names fewer than two steps. Text that cannot be used (empty, not English, no
    process in it) gives a requirement with ``questions`` and no steps.
    """
    context = context or DesignContext()
    clean, had_injection = strip_injection(normalise(text))
    requirement = Requirement(text=clean, title=title or "", context=context)
    if len(re.findall(r"[A-Za-z]{2,}", clean)) < 2:
        ignored = "I don't follow instructions addressed to the system; I design processes. " if had_injection else ""
        requirement.questions = [ignored + _ASK_FOR_PROCESS]
        return requirement
    if not is_english(clean):
        requirement.questions = [_ENGLISH_ONLY]
        return requirement

    framing = read_topic(plain(clean))  # a table, a transcript or emoji markers read as the lines they stand for
    topic = framing.topic
    frames, reader, _ = read_frames(_without_mappings(framing.body), Reader(topic=_topic_head(topic)),
                                    lend_verb=framing.verb)
    if reader.narrator is None and context.owner:
        reader.narrator = context.owner
    topic = settle_agent_frames(frames, reader, clean) or topic
    _lend_objects(frames, topic)
    _name_sign_offs(frames)
    model = build_model(frames)
    steps = [_step(frame) for frame in model.steps][:MAX_STEPS]
    named_only = not steps or names_only(clean, model.steps)
    naming = named_only or len(steps) < 2
    # a process named and nothing more, when no template is relevant, is drafted from the nearest one
    # (it follows the generic template in ``templates``) and says so; never from the generic template's
    # stock steps, and never over a stated step
    generic_fits = named_only and names_a_process(clean)
    nearest = next((t for t in templates[1:] if t.id != FALLBACK_TEMPLATE), None) if generic_fits else None
    best = templates[0] if templates and templates[0].id != FALLBACK_TEMPLATE else nearest
    if generic_fits and best is None and templates:
        requirement.questions = [_NO_TEMPLATE]
        return requirement
    flow = model.flow
    questions = list(model.questions)
    if len(model.steps) > MAX_STEPS:
        questions.append(f"The text describes {len(model.steps)} steps; the design keeps the first {MAX_STEPS}. "
                         "Split the process into sub-processes to design the rest.")
        flow = _sequential_flow(steps)
    if best is not None and naming:
        steps, flow, drafted = draft_from_template(best, len(model.steps), model.steps,
                                                   request_object(topic or clean) or request_object(clean), detect_systems(clean), clean,
                                                   nearest=best is nearest)
        # the template's gateways replace the request's own reading of its conditions
        labels = [f.condition.label for f in model.steps if f.condition is not None and f.condition.label]
        questions = [q for q in questions if not any(label in q for label in labels)]
        questions.extend(drafted)
    elif not steps and not _describes_integration(clean):
        requirement.questions = [_NO_STEPS]
        return requirement
    elif len(steps) == 1:
        questions.append(f"The text names one step ('{steps[0].name}'). What happens before and after it?")
    questions.extend(_fill_performers(steps, best, reader.narrator))
    if best is not None:
        requirement.templates = [best.id]

    systems: list[str] = []
    for name in [*context.integrations, *detect_systems(clean), *(s for st in steps for s in st.systems)]:
        if name not in systems:
            systems.append(name)
    requirement.systems = systems
    requirement.steps = steps
    requirement.flow = flow
    requirement.trigger = reader.trigger
    requirement.constraints = find_constraints(clean)
    requirement.actors = list(dict.fromkeys(s.actor for s in steps if s.actor))
    requirement.title = requirement.title or _title(topic or reader.trigger_object, model.steps, best, steps)
    requirement.purpose = next((c for c in reader.context if c.lower().startswith(
        ("the goal", "the aim", "the purpose", "the objective", "this process", "our goal"))), "")[:400]
    requirement.kind = "integration" if _is_integration(clean, systems) else "standard"
    requirement.owner = context.owner or framing.owner
    requirement.open_questions = list(dict.fromkeys(questions))
    if requirement.kind != "integration" and not any(is_mapping_sentence(line) for line in clean.splitlines()):
        return requirement  # a process that uses two systems is not an integration between them
    integrated = integration_requirement(requirement)
    if not integrated.steps:  # the text named its systems but no flow between them to run
        integrated.questions = [_NO_STEPS]
    return integrated


def _without_mappings(text: str) -> str:
    """The text without field-mapping sentences ("Map Account.Name to customer.companyName, …"): they
    configure an integration (read by ``process_designer.integration``), they are not steps."""
    lines = []
    for line in text.splitlines():
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", line)
        lines.append(" ".join(s for s in sentences if not is_mapping_sentence(s)))
    return "\n".join(line for line in lines if line.strip())


def _main_object(frames: list[Frame]) -> str:
    heads = Counter(f.obj_head for f in frames if f.kind == "step" and f.obj_head.isalpha() and " - " not in f.obj
                    and not f.obj.startswith(("from ", "to ", "on ")))  # not a phrase the parse broke ("token - based")
    return heads.most_common(1)[0][0] if heads else ""


def _topic_phrase(topic: str) -> str:
    """The last two words of the topic, its head in the singular: "employee leave requests" → "leave request"."""
    words = [w.lower() for w in topic.split() if w.isalpha()]
    return " ".join([*words[-2:-1], noun_lemma(words[-1])]) if words else ""


def _topic_head(topic: str) -> str:
    """The thing the topic is about: "leave requests" → request; "PO approvals" → PO, since an approval is
    what is done to the thing, not the thing."""
    words = [w for w in topic.split() if w.isalpha()]
    while len(words) > 1 and noun_lemma(words[-1]) in lexicon().approval_nouns:
        words = words[:-1]
    if not words:
        return ""
    return words[-1] if words[-1].isupper() else noun_lemma(words[-1])


def _lend_objects(frames: list[Frame], topic: str) -> None:
    """A step without an object of its own ("the team lead approves", "the customer signs", "schedule it"
    with nothing named before) acts on, in this order: the thing the clause before acted on, when it was
    passed on to this step (see :func:`_passed_on`) and is neither a person ("pages the engineer; they must
    acknowledge") nor the process itself; the thing several steps act on; the thing the process's title
    names ("Line changeover" → changeover); the thing the clause before acted on anyway; the thing one step
    acts on most; and, for a decision about the case only, a request."""
    thing, most = _process_thing(topic), _main_object(frames)
    shared = Counter(f.obj for f in frames if f.kind == "step" and f.obj.replace(" ", "").isalpha())
    several = next((obj for obj, n in shared.most_common(1) if n > 1), "")  # "Ask refund" … "Issue refund"
    lent = several or thing or most or _topic_head(topic) or "request"
    named = _topic_phrase(topic)
    for frame in frames:  # "the request" of "employee leave requests" is the leave request
        if named and frame.obj == frame.obj_head and frame.obj_head == named.split()[-1] \
                and frame.obj_head in lexicon().generic_objects:
            frame.obj = named
    deciding = lexicon().approval | lexicon().terminal | lexicon().deciding
    for at, frame in enumerate(frames):
        if frame.kind not in ("step", "rework") or frame.obj:
            continue
        if any(c.dep_ in ("dobj", "obj") and c.lower_.endswith(("one", "body")) for c in frame.head.children):
            continue  # "warn everyone", "tell somebody": it acts on people the name leaves out
        antecedent = frame.antecedent if frame.antecedent and frame.antecedent.split()[-1].isalpha() \
            and not _a_person(frame.antecedent) and frame.antecedent not in lexicon().process_nouns else ""
        if antecedent and not _passed_on(frames[:at], frame):
            chosen = several or thing or antecedent  # "finance checks the payment terms, the customer signs"
        else:
            chosen = antecedent or lent
        if chosen != "request" or frame.verb.split()[0] in deciding or frame.listed:
            frame.obj = chosen  # a made-up "request" only for a decision about the case
            frame.obj_head = chosen.split()[-1]


def _passed_on(earlier: list[Frame], frame: Frame) -> bool:
    """Whether the thing the clause before acted on comes on to this step: the same performer goes on with
    it ("checks the form and signs"), or it was made or handed on ("legal sends our template, the
    counterparty signs"); a part someone else looked at ("finance checks the payment terms, and the
    customer signs") is not what the next one acts on."""
    before = next((f for f in earlier if f.obj == frame.antecedent), None)  # the step that brought it in
    if before is None or before.performer == frame.performer:
        return True
    return before.verb.split()[0] in lexicon().passing


def _a_person(phrase: str) -> bool:
    """Whether a phrase names a person or a team ("the nearest driver", "legal"), never what is worked on."""
    lex = lexicon()
    head = noun_lemma(phrase.split()[-1].lower())
    return head in lex.role_heads or head in lex.departments or head in lex.requesters


def _process_thing(topic: str) -> str:
    """The thing a process's title names, in the singular: "Mortgage applications" → mortgage application,
    "Major incident handling" → incident, "Line changeover" → changeover; the doing of something at the end
    of the title ("handling", "scheduling", "launch") is not the thing, the word before it is."""
    lex = lexicon()
    words = re.findall(r"[A-Za-z][A-Za-z-]*", topic)
    while len(words) > 1 and (_a_doing(words[-1]) or noun_lemma(words[-1].lower()) in lex.approval_nouns):
        words = words[:-1]
    if not words or (len(words) == 1 and _a_doing(words[0])) or lex.process_nouns & {w.lower() for w in words}:
        return ""
    head = words[-1] if words[-1].isupper() else noun_lemma(words[-1].lower())
    before = words[-2] if len(words) > 1 else ""
    kept = before if before.isupper() or (before and "ADJ" not in wordforms.all_lemmas(before.lower())
                                           and "NOUN" in wordforms.all_lemmas(before.lower())) else ""
    return " ".join(w for w in (kept if kept.isupper() else kept.lower(), head) if w)


def _a_doing(word: str) -> bool:
    """"handling", "scheduling", "launch": a word for doing something to the thing before it."""
    lex = lexicon()
    low = word.lower()
    return low in lex.gerunds or low.endswith("ing") or low in lex.doings


def _name_sign_offs(frames: list[Frame]) -> None:
    """Tiers of approval: when several roles approve the same thing ("over $500 the manager approves the
    claim, over $5,000 the CFO"), each step says whose approval it is ("Approve expense claim as CFO"), so
    that steps of one name are not told apart by their Responsible alone."""
    signing = lexicon().sign_off
    steps = [f for f in frames if f.kind == "step" and f.performer and f.verb in signing]
    approvers = {frame.name: {f.performer for f in steps if f.name == frame.name} for frame in steps}
    for frame in steps:
        if len(approvers[frame.name]) > 1:
            role = " ".join(w if w.isupper() else w.lower() for w in (frame.performer or "").split())
            frame.label = f"{frame.name} as {role}"


def _step(frame: Frame) -> RequirementStep:
    description = frame.text[:1].upper() + frame.text[1:]
    return RequirementStep(
        name=frame.name,
        description=description if description.endswith(".") else description + ".",
        instruction=instruction(frame),  # "Raise access requests for the finance systems in ServiceNow."
        actor=frame.performer,
        systems=detect_systems(frame.text),
        source="user",
        performer_source="stated" if frame.performer else "assumed",
    )


def _sequential_flow(steps: list[RequirementStep]) -> ProcessFlow:
    from process_designer.domain.flow import sequential

    return sequential((n, s.name, s.actor) for n, s in enumerate(steps, start=1))


def _words(name: str) -> set[str]:
    return {w.lower() for w in name.split() if len(w) > 2}


def _fill_performers(steps: list[RequirementStep], template: ProcessTemplate | None,
                     narrator: str | None) -> list[str]:
    """Steps the text names no performer for take the template's role for the same work, or else the
    role the text names most; either way the design says it assumed them."""
    stated = Counter(s.actor for s in steps if s.actor and s.performer_source == "stated")
    fallback = stated.most_common(1)[0][0] if stated else narrator
    assumed: list[str] = []
    for number, step in enumerate(steps, start=1):
        if step.actor:
            continue
        source: PerformerSource = "assumed"
        role = None
        if template is not None:
            scored = [(len(_words(step.name) & _words(t.name)), t.responsible) for t in template.document.steps]
            best_score, best_role = max(scored, default=(0, None))
            if best_score:
                role, source = best_role, "template"
            elif template.roles:
                role = template.roles[0]
        role = role or fallback or "Process Owner"
        step.actor, step.performer_source = role, source
        assumed.append(f"Who performs step {number} ('{step.name}')? The text names no one; I assumed the {role}.")
    if len(assumed) > 3:
        names = ", ".join(f"{n} ('{s.name}')" for n, s in enumerate(steps, start=1) if s.performer_source != "stated"
                          and s.source == "user")
        return [f"Who performs steps {names}? The text names no one; I assumed the roles shown."]
    return assumed


def _title(topic: str, frames: list[Frame], template: ProcessTemplate | None,
           steps: list[RequirementStep]) -> str:
    if topic:
        title = title_case(topic)
        last = title.split()[-1].lower() if title.split() else ""
        if noun_lemma(last) in lexicon().processed:  # "Refund Requests" → "Refund Request Processing"
            title = f"{title} Processing"
        return title
    if template is not None and steps and steps[0].source == "template":
        return template.title
    head = _main_object(frames)
    if head:
        phrase = Counter(f.obj for f in frames if f.obj_head == head).most_common(1)[0][0]
        return title_case(f"{phrase} process")
    return "Process"


def _describes_integration(text: str) -> bool:
    """Whether ``text`` configures an integration (field mappings, or a flow between two named systems),
    which is designed as the integration's run even when no sentence names a step."""
    return any(is_mapping_sentence(line) for line in text.splitlines()) or _is_integration(text, detect_systems(text))


def _is_integration(text: str, systems: list[str]) -> bool:
    lowered = text.lower()
    return len(systems) >= 2 and any(cue in lowered for cue in lexicon().integration_cues)
