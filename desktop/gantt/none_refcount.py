"""A guard for PySide6 6.12 on Python 3.11: that build hands back `None` from every void
method (`painter.setPen`, `widget.update`, …) and from a Python `data()` that returns None
without taking a reference, so each call lowers None's reference count by one. None is
immortal from Python 3.12 on, which is likely why it went unnoticed; on 3.11 the count
reaches zero after some tens of thousands of calls — a minute of scrolling a Gantt chart —
and the interpreter aborts with "none_dealloc".

Giving None a vast reference count once makes it as good as immortal, which is exactly what
3.12 does. It is a no-op on 3.12+, on other interpreters, and when already applied.
It belongs at application start-up (it protects every view, not only the Gantt); it is
applied when `desktop.gantt` is imported so the chart, its tests and its benchmarks are safe.
"""

from __future__ import annotations

import ctypes
import platform
import sys

_BANK = 1 << 40


def make_none_immortal() -> None:
    if sys.version_info >= (3, 12) or platform.python_implementation() != "CPython":
        return
    refcount = ctypes.c_ssize_t.from_address(id(None))
    if refcount.value < _BANK:
        refcount.value += _BANK
