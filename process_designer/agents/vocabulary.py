"""Shared vocabulary of the offline engine: systems (SPy connectors), roles and kinds of action."""

from __future__ import annotations

import re
from dataclasses import dataclass

from process_designer.language.systems import SYSTEM_LABELS, detect_systems

__all__ = [
    "ACTION_KINDS",
    "PROCESS_VERBS",
    "SYSTEM_LABELS",
    "ActionKind",
    "classify_action",
    "detect_roles",
    "detect_systems",
    "has_action_verb",
    "system_label",
    "verb_base",
]

# The systems a text names are language data (process_designer/language/data/systems.toml).


def system_label(name: str) -> str:
    """A readable name of connector ``name`` ("crm" → "CRM", "netsuite" → "NetSuite")."""
    from process_designer.integration.run import named_system_label

    return SYSTEM_LABELS.get(name) or named_system_label(name) or name.replace("_", " ")


_ROLE_PATTERNS: tuple[tuple[str, str], ...] = (
    # The people who build and run AI agents, before the generic "engineer" and "agent" below.
    (r"\bml engineers?\b|machine learning engineers?", "ML Engineer"),
    (r"\bai product owner\b", "AI Product Owner"),
    (r"\bsupport lead\b", "Support Lead"),
    (r"\bsres?\b|site reliability engineer", "SRE"),
    (r"\bsecurity team\b", "Security Team"),
    (r"\bplatform engineers?\b", "Platform Engineer"),
    (r"\bcfo\b|chief financial officer", "CFO"),
    (r"\bceo\b", "CEO"),
    (r"\bciso\b", "CISO"),
    (r"hiring manager", "Hiring Manager"),
    (r"finance (?:team|manager|department)|\bfinance\b", "Finance Manager"),
    (r"\baccountant\b|accounting team", "Accountant"),
    (r"\bcontroller\b", "Financial Controller"),
    (r"\bhr\b|human resources|people team|people ops", "HR Partner"),
    (r"\bit\b(?: team| admin| support| department)|it ops|sysadmin|system administrator", "IT Administrator"),
    (r"security (?:team|analyst|officer)|\bsoc\b", "Security Analyst"),
    (r"support (?:agent|team|rep)|customer service|service desk|agent\b", "Support Agent"),
    (r"customer success", "Customer Success Manager"),
    (r"legal (?:team|counsel)|\blawyer\b|\bcounsel\b|\blegal\b", "Legal Counsel"),
    (r"compliance (?:officer|team)|\bcompliance\b", "Compliance Officer"),
    (r"procurement|purchasing team|buyer\b", "Procurement Specialist"),
    (r"warehouse (?:staff|team|operator)|picker|packer", "Warehouse Operator"),
    (r"\bnurse\b", "Nurse"),
    (r"\bdoctor\b|physician|clinician", "Physician"),
    (r"underwriter|underwriting", "Underwriter"),
    (r"claims? adjuster|adjuster|claims handler", "Claims Adjuster"),
    (r"recruiter|talent acquisition", "Recruiter"),
    (r"sales (?:rep|representative|team)|account executive|\bsdr\b", "Sales Representative"),
    (r"on-call engineer|on call engineer|sre\b", "On-call Engineer"),
    (r"release manager", "Release Manager"),
    (r"\bengineer(?:ing)?\b|developer", "Engineer"),
    (r"data (?:engineer|team)", "Data Engineer"),
    (r"payroll (?:specialist|team|admin)", "Payroll Specialist"),
    (r"moderator", "Content Moderator"),
    (r"quality (?:inspector|team|engineer)|\bqa\b|inspector", "Quality Inspector"),
    (r"loan officer", "Loan Officer"),
    (r"\bmanager\b|supervisor|team lead|line manager", "Manager"),
    (r"approver", "Approver"),
    (r"receptionist|front desk", "Front Desk Coordinator"),
)
_ROLE_RES = tuple((re.compile(p, re.IGNORECASE), role) for p, role in _ROLE_PATTERNS)


def detect_roles(text: str) -> list[str]:
    """Roles named in ``text`` (most specific first, no duplicates)."""
    roles: list[str] = []
    for pattern, role in _ROLE_RES:
        if pattern.search(text) and role not in roles:
            # "finance manager" also matches plain "manager": keep the specific one only.
            if role == "Manager" and any(r.endswith("Manager") for r in roles):
                continue
            roles.append(role)
    return roles


@dataclass(frozen=True)
class ActionKind:
    """A family of actions: how long such a step takes and what doing it well looks like."""

    name: str
    verbs: tuple[str, ...]
    duration: str
    objective: str  # "{what}" is the step's object phrase
    default_role: str


