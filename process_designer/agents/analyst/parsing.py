"""Reading requirement text: splitting it into step clauses and finding decisions and constraints."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from process_designer.agents.analyst.naming import (
    FILLER,
    clean_action,
    is_verb,
    step_name,
    third_person_to_base,
    verb_first,
)
from process_designer.agents.vocabulary import PROCESS_VERBS, verb_base
from process_designer.domain.models import Constraint, Decision

__all__ = [
    "Clause",
    "clean_action",
    "expand_abbreviations",
    "find_constraints",
    "find_decision",
    "looks_like_action",
    "split_clauses",
    "step_name",
    "strict_verb",
    "to_snake",
]

_LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*•]|[a-z][.)]|step\s+\d+[:.)-]?)\s+", re.IGNORECASE)
_SEQUENCE = re.compile(
    r"(?:^|[,;]\s*|\.\s+|\s+)(?:and\s+)?(?:then|next|after that|afterwards|afterward|subsequently|finally|"
    r"lastly|at the end|once (?:that is|this is|it is) done|once done|followed by)\b[,:]?\s*",
    re.IGNORECASE,
)
_FIRST = re.compile(r"^\s*(?:first(?:ly)?|to start|initially|start by|begin by)\b[,:]?\s*", re.IGNORECASE)
_CONDITIONAL_START = re.compile(r"^(?:if|when|whenever|where|in case|unless|should)\b", re.IGNORECASE)
_STOP_WORDS = {"the", "a", "an", "its", "their", "our", "his", "her", "this", "that", "these", "those", "it",
               "them", "all", "any", "each", "every", "some", "also", "then", "and", "to", "of", "for",
               "in", "on", "at", "by", "with", "from", "into", "via", "using", "through", "s"}


@dataclass
class Clause:
    """One unit of the user's sequence: a step, possibly guarded by a condition."""

    text: str
    condition: str = ""
    explicit: bool = False  # came from a numbered/bulleted list or an explicit sequence word
    sub: list[str] = field(default_factory=list)


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)(?<!\bapprox)(?<=[.!?])\s+|\n+", text)
    return [p.strip(" .") for p in parts if p.strip(" .")]


# Commas inside "(row counts, null checks)" list details of one step; they must not split it.
_PARENTHESIS = re.compile(r"\([^()\n]*\)")
_HIDDEN = {",": "\ue000", ";": "\ue001", ".": "\ue002", " ": "\ue003"}


def _hide_inner_punctuation(text: str) -> str:
    def hide(match: re.Match[str]) -> str:
        inner = match.group(0)
        for mark, stand_in in _HIDDEN.items():
            inner = inner.replace(mark, stand_in)
        return inner

    return _PARENTHESIS.sub(hide, text)


def _restore(text: str) -> str:
    for mark, stand_in in _HIDDEN.items():
        text = text.replace(stand_in, mark)
    return text


def split_clauses(text: str) -> list[Clause]:
    """Split requirement text into ordered clauses, following lists and sequence words."""
    text = _hide_inner_punctuation(text)
    lines = [line for line in text.splitlines() if line.strip()]
    items = [line for line in lines if _LIST_ITEM.match(line)]
    clauses: list[Clause] = []
    if len(items) >= 2:
        for line in lines:
            if _LIST_ITEM.match(line):
                body = _LIST_ITEM.sub("", line, count=1).strip(" .;")
                clauses.extend(_clauses_of_sentence(body, explicit=True))
            else:  # a remark beside the list ("If on-call does not answer, escalate") still counts
                for sentence in _sentences(line):
                    clauses.extend(_clauses_of_sentence(sentence, explicit=False))
    else:
        for sentence in _sentences(text):
            clauses.extend(_clauses_of_sentence(sentence, explicit=False))
    for clause in clauses:
        clause.text, clause.condition = _restore(clause.text), _restore(clause.condition)
        clause.sub = [_restore(sub) for sub in clause.sub]
    return clauses


