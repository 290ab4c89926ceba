"""Hybrid logical clock: one 64-bit integer, wall-clock milliseconds shifted left 16 bits plus
a logical counter in the low bits, so `max(hlc + 1, wall << 16)` is the whole tick rule and
integers compare in the clock's order.

The HLC never decides whether one change had seen another (the causal context does, see
`merge.py`); it only picks a deterministic winner between concurrent changes, by HLC then
station id. A local edit always gets an HLC above every version of the row it edits (the
triggers in `schema.py` do this), so the HLC order agrees with the causal order and the
winner is a pure function of the set of changes, whatever order they arrive in.

A received clock more than `MAX_DRIFT_MS` ahead of ours is *flagged* (once per station, with
its offset) and not adopted into our clock (one station in 2099 must not drag every clock to
2099). A clock far ahead must not win every concurrent write either: at each push a station
compares its clock with the share's (the time the share gives the file it just wrote); when
it runs ahead by more than `SHARE_SLACK_MS` it stamps its edits by the share's clock instead
(`sync_ctl.clock_excess_ms`), still above every version of the row it edits. A share that
takes the writer's clock for file times (a cloud-synced folder) shows no offset: there the
station is only flagged.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

COUNTER_BITS = 16
MAX_DRIFT_MS = 24 * 3600 * 1000
# A station's clock may run this far ahead of the share's before its stamps are held back.
SHARE_SLACK_MS = 5 * 60 * 1000

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


def excess_ms(offset_from_share_ms: int | None) -> int:
    """How much to hold this station's stamps back, given its clock minus the share's."""
    if offset_from_share_ms is None or offset_from_share_ms <= SHARE_SLACK_MS:
        return 0
    return offset_from_share_ms


def describe_offset(ms: int) -> str:
    """`ms` ahead, in words a user reads at a glance: "about 3 days ahead"."""
    for unit, size in (("day", 86_400_000), ("hour", 3_600_000), ("minute", 60_000)):
        if ms >= size:
            n = round(ms / size)
            return f"about {n} {unit}{'s' if n != 1 else ''} ahead"
    return f"{max(ms, 0) // 1000} seconds ahead"


def to_datetime(hlc: int) -> datetime:
    return datetime.fromtimestamp(physical_ms(hlc) / 1000, UTC)


def describe(hlc: int) -> str:
    return f"{to_datetime(hlc):%Y-%m-%d %H:%M:%S} UTC+{hlc & ((1 << COUNTER_BITS) - 1)}"
