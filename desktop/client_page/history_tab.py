"""History: who changed what on this client, its contacts and their dates, when, and how it
came (made here, by sync, a resolved conflict). See `desktop.history`.

It is also where a contact deleted the ordinary way still shows (their changes, and the
delete): their data stays in this station's sync history and audit trail until it is erased,
so right-clicking one of their entries offers "Erase this person…" (issue 18). A live
contact is erased from the People list.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QVBoxLayout, QWidget

from db.audit.history import client_records, erasures
from db.privacy.person import person
from desktop.client_page.context import PageContext
from desktop.client_page.personal_data import open_erase_dialog
from desktop.client_page.section import Section
from desktop.history.panel import HistoryPanel


class HistorySection(Section):
    title = "History"
    entities = (
        "Client",
        "Contact",
        "ImportantDate",
        "TeamMember",
        "AgencySetting",
        "PersonErasure",
    )

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        client_id = context.client_id
        self.panel = HistoryPanel(
            context.workspace,
            lambda session: client_records(session, client_id),
            self.entities,
            self,
            follow=False,  # the page tells its sections what changed
            extra=lambda session: erasures(session, client_id),
        )
        self.menu: QMenu | None = None
        table = self.panel.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self.show_menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel)

    def refresh(self) -> None:
        self.panel.reload()

    def deleted_contact(self, row: int) -> str | None:
        """The id of the deleted contact the entry at `row` is about, if it is about one."""
        entries = self.panel.model.entries
        if not 0 <= row < len(entries) or entries[row].entity != "Contact":
            return None
        contact_id = entries[row].row_id
        found = person(self.context.session.connection().exec_driver_sql, contact_id)
        return contact_id if found is not None and found.deleted else None

    def show_menu(self, at: QPoint) -> QMenu | None:
        """The right-click menu of a deleted contact's entry (None for other entries)."""
        table = self.panel.table
        index = table.indexAt(at)
        contact_id = self.deleted_contact(index.row()) if index.isValid() else None
        if contact_id is None:
            return None
        table.selectRow(index.row())
        menu = QMenu(table)
        erase = QAction("E&rase this deleted person…", menu)
        erase.setToolTip(
            "Their data is still in this station's sync history and audit trail; erase it "
            "here and, with the next sync, everywhere"
        )
        erase.triggered.connect(lambda: open_erase_dialog(self.context, contact_id, self))
        menu.addAction(erase)
        self.menu = menu
        menu.popup(table.viewport().mapToGlobal(at))
        return menu