def _clauses_of_sentence(sentence: str, *, explicit: bool) -> list[Clause]:
    sentence = _META_PREFIX.sub("", _FIRST.sub("", sentence))
    pieces = [p for p in _SEQUENCE.split(sentence) if p and p.strip(" ,;")]
    result: list[Clause] = []
    pending = ""
    for piece in pieces:
        for part in re.split(r";\s*", piece):
            clauses = _segments(part.strip(" ,."), explicit or len(pieces) > 1)
            if pending and clauses and not clauses[0].condition:
                clauses[0].condition = pending
                pending = ""
            if clauses and clauses[-1].condition and clauses[-1].text == clauses[-1].condition:
                pending = clauses.pop().condition  # "if X then Y": the condition waits for its action
            result.extend(clauses)
    if pending:
        result.append(Clause(text=pending, condition=pending, explicit=explicit))
    return result


_CONDITION_WORD = re.compile(r"^(?:if|when|whenever|unless|in case|where|should)\b", re.IGNORECASE)
_OTHERWISE = re.compile(r"^(?:otherwise|else|if not)\b[,:]?\s*", re.IGNORECASE)
_TRAILING_IF = re.compile(r"^(?P<action>.+?)\s+(?P<cond>(?:if|when|unless|in case)\s+.+)$", re.IGNORECASE)
_PASSIVE = re.compile(r"^(?:the\s+|an?\s+)?(?P<obj>[\w\s-]{2,40}?)\s+(?:is|are|gets|get|must be|should be|will be)\s+"
                      r"(?P<verb>[a-z]+ed)\b(?P<rest>.*)$", re.IGNORECASE)


def _verb_base(verb: str) -> str:
    from process_designer.agents.vocabulary import ACTION_KINDS

    known = {v for kind in ACTION_KINDS for v in kind.verbs if " " not in v}
    if verb.endswith("ied"):
        return verb[:-3] + "y"
    for candidate in (verb[:-1], verb[:-2]):
        if candidate in known:
            return candidate
    return verb[:-1] if verb[:-2].endswith(("s", "v", "z", "c", "u")) else verb[:-2]


def _active(text: str) -> str:
    """"the payroll team is notified" → "notify the payroll team"."""
    match = _PASSIVE.match(text)
    if not match:
        return text
    obj = match.group("obj").strip()
    if re.match(r"^(?:after|before|on|at|during|upon|following|once)\s", obj, re.IGNORECASE):
        obj = re.split(r"\b(?:the|a|an)\s+", obj)[-1]  # "after the live session the recording" → "recording"
    obj = obj if obj[:2].isupper() else obj[:1].lower() + obj[1:]  # the sentence's capital is not the object's
    return f"{_verb_base(match.group('verb').lower())} the {obj}{match.group('rest')}"


_NOISE = re.compile(
    r"^(?:ppl|people|everyone|nobody|i|we|they)\b.*\b(?:keep|always|never|hate|complain\w*|too long|forgotten|"
    r"mess|chaos|annoy\w*)\b|\bneeds? (?:a |an )?(?:proper |new |better |clear )?(?:flow|process|workflow|"
    r"procedure)\b|\bneeds?\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}(?:flow|process|workflow|procedure|pipeline|playbook|"
    r"checklist)\b|^(?:pls|please|plz) (?:make|help|fix)\b|^(?:no panic|thanks|thx|ty)\b|\bflow pls\b|"
    # complaints about today's state: "X are a big problem lately", "stuck in legal forever", "takes way too long"
    r"\b(?:is|are|r)\s+(?:a\s+|such\s+a\s+)?(?:big\s+|real\s+|huge\s+|total\s+)?(?:problem|mess|chaos|nightmare|"
    r"pain|disaster)\b|\b(?:way too|forever|lately|last minute|lol|stuck in|nobody)\b|\bkeeps?\s+\w+ing\b|"
    # a volume, not a step: "we do ~6 webinars a year"
    r"^(?:we\s+|they\s+)?(?:do|run|have|hold|get|handle|process)\s+[~±]?\s?(?:about\s+|around\s+)?\d[\d,]*\s+\w+\s+"
    r"(?:a|per|each|every)\s+(?:year|yr|month|week|day|quarter)\b",
    re.IGNORECASE,
)
# "need checklist: pick a topic, …" / "want: …": the request itself, before the steps it lists
_META_PREFIX = re.compile(r"^(?:(?:we|i)\s+)?(?:need|want|wanted|todo|requirements?)(?:\s+[\w-]+){0,2}\s*:\s*",
                          re.IGNORECASE)
