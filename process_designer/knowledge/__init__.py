"""The process template library: curated templates, their embeddings and search over Chroma.

Names load on first use (PEP 562): a command that only reads template files never imports Chroma.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from process_designer.lazy import exports

if TYPE_CHECKING:
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

_EXPORTS = {
    "CURATED_TEMPLATES_DIR": "process_designer.knowledge.library",
    "IndexReport": "process_designer.knowledge.library",
    "TemplateHit": "process_designer.knowledge.library",
    "TemplateLibrary": "process_designer.knowledge.library",
    "ProcessTemplate": "process_designer.knowledge.template_model",
    "load_template": "process_designer.knowledge.template_model",
    "template_from_toml": "process_designer.knowledge.template_model",
}

__all__ = [
    "CURATED_TEMPLATES_DIR",
    "IndexReport",
    "ProcessTemplate",
    "TemplateHit",
    "TemplateLibrary",
    "load_template",
    "template_from_toml",
]


__getattr__ = exports(__name__, _EXPORTS)
