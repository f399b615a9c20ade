"""Naming steps: a short imperative title, verb first, for one clause of the requirements."""

from __future__ import annotations

import re

from process_designer.agents.vocabulary import ACTION_KINDS, PROCESS_VERBS, verb_base

__all__ = ["FILLER", "clean_action", "is_rule_statement", "is_verb", "step_name", "third_person_to_base", "verb_first"]

FILLER = re.compile(
    r"^(?:we|i|you|they|the team|our team)\s+(?:need|want|would like|have|must|should|will)\s+(?:to\s+)?|"
    r"^(?:please|pls|plz|kindly)\s+|^(?:we|i)\s+|^(?:it\s+)?(?:should|must|needs? to|has to|will)\s+|^to\s+",
    re.IGNORECASE,
)
_MODAL = re.compile(r"\s+(?:also\s+)?(?:has to|have to|needs? to|must|should|will|is to|are to)\s+(?=[a-z])",
                    re.IGNORECASE)


def clean_action(text: str) -> str:
    """Drop filler ("we need to", "please", "also has to") from a clause."""
    previous = None
    while previous != text:
        previous = text
        text = FILLER.sub("", text).strip()
    return _MODAL.sub(" ", text)


_VERB_FIX = {"e-mail": "Email", "email": "Email", "lookup": "Look up", "setup": "Set up", "look": "Look"}
_CUT_WORDS = {"with", "from", "for", "via", "through", "using", "in", "into", "on", "at", "by", "before", "after",
              "within", "including", "against", "to", "w/", "per", "so", "because", "when", "if", "unless", "once",
              "until", "which", "that", "who", "as", "+", "-", "->", "&", "every", "each", "of", "based", "they", "we",
              "he", "she", "while", "where"}
# "billing address", "order form": verbs that as often qualify a noun
_NOUN_LIKE = {"bill", "land", "order", "file", "record", "report", "test", "process", "track", "map", "list", "book", "plan",
              "scan", "log", "match", "mark", "price", "rate", "service", "train", "screen", "check", "review"}
# Words that start a qualifier of the object: "decline disputes older than 120 days" → "decline disputes"
_QUALIFIERS = {"older", "younger", "than", "up", "over", "above", "under", "below", "beyond", "exceeding", "more", "less"}
_PARTICLE_VERBS = {"follow", "set", "back", "look", "pick", "sign", "roll", "wrap", "clean", "top", "line", "make"}
_COMPARATORS = {"above", "over", "under", "below", "beyond", "exceeding", "up"}
_PHRASAL_VERBS = {("hand", "over"), ("look", "up"), ("set", "up"), ("back", "up"), ("follow", "up"),
                  ("roll", "out"), ("sign", "off"), ("roll", "back"), ("put", "away"), ("wrap", "up")}
_PHRASAL = {"ask for": "request", "asks for": "request", "look into": "investigate", "get back to": "reply to",
            "figure out": "determine", "sort out": "resolve", "key in": "enter", "key them into": "enter",
            "work out": "calculate", "works out": "calculate", "keys them into": "enters into",
            "keys it into": "enters into", "key it into": "enter into"}
# Verbs whose subject is what they act on: "production restarts" means "restart production".
_ERGATIVE = {"stop", "restart", "start", "begin", "resume", "close", "open", "end", "finish", "expire", "pause",
             "continue", "launch", "renew", "fail", "pass"}
_LONE_VERB = {"ask": "request", "want": "request", "apply": "submit", "fill": "submit"}
_NOMINAL = {"pay": "payment", "approve": "approval", "decide": "decision", "sign": "sign-off", "verify": "verification",
            "review": "review", "check": "check", "triage": "triage", "escalate": "escalation"}
# Subjects that take a plural verb ("legal checks" aside): "agents categorise", "finance reviews".
_COLLECTIVE = {"we", "they", "staff", "people", "legal", "finance", "hr", "it", "sales", "ops", "security",
               "compliance", "procurement", "marketing", "support", "payroll", "facilities", "management",
               "engineering", "accounting", "quality", "police", "i", "you"}
_PRONOUNS = {"it", "them", "this", "that", "these", "those", "one", "ones"}
_PASSIVE_AUX = {"is", "are", "r", "was", "were", "gets", "get", "got", "be", "been"}
_ARRIVE = {"arrive", "arrives", "arrived", "come", "comes", "land", "lands", "landed"}
_MOVE = {"go", "goes", "went"}
_RECEIVE = {"get", "gets", "receive", "receives", "hear"}
_MESSAGES = re.compile(r"\b(?:e-?mail|letter|message|notification|notice|response|reply|answer|confirmation|"
                       r"reminder|update|invoice|quote|offer|label|summary|report|link|survey|sms|text|alert|"
                       r"receipt|statement|certificate|pack)s?\b", re.IGNORECASE)
