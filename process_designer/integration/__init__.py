"""Integrations read from the user's own words: the spec of the Integration Process Pattern and its run."""

from __future__ import annotations

from process_designer.integration.mapping import is_mapping_sentence
from process_designer.integration.reader import read_integration
from process_designer.integration.run import integration_requirement

__all__ = ["integration_requirement", "is_mapping_sentence", "read_integration"]