_CMP = r"(?:over|above|under|below|more than|less than|greater than|exceeding|exceeds|beyond|up to|at least)"
_THRESHOLD_NEED = re.compile(
    rf"^(?P<subject>[\w\s/-]{{2,40}}?)\s+(?P<cmp>{_CMP})\s+(?P<limit>.+?)\s+(?:need|needs|require|requires|"
    r"must (?:be |get |have )?|should (?:be |get )?|go(?:es)? to|get|gets)\s+(?P<action>.+)$",
    re.IGNORECASE,
)
_THRESHOLD_LEAD = re.compile(
    rf"^(?P<cmp>{_CMP})\s+(?P<limit>[$€£]?\s?\d[\d,.]*\s?(?:k\b|%|percent|days?|hours?)?)\s+(?P<action>.+)$",
    re.IGNORECASE,
)


_THRESHOLD_TAIL = re.compile(
    rf"^(?P<action>.+?)\s+(?:for\s+|on\s+)?(?:anything|everything|any\s+\w+|amounts?|orders?|requests?|claims?|"
    rf"loans?|invoices?|purchases?|payments?|spend|refunds?|expenses?|transactions?|contracts?|deals?|discounts?|"
    rf"credits?|quotes?)\s+(?P<cmp>{_CMP})\s+(?P<limit>[$€£]?\s?\d[\d,.]*\s?(?:k\b)?(?:\s*(?:eur|usd|gbp|dollars?|"
    rf"euros?|pounds?)\b)?)(?:\s+by\s+(?:the\s+|an?\s+)?(?P<who>[\w\s-]{{2,30}}))?$",
    re.IGNORECASE,
)


_ARRIVAL = re.compile(r"^(?:the\s+|an?\s+|new\s+)*(?P<noun>[\w\s-]{2,30}?)\s+(?:arrives?|comes? in|come|is received|"
                      r"are received|lands?|gets? submitted|is submitted|are submitted)\b(?P<rest>.*)$", re.IGNORECASE)
_NEEDS_APPROVAL = re.compile(r"^(?P<subject>[\w\s/-]{2,40}?)\s+(?:need|needs|require|requires)\s+(?P<who>[\w\s/&+-]{2,40}?)\s+"
                             r"(?:approval|sign-?off)s?$", re.IGNORECASE)


def _reframe_arrival(segment: str) -> list[str] | None:
    """"tickets arrive in Zendesk" → "receive tickets in Zendesk"; "X need manager and DBA approval" → approvals."""
    arrival = _ARRIVAL.match(segment)
    if arrival and not looks_like_action(arrival.group("noun")):
        return [f"receive {arrival.group('noun').strip()}{arrival.group('rest')}"]
    approvals = _NEEDS_APPROVAL.match(segment)
    if approvals and not re.search(rf"\b{_CMP}\b", approvals.group("subject"), re.IGNORECASE):
        # "offers above the band need VP approval" is a threshold rule, not a submission
        who = [w.strip() for w in re.split(r"\s+(?:and|\+|&)\s+|,\s*", approvals.group("who")) if w.strip()]
        return [f"submit {approvals.group('subject').strip().lower()}", *(f"{w} approves" for w in who)]
    return None


