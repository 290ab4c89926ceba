"""PySide6 6.12 on Python 3.11 drops a reference to None on every void call; importing the
Gantt view must leave the process able to make far more such calls than a session does."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

import desktop.gantt  # noqa: F401  (applies the guard)


def test_many_void_calls_do_not_exhaust_none(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    for _ in range(200_000):
        widget.update()
    assert sys.getrefcount(None) > 1_000_000
