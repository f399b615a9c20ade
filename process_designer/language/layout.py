"""The layout of a requirement text made plain before it is read as English.

People paste processes in the forms their tools give them: a table copied from a wiki, a post with
emoji for list markers, meeting notes where each line is somebody speaking, checklists that ask
"Out of tolerance? Raise a nonconformance". The reader reads sentences and list items; this module
turns those forms into them, keeping what they say about the work:

- a user story's role is the narrator and its want what they do; an acceptance criterion's Given and
  When are the condition of its Then;
- a Markdown table becomes one list item per row, "<who>: <what>", its other columns kept as notes
  in brackets;
- keycap digits ("1️⃣") become numbered list markers, pointing emoji become arrows, other pictographs
  and trailing hashtags go;
- in a transcript ("Raj (bed manager): I allocate a bed"), the speaker's label goes and a speaker who
  gave their role introduces themselves ("I am the bed manager.") where the speaker changes, so that
  "I" is read as their role;
- a yes/no question followed by its answer is a condition and what follows from it: "Out of
  tolerance? Raise a nonconformance" → "if out of tolerance, raise a nonconformance"; "Is the form
  complete? Then file it" → "if the form is complete, file it".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from process_designer.language import wordforms
from process_designer.language.lexicon import data_file, lexicon
from process_designer.language.pipeline import english

__all__ = ["plain"]


@dataclass(frozen=True)
class _Words:
    step_headers: frozenset[str]
    role_headers: frozenset[str]
    index_headers: frozenset[str]
    wh_words: frozenset[str]
    consequence_openers: tuple[str, ...]


@lru_cache(maxsize=1)
def _words() -> _Words:
    data = data_file("layout.toml")
    table, questions = data["table"], data["questions"]
    return _Words(
        step_headers=frozenset(table["step"]),
        role_headers=frozenset(table["role"]),
        index_headers=frozenset(table["index"]),
        wh_words=frozenset(questions["wh_words"]),
        # longest first, so that "in that case" is taken whole
        consequence_openers=tuple(sorted(questions["consequence_openers"], key=len, reverse=True)),
    )


def plain(text: str) -> str:
    """``text`` with its layout made plain (see the module's description); plain prose comes back as it was."""
    lines = [_storied(_without_pictographs(line)) for line in text.splitlines()]
    lines = list(_untabled(lines))
    return "\n".join(_spoken(lines))


# -- user stories --------------------------------------------------------------------------------------

_STORY = re.compile(r"^(?P<lead>\s*(?:[-*•]\s*)?(?:(?:user\s+)?story\s*:\s*)?)as an? (?P<role>[^,]{2,40}?),?\s+"
                    r"I (?P<verb>want|need|would like)(?P<to> to)? (?P<want>.+?)(?:,?\s+so that\s+.*)?$", re.IGNORECASE)
_SCENARIO = re.compile(r"^(?P<lead>\s*(?:[-*•]\s*|\d{1,2}[.)]\s*)?)given (?P<given>.+?),?\s+"
                       r"(?:when (?P<when>.+?),?\s+)?then (?P<then>.+)$", re.IGNORECASE)


def _storied(line: str) -> str:
    """A user story's role as the narrator and its want as what they do ("As a subscriber I want to cancel my
    plan" → "I am the subscriber. I cancel my plan."); an acceptance criterion's Given and When as the
    condition of its Then."""
    story = _STORY.match(line)
    if story is not None:
        wanted = story["want"].strip().rstrip(".")
        doing = wanted if story["to"] else f"{story['verb']} {wanted}"  # "I need a laptop" stays a need
        return f"{story['lead']}I am the {story['role'].strip()}. I {doing}."
    scenario = _SCENARIO.match(line)
    if scenario is not None:
        condition = " and ".join(part.strip() for part in (scenario["given"], scenario["when"]) if part)
        return f"{scenario['lead']}if {condition}, {scenario['then'].strip()}"
    return line


# -- emoji ---------------------------------------------------------------------------------------------

_KEYCAP = re.compile(r"^(\s*)(\d{1,2})\ufe0f?\u20e3\s*")
_POINTING = frozenset("\U0001f449\u27a1\u2794\u279c\u27a4")  # 👉 ➡ ➔ ➜ ➤
_TRAILING_TAGS = re.compile(r"(?:\s+#[^\W\d]\w*)+\s*$")  # hashtags, not numbers ("ticket #4521")


def _pictograph(char: str) -> bool:
    point = ord(char)
    return (0x1F000 <= point <= 0x1FAFF or 0x2600 <= point <= 0x27BF or 0x2B00 <= point <= 0x2BFF
            or point in (0xFE0F, 0x200D, 0x20E3))


def _without_pictographs(line: str) -> str:
    """Keycap digits as numbered markers, pointing emoji as arrows, other pictographs and trailing hashtags
    gone; a line without emoji comes back unchanged."""
    line = _KEYCAP.sub(r"\1\2. ", line)
    if not any(_pictograph(char) for char in line) and "#" not in line:
        return line
    out = "".join(" -> " if char in _POINTING else " " if _pictograph(char) else char for char in line)
    out = _TRAILING_TAGS.sub("", out)
    indent = out[: len(out) - len(out.lstrip())]
    return indent + re.sub(r"\s+", " ", out.strip()).replace(" -> ->", " ->").removeprefix("-> ")


# -- tables --------------------------------------------------------------------------------------------

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?\s*$")


def _cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [cell.strip() for cell in inner.split("|")]


def _untabled(lines: list[str]) -> Iterator[str]:
    """Each Markdown table as one list item per row; the other lines as they are."""
    index = 0
    while index < len(lines):
        line = lines[index]
        if "|" in line and index + 1 < len(lines) and _SEPARATOR.match(lines[index + 1]):
            header = _cells(line)
            rows: list[list[str]] = []
            index += 2
            while index < len(lines) and "|" in lines[index] and lines[index].strip():
                rows.append(_cells(lines[index]))
                index += 1
            yield from _table_items(header, rows)
            continue
        yield line
        index += 1


def _column(header: list[str], names: frozenset[str], taken: set[int]) -> int | None:
    for position, cell in enumerate(header):
        words = set(re.findall(r"[\w#.]+", cell.lower()))
        if position not in taken and words & names:
            return position
    return None


def _table_items(header: list[str], rows: list[list[str]]) -> Iterator[str]:
    words = _words()
    width = len(header)
    rows = [(row + [""] * width)[:width] for row in rows]
    numbered = {p for p in range(width)
                if header[p].lower().strip(" .") in words.index_headers
                or all(re.fullmatch(r"\d{1,3}[.)]?", row[p]) for row in rows if row[p])}
    role = _column(header, words.role_headers, numbered)
    taken = numbered | ({role} if role is not None else set())
    step = _column(header, words.step_headers, taken)
    if step is None:  # the column that says the most says what is done
        free = [p for p in range(width) if p not in taken]
        if not free:
            return
        step = max(free, key=lambda p: sum(len(row[p]) for row in rows))
    notes = [p for p in range(width) if p not in taken and p != step]
    for row in rows:
        if not row[step].strip():
            continue
        who = row[role].strip() if role is not None else ""
        asides = "".join(f" ({row[p]})" for p in notes if row[p].strip(" -"))
        yield f"- {_row(who, row[step].strip())}{asides}"


def _row(who: str, what: str) -> str:
    """A table row as a list line: "<who>: <what>"; a row that asks first ("Out of tolerance? Raise an
    NCR") as "if out of tolerance, the <who> raises an NCR"."""
    question, mark, answer = what.partition("? ")
    if not mark or not _yes_no(question):
        return f"{who}: {_lower_first(what)}" if who else _lower_first(what)
    condition = _declarative(question)
    verb, _, rest = _lower_first(answer).partition(" ")
    forms = wordforms.inflections(verb, "VBZ") if verb in wordforms.all_lemmas(verb).get("VERB", ()) else ()
    if who and forms:
        return f"{condition}, the {_lower_first(who)} {forms[0]} {rest}".rstrip()
    return f"{condition}, {who + ': ' if who else ''}{_lower_first(answer)}"


# -- speakers ------------------------------------------------------------------------------------------

_SPEAKER = re.compile(r"^\s*(?P<name>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)\s*(?:\((?P<role>[^()]{2,40})\))?\s*:\s+(?P<text>\S.*)$")


def _role_word(name: str) -> bool:
    lex = lexicon()
    return any(word in lex.role_heads or word in lex.departments for word in name.lower().split())


def _speakers(lines: list[str]) -> dict[str, str]:
    """The people who speak in a transcript, with the role each gave (or ""): at least two names, none of
    them a role, each labelling a line; one who gave a role in brackets is a speaker on that alone."""
    named: dict[str, str] = {}
    for line in lines:
        match = _SPEAKER.match(line)
        if match is None or _role_word(match["name"]):
            continue
        name = match["name"]
        named[name] = named.get(name) or (match["role"] or "").strip()
    if len(named) < 2 and not any(named.values()):
        return {}
    return named


@dataclass
class _Said:
    text: str
    speaker: str | None = None


def _spoken(lines: list[str]) -> Iterator[str]:
    """Lines with speakers' labels turned into self-introductions where the speaker changes, and questions
    joined to the answers that follow from them."""
    speakers = _speakers(lines)
    said: list[_Said] = []
    for line in lines:
        match = _SPEAKER.match(line) if speakers else None
        if match is not None and match["name"] in speakers:
            said.append(_Said(match["text"], match["name"]))
        else:
            said.append(_Said(line))
    said = _answered(said)
    last_speaker: str | None = None
    for entry in said:
        role = speakers.get(entry.speaker or "", "")
        if entry.speaker is not None and entry.speaker != last_speaker and role:
            yield f"I am the {role}."
        if entry.speaker is not None:
            last_speaker = entry.speaker
        yield entry.text


# -- questions -----------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_ARROW_OPENING = re.compile(r"^\s*(?:->|→|=>|-->)")
_ANSWER_LABEL = re.compile(r"^\s*[A-Z]\w{0,10}:\s")
_LEAD = re.compile(r"^(\s*(?:[-*•·▪]+|\(?\d{1,2}[.):]|\(?[a-z][.)])\s+)?(?:[^:?]{1,30}:\s+)?")
_AUXILIARIES = frozenset({"is", "are", "was", "were", "am", "has", "have", "had", "can", "could", "will", "would",
                          "should", "must", "may", "might", "shall"})
_DO = frozenset({"do", "does", "did"})
_JOINERS = ("and ", "but ", "so ", "or ")


def _answered(said: list[_Said]) -> list[_Said]:
    """Each line's yes/no questions as conditions; a line that ends in a question whose answer opens the next
    line ("and if there's nothing free?" / "then I escalate") joined to it."""
    out: list[_Said] = []
    for entry in said:
        entry = _Said(_as_condition(entry.text), entry.speaker)
        if out and _open_question(out[-1].text) and (answer := _consequence(entry.text)) is not None:
            condition = _declarative(out[-1].text.strip().rstrip("?").strip())
            out[-1] = _Said(f"{condition}, {answer}", entry.speaker)
            continue
        out.append(entry)
    return out


def _open_question(text: str) -> bool:
    stripped = text.strip()
    return stripped.endswith("?") and _yes_no(_SENTENCE_END.split(stripped)[-1].rstrip("?"))


def _consequence(text: str) -> str | None:
    """The answer without its opener when ``text`` opens with one ("then I escalate" → "I escalate")."""
    low = text.strip().lower()
    for opener in _words().consequence_openers:
        if low.startswith(opener + " ") or low.startswith(opener + ","):
            return text.strip()[len(opener):].lstrip(" ,")
    return None


def _without_joiners(words: list[str]) -> list[str]:
    """``words`` without the conjunctions that join a question to what came before ("and if …", "what if …")."""
    while words and (words[0].lower() + " " in _JOINERS or [w.lower() for w in words[:2]] == ["what", "if"]):
        words = words[1:]
    return words


def _yes_no(question: str) -> bool:
    words = _without_joiners(question.strip().lower().split())
    if len(words) > 1 and words[1] == "you":  # "can you add a step?": a request to the reader, not a condition
        return False
    return bool(words) and words[0] not in _words().wh_words and len(words) <= 14


def _as_condition(line: str) -> str:
    """``line`` with each yes/no question that has an answer after it written as a condition."""
    if "?" not in line:
        return line
    lead = _LEAD.match(line)
    prefix = lead.group(0) if lead else ""
    sentences = _SENTENCE_END.split(line[len(prefix):].strip())
    out: list[str] = []
    index = 0
    while index < len(sentences):
        sentence = sentences[index]
        if sentence.endswith("?") and index + 1 < len(sentences) and _yes_no(sentence.rstrip("?")) \
                and not _ARROW_OPENING.match(sentences[index + 1]) \
                and not _ANSWER_LABEL.match(sentences[index + 1]):  # "excursion? -> …": the arrow's; "A: Yes": a FAQ's
            answer = sentences[index + 1]
            answer = _consequence(answer) or answer
            out.append(f"{_declarative(sentence.rstrip('?'))}, {_lower_first(answer)}")
            index += 2
            continue
        out.append(sentence)
        index += 1
    return prefix + " ".join(out)


def _lower_first(text: str) -> str:
    """``text`` with its first word in lower case unless it is an acronym or a name ("QP", "Jess")."""
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower() and wordforms.all_lemmas(first.lower()):
        return first.lower() + text[len(first):]
    return text


def _declarative(question: str) -> str:
    """A yes/no question as the condition it asks about: "Is the form complete" → "if the form is complete";
    "Out of tolerance" → "if out of tolerance"; "and if there's nothing free" → "if there's nothing free"."""
    words = _without_joiners(question.strip().split())
    if not words:
        return "if"
    first = words[0].lower()
    if first in ("if", "when", "unless"):
        return " ".join([first, *words[1:]])
    if first in _DO:
        return "if " + " ".join(words[1:])
    if first in _AUXILIARIES:
        return "if " + _subject_first(first, words[1:])
    return "if " + _lower_first(" ".join(words))


def _subject_first(auxiliary: str, rest: list[str]) -> str:
    """The auxiliary of a question put after its subject: "is" + "water coming in" → "water is coming in"."""
    doc = english()(" ".join([auxiliary, *rest]))
    head = doc[0].head if doc[0].dep_ in ("aux", "auxpass") else doc[0]
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i > 0), None)
    if subject is None:
        return " ".join(rest)
    # the noun phrase's own words, not what the parse may hang on it ("the pressure" of "is the pressure too low")
    end = next((chunk.end - 1 for chunk in doc.noun_chunks if chunk.root == subject), subject.i)
    for modifier in subject.rights:  # "the colour of the sample"
        last = max(t.i for t in modifier.subtree)
        if modifier.dep_ == "prep" and last < len(doc) - 1:  # "are the goods from X": X is what is asked
            end = max(end, last)
    return " ".join([doc[1 : end + 1].text, auxiliary, doc[end + 1 :].text]).strip()