def _reframe_threshold(segment: str) -> tuple[str, str] | None:
    """"Offers above band need VP" / "Under $100 agents approve" → (condition, action)."""
    need = _THRESHOLD_NEED.match(segment)
    if need:
        action = need.group("action").strip()
        if not _starts_with_action(action) and not re.search(r"approv|sign|review|check", action, re.I):
            action = f"{action} approval"
        return f"if the {need.group('subject').strip()} is {need.group('cmp')} {need.group('limit')}", action
    tail = _THRESHOLD_TAIL.match(segment)
    if tail and looks_like_action(tail.group("action")):
        action = f"{tail.group('who').strip()} approves" if tail.group("who") else tail.group("action").strip()
        return f"if the amount is {tail.group('cmp')} {tail.group('limit')}", action
    lead = _THRESHOLD_LEAD.match(segment)
    if lead:
        limit = lead.group("limit")
        subject = "amount" if re.search(r"[$€£]|\bk\b", limit) or not re.search(r"%|day|hour", limit) else \
            ("age" if re.search(r"day|hour", limit) else "rate")
        return f"if the {subject} is {lead.group('cmp')} {limit}", lead.group("action").strip()
    return None


def _segments(part: str, explicit: bool) -> list[Clause]:
    """Split one part at commas and "and" into step clauses, pairing conditions with their actions."""
    if not part:
        return []
    raw = [s.strip() for s in re.split(r",\s+", part) if s.strip()]
    segments: list[str] = []
    for segment in raw:
        pieces = re.split(r"\s+and\s+(?=(?:then\s+)?[a-z-]+\s)", segment)
        buffer = pieces[0]
        for piece in pieces[1:]:
            if len(buffer.split()) >= 2 and looks_like_action(piece):
                segments.append(buffer)
                buffer = piece
            else:
                buffer = f"{buffer} and {piece}"
        segments.append(buffer)
    clauses: list[Clause] = []
    pending_condition = ""
    first_words = segments[0].split() if segments else []
    list_verb = first_words[0] if len(first_words) >= 2 and is_verb(first_words[0]) else ""
    timing = ""
    for segment in segments:
        segment = re.sub(r"^(?:and|then|and then)\s+", "", segment, flags=re.IGNORECASE).strip()
        if not segment or _NOISE.search(segment):
            continue
        if _TIMING.match(segment) and not looks_like_action(segment):
            timing = segment  # "180 days before expiry, the administrator pulls …": when, for the next step
            continue
        if timing:
            segment, timing = f"{segment}, {timing}", ""
        arrival = _reframe_arrival(segment)
        if arrival is not None:
            clauses.extend(Clause(text=text, explicit=explicit) for text in arrival)
            continue
        reframed = _reframe_threshold(segment)
        if reframed is not None:
            clauses.append(Clause(text=reframed[1], condition=reframed[0], explicit=explicit))
            continue
        otherwise = _OTHERWISE.match(segment)
        if otherwise and clauses and clauses[-1].condition:
            clauses[-1].sub.append(segment[otherwise.end():])
            continue
        if _CONDITION_WORD.match(segment):
            parts = _conditional_parts(segment, explicit)
            if parts and parts[0].text != parts[0].condition:
                clauses.extend(parts)
            else:
                pending_condition = segment
            continue
        trailing = _TRAILING_IF.match(segment)
        if trailing and not pending_condition:
            clauses.append(Clause(text=_active(trailing.group("action")), condition=trailing.group("cond"),
                                  explicit=explicit))
            continue
        if pending_condition:
            clauses.append(Clause(text=_active(segment), condition=pending_condition, explicit=explicit))
            pending_condition = ""
            continue
        single_noun = len(segments) >= 3 and len(segment.split()) == 1 and bool(clauses) and bool(list_verb)
        if clauses and (single_noun or not looks_like_action(_active(segment))) and not _PASSIVE.match(segment):
            if len(segments) >= 3 and len(segment.split()) <= 3 and list_verb and not clauses[-1].condition:
                clauses.append(Clause(text=f"{list_verb} {segment}", explicit=explicit))  # "create A, B, C"
            elif len(segments) >= 3 and len(segment.split()) <= 2:
                clauses.append(Clause(text=segment, explicit=explicit))  # "inspect, restock, refund"
            else:
                clauses[-1].text = f"{clauses[-1].text}, {segment}"
            continue
        clauses.append(Clause(text=_active(segment), explicit=explicit))
    if pending_condition:
        clauses.append(Clause(text=pending_condition, condition=pending_condition, explicit=explicit))
    return clauses


