"""Python's cyclic garbage collector run on the UI thread only, while the app's loop runs.

Left to itself, the collector runs on whichever thread allocates when a generation's count
passes its threshold, and in this app that is often a worker: sync, the Clients prefetch, an
import's reader. A dialog, view or model that the user closed and that a signal's lambda
keeps in a reference cycle is then destroyed on that worker, but a Qt object must die on the
thread it lives on: Qt warns "Timers cannot be stopped from another thread" and the app can
crash at its next event. So, while the loop runs, the automatic collector is off and a timer
on the UI thread does its work: it looks at the generation counts and collects the
generations past their thresholds, as the automatic collector would have.

It leaves the start alone: while `desktop.collector_pause` holds the collector paused (until
the first paint), nothing is collected; `resume` then hands over to this timer instead of
turning the automatic collector on. When the loop ends, the automatic collector is on again
(unless something else had turned it off before).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QTimer

from desktop import collector_pause

# Often enough that garbage never piles up (the automatic collector's first generation fills
# in well under a second of busy work), rarely enough to cost nothing when idle.
INTERVAL_MS = 500


def collect_due() -> int:
    """Collect the generations whose counts are past their thresholds (the automatic
    collector's rule); the number of objects freed."""
    if collector_pause.is_paused():
        return 0
    gc.disable()  # whoever turned it on again, it stays the timer's job while the loop runs
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[0] <= thresholds[0]:
        return 0
    generation = 0
    if counts[1] > thresholds[1]:
        generation = 2 if counts[2] > thresholds[2] else 1
    return gc.collect(generation)


@contextmanager
def collecting_on_ui_thread() -> Iterator[QTimer]:
    """For the block (the app's event loop): no automatic collection, a UI-thread timer
    instead."""
    restore = gc.isenabled() or collector_pause.is_paused()
    collector_pause.hand_over_to_ui(True)
    gc.disable()
    timer = QTimer()
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(collect_due)
    timer.start()
    try:
        yield timer
    finally:
        timer.stop()
        collector_pause.hand_over_to_ui(False)
        if restore and not collector_pause.is_paused():
            gc.enable()
