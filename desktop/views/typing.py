"""Keeping what a user typed when the widget they typed into goes away.

Editors here save on focus-out (a table cell's editor, the rapport notes): that covers a click
elsewhere, a tab switch and a record switch. A widget being deleted (a client page closed) or
the window closing sends no focus-out of its own, so the owner calls `commit_typing` first.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget


def commit_typing(within: QWidget) -> None:
    """Let the editor that has focus inside `within` save what it holds, by taking focus away
    the way a click elsewhere would."""
    focus = QApplication.focusWidget()
    if focus is not None and (focus is within or within.isAncestorOf(focus)):
        focus.clearFocus()