_TIMING = re.compile(
    r"^(?:\d[\d,.]*|one|two|three|four|five|six|seven|ten|twelve)\s*(?:minutes?|hours?|days?|business days?|"
    r"working days?|weeks?|months?|years?)\s+(?:before|after|prior to|ahead of)\b|"
    r"^(?:on|at|upon)\s+(?:the\s+)?(?:arrival|receipt|day|start|end|business day|working day)\b",
    re.IGNORECASE,
)
_THEN_SPLIT = re.compile(r",\s*(?:then\s+)?|\s+then\s+", re.IGNORECASE)


def _conditional_parts(part: str, explicit: bool) -> list[Clause]:
    if not part:
        return []
    if _CONDITIONAL_START.match(part):
        match = re.match(r"^(?P<cond>(?:if|when|whenever|where|in case|unless|should)\b.+?)(?:,\s+|\s+then\s+)(?P<rest>.+)$",
                         part, re.IGNORECASE)
        if match:
            return [Clause(text=match.group("rest").strip(), condition=match.group("cond").strip(), explicit=explicit)]
        words = part.split()
        for index in range(3, len(words)):
            rest = " ".join(words[index:])
            follower = words[index + 1].lower() if index + 1 < len(words) else ""
            if re.match(r"^[a-z]+[^s]s$", follower) and (is_verb(follower) or is_verb(third_person_to_base(follower))):
                continue  # "request arrives": a noun followed by its verb, not an action
            if _starts_with_action(rest):
                return [Clause(text=rest, condition=" ".join(words[:index]), explicit=explicit)]
        return [Clause(text=part, condition=part, explicit=explicit)]
    return [Clause(text=part, explicit=explicit)]


_ACTIONISH = re.compile(
    r"^(?:\w+\s+){0,3}?(?:look|check|verify|send|e-?mail|notify|create|issue|close|approve|review|update|"
    r"collect|assign|schedule|ship|pay|refund|record|log|open|set|provision|run|generate|prepare|escalate|"
    r"deploy|archive|reject|confirm|inform|contact|call|book|order|invoice|sign|file|submit|validate|screen|"
    r"inspect|test|train|reconcile|calculate|post|publish|remove|revoke|disable|back|restore|sync|export|"
    r"import|analy[sz]e|investigate|triage|route|match|compare|request|receive|capture|enter|register|"
    r"welcome|onboard|offboard|interview|hire|pick|pack|dispatch|deliver|notify|page|score|grant|"
    r"contain|write|offer|resolve|fund|disburse|print|email|e-mail|alert|reimburse|match|raise|get|draft|"
    r"eradicate|recover|calibrate|quarantine|negotiate|award|renew|map|fetch|load|extract|transform|swap|wipe|"
    r"identify|classify|categori[sz]e|certify|decide|sign|execute|store|track|measure|weigh|label|release|"
    r"process|handle|manage|perform|complete|submit|prepare|publish|book|hold|draw|propose|acknowledge|"
    r"restrict|freeze|block|suspend|lock|categori[sz]e|answer|warn|collect|chase|nudge|remind|service|repair|"
    r"replace|rate|bind|quote|price|scan|score|assign|put|hand|give|take|make|move|place)(?:s|es)?\b",
    re.IGNORECASE,
)


_STRICT_VERB = re.compile(_ACTIONISH.pattern.replace("^(?:\\w+\\s+){0,3}?", "^"), re.IGNORECASE)


