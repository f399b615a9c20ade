"""The names every SPy program can use without defining them: the stdlib and the platform functions."""

from __future__ import annotations

__all__ = ["PLATFORM_FUNCTIONS", "STDLIB_ARITY", "TEST_FUNCTIONS"]

# name -> (min arguments, max arguments) of the standard library (SPEC §6).
STDLIB_ARITY: dict[str, tuple[int, int]] = {
    "len": (1, 1), "str": (1, 1), "int": (1, 1), "float": (1, 1), "bool": (1, 1),
    "lower": (1, 1), "upper": (1, 1), "trim": (1, 1), "split": (2, 2), "join": (2, 2),
    "contains": (2, 2), "starts_with": (2, 2), "keys": (1, 1), "values": (1, 1),
    "get": (2, 3), "append": (2, 2), "range": (1, 2), "min": (2, 2), "max": (2, 2),
    "abs": (1, 1), "round": (1, 2), "now": (0, 0), "log": (1, 1), "error": (2, 2),
}

# Test-only helpers of the simulated runtime: drive branches and assert on integrations.
TEST_FUNCTIONS: dict[str, tuple[int, int]] = {
    "simulate_return": (2, 2),
    "simulate_error": (3, 4),
    "recorded_calls": (1, 1),
}

# Host functions every runtime supplies (SPEC §7), with their arities.
PLATFORM_FUNCTIONS: dict[str, tuple[int, int]] = {
    "get_secret": (1, 1),
    "sleep": (1, 1),
    "emit_metric": (2, 3),
    "refresh_oauth_token": (0, 1),
    "implement_backoff_strategy": (0, 2),
    "refresh_authentication": (0, 1),
    "retry_operation": (0, 2),
    "AuthConfig": (2, 2),
    **TEST_FUNCTIONS,
}
