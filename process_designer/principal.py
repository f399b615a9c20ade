"""Who a call acts for: the :class:`Principal` (subject and tenant) of the request or command being handled.

Transports set it (the gRPC interceptor, the HTTP middleware, a CLI flag); the designer and the stores
read it, so that every transport checks the same tenant. It lives in a context variable: tasks and
worker threads started for a call inherit it.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["LOCAL", "Principal", "acting_as", "current_principal"]


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: ``subject`` (who) acting inside ``tenant`` (whose data).

    An ``operator`` also reads what spans tenants (analytics of the whole service); their own
    threads, sessions and templates stay their tenant's like anyone's.
    """

    subject: str
    tenant: str
    operator: bool = False


# Without authentication every caller is the one local user of an embedded instance, who runs it.
LOCAL = Principal(subject="local", tenant="local", operator=True)
_current: ContextVar[Principal] = ContextVar("process_designer_principal", default=LOCAL)


def current_principal() -> Principal:
    """The caller of the request or call being handled (:data:`LOCAL` when auth is off)."""
    return _current.get()


def acting_as(principal: Principal) -> None:
    """Make ``principal`` the caller for the rest of this task and the tasks it starts."""
    _current.set(principal)
