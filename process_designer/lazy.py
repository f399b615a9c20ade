"""Package names that load their module on first use (PEP 562).

A package lists what it exports and where each name lives; importing the package then costs
nothing, and a command that needs one name does not pay for the others' dependencies.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def exports(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``names`` maps a name to ``module`` or ``module:attribute``."""

    def __getattr__(name: str) -> Any:
        try:
            module, _, attribute = names[name].partition(":")
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), attribute or name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
