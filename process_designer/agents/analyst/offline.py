"""The offline requirement analyst: free text plus context and templates → a structured Requirement."""

from __future__ import annotations

import re
from collections.abc import Sequence

from process_designer.agents.analyst.implied import add_implied_steps
from process_designer.agents.analyst.naming import is_rule_statement, is_verb
from process_designer.agents.analyst.parsing import (
    Clause,
    clean_action,
    expand_abbreviations,
    find_constraints,
    find_decision,
    looks_like_action,
    split_clauses,
    step_name,
)
from process_designer.agents.analyst.shaping import (
    gate_before_release,
    lend_process_object,
    name_first_receipt,
    name_requests_by_intent,
)
from process_designer.agents.vocabulary import (
    classify_action,
    detect_roles,
    detect_systems,
    has_action_verb,
    verb_base,
)
from process_designer.domain.models import Decision, DesignContext, Requirement, RequirementStep
from process_designer.integration import integration_requirement
from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["MAX_ANALYSED_CHARS", "analyze_requirements"]

MAX_ANALYSED_CHARS = 20_000
MAX_STEPS = 30

_META_REQUEST = re.compile(
    r"^(?:(?:please|pls|kindly)\s+)?(?:(?:i|we)\s+(?:need|want|would like)\s+(?:to\s+)?|can you\s+|help me\s+)?"
    r"(?:create|design|build|write|draft|make|define|document|set up|automate|need|want)?\s*"
    r"(?:an?|the|our)?\s*(?:new\s+)?(?:automated\s+)?(?:process|workflow|sop|procedure|flow|playbook|runbook)\s+"
    r"(?:for|to|of|around|covering|that handles)\s+(?P<topic>.+)$",
    re.IGNORECASE,
)
_TOPIC_FIRST = re.compile(
    r"^(?P<topic>[\w\s/&-]{3,80}?)\s+(?:process|workflow|procedure|sop)$", re.IGNORECASE
)
_TRIGGER = re.compile(
    r"^(?:when|whenever|once|as soon as|each time|every time)\s+(?:an?|the)?\s*(?P<event>.+?)\s+"
    r"(?:arrives?|comes? in|is received|is submitted|is raised|is opened|is created|is reported|is filed|"
    r"is detected|happens|occurs|is made|is requested|starts|joins|leaves|signs up|registers|applies|submits)\b",
    re.IGNORECASE,
)
# "when someone reports a phishing mail": the requester acts, the process receives what they send
_ACTIVE_TRIGGER = re.compile(
    r"^(?:when|whenever|once|as soon as|each time|every time)\s+(?:someone|somebody|anyone|an?\s+\w+|the\s+\w+|"
    r"users?|customers?|employees?|staff|clients?|patients?)\s+(?P<kind>reports?|requests?|submits?|raises?|files?|"
    r"asks? for|orders?|applies for)\s+(?P<event>[^,;]+?)\s*$",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:an?|the|their|his|her)\s+", re.IGNORECASE)
_INJECTION = re.compile(
    r"ignore (?:all |any )?(?:previous|prior|above) (?:instructions|prompts?)|system prompt|"
    r"you are now|disregard (?:the|your) (?:rules|instructions)|reveal your|jailbreak",
    re.IGNORECASE,
)
_ERROR_CASE = re.compile(
    r"\b(?:is down|goes down|unavailable|outage|times? out|timeout|error|bounces?|declined|not reachable|"
    r"unreachable)\b",
    re.IGNORECASE,
)
# "fails" is a technical fault only when a system fails; "if the lot fails inspection" is a business outcome.
_SYSTEM_FAILURE = re.compile(r"\b(?:system|service|api|server|job|sync|integration|connection|call|webhook|upload|"
                             r"import|export|load|backup|database|db|network)\w*\b[^.]*\b(?:fails|failed|failure)\b",
                             re.IGNORECASE)
_TERMINAL = re.compile(r"\b(?:reject|deny|decline|refuse|cancel|stop|close|block|abort|discard|end)\w*\b", re.I)
_OWN_OBJECT = re.compile(r"^\S+\s+(?!(?:it|them|request|requests|application|applications|case|one|ones)\b)\w",
                         re.IGNORECASE)
