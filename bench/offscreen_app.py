"""The Qt application the GUI benchmarks draw in: the running one, else a new one on the
offscreen platform (unless the caller chose another), so a benchmark needs no display."""

from __future__ import annotations

import os
from typing import Any


def offscreen_app() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication  # only the GUI benchmarks pay for Qt

    return QApplication.instance() or QApplication([])
