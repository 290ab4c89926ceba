"""The Team area: the agency's members (name, role, email, weekly hours, colour), the selected
member's leave, and the agency's closures. Every cell edits in place as one undoable step;
members with history are archived rather than deleted.

On an empty agency it says so and leads to adding the team: an account manager, "I am" and
owners can only be chosen once there is someone to choose.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from db.models import Closure, LeaveKind, MemberRole, TeamMember, TimeOff
from db.operations import Delete, Operation
from db.roster import closures_in_order, leave_of, members_in_order
from db.team import (
    AddClosure,
    AddLeave,
    AddMember,
    ArchiveMember,
    EditClosure,
    EditLeave,
    EditMember,
    RemoveMember,
    can_delete_member,
)
from desktop.models.records import Column, RecordsModel
from desktop.models.roles import ID_ROLE
from desktop.views.area_header import AreaHeader
from desktop.views.deletion import DeleteOffer, Deletion
from desktop.views.record_tables import (
    fit_columns,
    record_table,
    set_delegates,
    table_with_buttons,
)
from desktop.workspace import Workspace

ROLE_CHOICES = [(r.value, r.value.replace("_", " ").capitalize()) for r in MemberRole]
LEAVE_CHOICES = [(k.value, k.value.capitalize()) for k in LeaveKind]
MEMBER_COLUMNS = [
    Column("Name", "name"),
    Column("Role", "role", "choice", choices=ROLE_CHOICES),
    Column("Email", "email"),
    Column("Hours a week", "weekly_capacity_hours", "hours"),
    Column("Colour", "colour", "colour", editable=False),
    Column("Status", "status", editable=False),
]
LEAVE_COLUMNS = [
    Column("Kind", "kind", "choice", choices=LEAVE_CHOICES),
    Column("From", "start_date", "date"),
    Column("To", "end_date", "date"),
    Column("Note", "reason"),
]
CLOSURE_COLUMNS = [
    Column("Name", "name"),
    Column("From", "start_date", "date"),
    Column("To", "end_date", "date"),
]


class _MemberRow:
    """A member as the table shows it (plain values, so a reload never touches the ORM)."""

    def __init__(self, member: TeamMember) -> None:
        self.id = member.id
        self.name = member.name
        self.role = member.role
        self.email = member.email
        self.weekly_capacity_hours = member.weekly_capacity_hours
        self.colour = member.colour
        self.active = member.active
        self.status = "Active" if member.active else "Archived"


class TeamView(QWidget):
    new_text = "New Team Member"

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        session = workspace.session

        def members() -> list[_MemberRow]:
            return [_MemberRow(m) for m in members_in_order(session)]

        self.members = RecordsModel(
            workspace,
            MEMBER_COLUMNS,
            ("TeamMember",),
            members,
            self._edit_member,
            inactive=lambda row: not row.active,
        )
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.members)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.header = AreaHeader("Team", "Filter people")
        self.header.filter_changed.connect(self._filter)
        self.archive_button = QPushButton("Archive")
        self.archive_button.setToolTip("Archive the selected member, or bring them back")
        self.archive_button.clicked.connect(self.toggle_archived)
        self.header.extra.addWidget(self.archive_button)

        self.table = record_table(self.proxy, "teamMembers")
        self.delete_offer = DeleteOffer(self.table, self.deletion)
        set_delegates(self.table, MEMBER_COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        em = self.fontMetrics().averageCharWidth()
        for col, chars in ((1, 20), (2, 30), (3, 14), (4, 8), (5, 12)):
            header.resizeSection(col, chars * em)

        self.empty_hint = QLabel(
            "<b>Add your team.</b> Nobody is in this agency yet: press <b>New Team Member</b> "
            "(Ctrl+N) for each person. Then clients can get an account manager, tasks can get "
            "people, and Preferences can say who sits at this computer."
        )
        self.empty_hint.setObjectName("addYourTeam")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setContentsMargins(16, 8, 16, 8)

        # The selected member's leave.
        self.leave = RecordsModel(
            workspace, LEAVE_COLUMNS, ("TimeOff",), self._load_leave, self._edit_leave
        )
        self.leave_table = record_table(self.leave, "memberLeave")
        set_delegates(self.leave_table, LEAVE_COLUMNS)
        fit_columns(self.leave_table, stretch=3)
        self.add_leave_button = QPushButton("Add leave")
        self.add_leave_button.clicked.connect(self.add_leave)
        self.remove_leave_button = QPushButton("Remove")
        self.remove_leave_button.clicked.connect(self.remove_leave)
        self.leave_box = QGroupBox("Leave")
        self.leave_box.setLayout(
            table_with_buttons(self.leave_table, self.add_leave_button, self.remove_leave_button)
        )

        # The agency's closures.
        def closures() -> list[Closure]:
            return closures_in_order(session)

        self.closures = RecordsModel(
            workspace, CLOSURE_COLUMNS, ("Closure",), closures, self._edit_closure
        )
        self.closures_table = record_table(self.closures, "agencyClosures")
        set_delegates(self.closures_table, CLOSURE_COLUMNS)
        fit_columns(self.closures_table, stretch=0)
        self.add_closure_button = QPushButton("Add closure")
        self.add_closure_button.clicked.connect(self.add_closure)
        self.remove_closure_button = QPushButton("Remove")
        self.remove_closure_button.clicked.connect(self.remove_closure)
        closures_box = QGroupBox("Agency closures")
        closures_layout = table_with_buttons(
            self.closures_table, self.add_closure_button, self.remove_closure_button
        )
        holidays = QLabel("Public holidays follow the agency's country and region (Preferences).")
        holidays.setEnabled(False)
        holidays.setWordWrap(True)
        closures_layout.addWidget(holidays)
        closures_box.setLayout(closures_layout)

        lower = QWidget()
        lower_layout = QHBoxLayout(lower)
        lower_layout.setContentsMargins(12, 4, 12, 12)
        lower_layout.addWidget(self.leave_box, 3)
        lower_layout.addWidget(closures_box, 2)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(0)
        top_layout.addWidget(self.empty_hint)
        top_layout.addWidget(self.table, 1)
        self.splitter.addWidget(top)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.splitter, 1)

        self.table.selectionModel().currentRowChanged.connect(self._member_changed)
        # A reset moves the current row before we hear of it: remember whom to select again.
        self.proxy.modelAboutToBeReset.connect(self._remember_member)
        self.proxy.modelReset.connect(self._after_members_reset)
        self.members.dataChanged.connect(
            lambda *_args: self._member_changed(self.table.currentIndex())
        )
        self._selected_member = ""
        self._after_members_reset()

    # -- Area ---------------------------------------------------------------------------------

    def new_item(self) -> None:
        """A new member, with their name open for typing."""
        op = AddMember()
        if self.workspace.run(op):
            self.header.filter.clear()
            self.select_member(op.id)
            self.table.edit(self.table.currentIndex().siblingAtColumn(0))

    def deletion(self) -> Deletion | None:
        """Edit > Delete on the team: the selected member, archived instead when they have
        tasks or clients on record (their history stays readable)."""
        member_id = self.current_member()
        member = self.workspace.store.get(TeamMember, member_id) if member_id else None
        if member is None:
            return None
        verb = "Delete" if can_delete_member(self.workspace.session, member_id) else "Archive"
        if verb == "Archive" and not member.active:
            return None  # already archived: Restore is the archive button's
        return Deletion(
            TeamMember,
            [member_id],
            ("member", "members"),
            member.name,
            instead=RemoveMember(member_id),
            verb=verb,
        )

    def focus_filter(self) -> None:
        self.header.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.header.filter.selectAll()

    # -- members ------------------------------------------------------------------------------

    def current_member(self) -> str:
        index = self.table.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else ""

    def select_member(self, member_id: str) -> None:
        row = self.members.row_of(member_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.members.index(row, 0))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def toggle_archived(self) -> None:
        member_id = self.current_member()
        member = self.workspace.store.get(TeamMember, member_id) if member_id else None
        if member is not None:
            self.workspace.run(ArchiveMember(member_id, archived=member.active))

    def _edit_member(self, row: _MemberRow, key: str, value: Any) -> Operation | None:
        label = {"name": "Rename team member", "role": f"Change {row.name}'s role"}.get(key, "")
        if key == "weekly_capacity_hours":
            label = f"Change {row.name}'s hours"
        return EditMember(row.id, {key: value}, label=label)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)

    def _remember_member(self) -> None:
        self._keep = self.current_member() or self._selected_member

    def _after_members_reset(self) -> None:
        self._selected_member = getattr(self, "_keep", "") or self._selected_member
        total = self.members.rowCount()
        self.header.set_count(self.proxy.rowCount(), total, "member")
        self.empty_hint.setVisible(total == 0)
        if self._selected_member:
            self.select_member(self._selected_member)
        elif total and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self._member_changed(self.table.currentIndex())

    def _member_changed(self, current: QModelIndex, _previous: object = None) -> None:
        member_id = str(current.data(ID_ROLE)) if current.isValid() else ""
        if member_id:
            self._selected_member = member_id
        member = self.workspace.store.get(TeamMember, member_id) if member_id else None
        self.leave_box.setTitle(f"Leave of {member.name}" if member else "Leave")
        self.leave_box.setEnabled(member is not None)
        self.archive_button.setEnabled(member is not None)
        self.archive_button.setText("Restore" if member and not member.active else "Archive")
        if member is not None:
            self.archive_button.setToolTip(
                "Archive: they leave the pickers, their history keeps their name"
                if member.active
                else "Bring this member back into the pickers"
            )
        self.leave.reload()

    # -- leave --------------------------------------------------------------------------------

    def _load_leave(self) -> list[TimeOff]:
        member_id = getattr(self, "_selected_member", "")
        if not member_id:
            return []
        return leave_of(self.workspace.session, member_id)

    def add_leave(self) -> None:
        member_id = self.current_member()
        if not member_id:
            return
        start = date.today() + timedelta(days=1)
        op = AddLeave(member_id, start, start)
        if self.workspace.run(op):
            row = self.leave.row_of(op.id)
            self.leave_table.setCurrentIndex(self.leave.index(row, 1))
            self.leave_table.edit(self.leave.index(row, 1))

    def remove_leave(self) -> None:
        index = self.leave_table.currentIndex()
        if index.isValid():
            self.workspace.run(Delete(TimeOff, index.data(ID_ROLE), label="Remove leave"))

    def _edit_leave(self, row: TimeOff, key: str, value: Any) -> Operation | None:
        return EditLeave(row.id, {key: value})

    # -- closures -----------------------------------------------------------------------------

    def add_closure(self) -> None:
        start = date.today() + timedelta(days=1)
        op = AddClosure("Agency closed", start, start)
        if self.workspace.run(op):
            row = self.closures.row_of(op.id)
            self.closures_table.setCurrentIndex(self.closures.index(row, 0))
            self.closures_table.edit(self.closures.index(row, 0))

    def remove_closure(self) -> None:
        index = self.closures_table.currentIndex()
        if index.isValid():
            self.workspace.run(Delete(Closure, index.data(ID_ROLE), label="Remove closure"))

    def _edit_closure(self, row: Closure, key: str, value: Any) -> Operation | None:
        return EditClosure(row.id, {key: value})