_APPROVAL = re.compile(r"\b(?:approv\w*|sign(?:s|ed)? off|authori[sz]\w*)\b", re.IGNORECASE)
_ENGLISH_HINTS = re.compile(
    r"\b(?:the|and|to|of|a|for|is|in|then|if|with|on|by|we|our|be|must|should|when|after|each|from|every|all|"
    r"any|before|until|per|new|into|out|up|it|them|their|this|that|are|was|has|have|will|can|or|no|not)\b",
    re.IGNORECASE
)
# Function words of the languages people most often write in instead (French, Spanish, Portuguese,
# Italian, German, Dutch) that English text does not use.
_FOREIGN_HINTS = re.compile(
    r"\b(?:je|nous|vous|les|des|du|et|pour|avec|une|dans|est|los|las|el|para|por|una|con|que|del|"
    r"um|uma|com|não|il|della|dei|degli|delle|di|che|der|das|und|mit|für|ein|eine|ist|nicht|het|een|voor|niet)\b",
    re.IGNORECASE,
)
_APPROVER = re.compile(r"^(?:the\s+|an?\s+)?(?P<who>[a-z][\w\s-]{1,30}?)\s+(?:also\s+)?(?:approves?|signs? off|"
                       r"authori[sz]es?)\b",
                       re.IGNORECASE)
_APPROVAL_OF = re.compile(r"^(?:the\s+|an?\s+)?(?P<who>[A-Za-z][\w\s-]{0,30}?)(?:'s|’s|s')?\s+(?:approval|sign-?off)\b",
                          re.I)
_NAME_TAIL = re.compile(r"\s+(?:every\s+\w+|daily|nightly|weekly|monthly|hourly|within\s+\d.*|in under\s+\d.*|"
                        r"asap|immediately|right away|straight away|directly|first|only)$", re.IGNORECASE)
_DESIGN_HEAD = re.compile(r"^(?:please\s+)?(?:design|create|build|write|draft|define|document)\s+(?:an?\s+|the\s+|our\s+)?"
                          r"(?P<topic>.+?)(?:\s+(?:process|workflow|procedure|flow|sop))?$", re.IGNORECASE)
_CONDITIONAL_HEAD = re.compile(r"^\s*(?:if|when|whenever|unless|in case)\b", re.IGNORECASE)
_KPI_HINT = re.compile(r"\b(?:measure|track|kpi|metric|report on)\s+(?P<what>[^.;]+)", re.IGNORECASE)


def _normalise(text: str) -> str:
    text = expand_abbreviations(text)
    text = text.replace("\r\n", "\n").replace("\t", " ")
    text = "".join(ch for ch in text if ch == "\n" or ch.isprintable())
    text = re.sub(r"[ \u00a0]+", " ", text)
    return text.strip()  # the length limit is checked where messages arrive (limits.py)


