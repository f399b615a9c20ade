"""Classifies a chat turn so the graph can send it to the agents it needs.

The message is read with the shared English pipeline (``language.messages``); the words that mark
each kind of turn are data (``language/chat_words.json``, ``turns``).
"""

from __future__ import annotations

from typing import Literal

from process_designer.language.messages import Reading, chat_words, read_message

__all__ = ["Intent", "classify_turn", "version_command"]

Intent = Literal["context", "design", "revise", "code", "review", "question", "clarify", "compare", "save_template",
                 "versions"]
VersionCommand = Literal["list", "diff", "undo", "revert"]


def _has_phrase(reading: Reading, phrases: list[str]) -> bool:
    joined = " " + " ".join(reading.words) + " "
    return any(f" {phrase} " in joined for phrase in phrases)


def version_command(reading: Reading) -> VersionCommand | None:
    """Which version command the message gives, if it is one ("list the versions", "undo", "revert to version 3")."""
    words = chat_words()["turns"]["versions"]
    if reading.command == "undo" or (reading.command == "revert" and not reading.versions and
                                     not reading.has("version")):
        return "undo" if not reading.versions else "revert"
    if reading.command == "revert" or (reading.has("back") and reading.versions and reading.has("go")):
        return "revert"
    if not reading.has(*words["objects"]) or reading.steps:
        return None
    if reading.command in ("list", "compare") or reading.words[:1] == ("what",) or (reading.command == "" and \
            reading.has(*words["list"])):
        asks_diff = reading.has(*chat_words()["version_words"]["diff"]) or reading.command == "compare"
        return "diff" if asks_diff or len(reading.versions) == 2 else "list"
    return None


def _wants(reading: Reading, kind: str) -> bool:
    words = chat_words()["turns"][kind]
    if _has_phrase(reading, words.get("phrases", [])):
        return True
    verbs, objects = words.get("verbs", []), words.get("objects", words.get("words", []))
    return bool(verbs) and reading.has(*verbs) and reading.has(*objects) and (
        reading.verb in verbs or reading.words[reading.verb_index if reading.verb_index >= 0 else 0] in verbs)


def classify_turn(text: str, role: str, has_document: bool) -> Intent:
    """What the user wants from this turn."""
    if role == "SYSTEM":
        return "context"
    if not text.strip():
        return "clarify"
    if not has_document:
        return "design"
    reading = read_message(text)
    if _wants(reading, "save_template"):
        return "save_template"
    if version_command(reading) is not None:
        return "versions"
    if _wants(reading, "compare"):
        return "compare"
    if _has_phrase(reading, chat_words()["turns"]["new_process"]["phrases"]):
        return "design"
    if _wants(reading, "code"):
        return "code"
    if _wants(reading, "review") and (reading.command == "" or reading.verb_index == 0):
        return "review"
    if reading.question:
        return "question"
    if len(reading.words) <= chat_words()["max_edit_words"] or reading.command:
        return "revise"  # with a document on the table, short messages amend it
    return "design"
