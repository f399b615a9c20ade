"""The process template library: curated templates, their embeddings and search over Chroma."""

from __future__ import annotations

from process_designer.knowledge.library import (
    CURATED_TEMPLATES_DIR,
    IndexReport,
    TemplateHit,
    TemplateLibrary,
)
from process_designer.knowledge.template_model import (
    ProcessTemplate,
    load_template,
    template_from_toml,
)

__all__ = [
    "CURATED_TEMPLATES_DIR",
    "IndexReport",
    "ProcessTemplate",
    "TemplateHit",
    "TemplateLibrary",
    "load_template",
    "template_from_toml",
]
