"""The error every map import and export raises: it names the file, the element and why it cannot be used."""

from __future__ import annotations

from process_designer.errors import InputError

__all__ = ["MapError"]


class MapError(InputError):
    """A process map that cannot be read or written; the message is ``FILE: ELEMENT: WHY``."""

    def __init__(self, source: str, element: str, why: str) -> None:
        self.source, self.element, self.why = source, element, why
        super().__init__(f"{source}: {element}: {why}" if element else f"{source}: {why}")
