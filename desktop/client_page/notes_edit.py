"""A notes field bound to one record at a time (a contact's rapport notes) that saves what was
typed as one undoable edit when the user leaves the field or moves to another record.

Nothing is written per keystroke: one visit to the field is one undo step. A refresh that
arrives while the user is typing (their own other edit, a sync) never overwrites the typing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

Saver = Callable[[str, str], bool]  # (record id, text) -> stored?


class RecordNotesEdit(QPlainTextEdit):
    def __init__(self, save: Saver, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.record_id: str | None = None
        self._stored = ""
        self.setTabChangesFocus(True)
        self.setEnabled(False)

    def dirty(self) -> bool:
        return self.record_id is not None and self.toPlainText().strip() != self._stored.strip()

    def show_record(self, record_id: str | None, text: str) -> None:
        """Show `record_id`'s notes. Typing for another record is saved first; typing for
        this same record is kept (the stored text changed under it, the typing wins)."""
        if record_id != self.record_id:
            self.commit()
            self.record_id = record_id
            self._stored = text
            self._set_shown(text)
        elif self.dirty():
            self._stored = text
        else:
            self._stored = text
            if self.toPlainText() != text:
                self._set_shown(text)
        self.setEnabled(record_id is not None)

    def commit(self) -> bool:
        """Save the typing, if any, as one edit. False when the save was refused (the text
        stays in the field so nothing is lost)."""
        if not self.dirty() or self.record_id is None:
            return True
        text = self.toPlainText().strip()
        if not self._save(self.record_id, text):
            return False
        self._stored = text
        return True

    def _set_shown(self, text: str) -> None:
        self.blockSignals(True)
        self.setPlainText(text)
        self.blockSignals(False)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.commit()
        super().focusOutEvent(event)
