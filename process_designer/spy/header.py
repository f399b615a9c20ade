"""The bindings header: a program's first comment lines can declare the connectors it calls.

    # spy: bindings crm, email, billing

``spy check``, ``spy run`` and ``spy test`` add the declared names to ``--bindings``, so a program the
designer wrote checks and tests clean with the plain commands. Only the comment lines at the top
of a file count (blank lines may sit among them); the header of each linked file counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from process_designer.errors import InputError

__all__ = ["bindings_header", "declared_bindings"]

_HEADER = re.compile(r"#\s*spy:\s*bindings\b(?P<names>.*)$")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def bindings_header(names: Iterable[str]) -> str:
    """The header line (with its newline) declaring ``names``, or ``""`` when there are none."""
    ordered = sorted(set(names))
    return f"# spy: bindings {', '.join(ordered)}\n" if ordered else ""


def declared_bindings(source: str, filename: str = "<string>") -> list[str]:
    """The connector names the header of ``source`` declares; an InputError for a malformed one."""
    names: list[str] = []
    for number, line in enumerate(source.splitlines(), start=1):
        text = line.strip()
        if not text:
            continue
        if not text.startswith("#"):
            break
        match = _HEADER.fullmatch(text)
        if match is None:
            continue
        for name in (part.strip() for part in match["names"].split(",")):
            if not _NAME.fullmatch(name):
                raise InputError(f"{filename}:{number}: {name!r} in the bindings header is not a connector "
                                 "name; write them as `# spy: bindings crm, email`")
            names.append(name)
    return names