_ESCALATION_TARGET = re.compile(r"\b(?:tier|level|senior|head|director|committee|board|manager|lead|vp|cfo|ceo|"
                                r"ciso|supervisor|specialist|engineer|expert|counsel|legal|siu|team)\b", re.IGNORECASE)


def is_verb(word: str) -> bool:
    """Whether ``word`` is a known verb in its base (imperative) form."""
    from process_designer.agents.analyst.parsing import strict_verb

    bare = word.strip(",;:.").lower()
    if bare in PROCESS_VERBS or any(bare == v for kind in ACTION_KINDS for v in kind.verbs):
        return True
    if bare.endswith("s") and not bare.endswith("ss") and is_verb(third_person_to_base(bare)) and \
            third_person_to_base(bare) != bare:
        return False  # a third-person form is a verb, but not an imperative one
    return strict_verb(bare) and not bare.endswith("s")


def third_person_to_base(word: str) -> str:
    lower = word.lower()
    if lower in ("does", "goes"):
        return word[:-2]
    if lower.endswith("ies"):
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1]


def _bare(word: str) -> str:
    return word.strip(",;:.!?").lower()


def _is_plural_subject(words: list[str]) -> bool:
    last = _bare(words[-1]) if words else ""
    return last in _COLLECTIVE or (last.endswith("s") and not last.endswith("ss") and len(last) > 3)


def _after_to(rest: list[str]) -> list[str]:
    """The target of "go (back|straight) to <target>", without its article."""
    lowered = [_bare(w) for w in rest]
    if "to" not in lowered[:3]:
        return []
    target = rest[lowered.index("to") + 1:]
    return [w for w in target if _bare(w) not in ("the", "a", "an")]


_LEADING_TIME = {"after", "before", "on", "at", "during", "upon", "following", "once", "when", "then"}


def _subject(words: list[str]) -> list[str]:
    """Subject words moved behind a verb read as an object: "Support tickets" → "support tickets"."""
    if words and _bare(words[0]) in _LEADING_TIME:
        # "after the live session the recording": the subject is the last noun phrase
        articles = [i for i, w in enumerate(words) if _bare(w) in ("the", "a", "an")]
        words = words[articles[-1]:] if len(articles) > 1 else words[1:]
    if words and not words[0].isupper():
        return [words[0][:1].lower() + words[0][1:], *words[1:]]
    return words


def _passive(words: list[str]) -> list[str] | None:
    """"refunds up to $200 are approved by the agent" → "approve refunds up to $200 by the agent"."""
    for index in range(1, min(len(words) - 1, 16)):
        word, following, subject_end = _bare(words[index]), _bare(words[index + 1]), index
        if word in ("must", "should", "will", "can", "may") and following == "be" and index + 2 < len(words):
            index, word, following = index + 1, "be", _bare(words[index + 2])
        if word in _PASSIVE_AUX - {"get"}:
            base = verb_base(following)
            if base is not None and following != base and not following.endswith(("ing", "s")):
                rest = words[index + 2:]
                if base == "escalate" and _after_to(rest):  # "managers who do not respond are escalated to …"
                    return [base, "to", *_after_to(rest)]
                return [base, *_subject(words[:subject_end]), *rest]
            return None
    return None


_PLURAL_NOUN_FOLLOWERS = _MOVE | _ARRIVE | _PASSIVE_AUX | {"must", "should", "need", "needs", "will", "can",
                                                           "have", "has", "require", "requires"}