ACTION_KINDS: tuple[ActionKind, ...] = (
    ActionKind("approve", ("approve", "approves", "authorize", "authorise", "sign off", "signs off", "approval"),
               "1 business day", "Obtain an accountable decision on {what}", "Manager"),
    ActionKind("notify", ("email", "e-mail", "notify", "inform", "alert", "send", "message", "tell", "remind",
                          "announce", "confirm to", "chase", "nudge", "follow up"),
               "5 minutes", "Keep the people involved informed about {what}", "Automation Service"),
    ActionKind("transact", ("issue", "pay", "refund", "charge", "transfer", "disburse", "reimburse", "invoice",
                            "bill", "credit", "debit", "settle"),
               "1 hour", "Complete {what} accurately and traceably", "Finance Specialist"),
    ActionKind("verify", ("look up", "lookup", "verify", "check", "validate", "review", "assess", "evaluate",
                          "screen", "inspect", "confirm", "audit", "test", "examine", "compare", "match",
                          "reconcile", "score", "qualify"),
               "20 minutes", "Confirm {what} against the policy before work continues", "Analyst"),
    ActionKind("create", ("create", "set up", "setup", "provision", "open", "register", "add", "configure",
                          "enroll", "enrol", "onboard", "activate", "generate account"),
               "30 minutes", "Establish {what} so that later steps can rely on it", "Operations Specialist"),
    ActionKind("intake", ("receive", "submit", "submits", "request", "collect", "gather", "capture", "intake",
                          "log the", "arrives", "fill", "apply", "file"),
               "15 minutes", "Capture {what} completely at the start of the process", "Coordinator"),
    ActionKind("record", ("update", "record", "log", "document", "enter", "store", "save", "tag", "flag"),
               "10 minutes", "Keep {what} accurate in the system of record", "Operations Specialist"),
    ActionKind("close", ("close", "archive", "complete", "finalize", "finalise", "resolve", "wrap up", "end"),
               "10 minutes", "Bring {what} to a documented close", "Process Owner"),
    ActionKind("fulfil", ("ship", "deliver", "pick", "pack", "dispatch", "return", "restock", "replace"),
               "4 hours", "Deliver {what} to the agreed standard", "Operations Specialist"),
    ActionKind("investigate", ("investigate", "triage", "diagnose", "analyze", "analyse", "contain",
                               "remediate", "fix", "patch", "mitigate", "escalate"),
               "2 hours", "Establish the cause and the remedy for {what}", "Analyst"),
    ActionKind("prepare", ("prepare", "compile", "produce", "draft", "write", "calculate", "compute", "plan",
                           "build", "design", "forecast", "report"),
               "2 hours", "Produce {what} ready for the next step", "Analyst"),
    ActionKind("coordinate", ("schedule", "book", "assign", "route", "allocate", "hand over", "handover",
                              "coordinate", "arrange", "interview", "meet", "train", "invite"),
               "1 hour", "Arrange {what} with the people involved", "Coordinator"),
    ActionKind("deploy", ("deploy", "release", "roll out", "rollout", "publish", "launch", "ship to production"),
               "1 hour", "Put {what} into service safely", "Release Manager"),
    ActionKind("data", ("backup", "back up", "restore", "sync", "synchronize", "synchronise", "export", "import",
                        "migrate", "extract", "load", "transform", "ingest"),
               "30 minutes", "Move {what} completely and consistently between systems", "Data Engineer"),
    ActionKind("revoke", ("revoke", "disable", "deactivate", "remove access", "offboard", "terminate",
                          "delete", "cancel", "suspend", "reject", "decline", "deny", "restrict", "freeze", "block", "lock"),
               "30 minutes", "Withdraw {what} promptly and completely", "Operations Specialist"),
)
_KIND_BY_NAME = {kind.name: kind for kind in ACTION_KINDS}
_VERB_RES = tuple(
    (re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(v) for v in kind.verbs) + r")(?:s|es|ed|d|ing)?(?![\w-])",
                re.IGNORECASE), kind)
    for kind in ACTION_KINDS
)


def has_action_verb(text: str) -> bool:
    """Whether ``text`` contains any action verb the engine knows."""
    return any(pattern.search(text) for pattern, _ in _VERB_RES)


def classify_action(text: str) -> ActionKind:
    """The kind of action ``text`` describes, judged by its earliest action verb."""
    best: tuple[int, ActionKind] | None = None
    for pattern, kind in _VERB_RES:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), kind)
    return best[1] if best else _KIND_BY_NAME["prepare"]


