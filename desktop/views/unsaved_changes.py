"""Asking before an editing dialog throws changes away: Cancel, Escape or the close button
after an edit asks "Save / Discard / Cancel" (Cancel keeps editing). A dialog with nothing
changed closes at once.

What counts as a change is read from the dialog's own fields, compared with how they were when
it was first shown: text typed, a choice picked, a box ticked, a date or number set, an item
checked in a list. No dialog has to report its edits.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

IGNORE_PROPERTY = "unsavedChangesIgnore"  # set on a widget whose state is not an edit


def _ignored(widget: QWidget, root: QWidget) -> bool:
    at: QWidget | None = widget
    while at is not None and at is not root:
        if at.property(IGNORE_PROPERTY) or isinstance(at, QMessageBox):
            return True
        at = at.parentWidget()
    return False


def _item_checks(view: QAbstractItemView) -> list[object]:
    model = view.model()
    if model is None or model.rowCount() > 500:  # a record list, not a field
        return []
    return [
        model.index(row, 0).data(Qt.ItemDataRole.CheckStateRole) for row in range(model.rowCount())
    ]


def form_state(root: QWidget) -> list[object]:
    """Everything a user can change in the fields under `root`, in a fixed order."""
    state: list[object] = []
    for widget in root.findChildren(QWidget):
        if _ignored(widget, root):
            continue
        if isinstance(widget, QLineEdit):
            state.append(widget.text())
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            state.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            state.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, QAbstractSpinBox):
            state.append(widget.text())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            state.append(widget.isChecked())
        elif isinstance(widget, QAbstractItemView):
            state.append(_item_checks(widget))
    return state


class UnsavedChanges(QObject):
    """Guards one dialog. Call `remember` when it is first shown (and after a save that keeps
    it open), and `close_or_ask` from its `reject`: `GuardedDialog` does both."""

    def __init__(
        self,
        dialog: QDialog,
        *,
        save: Callable[[], None],
        discard: Callable[[], None],
        extra: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self._save = save
        self._discard = discard
        self._extra = extra  # state the fields do not show (a list of drafts)
        self.initial: list[object] | None = None
        self.box: QMessageBox | None = None

    def _state(self) -> list[object]:
        return [*form_state(self.dialog), self._extra() if self._extra is not None else None]

    def remember(self) -> None:
        self.initial = self._state()

    def changed(self) -> bool:
        return self.initial is not None and self._state() != self.initial

    def close_or_ask(self) -> None:
        if self.box is not None:
            return  # already asking
        if not self.changed():
            self._discard()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.dialog.windowTitle(),
            "Save your changes before closing?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self.dialog,
        )
        box.setInformativeText("If you discard them, what you changed is lost.")
        box.button(QMessageBox.StandardButton.Cancel).setText("Keep editing")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(self._answered)
        self.box = box
        box.open()

    def _answered(self, answer: int) -> None:
        self.box = None
        if answer == QMessageBox.StandardButton.Discard:
            self._discard()
        elif answer == QMessageBox.StandardButton.Save:
            self._save()  # stays open when the save is refused, the edits intact


class GuardedDialog(QDialog):
    """An editing dialog guarded by the `UnsavedChanges` it sets as `self.unsaved` (in its
    `__init__`, with `discard` closing through `QDialog.reject`): its fields are remembered when
    it is first shown, and Cancel, Escape or the close button ask before edits are lost."""

    unsaved: UnsavedChanges

    def showEvent(self, event: QShowEvent) -> None:
        if self.unsaved.initial is None:
            self.unsaved.remember()
        super().showEvent(event)

    def reject(self) -> None:
        self.unsaved.close_or_ask()
