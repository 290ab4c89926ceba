"""Capping a one-line text field at its database field's length (`db.validation.LIMITS`).

Typing or pasting stops at the limit and a note right under the field says so; a refusal
after the fact (the edit bounced by the operation) would come when the typing is already gone.
The note is a child of the field's parent, not a tooltip window, so showing it never moves
window activation (and with it focus, which would close a table cell's editor).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QLineEdit

from db.validation import max_length


def limit_message(limit: int) -> str:
    return f"At most {limit:,} characters"


def cap(edit: QLineEdit, limit: int | None) -> QLineEdit:
    """Cap `edit` at `limit` characters (no cap for None) and tell the user at the limit."""
    if limit is None:
        return edit
    edit.setMaxLength(limit)
    edit.textChanged.connect(lambda text: _tell(edit, text, limit))
    edit.editingFinished.connect(lambda: _hide(edit))
    return edit


def cap_field(edit: QLineEdit, entity: str, field: str) -> QLineEdit:
    return cap(edit, max_length(entity, field))


def notice(edit: QLineEdit) -> QLabel | None:
    """The note shown under `edit` while it is at its limit, if any."""
    found = edit.property("limit_notice")
    return found if isinstance(found, QLabel) else None


def _tell(edit: QLineEdit, text: str, limit: int) -> None:
    at_limit = len(text) >= limit
    edit.setToolTip(limit_message(limit) if at_limit else "")
    label = notice(edit)
    parent = edit.parentWidget()
    if not at_limit or parent is None:
        _hide(edit)
        return
    if label is None:
        label = QLabel(limit_message(limit), parent)
        label.setObjectName("limitNotice")
        label.setForegroundRole(QPalette.ColorRole.ToolTipText)
        label.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        label.setAutoFillBackground(True)
        label.setMargin(3)
        edit.destroyed.connect(label.deleteLater)
        edit.setProperty("limit_notice", label)
    label.adjustSize()
    label.move(edit.mapTo(parent, QPoint(0, edit.height())))
    label.raise_()
    label.show()


def _hide(edit: QLineEdit) -> None:
    label = notice(edit)
    if label is not None:
        label.hide()
