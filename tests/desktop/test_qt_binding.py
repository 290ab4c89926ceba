"""PySide6 6.12 on Python 3.11 drops a reference to None on every void call and the
interpreter aborts after some tens of thousands of them; pyproject.toml keeps that build out.
This guards the pin: the installed binding must leave None's count where it was."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot


def test_void_calls_do_not_leak_references_to_none(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(10_000):
        widget.update()
    # Other threads may hold or drop a few references meanwhile; a leak loses 10,000.
    assert sys.getrefcount(None) > before - 1_000