# Verbs that start process steps, in base form. Wider than ACTION_KINDS (which also carries timing and
# wording): naming a step only needs to know that a word is a verb, so "swap", "purge" or "accrue"
# must be recognised even though no action kind claims them.
_EXTRA_VERBS = (
    "accept", "accrue", "acknowledge", "add", "adjust", "advise", "allocate", "amend", "analyse", "analyze",
    "answer", "apply", "appoint", "approve", "archive", "arrange", "ask", "assess", "assign", "attach", "attend",
    "audit", "authorise", "authorize", "award", "back", "bill", "bind", "block", "book", "bounce", "brief",
    "build", "calculate", "calibrate", "call", "cancel", "capture", "categorise", "categorize", "certify",
    "chase", "check", "choose", "classify", "clean", "clear", "close", "collect", "compare", "compile",
    "complete", "compute", "confirm", "contact", "contain", "convert", "copy", "correct", "create", "decide",
    "decline", "delete", "deliver", "deploy", "destroy", "detect", "determine", "disable", "disburse",
    "discuss", "dispatch", "dispose", "distribute", "document", "download", "draft", "email", "e-mail",
    "enable", "enrol", "enroll", "enter", "eradicate", "escalate", "estimate", "evaluate", "examine",
    "execute", "export", "extract", "fetch", "file", "fill", "finalise", "finalize", "fix", "flag",
    "follow", "forward", "freeze", "fund", "generate", "grant", "greet", "hand", "handle", "hire", "host",
    "identify", "image", "import", "inform", "inspect", "install", "interview", "investigate", "invite",
    "invoice", "issue", "key", "label", "launch", "list", "load", "lock", "log", "look", "mail", "maintain",
    "map", "mark", "match", "measure", "meet", "merge", "migrate", "mitigate", "monitor", "move", "negotiate",
    "notify", "nudge", "offer", "onboard", "open", "order", "page", "pack", "patch", "pay", "pick", "place",
    "plan", "post", "prepare", "present", "price", "print", "prioritise", "prioritize", "process", "produce",
    "promote", "propose", "provide", "provision", "publish", "pull", "purge", "push", "qualify", "quarantine",
    "quote", "raise", "rank", "rate", "read", "reassess", "receive", "recommend", "reconcile", "record",
    "recover", "redact", "refer", "refresh", "refund", "register", "reimburse", "reject", "release", "remind",
    "remove", "renew", "repair", "replace", "reply", "report", "request", "rerun", "rescan", "reschedule",
    "reserve", "reset", "resolve", "respond", "restart", "restock", "restore", "restrict", "retire", "return",
    "review", "revoke", "rework", "roll", "route", "run", "sample", "save", "scan", "schedule", "score",
    "scrap", "screen", "search", "select", "send", "service", "set", "settle", "ship", "shortlist", "sign",
    "submit", "suspend", "swap", "sync", "synchronise", "tag", "take", "teach", "terminate", "test", "thank",
    "tell", "track", "train", "transfer", "transform", "triage", "update", "upload", "validate", "verify",
    "void", "wait", "warn", "weigh", "welcome", "wipe", "withdraw", "write", "manage", "perform", "hold", "draw",
    "give", "make", "put", "ignore", "skip", "discard", "deduplicate", "dedupe", "transport", "prep", "watch", "do", "carry", "restart", "start", "begin", "land", "keep", "resume", "pause", "expire", "stop", "contact", "visit", "collect", "quarantine", "probate",
)
_IRREGULAR_PAST = {"sent": "send", "paid": "pay", "made": "make", "done": "do", "built": "build", "held": "hold",
                   "taken": "take", "given": "give", "written": "write", "drawn": "draw", "chosen": "choose",
                   "sold": "sell", "bought": "buy", "kept": "keep", "told": "tell", "found": "find",
                   "brought": "bring", "put": "put", "set": "set", "run": "run", "read": "read", "shut": "shut",
                   "keyed": "key", "mapped": "map", "logged": "log", "flagged": "flag", "scanned": "scan",
                   "shipped": "ship", "tagged": "tag", "planned": "plan", "scrapped": "scrap", "swapped": "swap",
                   "stopped": "stop", "dropped": "drop", "referred": "refer"}
PROCESS_VERBS: frozenset[str] = frozenset(
    {v for kind in ACTION_KINDS for v in kind.verbs if " " not in v} | set(_EXTRA_VERBS)
) - {"approval", "approves", "message", "arrives", "submits", "intake"}


def verb_base(word: str) -> str | None:
    """The base form of ``word`` when it is an inflection of a known process verb ("purges" → "purge")."""
    lower = word.lower().strip(",;:.!?")
    if lower in PROCESS_VERBS:
        return lower
    if lower in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[lower]
    candidates: list[str] = []
    if lower.endswith("ies") or lower.endswith("ied"):
        candidates.append(lower[:-3] + "y")
    if lower.endswith("es"):
        candidates.append(lower[:-2])
    if lower.endswith("s") and not lower.endswith("ss"):
        candidates.append(lower[:-1])
    if lower.endswith("ed"):
        candidates.extend([lower[:-2], lower[:-1]])
    if lower.endswith("ing"):
        candidates.extend([lower[:-3], lower[:-3] + "e"])
    return next((c for c in candidates if c in PROCESS_VERBS), None)
