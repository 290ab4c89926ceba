"""Form fields that say what is wrong right next to themselves, as the user types.

`FieldErrors` keeps one message label per field under a QFormLayout row; a check returns the
message (from `db.validation.check_field` or a dialog's own rule) or None. `changed` fires
whenever the form's validity may have changed, so a dialog can enable its OK button.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop.views.palette_colors import is_dark

Check = Callable[[], str | None]


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    palette = label.palette()
    red = QColor("#ff8a80") if is_dark(palette) else QColor("#c62828")
    palette.setColor(QPalette.ColorRole.WindowText, red)
    label.setPalette(palette)
    label.hide()
    return label


class FieldErrors(QObject):
    """Signals:
    changed(bool): after any field was checked, with whether the whole form is valid.
    """

    changed = Signal(bool)

    def __init__(self, form: QFormLayout) -> None:
        super().__init__()
        self.form = form
        self.checks: dict[str, tuple[Check, QLabel]] = {}

    def add_row(self, title: str, field: QWidget, name: str, check: Check | None = None) -> QLabel:
        """Add `field` under `title` with an error label below it; `name` keys the field."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        label = error_label()
        column.addWidget(label)
        self.form.addRow(title, holder)
        if check is not None:
            # A checked field keeps a line for its message, so rows below never jump.
            policy = label.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            label.setSizePolicy(policy)
            self.checks[name] = (check, label)
        return label

    def check(self, name: str) -> str | None:
        rule, label = self.checks[name]
        message = rule()
        label.setText(message or "")
        label.setVisible(bool(message))
        self.changed.emit(self.valid())
        return message

    def check_all(self) -> bool:
        for name in self.checks:
            self.check(name)
        return self.valid()

    def valid(self) -> bool:
        return all(rule() is None for rule, _ in self.checks.values())

    def message(self, name: str) -> str:
        return self.checks[name][1].text()
