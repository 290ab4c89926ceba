"""What every import preview has around its own controls: the file it reads, the list of what
the import does (added, updated, skipped and why), a line for a plan that cannot be made, and
Import / Cancel. A preview subclasses `PreviewFrame`, adds its controls, and plans again
through `attempt`, which shows a refusal in place and keeps Import off until the plan is whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from db.errors import AgencyDeskError

Plan = TypeVar("Plan")


class PreviewFrame(QDialog):
    """An import preview's frame; Import accepts, Cancel writes nothing."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName(object_name)
        self.summary = QListWidget()
        self.summary.setObjectName("importSummary")
        self.error_label = QLabel()
        self.error_label.setObjectName("importError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def add_footer(self, layout: QVBoxLayout) -> None:
        """The refusal line and the buttons, last in the dialog."""
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def show_summary(self, lines: list[str]) -> None:
        self.summary.clear()
        self.summary.addItems(lines)

    def attempt(self, make: Callable[[], Plan]) -> Plan | None:
        """The plan `make` returns, or None when it refuses (the reason is shown in place
        and Import stays off until a plan succeeds)."""
        try:
            plan = make()
        except AgencyDeskError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            self.import_button.setEnabled(False)
            return None
        self.error_label.hide()
        self.import_button.setEnabled(True)
        return plan


def file_label(text: str) -> QLabel:
    """A file's path, its start elided when long (the whole in the tooltip), selectable."""
    label = QLabel(text if len(text) <= 90 else "…" + text[-89:])
    label.setToolTip(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
