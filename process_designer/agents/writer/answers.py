"""Answers to questions about the current document, grounded in its own text."""

from __future__ import annotations

import re

from process_designer.agents.vocabulary import detect_systems, system_label
from process_designer.domain.models import ProcessDocument

__all__ = ["answer_question"]

_STOP = {"what", "happens", "does", "the", "and", "when", "which", "who", "how", "long", "step", "this", "that",
         "process", "there", "with", "for", "are", "is", "if", "do", "we", "our", "about", "any", "from", "will"}


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]{3,}", text.lower())} - _STOP


def answer_question(document: ProcessDocument, question: str) -> str:
    """Quote the parts of ``document`` that answer ``question``; say so when nothing does."""
    asked = _words(question)
    systems = detect_systems(question)
    lines: list[str] = []
    if re.search(r"\bwho\b|\bresponsible\b|\bowner\b", question, re.I):
        lines.append(f"The process is owned by {document.overview.owner}.")
        lines += [f"Step {s.number} ({s.name}) is done by the {s.responsible}." for s in document.steps
                  if not asked or asked & _words(s.name)] or []
    if re.search(r"how long|duration|critical path|take", question, re.I):
        eff = document.quality.efficiency
        lines.append(f"The critical path takes {eff.critical_path_minutes:g} minutes through steps "
                     f"{', '.join(map(str, eff.critical_path))}; per step: "
                     + "; ".join(f"{s.number}. {s.name}: {s.duration}" for s in document.steps) + ".")
    scored = []
    for line in document.error_handling:
        score = len(asked & _words(line)) + sum(3 for s in systems if system_label(s).lower() in line.lower())
        if re.search(r"\bdown|fail|error|unavailable|outage|broken", question, re.I):
            score += 1 if "unavailable" in line or "fail" in line else 0
        scored.append((score, f"Error handling: {line}."))
    for step in document.steps:
        text = " ".join([step.name, step.objective, *step.actions, *step.validation])
        score = len(asked & _words(text)) + sum(2 for s in systems if s in step.systems)
        scored.append((score, f"Step {step.number} ({step.name}): " + "; ".join(step.actions[:3]) + "."))
    for line in document.monitoring:
        scored.append((len(asked & _words(line)), f"Monitoring: {line}."))
    best = sorted((item for item in scored if item[0] >= 2), key=lambda item: -item[0])[:4]
    lines += [text for _, text in best]
    if not lines:
        return ("The document does not cover that yet. You can ask me to add it, e.g. 'add error handling "
                "for …' or 'add a step to … after step 2'.")
    return "From the current document:\n" + "\n".join(f"- {line}" for line in dict.fromkeys(lines))