def strict_verb(word: str) -> bool:
    """Whether ``word`` is one of the action verbs a clause may start with."""
    return bool(_STRICT_VERB.match(word))


def _starts_with_action(text: str) -> bool:
    """A verb first, or "<role> <verb>s": the action half of "if X <action>"."""
    if _STRICT_VERB.match(text):
        return True
    return bool(re.match(r"^(?:the\s+|an?\s+)?[a-z-]+(?:\s+[a-z-]+)?\s+(?:approves|signs off|reviews|checks|"
                         r"decides|handles|escalates|rejects|authori[sz]es|confirms|verifies)\b", text, re.I))


# Verbs that as often name a thing: "credit cards", "open purchase orders", "order form" are not actions.
_NOUN_LIKE_VERBS = {"credit", "order", "file", "record", "report", "quote", "test", "request", "review", "check",
                    "screen", "score", "process", "track", "post", "map", "list", "page", "label", "tag", "flag",
                    "sample", "service", "price", "rate", "image", "book", "plan", "scan", "log", "match", "return",
                    "open", "set", "run", "back", "hold", "draw", "place", "lock", "block", "key", "mark", "fund",
                    "bill", "invoice", "email", "e-mail", "mail", "call", "contact", "interview", "offer", "answer",
                    "reply", "update", "release", "transfer", "document", "design", "audit", "refund", "charge",
                    "debit", "alert", "message", "hand", "reset", "visit", "watch", "stop", "draft", "pay"}
_TIME_UNITS = {"days", "weeks", "hours", "months", "years", "minutes", "seconds", "times", "hrs", "mins"}
_OBJECT_START = re.compile(r"^\S+\s+(?:the|a|an|it|them|their|its|our|all|any|each|every|this|that|these|those|"
                           r"\d[\w$%,.]*)\b", re.IGNORECASE)


def looks_like_action(text: str) -> bool:
    text = FILLER.sub("", text.strip())
    if _ACTIONISH.match(text):
        return True
    first = text.split(maxsplit=1)[0].lower() if text.split() else ""
    if first in PROCESS_VERBS and (first not in _NOUN_LIKE_VERBS or _OBJECT_START.match(text)):
        return True  # an imperative: "search all systems", "open the account"
    if re.match(r"^[a-z]+s$", first) and verb_base(first) and _OBJECT_START.match(text):
        return True  # "… and cleans the line": a third-person verb with its object
    words = text.split()
    if len(words) >= 3 and verb_first(words) != words:
        return True  # "good ones booked for a demo", "the payroll team is notified"
    # "<the role> <verb>s …": a subject followed by a present-tense verb ("the crew swaps", not "credit cards")
    match = re.match(r"^(?:the\s+|an?\s+)?(?P<subject>[\w-]+(?:\s+[\w-]+)?)\s+(?P<verb>[a-z]+(?:s|es))\b"
                     r"(?!\s+(?:is|are))\s*(?P<next>[\w-]*)", text)
    if not match or re.match(r"^(?:the\s+)?[\w-]+\s+(?:is|are|was|has|does)\b", text):
        return False
    if verb_base(match.group("verb")):
        return True
    # an unknown verb counts when it has an object: "pharmacy preps meds", not "a speaker six weeks"
    following = match.group("next").lower()
    return (bool(following) and match.group("verb") not in _TIME_UNITS and not re.search(r"\d", match.group("subject"))
            and not verb_base(following) and following not in ("arrive", "arrives", "go", "goes", "come", "comes"))


