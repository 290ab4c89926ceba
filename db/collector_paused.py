"""Python's cyclic garbage collector paused around work that makes many small objects that all
live on (a schedule's build, a plan's loop check, the workload's bookings): the collector's
passes would walk them again and again, finding nothing to free, and can double the time.
Reference counting still frees whatever is not in a cycle; the collector runs again after."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the collector for the block, unless it is off already (then leave it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