def verb_first(words: list[str]) -> list[str]:
    """Reorder a clause so that its verb leads: "finance issues the refund" → "issue the refund".

    Passives become active ("the payroll team is notified" → "notify the payroll team"), arrivals become
    receipts ("tickets arrive" → "receive tickets"), and "X go to Y" becomes an escalation or a hand-over.
    A clause that already starts with a verb, or has none, comes back unchanged.
    """
    if not words:
        return words
    passive = _passive(words)
    if passive is not None and (not is_verb(words[0]) or _bare(words[1]) in _PASSIVE_AUX | {"be"}):
        return passive  # "invoice is matched": a noun that doubles as a verb is still the subject here
    if is_verb(words[0]):
        return words
    for index in range(1, min(len(words), 6)):
        word = _bare(words[index])
        following = _bare(words[index + 1]) if index + 1 < len(words) else ""
        subject, rest = _subject(words[:index]), words[index + 1:]
        if word in _CUT_WORDS or word in ("and", "or", "=", "but"):
            break
        if word in _ARRIVE:
            return ["receive", *subject, *rest]
        if word in _MOVE:
            target = _after_to(rest)
            if rest and _bare(rest[0]) == "out":
                return ["issue", *subject]  # "the refund goes out within 10 days"
            if rest and _bare(rest[0]) == "back":
                return ["return", *subject, "to", *target] if target else ["return", *subject]
            if target and _ESCALATION_TARGET.search(" ".join(target)):
                return ["escalate", "to", *target]
            return ["send", *subject, "to", *target] if target else words
        if word in _PASSIVE_AUX - _RECEIVE or (word in ("must", "should", "will", "can") and following == "be"):
            return words  # "quotes are valid": a statement, not an action
        if word in _RECEIVE and rest and _bare(rest[0]) not in _CUT_WORDS | {"back"}:
            obj = [w for w in rest if _bare(w) not in ("a", "an", "the", "back")]
            if _MESSAGES.search(" ".join(obj[:3])):
                return ["send", *obj]
            return obj or words
        base = verb_base(word)
        if base is None or word.endswith("ing"):
            continue
        if word.endswith("s") and word != base and following in _PLURAL_NOUN_FOLLOWERS:
            continue  # "technical issues go": a plural noun before its verb
        if word == base and not _is_plural_subject(subject):
            continue  # "panel interview", "SEO check": a noun phrase, not "<subject> <verb>"
        if word != base and not word.endswith("s"):
            # a reduced passive: "good ones booked for a demo" → "book a demo"
            if rest and _bare(rest[0]) in ("for", "to", "into", "as", "on"):
                return [base, *rest[1:]]
            if (rest and _bare(rest[0]) == "by") or not rest:
                return [base, *subject]
            return [base, *rest]
        if base in _ERGATIVE and word != base and rest and _bare(rest[0]) in _CUT_WORDS | {"only", "automatically",
                                                                                           "again"}:
            return [base, *subject]  # "production restarts only once …" → "restart production"
        if base in ("do", "make", "perform", "run", "carry") and word != base and rest and \
                _bare(rest[0]) not in ("a", "an", "the"):
            return rest  # "the nurse does teaching" → "teaching"
        if not [w for w in rest if _bare(w) not in _PRONOUNS] or words[index].endswith(":") or \
                _bare(rest[0]) in _COMPARATORS:
            # "manager approves (it)" → "manager approval"; "the board decides: rework or scrap" → "board decision";
            # "the receptionist confirms it" → "confirm", whose object the process lends later
            if base in _NOMINAL:
                return [*subject, _NOMINAL[base]]
            if base in _ERGATIVE and (not rest or _bare(rest[0]) in _CUT_WORDS | {"only", "automatically", "again"}):
                return [base, *subject]  # "the rollout stops" → "stop the rollout"
            return [_LONE_VERB.get(base, base)]
        return [base, *rest]
    second = _bare(words[1]) if len(words) > 1 else ""
    if re.match(r"^[a-z]+[^s]s$", second) and second not in _PLURAL_NOUN_FOLLOWERS and \
            not _bare(words[0]).endswith("s"):
        # "<subject> <verb>s …" with a verb the vocabulary does not know: "cardholder disputes a charge"
        verb = third_person_to_base(second)
        return [verb, *words[2:]] if len(words) > 2 else [words[0], _NOMINAL.get(verb, verb)]
    return words


# "At 02:00 extract orders", "On business day 1, freeze postings": when, not what
_WHEN_PREFIX = re.compile(r"^(?:(?:at|by|from|until|around|before|after)\s+\d[\d:.]*\s*(?:am|pm|h|utc)?|"
                          r"(?:on|by)\s+(?:business\s+|working\s+)?day\s+\d+)\b,?\s*", re.IGNORECASE)
_DATIVE_VERBS = {"send", "give", "email", "e-mail", "show", "offer", "pay", "tell", "hand", "issue", "mail", "grant"}
_ARTICLES = {"a", "an", "the"}


def _dative(words: list[str]) -> list[str]:
    """"send each manager the list for …" → "send the list to each manager": the thing sent is the object."""
    if len(words) < 4 or _bare(words[0]) not in _DATIVE_VERBS:
        return words
    for index in range(2, min(len(words) - 1, 5)):
        if _bare(words[index]) in _ARTICLES and _bare(words[index - 1]) not in _CUT_WORDS | _ARTICLES and \
                all(_bare(w) not in _CUT_WORDS - {"each", "every"} for w in words[1:index]):
            recipient = words[1:index]
            thing = words[index:]
            cut = next((i for i, w in enumerate(thing) if _bare(w) in _CUT_WORDS), len(thing))
            return [words[0], *thing[:cut], "to", *recipient, *thing[cut:]]
    return words


