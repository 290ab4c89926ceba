"""The parent of every client page section: knows which entities it shows, refreshes when a
change set names one of them, and loads lazily (only once it is first shown)."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from db.am.ownership import concerns
from db.changes import ChangeSet
from desktop.client_page.context import PageContext


class Section(QWidget):
    title = ""
    entities: tuple[str, ...] = ()

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.stale = True

    def refresh(self) -> None:
        """Read this section's rows again (one client's worth: a few small queries)."""
        raise NotImplementedError

    def ensure_loaded(self) -> None:
        if self.stale:
            self.stale = False
            self.refresh()

    def apply_changes(self, changes: ChangeSet) -> None:
        if not concerns(self.context.session, changes, self.context.client_id, self.entities):
            return
        self.stale = True
        if self.isVisible():
            self.ensure_loaded()

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure_loaded()
        super().showEvent(event)
