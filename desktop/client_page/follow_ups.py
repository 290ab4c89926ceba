"""Follow-ups: the rolling to-do list for this client: title, due date, owner, done."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from db.am.client_detail import FollowUpRow, follow_ups
from db.am.operations import FollowUpDraft, add_follow_up, complete_follow_up, reopen_follow_up
from db.models import FollowUp
from db.operations import Operation, Update
from db.validation import check_field
from desktop.client_page.context import PageContext, list_table, stretch
from desktop.client_page.dialogs import date_edit, py_date
from desktop.client_page.fields import error_label
from desktop.client_page.formatting import day
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section


def _done(row: FollowUpRow, done: Any) -> Operation:
    return complete_follow_up(row.id) if done else reopen_follow_up(row.id)


class FollowUpsSection(Section):
    title = "Follow-ups"
    entities = ("FollowUp", "TeamMember")

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        columns = (
            Column("Done", lambda f: "", check=lambda f: f.done_at is not None, edit=_done),
            Column(
                "Follow-up",
                lambda f: f.title,
                edit=lambda f, v: Update(FollowUp, f.id, {"title": str(v).strip()}),
            ),
            Column("Due", self._due_text, sort=lambda f: f.due_date),
            Column("Owner", lambda f: f.owner),
        )
        self.model = RowsModel(columns, context.run, quiet=lambda f: f.done_at is not None)
        self.table = list_table()
        self.table.setModel(self.model)
        stretch(self.table, 1)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("New follow-up…")
        self.due = date_edit(context.today())
        self.add_button = QPushButton("Add")
        self.error = error_label()
        self.add_button.clicked.connect(self.add)
        self.title_edit.returnPressed.connect(self.add)
        self.title_edit.textChanged.connect(lambda _t: self.error.hide())
        adder = QHBoxLayout()
        adder.addWidget(self.title_edit, 1)
        adder.addWidget(QLabel("due"))
        adder.addWidget(self.due)
        adder.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(adder)
        layout.addWidget(self.error)

    def _due_text(self, f: FollowUpRow) -> str:
        late = (self.context.today() - f.due_date).days
        if f.done_at is None and late > 0:
            return f"{day(f.due_date)}  ({late} d overdue)"
        return day(f.due_date)

    def add(self) -> None:
        title = self.title_edit.text().strip()
        message = check_field("FollowUp", "title", title)
        if message:
            self.error.setText(f"Follow-up title {message}")
            self.error.show()
            return
        if self.context.run(
            add_follow_up(self.context.client_id, FollowUpDraft(title, py_date(self.due)))
        ):
            self.title_edit.clear()

    def refresh(self) -> None:
        self.model.set_rows(follow_ups(self.context.session, self.context.client_id))
