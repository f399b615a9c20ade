"""The exception tree of Process Designer.

ProcessDesignerError
├── ConfigError        a bad setting (names the variable and the fix)
├── InputError         a user's input that cannot be used (names what and where)
│   └── NotFoundError  an id (thread, session, template, version) that does not exist
├── SpyError           raised by the SPy toolchain (see ``process_designer.spy.errors``)
├── TemplateError      the template library could not read, index or store a template
├── EngineError        an agent engine failed (an LLM endpoint that keeps failing, …)
└── StorageError       the database or data directory failed
    └── StorageFullError  no space left where the data is written
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "EngineError",
    "InputError",
    "NotFoundError",
    "ProcessDesignerError",
    "SpyError",
    "StorageError",
    "StorageFullError",
    "TemplateError",
]


class ProcessDesignerError(Exception):
    """Root of every error the product raises on purpose; its message is fit for a user."""


class ConfigError(ProcessDesignerError):
    """A configuration value is missing or invalid."""


class InputError(ProcessDesignerError):
    """User input that cannot be used; nothing was changed."""


class NotFoundError(InputError):
    """A referenced thread, session, template or version does not exist."""


class SpyError(ProcessDesignerError):
    """An error of the SPy toolchain."""


class TemplateError(ProcessDesignerError):
    """A template could not be read, indexed or stored."""


class EngineError(ProcessDesignerError):
    """An agent engine could not produce a result."""


class StorageError(ProcessDesignerError):
    """The persistence layer failed."""


class StorageFullError(StorageError):
    """The disk (or database) holding the data is full; nothing stored before is lost."""
