"""Follow-ups: the rolling to-do list for this client: title, due date, owner, done, and
whether the client may see it (internal unless shared: their summary and meeting agenda list
only shared ones)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.am.client_detail import FollowUpRow, follow_ups
from db.am.operations import (
    FollowUpDraft,
    add_follow_up,
    complete_follow_up,
    reopen_follow_up,
    share_follow_up,
)
from db.models import FollowUp
from db.operations import Operation, Update
from db.validation import check_field, max_length
from desktop.client_page.context import PageContext, list_table, stretch
from desktop.client_page.dialogs import date_edit, py_date
from desktop.client_page.fields import error_label
from desktop.client_page.formatting import day
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section
from desktop.views.deletion import DeleteOffer, Deletion
from desktop.views.text_limits import cap_field

SHARED_TIP = "Shown to the client in their summary and meeting agenda; unticked, it stays internal"


def _done(row: FollowUpRow, done: Any) -> Operation:
    return complete_follow_up(row.id) if done else reopen_follow_up(row.id)


def _shared(row: FollowUpRow, shared: Any) -> Operation:
    return share_follow_up(row.id, row.title, bool(shared))


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
                max_length=max_length("FollowUp", "title"),
            ),
            Column("Due", self._due_text, sort=lambda f: f.due_date),
            Column("Owner", lambda f: f.owner),
            Column(
                "Client sees",
                lambda f: "",
                check=lambda f: f.shared,
                edit=_shared,
                tooltip=lambda f: SHARED_TIP,
            ),
        )
        self.model = RowsModel(columns, context.run, quiet=lambda f: f.done_at is not None)
        self.table = list_table()
        self.table.setModel(self.model)
        stretch(self.table, 1)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.delete_offer = DeleteOffer(self.table, self.deletion)
        self.title_edit = cap_field(QLineEdit(), "FollowUp", "title")
        self.title_edit.setPlaceholderText("New follow-up…")
        self.due = date_edit(context.today())
        self.share = QCheckBox("Share with client")
        self.share.setToolTip(SHARED_TIP)
        self.add_button = QPushButton("Add")
        self.error = error_label()
        self.add_button.clicked.connect(self.add)
        self.title_edit.returnPressed.connect(self.add)
        self.title_edit.textChanged.connect(lambda _t: self.error.hide())
        adder = QHBoxLayout()
        adder.addWidget(self.title_edit, 1)
        adder.addWidget(QLabel("due"))
        adder.addWidget(self.due)
        adder.addWidget(self.share)
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
        draft = FollowUpDraft(title, py_date(self.due), share_with_client=self.share.isChecked())
        if self.context.run(add_follow_up(self.context.client_id, draft)):
            self.title_edit.clear()
            self.share.setChecked(False)  # each follow-up is internal until said otherwise

    def selected(self) -> FollowUpRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def set_shared(self, row: FollowUpRow, shared: bool) -> bool:
        """Share a follow-up with the client, or make it internal (one undo step)."""
        return self.context.run(share_follow_up(row.id, row.title, shared))

    def deletion(self) -> Deletion | None:
        row = self.selected()
        if row is None:
            return None
        at = self.model.row_of(row.id)
        return Deletion(
            FollowUp,
            [row.id],
            ("follow-up", "follow-ups"),
            row.title,
            after=lambda: self._select(at),
        )

    def _select(self, row: int) -> None:
        row = min(row, self.model.rowCount() - 1)
        if row >= 0:
            self.table.selectRow(row)

    def context_menu(self, row: FollowUpRow) -> QMenu:
        """Right-click on a follow-up: share it with the client (or not)."""
        menu = QMenu(self.table)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        share = QAction("Share with client", menu)
        share.setCheckable(True)
        share.setChecked(row.shared)
        share.setToolTip(SHARED_TIP)
        share.toggled.connect(lambda on: self.set_shared(row, on))
        menu.addAction(share)
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        self.context_menu(self.model.rows[index.row()]).popup(
            self.table.viewport().mapToGlobal(pos)
        )

    def refresh(self) -> None:
        self.model.set_rows(follow_ups(self.context.session, self.context.client_id))
