"""Follow-ups: the rolling to-do list for this client: title, due date, owner, project, done.

A new follow-up belongs to whoever sits at this station ("I am"), else to the client's
account manager. Return opens one with every field; F2 renames it; typing in the Due cell
reschedules it ("+3d", "next mon", a date); Delete deletes it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
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
from db.am.client_picks import projects_by_name
from db.am.operations import (
    FollowUpDraft,
    add_follow_up,
    complete_follow_up,
    default_owner,
    edit_record,
    reopen_follow_up,
    share_follow_up,
)
from db.am.when import parse_when
from db.models import FollowUp
from db.operations import Operation
from db.validation import check_field, max_length
from desktop.client_page.context import PageContext, list_table, stretch
from desktop.client_page.dialogs import date_edit, py_date
from desktop.client_page.fields import error_label
from desktop.client_page.record_actions import RecordActions
from desktop.client_page.record_dialogs import FollowUpDialog
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section
from desktop.formatting import day
from desktop.station_member import member_choices
from desktop.views.deletion import Deletion
from desktop.views.text_limits import cap_field

COL_TITLE = 1


SHARED_TIP = "Shown to the client in their summary and meeting agenda; unticked, it stays internal"


def _done(row: FollowUpRow, done: Any) -> Operation:
    return complete_follow_up(row.id) if done else reopen_follow_up(row.id)


def _shared(row: FollowUpRow, shared: Any) -> Operation:
    return share_follow_up(row.id, row.title, bool(shared))


class FollowUpsSection(Section):
    title = "Follow-ups"
    entities = ("FollowUp", "TeamMember", "Project")

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        columns = (
            Column("Done", lambda f: "", check=lambda f: f.done_at is not None, edit=_done),
            Column(
                "Follow-up",
                lambda f: f.title,
                edit=lambda f, v: edit_record(
                    FollowUp, f.id, {"title": str(v).strip()}, "follow-up", f.title
                ),
                max_length=max_length("FollowUp", "title"),
            ),
            Column(
                "Due",
                self._due_text,
                sort=lambda f: f.due_date,
                edit=self._reschedule,
                edit_value=lambda f: day(f.due_date),
            ),
            Column("Owner", lambda f: f.owner),
            Column("Project", lambda f: self._projects.get(f.project_id or "", "")),
            Column(
                "Client sees",
                lambda f: "",
                check=lambda f: f.shared,
                edit=_shared,
                tooltip=lambda f: SHARED_TIP,
            ),
        )
        self._projects: dict[str, str] = {}
        self.model = RowsModel(columns, context.run, quiet=lambda f: f.done_at is not None)
        self.table = list_table(
            empty="No follow-ups. Type one below, or press Ctrl+L to log a call and add one"
        )
        self.table.setModel(self.model)
        stretch(self.table, COL_TITLE)
        self.record_actions = RecordActions(
            self.table,
            self.model,
            context.workspace,
            what="follow-up",
            name=lambda f: f.title,
            open_record=self.open_follow_up,
            rename_column=COL_TITLE,
            entity=FollowUp,
            extra_menu=self._share_entry,
        )
        self.delete_offer = self.record_actions.delete_offer
        self.dialog: FollowUpDialog | None = None
        self.title_edit = cap_field(QLineEdit(), "FollowUp", "title")
        self.title_edit.setPlaceholderText("New follow-up…  (Enter)")
        self.due = date_edit(context.today())
        self.share = QCheckBox("Share with client")
        self.share.setToolTip(SHARED_TIP)
        self.add_button = QPushButton("Add")
        self.more_button = QPushButton("New with details…")
        self.error = error_label()
        self.add_button.clicked.connect(self.add)
        self.more_button.clicked.connect(self.open_new_dialog)
        self.title_edit.returnPressed.connect(self.add)
        self.title_edit.textChanged.connect(lambda _t: self.error.hide())
        adder = QHBoxLayout()
        adder.addWidget(self.title_edit, 1)
        adder.addWidget(QLabel("due"))
        adder.addWidget(self.due)
        adder.addWidget(self.share)
        adder.addWidget(self.add_button)
        adder.addWidget(self.more_button)
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

    def _reschedule(self, f: FollowUpRow, value: Any) -> Operation:
        """The Due cell takes a date or a quick form: "+3d", "next mon", "tomorrow"."""
        when = parse_when(str(value), self.context.today())
        return edit_record(FollowUp, f.id, {"due_date": when}, "due date of follow-up", f.title)

    def owner(self) -> str | None:
        return default_owner(self.context.session, self.context.client_id, self.context.me())

    def add(self) -> None:
        title = self.title_edit.text().strip()
        message = check_field("FollowUp", "title", title)
        if message:
            self.error.setText(f"Follow-up title {message}")
            self.error.show()
            return
        draft = FollowUpDraft(
            title, py_date(self.due), self.owner(), share_with_client=self.share.isChecked()
        )
        if self.context.run(add_follow_up(self.context.client_id, draft)):
            self.title_edit.clear()
            self.share.setChecked(False)  # each follow-up is internal until said otherwise

    def selected(self) -> FollowUpRow | None:
        return self.record_actions.current()

    def set_shared(self, row: FollowUpRow, shared: bool) -> bool:
        """Share a follow-up with the client, or make it internal (one undo step)."""
        return self.context.run(share_follow_up(row.id, row.title, shared))

    def deletion(self) -> Deletion | None:
        return self.record_actions.deletion()

    def _share_action(self, row: FollowUpRow, menu: QMenu) -> QAction:
        share = QAction("Share with client", menu)
        share.setCheckable(True)
        share.setChecked(row.shared)
        share.setToolTip(SHARED_TIP)
        share.toggled.connect(lambda on: self.set_shared(row, on))
        return share

    def _share_entry(self, row: FollowUpRow, menu: QMenu) -> None:
        menu.addAction(self._share_action(row, menu))

    def context_menu(self, row: FollowUpRow) -> QMenu:
        """Share a follow-up with the client (or not): the entry the right-click menu adds
        after Open, Rename and Delete, on its own."""
        menu = QMenu(self.table)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self._share_action(row, menu))
        return menu

    def _dialog(self, record: FollowUpRow | None) -> FollowUpDialog:
        session = self.context.session
        projects = projects_by_name(session, self.context.client_id)
        self.dialog = FollowUpDialog(
            self.context.client_id,
            self.context.today(),
            member_choices(session),
            projects,
            self,
            follow_up=record,
            owner_id=self.owner(),
            submit=self.context.submit,
        )
        if record is None and self.title_edit.text().strip():
            self.dialog.title_edit.setText(self.title_edit.text().strip())
            self.dialog.due.setDate(self.due.date())
            self.dialog.accepted.connect(self.title_edit.clear)
        self.dialog.open()
        return self.dialog

    def open_new_dialog(self) -> FollowUpDialog:
        return self._dialog(None)

    def open_follow_up(self, record: FollowUpRow) -> FollowUpDialog:
        return self._dialog(record)

    def refresh(self) -> None:
        session = self.context.session
        self._projects = dict(projects_by_name(session, self.context.client_id))
        self.model.set_rows(follow_ups(session, self.context.client_id))
