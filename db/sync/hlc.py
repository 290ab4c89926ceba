"""Hybrid logical clock: one 64-bit integer, wall-clock milliseconds shifted left 16 bits plus
a logical counter in the low bits, so `max(hlc + 1, wall << 16)` is the whole tick rule and
integers compare in the clock's order.

Raw wall clocks are never compared across machines: a change is ordered by its HLC, then by
station id. A local edit always gets an HLC above every version of the row it edits (the
triggers in `schema.py` do this), so an edit made after seeing a change beats it whatever the
two stations' clocks say. A received clock more than `MAX_DRIFT_MS` ahead of ours is *flagged*
and not adopted into our clock (one station in 2099 must not drag every clock to 2099); it
still orders deterministically, and it cannot win forever because the next edit of that row,
anywhere it has been seen, is stamped above it.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

COUNTER_BITS = 16
MAX_DRIFT_MS = 24 * 3600 * 1000

# The same wall clock in SQL, for the outbox triggers (julianday is stable within a statement).
SQL_WALL_MS = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"


def wall_ms(offset_ms: int = 0) -> int:
    return time.time_ns() // 1_000_000 + offset_ms


def physical_ms(hlc: int) -> int:
    return hlc >> COUNTER_BITS


def tick(last: int, now_ms: int) -> int:
    """The next local HLC after `last`, at wall time `now_ms`."""
    return max(last + 1, now_ms << COUNTER_BITS)


def is_far_future(hlc: int, now_ms: int) -> bool:
    return physical_ms(hlc) > now_ms + MAX_DRIFT_MS


def receive(last: int, remote: int, now_ms: int) -> int:
    """Our clock after seeing `remote`: adopted unless it is far in the future."""
    if is_far_future(remote, now_ms):
        return last
    return max(last, remote)


def to_datetime(hlc: int) -> datetime:
    return datetime.fromtimestamp(physical_ms(hlc) / 1000, UTC)


def describe(hlc: int) -> str:
    return f"{to_datetime(hlc):%Y-%m-%d %H:%M:%S} UTC+{hlc & ((1 << COUNTER_BITS) - 1)}"