ABBREVIATIONS = (
    (r"\bmgrs?\b", "manager"), (r"\bw/in\b", "within"), (r"\bw/o\b", "without"), (r"\bw/", "with "),
    (r"\bppl\b", "people"), (r"\bappts?\b", "appointment"), (r"\bdept\b", "department"), (r"\basap\b", "immediately"),
    (r"\binfo\b", "information"), (r"\bb/c\b", "because"), (r"\byrs?\b", "year"), (r"\bmins?\b", "minutes"),
    (r"\bhrs\b", "hours"), (r"\bdoesnt\b", "does not"), (r"\bdont\b", "do not"), (r"\bcant\b", "cannot"),
    (r"(?<=\w)\s*\+\s*(?=[a-z])", " and "), (r"\s&\s", " and "), (r"\s->\s", " to "),
    (r"\bPOs\b", "purchase orders"), (r"\bPO\b", "purchase order"), (r"\bPRs\b", "purchase requests"),
    (r"\bPR\b", "purchase request"), (r"\bcalc\b", "calculate"),
)




def expand_abbreviations(text: str) -> str:
    """"mgr approves w/in 2 days + logs it" → "manager approves within 2 days and logs it"."""
    for pattern, replacement in ABBREVIATIONS:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    return text


def to_snake(text: str, limit: int = 4) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP_WORDS]
    return "_".join(words[:limit]) or "value"


# --- decisions -------------------------------------------------------------------------------

_NUMBER = r"(?P<currency>[$€£])?\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s?(?P<mult>k|m|thousand|million)?\b"
_UNIT = r"\s?(?P<unit>%|percent|business days?|working days?|days?|hours?|minutes?|weeks?|months?|years?|" \
        r"usd|eur|gbp|dollars?|euros?|items?|units?|points?)?"
_COMPARATORS: tuple[tuple[str, str], ...] = (
    (r"(?:older than|more than|over|above|greater than|exceeds?|exceeding|larger than|higher than|beyond|>)", ">"),
    (r"(?:at least|minimum of|no less than|>=)", ">="),
    (r"(?:less than|under|below|fewer than|younger than|lower than|smaller than|<)", "<"),
    (r"(?:at most|up to|no more than|maximum of|<=)", "<="),
)
_COMPARE_RE = tuple(
    (re.compile(rf"(?P<before>.*?){phrase}\s*{_NUMBER}{_UNIT}", re.IGNORECASE), op) for phrase, op in _COMPARATORS
)
_STATE_RE = re.compile(
    r"(?:if|when|unless|in case)\s+(?:the\s+)?(?P<subject>[\w\s-]{2,40}?)\s+(?P<verb>is|are|was|gets?|fails?|"
    r"has|have)(?:\s+(?P<neg>not\s+)?(?P<state>[\w-]+))?",
    re.IGNORECASE,
)
_SUBJECT_HINTS = (
    (r"\bamount|refund|total|cost|price|value|spend|expense|invoice|payment|budget|\$", "amount"),
    (r"\bscore\b", "score"),
    (r"\brisk\b", "risk_score"),
)


def _number(match: re.Match[str]) -> float | int:
    raw = float(match.group("num").replace(",", ""))
    mult = (match.group("mult") or "").lower()
    if mult in ("k", "thousand"):
        raw *= 1_000
    elif mult in ("m", "million"):
        raw *= 1_000_000
    return int(raw) if raw.is_integer() else raw


def _subject_from(before: str, unit: str, currency: str | None, phrase: str = "") -> str:
    words = [w for w in re.findall(r"[a-z][a-z0-9_-]*", before.lower()) if w not in _STOP_WORDS]
    words = [w for w in words if w not in {"if", "when", "is", "are", "was", "be", "has", "have", "unless",
                                            "whenever", "where", "case", "should", "any", "request", "requests"}
             or w == "request"]
    noun = words[-1].replace("-", "_") if words else ""
    unit = unit.lower()
    if unit.startswith(("day", "business", "working", "hour", "week", "month", "year", "minute")):
        base = unit.split()[0].rstrip("s") if not unit.startswith(("business", "working")) else "business_day"
        if re.search(r"older|younger|\bage\b|\bold\b", phrase or before, re.IGNORECASE) or not noun:
            return f"{noun}_age_{base}s".strip("_") if noun else f"age_{base}s"
        return f"{noun}_{base}s"
    if currency or unit in ("usd", "eur", "gbp", "dollar", "dollars", "euro", "euros"):
        return f"{noun}_amount" if noun and noun not in ("amount", "total", "value", "cost") else (noun or "amount")
    if unit in ("%", "percent"):
        return f"{noun}_percent" if noun else "percent"
    for pattern, name in _SUBJECT_HINTS:
        if re.search(pattern, before, re.IGNORECASE):
            return name if not noun or noun in name else f"{noun}_{name}" if name != "amount" else "amount"
    return noun or "value"


