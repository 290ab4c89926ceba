"""Timeline: every interaction with the client, newest first; Ctrl+L logs a new one, Return
opens one to edit (kind, date, who took part, summary, sentiment), F2 edits its summary in
place, Delete deletes it."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from db.am.client_detail import InteractionRow, timeline
from db.am.client_picks import contacts_by_name
from db.am.operations import interaction_links
from db.models import Interaction, Sentiment
from db.operations import Update
from db.validation import max_length
from desktop.client_page.context import PageContext, buttons_over, list_table, stretch
from desktop.client_page.dialogs import LogInteractionDialog
from desktop.client_page.record_actions import RecordActions
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section
from desktop.formatting import day, label

SENTIMENT_MARKS = {
    Sentiment.POSITIVE: "▲ positive",
    Sentiment.NEUTRAL: "",
    Sentiment.NEGATIVE: "▼ negative",
}


def _what(i: InteractionRow) -> str:
    return f"{label(i.kind).lower()} of {day(i.occurred_at)}"


COLUMNS = (
    Column("When", lambda i: day(i.occurred_at), sort=lambda i: i.occurred_at),
    Column("Kind", lambda i: label(i.kind)),
    Column("With", lambda i: ", ".join(i.with_names)),
    Column(
        "Summary",
        lambda i: i.summary,
        tooltip=lambda i: i.summary,
        edit=lambda i, v: Update(
            Interaction, i.id, {"summary": str(v).strip()}, label=f"Edit summary of {_what(i)}"
        ),
        max_length=max_length("Interaction", "summary"),
    ),
    Column("Sentiment", lambda i: SENTIMENT_MARKS[i.sentiment]),
)
COL_SUMMARY = 3


class TimelineSection(Section):
    title = "Timeline"
    entities = ("Interaction", "InteractionContact", "Contact")

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = RowsModel(COLUMNS, context.run)
        self.table = list_table(empty="Nothing logged yet. Press Ctrl+L to log a call")
        self.table.setModel(self.model)
        stretch(self.table, COL_SUMMARY)
        self.record_actions = RecordActions(
            self.table,
            self.model,
            context.workspace,
            what="interaction",
            name=_what,
            open_record=self.open_interaction,
            rename_column=COL_SUMMARY,
            entity=Interaction,
        )
        self.log_button = QPushButton("&Log interaction…  Ctrl+L")
        self.log_button.clicked.connect(self.open_log_dialog)
        self.dialog: LogInteractionDialog | None = None
        buttons_over(self, self.table, self.log_button)

    def refresh(self) -> None:
        self.model.set_rows(timeline(self.context.session, self.context.client_id))

    def rows(self) -> list[InteractionRow]:
        return list(self.model.rows)

    def _people(self) -> list[tuple[str, str]]:
        return contacts_by_name(self.context.session, self.context.client_id)

    def open_log_dialog(self) -> LogInteractionDialog:
        self.dialog = LogInteractionDialog(
            self.context.client_id,
            self._people(),
            self.window(),
            logged_by_id=self.context.me(),
            submit=self.context.submit,
        )
        self.dialog.open()
        return self.dialog

    def open_interaction(self, interaction: InteractionRow) -> LogInteractionDialog:
        self.dialog = LogInteractionDialog(
            self.context.client_id,
            self._people(),
            self.window(),
            interaction=interaction,
            links=interaction_links(self.context.session, interaction.id),
            submit=self.context.submit,
        )
        self.dialog.open()
        return self.dialog