_STATEMENT = re.compile(r"\b(?:is|are|r|was|were|be|remains?|stays?)\b|\s=\s|^(?:the\s+)?(?:aim|goal|target|sla|"
                        r"objective)\b|\b(?:hear back|possible|allowed|valid)\b", re.IGNORECASE)


def is_rule_statement(text: str) -> bool:
    """Whether a clause states a rule or a fact rather than an action: "quotes are valid 45 days"."""
    words = [w for w in clean_action(text).split() if w.strip(",;:.")]
    if not words or is_verb(words[0]) or verb_first(words) != words:
        return False
    return bool(_STATEMENT.search(" ".join(words)))


def step_name(text: str, max_words: int = 5) -> str:
    """A short imperative title for a clause: "look up the order in the CRM" → "Look up order"."""
    text = clean_action(text)
    text = re.sub(r"^\s*(?:\d+[.)]|[a-z][.)])\s*", "", text)
    text = re.sub(r"^\s*[-*•–]\s*", "", text)
    text = re.sub(r"\s*\(.*?(?:\)|$)", "", text)
    text = re.sub(r"[\"'“”]", "", text)
    for phrase, verb in _PHRASAL.items():
        text = re.sub(rf"\b{phrase}\b", verb, text, flags=re.IGNORECASE)
    text = re.sub(r"^(?:and|or|but|also|then|plus|otherwise|else)\s+", "", text.strip(), flags=re.IGNORECASE)
    text = _WHEN_PREFIX.sub("", text)
    words = verb_first([w for w in text.split() if w.strip(",;:.")])
    if words and _bare(words[0]).endswith("ing") and verb_base(words[0]) and len(words) > 1 and \
            (verb_base(words[0]) not in _NOUN_LIKE or _bare(words[1]) in ("the", "a", "an", "all", "each")):
        words[0] = verb_base(words[0]) or words[0]  # "watching error rates" → "watch error rates"
    if words and verb_base(words[0]) and not is_verb(words[0]) and _bare(words[0]).endswith("s") and \
            (len(words) < 2 or _bare(words[1]) not in _PLURAL_NOUN_FOLLOWERS):
        words[0] = verb_base(words[0]) or words[0]  # "approves the invoice" → "approve the invoice"
    words = _dative(words)
    if len(words) > 3 and re.match(r"^\d[\d.,]*%?$", words[1]) and _bare(words[2]) == "of":
        words = [words[0], *words[3:]]  # "sample 10% of certifications" → "sample certifications"
    text = " ".join(words)
    text = re.sub(r"\b(?:[Aa]|[Aa]n|[Tt]he|[Ii]ts|[Tt]heir|[Oo]ur|[Hh]is|[Hh]er|[Aa]ll|[Aa]ny|[Ee]ach|them|it|[Tt]his|"
                  r"[Tt]hat|[Tt]hese|[Tt]hose)\b\s*", "", text)
    text = re.sub(r"\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s*(?:minutes?|hours?|days?|"
                  r"weeks?|months?|years?|business days?)\b.*$", "", text, flags=re.IGNORECASE)
    kept: list[str] = []
    for word in text.split():
        bare = word.strip(",;:.").lower()
        particle = bare == "up" and bool(kept) and kept[-1].lower() in _PARTICLE_VERBS  # "book follow up appointment"
        if len(kept) >= 2 and bare in _CUT_WORDS | _QUALIFIERS and not particle and not (
                len(kept) == 2 and (kept[0].lower(), kept[1].lower()) in _PHRASAL_VERBS) and not (
                bare == "to" and kept[0].lower() in ("escalate", "return", "hand", "route")
                and len(kept) <= 3):
            break
        kept.append(word.strip(",;:."))
        if word.endswith((",", ";", ":")) and len(kept) >= 2:
            break
        if len(kept) >= max_words:
            break
    while kept and kept[-1].lower() in _CUT_WORDS | {"and", "or", "of", "it", "also", "then"}:
        kept.pop()
    if not kept:
        return "Complete step"
    first = _VERB_FIX.get(kept[0].lower(), kept[0][:1].upper() + kept[0][1:])
    return " ".join([first, *kept[1:]]).rstrip(",.;:")