def _is_english(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    ascii_share = sum(ch.isascii() for ch in letters) / len(letters)
    words = max(1, len(text.split()))
    hints = len(_ENGLISH_HINTS.findall(text))
    foreign = len(_FOREIGN_HINTS.findall(text))
    if ascii_share <= 0.8 or foreign > hints:
        return False
    if hints / words > 0.04:
        return True
    # A short title ("Quarterly tax filing") may hold no function word at all; it is English
    # unless another language's function words say otherwise (checked above).
    return words <= 40 and (hints > 0 or has_action_verb(text) or words <= 6)


def _title_case(text: str) -> str:
    small = {"and", "or", "of", "for", "to", "in", "on", "a", "an", "the", "with", "by"}
    words = re.sub(r"\s+", " ", text).strip(" .").split(" ")
    out = []
    for i, word in enumerate(words):
        if word.isupper() and len(word) > 1:
            out.append(word)
        elif i and word.lower() in small:
            out.append(word.lower())
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def _topic_title(topic: str) -> str:
    topic = re.sub(r"\b(?:process|workflow|procedure|sop)\b", "", topic, flags=re.IGNORECASE)
    topic = re.split(r"[,.;:]|\bwith\b|\busing\b|\bthat\b|\bwhich\b", topic, maxsplit=1)[0]
    topic = re.sub(r"^(?:an?|the|our|handling|managing|processing)\s+", "", topic.strip(), flags=re.IGNORECASE)
    words = topic.split()[:6]
    return _title_case(" ".join(words)) if words else ""


def _strip_injection(text: str) -> tuple[str, bool]:
    """Drop sentences addressed to the system; line breaks stay, since they carry the user's list."""
    lines: list[str] = []
    dropped = False
    for line in text.split("\n"):
        sentences = re.split(r"(?<=[.!?])\s+", line)
        kept = [s for s in sentences if not _INJECTION.search(s)]
        dropped = dropped or len(kept) != len(sentences)
        if " ".join(kept).strip():
            lines.append(" ".join(kept).strip())
    return "\n".join(lines).strip(), dropped


def _step_from_clause(clause: Clause) -> RequirementStep | None:
    action = clean_action(clause.text)
    decision: Decision | None = find_decision(clause.condition, action) if clause.condition else None
    roles = detect_roles(action)
    systems = detect_systems(action)
    if decision is not None:
        if _APPROVAL.search(action):
            who = _APPROVER.match(action) or _APPROVAL_OF.match(action)
            if who and len(who.group("who").split()) <= 3:
                role = _title_case(re.sub(r"^(?:their|his|her|our|your|its)\s+", "", who.group("who"), flags=re.I))
            else:
                role = roles[0] if roles else "Manager"
            role = re.sub(r"(?<=(?:er|nt|ad|or|st))s$", "", role)  # "agents approve" → "Agent approval"
            name = f"{role} approval"
            decision = decision.model_copy(update={"if_true": f"route to the {role} for approval",
                                                   "if_false": "approve automatically and continue"})
        elif _TERMINAL.search(action) and not _OWN_OBJECT.search(step_name(action)):
            # "if the order is older than 30 days reject it": the step is the check; "block the card" is an action
            subject_words = decision.subject.replace("_", " ")
            subject_words = re.sub(r"\b(?:days|hours|amount)\b", "", subject_words).strip() or "request"
            aspect = "age" if "age" in decision.subject else ("amount" if "amount" in decision.subject else "")
            name = f"Check {subject_words} {aspect}".replace(" age age", " age").strip()
            decision = decision.model_copy(update={"if_true": _outcome(action), "if_false": "continue"})
        else:
            name = step_name(action)
        description = f"{clause.condition}: {action}"
    else:
        name = step_name(action)
        description = action
        who = _APPROVER.match(action)
        if who and len(who.group("who").split()) <= 3 and not _TERMINAL.match(action):
            approver = _title_case(re.sub(r"^(?:their|his|her|our|your|its)\s+", "", who.group("who"), flags=re.I))
            name = f"{approver} approval"
            roles = roles or [approver]
        elif not _looks_like_step(action) or is_rule_statement(action):
            return None  # a stated rule stays in the document through the writer, not as a step
    actor = roles[0] if roles else None
    name = _NAME_TAIL.sub("", name).strip() or name
    return RequirementStep(
        name=name[:1].upper() + name[1:],
        description=description[:1].upper() + description[1:],
        actor=actor,
        systems=systems,
        decisions=[decision] if decision else [],
    )


def _outcome(action: str) -> str:
    action = re.sub(r"\bit\b", "the request", action)
    return action[:1].lower() + action[1:]


def _looks_like_step(text: str) -> bool:
    kind = classify_action(text)
    return kind.name != "prepare" or looks_like_action(text) or bool(re.search(r"\b(?:prepare|compile|produce|draft|write|calculate|plan|"
                                                   r"build|design|report|forecast)\w*\b", text, re.IGNORECASE))


def _lead_with_receipt(steps: list[RequirementStep]) -> list[RequirementStep]:
    """The request the user says arrives ("a customer wants to cancel") starts the process, even
    when a template's steps were laid out before it; the template's dependencies are renumbered."""
    if not steps or steps[0].name.lower().startswith("receive "):
        return steps
    found = next((i for i, s in enumerate(steps) if s.source != "template" and s.name.lower().startswith("receive ")),
                 None)
    if found is None:
        return steps
    moved = found + 1  # 1-based number of the receipt before the move

    def renumbered(number: int) -> int:
        return 1 if number == moved else number + 1 if number < moved else number

    receipt = steps[found]
    rest = [step for i, step in enumerate(steps) if i != found]
    for step in rest:
        step.depends_on = [renumbered(n) for n in step.depends_on if n != moved]
    receipt.depends_on = []
    return [receipt, *rest]


def _adapt_template_steps(template: ProcessTemplate) -> list[RequirementStep]:
    return [
        RequirementStep(
            name=step.name,
            description=step.objective,
            actor=step.responsible,
            systems=list(step.systems),
            depends_on=list(step.depends_on),
            decisions=list(step.decisions),
            source="template",
        )
        for step in template.document.steps
    ]


def analyze_requirements(
    text: str,
    context: DesignContext | None = None,
    templates: Sequence[ProcessTemplate] = (),
    title: str | None = None,
) -> Requirement:
    """Read ``text`` into a :class:`Requirement`.

    The user's own sequence wins; templates fill in when the user says little. When the text
    cannot be used (empty, not English, no process in it) the requirement carries ``questions``.
    """
    context = context or DesignContext()
    clean, had_injection = _strip_injection(_normalise(text))
    requirement = Requirement(text=clean, title=title or "", context=context)
    if not clean or len(re.findall(r"[A-Za-z]{2,}", clean)) < 2:
        ignored = "I don't follow instructions addressed to the system; I design processes. " if had_injection else ""
        requirement.questions = [
            f"{ignored}What process should I design? Tell me what starts it, the main steps in order, who "
            "does each one and which systems are involved (for example: CRM, e-mail, billing)."
        ]
        return requirement
    if not _is_english(clean):
        requirement.questions = [
            "I can read requirements in English only. Please describe the process in English: what "
            "starts it, the main steps in order, who does each one and which systems are involved."
        ]
        return requirement

    topic = ""
    heading = re.match(r"^(?P<head>[^:\n]{3,80}?)(?::|\s+-\s+|\s+–\s+)\s*(?P<rest>\S.*)$", clean, re.DOTALL)
    if heading and len(heading.group("head").split()) <= 10 and not _CONDITIONAL_HEAD.match(heading.group("head")):
        head = heading.group("head").strip()
        meta = _META_REQUEST.match(head) or _DESIGN_HEAD.match(head)
        topic = meta.group("topic") if meta else head
        clean = _distribute_heading_verb(head, heading.group("rest"))
    clauses = split_clauses(clean)
    steps: list[RequirementStep] = []
    error_cases: list[str] = []
    purpose_bits: list[str] = []
    for index, clause in enumerate(clauses):
        body = clause.text.strip()
        meta = _META_REQUEST.match(body) or (_TOPIC_FIRST.match(body) if index == 0 and not clause.condition else None)
        if meta and not clause.condition:
            topic = topic or meta.group("topic")
            continue
        if clause.condition:
            trigger = _TRIGGER.match(clause.condition) or _ACTIVE_TRIGGER.match(clause.condition)
            if trigger and not find_decision(clause.condition, fallback=False):
                requirement.trigger = requirement.trigger or clause.condition
                event = trigger.group("event")
                if "kind" in trigger.groupdict():  # "when someone reports a phishing mail" → a phishing mail report
                    kind = re.sub(r"(?:s|\s+for)$", "", trigger.group("kind").lower())
                    event = f"{_ARTICLE.sub('', event)} {kind}"
                topic = topic or event
                steps.append(RequirementStep(
                    name=step_name(f"receive {event}"), description=f"Receive the {event} and register it",
                    systems=detect_systems(clause.condition)))
                clause = Clause(text=body, explicit=clause.explicit)
            elif _ERROR_CASE.search(clause.condition) or _SYSTEM_FAILURE.search(clause.condition) or (
                    detect_systems(clause.condition) and re.search(r"\bfail", clause.condition, re.I)):
                error_cases.append(f"{clause.condition[:1].upper()}{clause.condition[1:]}: {body}")
                if classify_action(body).name not in ("notify", "investigate"):
                    continue
        if re.match(r"^(?:the (?:goal|aim|purpose|objective)|this process|it is|we are|our company)\b", body, re.I):
            purpose_bits.append(body)
            continue
        if clause.condition and clause.text == clause.condition and steps:
            decision = find_decision(clause.condition, "follow the exception path stated in the requirements")
            if decision is not None:  # a rule without its own action belongs to the step before it
                steps[-1].decisions.append(decision)
                continue
        if steps and not clause.condition and is_rule_statement(body):
            # "quotes are valid 45 days": a rule about the step before, kept with it rather than made a step
            steps[-1].description = f"{steps[-1].description.rstrip('.')}. {body[:1].upper()}{body[1:]}"
            continue
        step = _step_from_clause(clause)
        if step is not None and step.name not in {s.name for s in steps} and len(steps) < MAX_STEPS:
            steps.append(step)
        elif not purpose_bits and not topic:
            purpose_bits.append(body)

    best = templates[0] if templates else None
    if len(steps) < 2 and best is not None:
        user_steps = steps
        steps = _adapt_template_steps(best)
        steps.extend(s for s in user_steps if s.name not in {t.name for t in steps})
        requirement.templates = [best.id]
    elif best is not None:
        requirement.templates = [best.id]
    if len(steps) < 2 and best is None:
        steps, named = _lifecycle_steps(topic or clean, steps)
        topic = topic or named
    if not steps:
        requirement.questions = [
            "I could not find the steps of a process in that. Tell me what starts it, the main steps "
            "in order, who does each one and which systems are involved."
        ]
        return requirement

    steps = gate_before_release(_lead_with_receipt(name_requests_by_intent(name_first_receipt(steps))))
    steps = add_implied_steps(steps)
    for number, step in enumerate(steps, start=1):
        if not step.depends_on and number > 1:
            step.depends_on = [number - 1]

    systems: list[str] = []
    for name in [*context.integrations, *detect_systems(clean), *(s for st in steps for s in st.systems)]:
        if name not in systems:
            systems.append(name)
    requirement.systems = systems
    requirement.steps = steps
    requirement.decisions = [d for s in steps for d in s.decisions]
    requirement.constraints = find_constraints(clean)
    requirement.error_cases = error_cases
    requirement.actors = list(dict.fromkeys([*(s.actor for s in steps if s.actor), *detect_roles(clean)]))
    requirement.kpis = [m.group("what").strip() for m in _KPI_HINT.finditer(clean)]
    if not requirement.title:
        if topic:
            requirement.title = _topic_title(topic)
            if re.search(r"\b(?:request|claim|application|order|ticket|invoice|report|complaint)s?$",
                         requirement.title, re.IGNORECASE):
                requirement.title += " Processing"
        elif best is not None and requirement.templates and len(steps) and steps[0].source == "template":
            requirement.title = best.title
        else:
            requirement.title = _title_case(" ".join(steps[0].name.split()[1:4]) + " process")
    lend_process_object(steps, requirement.title, clean)
    requirement.purpose = " ".join(purpose_bits)[:400]
    requirement.kind = "integration" if _is_integration(clean, systems) else "standard"
    requirement.owner = context.owner or ""
    return integration_requirement(requirement)


_FREQUENCY_WORDS = re.compile(r"^(?:annual|yearly|quarterly|monthly|weekly|daily|nightly|regular|periodic|new|our|the|an?)\s+",
                              re.IGNORECASE)


def _lifecycle_steps(text: str, user_steps: list[RequirementStep]) -> tuple[list[RequirementStep], str]:
    """Prepare → communicate → collect → (the user's own steps) → report, for a process named only by topic."""
    head = re.split(r"[,.;:]", text, maxsplit=1)[0]
    audience_match = re.search(r"\bfor\s+(?:all\s+|every\s+|each\s+|our\s+)?(?P<who>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)", head, re.I)
    audience = audience_match.group("who") if audience_match else "the people involved"
    topic = re.split(r"\s+for\s+", head, maxsplit=1)[0]
    previous = None
    while previous != topic:
        previous = topic
        topic = _FREQUENCY_WORDS.sub("", topic.strip())
    topic = topic.lower() or "the process"
    if len(topic.split()) > 6 or not re.search(r"[a-z]{3,}", topic) or looks_like_action(topic):
        return user_steps, ""
    skeleton = [
        RequirementStep(name=f"Prepare {topic}", description=f"Prepare the {topic} and its materials",
                        source="inferred"),
        RequirementStep(name=f"Communicate {topic}", description=f"Send the {topic} to {audience}", source="inferred"),
        RequirementStep(name="Collect responses", description=f"Collect and record the {topic} responses from {audience}",
                        source="inferred"),
    ]
    closing = RequirementStep(name="Report completion", description=f"Report {topic} completion to the process owner",
                              source="inferred")
    return [*skeleton, *user_steps, closing], topic


_WEAK_VERBS = {"get", "make", "have", "do", "need", "want", "let"}


def _distribute_heading_verb(head: str, rest: str) -> str:
    """"Get new engineers set up on day one: laptop, accounts, buddy" → "set up laptop; set up accounts; …".

    A heading that carries the verb and a list of bare nouns after it means one step per noun.
    """
    items = [i.strip(" .") for i in re.split(r",\s*|\s+and\s+|;\s*", rest.strip()) if i.strip(" .")]
    if len(items) < 2 or "\n" in rest or any(len(i.split()) > 3 or looks_like_action(i) for i in items):
        return rest
    phrasal = re.search(r"\b(?:set up|hand over|sign off|roll out|back up)\b", head, re.IGNORECASE)
    verbs = [w for w in head.lower().split() if w not in _WEAK_VERBS and (is_verb(w) or verb_base(w))]
    verb = phrasal.group(0).lower() if phrasal else (verb_base(verbs[0]) or verbs[0] if verbs else "")
    return "; ".join(f"{verb} {item}" for item in items) if verb else rest


def _is_integration(text: str, systems: list[str]) -> bool:
    return bool(re.search(r"\b(?:integrat\w*|sync\w*|data (?:flow|mapping)|between (?:the )?\w+ and|map fields|"
                          r"etl|interface)\b", text, re.IGNORECASE)) and len(systems) >= 2
