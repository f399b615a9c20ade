"""The process writer: composes documents from requirements and templates, and edits them on request."""

from __future__ import annotations

from process_designer.agents.writer.compose import compose_document
from process_designer.agents.writer.edits import EditResult, apply_edit
from process_designer.agents.writer.revise import revise_document

__all__ = ["EditResult", "apply_edit", "compose_document", "revise_document"]
