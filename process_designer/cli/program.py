"""How a command's process spends its time outside the command: garbage collection and its end.

A one-shot command loads an engine of two thousand modules and a few million objects that live until
the process ends. Python's default collector thresholds scan them again and again while they load (half
a second of a design's start), and the interpreter's teardown frees them one by one after the answer is
printed (another half second). Neither is work the user asked for.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import threading
from collections.abc import Iterator
from typing import NoReturn

__all__ = ["collecting_rarely", "end"]

# Young objects allowed before a collection, and collections of each generation before the next one
# is collected: a one-shot design then collects a few times instead of six hundred.
_RARE_THRESHOLDS = (100_000, 50, 1_000)


@contextlib.contextmanager
def collecting_rarely() -> Iterator[None]:
    """Collect garbage rarely while the block runs (the objects it makes live until the process ends)."""
    before = gc.get_threshold()
    gc.set_threshold(*_RARE_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def end(code: int) -> NoReturn:
    """End the process with ``code`` once its output is flushed and its exit handlers have run, without
    the interpreter's teardown; while a thread that is not a daemon still runs, end as usual and wait for it."""
    _flush()
    if any(not thread.daemon for thread in threading.enumerate() if thread is not threading.main_thread()):
        sys.exit(code)
    atexit._run_exitfuncs()
    _flush()
    os._exit(code)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream: nothing left to say there
            stream.flush()
