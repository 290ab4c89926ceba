"""History: who changed what on this client, its contacts and their dates, when, and how it
came (made here, by sync, a resolved conflict). See `desktop.history`."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from db.audit.history import client_records, erasures
from desktop.client_page.context import PageContext
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel)

    def refresh(self) -> None:
        self.panel.reload()
