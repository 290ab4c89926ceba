"""Python's cyclic garbage collector paused from the start of the app to its first paint.

Start-up creates a few hundred thousand long-lived objects (SQLAlchemy, the mapped classes,
Qt's wrappers, the first screen), and every so many allocations the collector walks them all
again, finding nothing to free: about 60 ms of CPU before the window shows (a tenth of the
plain start, issue 19). Reference counting still frees everything that is not in a cycle; the
collector resumes once the window has painted, or as soon as the start goes another way (a
dialog, an error, a hand-over to the running app), and finds then whatever cycles start-up
left. While the app's loop runs, collection is the UI thread's (`desktop.ui_collector`):
`resume` then leaves the automatic collector off.
"""

from __future__ import annotations

import gc

_paused = False
_ui_collects = False


def pause() -> None:
    """Pause the collector, unless something else already has it off (then leave it be)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Let the collector run again if `pause` stopped it (safe to call more than once)."""
    global _paused
    if _paused:
        _paused = False
        if not _ui_collects:
            gc.enable()


def is_paused() -> bool:
    return _paused


def hand_over_to_ui(on: bool) -> None:
    """While on, collection is a UI-thread timer's (`desktop.ui_collector`)."""
    global _ui_collects
    _ui_collects = on
