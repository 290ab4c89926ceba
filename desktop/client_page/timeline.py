"""Timeline: every interaction with the client, newest first; Ctrl+L logs a new one."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget
from sqlalchemy import select

from db.am.client_detail import InteractionRow, timeline
from db.models import Contact, Sentiment
from desktop.client_page.context import PageContext, list_table, stretch
from desktop.client_page.dialogs import LogInteractionDialog
from desktop.client_page.formatting import day, label
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section

SENTIMENT_MARKS = {
    Sentiment.POSITIVE: "▲ positive",
    Sentiment.NEUTRAL: "",
    Sentiment.NEGATIVE: "▼ negative",
}

COLUMNS = (
    Column("When", lambda i: day(i.occurred_at), sort=lambda i: i.occurred_at),
    Column("Kind", lambda i: label(i.kind)),
    Column("With", lambda i: ", ".join(i.with_names)),
    Column("Summary", lambda i: i.summary, tooltip=lambda i: i.summary),
    Column("Sentiment", lambda i: SENTIMENT_MARKS[i.sentiment]),
)


class TimelineSection(Section):
    title = "Timeline"
    entities = ("Interaction", "InteractionContact", "Contact")

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = RowsModel(COLUMNS)
        self.table = list_table()
        self.table.setModel(self.model)
        stretch(self.table, 3)
        self.log_button = QPushButton("&Log interaction…  Ctrl+L")
        self.log_button.clicked.connect(self.open_log_dialog)
        self.dialog: LogInteractionDialog | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.log_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        self.model.set_rows(timeline(self.context.session, self.context.client_id))

    def rows(self) -> list[InteractionRow]:
        return list(self.model.rows)

    def open_log_dialog(self) -> LogInteractionDialog:
        people = self.context.session.execute(
            select(Contact.id, Contact.name)
            .where(Contact.client_id == self.context.client_id)
            .order_by(Contact.name)
        ).all()
        self.dialog = LogInteractionDialog(
            self.context.client_id, [(i, n) for i, n in people], self.window()
        )
        self.dialog.accepted.connect(lambda: self.context.run(self.dialog.operation()))  # type: ignore[union-attr]
        self.dialog.open()
        return self.dialog