def find_decision(condition: str, outcome: str = "", *, fallback: bool = True) -> Decision | None:
    """A :class:`Decision` from a condition such as "if the order is older than 30 days"."""
    text = condition.strip()
    for pattern, op in _COMPARE_RE:
        match = pattern.search(text)
        if match:
            value = _number(match)
            unit = (match.group("unit") or "").lower()
            currency = match.group("currency")
            if currency and not unit:
                unit = {"$": "USD", "€": "EUR", "£": "GBP"}[currency]
            subject = _subject_from(match.group("before"), unit, currency, match.group(0))
            return Decision(text=_sentence(text, outcome), subject=subject, operator=op,
                            value=value, unit=unit, if_true=outcome or "handle the exception",
                            if_false="continue with the next step")
    state = _STATE_RE.search(text)
    if state:
        subject = to_snake(state.group("subject"), 3)
        word = (state.group("state") or "").lower()
        negative = bool(state.group("neg")) or state.group("verb").lower().startswith("fail")
        if state.group("verb").lower().startswith("fail"):
            word = "failed"
        return Decision(text=_sentence(text, outcome), subject=f"{subject}_{to_snake(word, 2)}".strip("_"),
                        operator="is", value=not negative if word != "failed" else True, unit="",
                        if_true=outcome or "handle the exception", if_false="continue with the next step")
    words = re.sub(r"^(?:if|when|whenever|unless|in case|should)\s+", "", text, flags=re.IGNORECASE)
    if fallback and len(words.split()) >= 2:
        negative = bool(re.search(r"\b(?:not|no|never|fails?|without)\b", words, re.IGNORECASE)) != \
            text.lower().startswith("unless")
        return Decision(text=_sentence(text, outcome), subject=to_snake(words, 3), operator="is",
                        value=not negative, unit="", if_true=outcome or "handle the exception",
                        if_false="continue with the next step")
    return None


def _sentence(condition: str, outcome: str) -> str:
    condition = condition[:1].upper() + condition[1:]
    return f"{condition}: {outcome}" if outcome else condition


# --- constraints -----------------------------------------------------------------------------

_SLA_RE = re.compile(
    r"\b(?:within|in under|in less than|no later than|inside|in)\s+(?P<num>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>business days?|working days?|days?|hours?|hrs?|minutes?|mins?|weeks?)\b",
    re.IGNORECASE,
)
_FREQUENCY_RE = re.compile(
    r"\b(?P<freq>every (?:day|night|morning|hour|week|month|quarter|\d+ (?:minutes|hours|days))|daily|nightly|"
    r"hourly|weekly|monthly|quarterly|annually|real[- ]time)\b",
    re.IGNORECASE,
)


def find_constraints(text: str) -> list[Constraint]:
    """SLAs ("within 24 hours") and frequencies ("every night") stated in ``text``."""
    found: list[Constraint] = []
    for match in _SLA_RE.finditer(text):
        start = text.rfind(" ", 0, max(0, match.start() - 40))
        phrase = text[start + 1 if start >= 0 else 0 : match.end()].strip(" ,;.")
        found.append(Constraint(text=phrase, kind="sla", value=float(match.group("num")),
                                unit=match.group("unit").lower()))
    for match in _FREQUENCY_RE.finditer(text):
        found.append(Constraint(text=f"Runs {match.group('freq').lower()}", kind="frequency",
                                unit=match.group("freq").lower()))
    return found
