"""An agency that starts empty adds its team in the Team area: members typed in place, their
leave, the agency's closures; then an account manager can be chosen for a client."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from db.models import Client, Closure, LeaveKind, TeamMember, TimeOff
from db.operations import Create
from desktop.main_window import MainWindow
from desktop.team.view import COL_STATUS, TeamView
from desktop.views.clients_view import ClientsView
from tests.team.conftest import type_name

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def members(window: MainWindow) -> list[str]:
    return list(window.workspace.session.scalars(select(TeamMember.name).order_by(TeamMember.name)))


def test_an_empty_agency_adds_its_team_and_chooses_an_account_manager(
    window: MainWindow,
) -> None:
    assert window.current_area_key() == "team"
    team = window.area("team")
    assert isinstance(team, TeamView)
    assert team.empty_hint.isVisible()
    assert window.new_action.text() == "New Team Member"
    window.new_action.trigger()
    type_name("Ana Lima")
    window.new_action.trigger()
    type_name("Ben Okafor")
    assert members(window) == ["Ana Lima", "Ben Okafor"]
    assert not team.empty_hint.isVisible()
    assert team.header.count.text() == "2 members"
    # Ana is an account manager.
    row = team.members.row_of(team.current_member())
    assert team.members.rows[row].name == "Ben Okafor"
    team.select_member(next(r.id for r in team.members.rows if r.name == "Ana Lima"))
    role = team.table.currentIndex().siblingAtColumn(1)
    assert team.table.model().setData(role, "account_manager")
    assert role.data() == "Account manager"
    # A client can now get her as account manager.
    window.workspace.run(Create(Client, {"name": "Acme"}))
    window.show_area("clients")
    clients = window.area("clients")
    assert isinstance(clients, ClientsView)
    assert "Ana Lima" in [name for _id, name in clients.model.manager_choices()]
    # Each step undoes: the role, the client, Ben's name, Ben…
    stack = window.workspace.undo_stack
    assert stack.count() == 6
    for _ in range(6):
        stack.undo()
    assert members(window) == []


def test_leave_and_closures_are_added_and_edited_in_place(window: MainWindow) -> None:
    team = window.area("team")
    assert isinstance(team, TeamView)
    window.new_action.trigger()
    type_name("Ana")
    assert team.leave_box.title() == "Leave of Ana"
    team.add_leave_button.click()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    leave = team.leave
    assert leave.rowCount() == 1
    assert leave.setData(leave.index(0, 1), QDate(2026, 12, 24))
    assert leave.setData(leave.index(0, 2), QDate(2026, 12, 31))
    assert leave.setData(leave.index(0, 0), "training")
    stored = window.workspace.session.scalars(select(TimeOff)).one()
    assert (stored.start_date, stored.end_date, stored.kind) == (
        date(2026, 12, 24),
        date(2026, 12, 31),
        LeaveKind.TRAINING,
    )
    assert leave.index(0, 0).data() == "Training"
    # An end before the start is refused, named, and nothing changes.
    assert not leave.setData(leave.index(0, 2), QDate(2026, 12, 1))
    assert "Leave end: cannot be before the start" in window.statusBar().currentMessage()
    assert not leave.setData(leave.index(0, 1), QDate(2026, 12, 24))  # unchanged: no step
    team.leave_table.setCurrentIndex(leave.index(0, 0))
    team.remove_leave_button.click()
    assert leave.rowCount() == 0
    team.add_closure_button.click()
    type_name("Christmas")
    closure = window.workspace.session.scalars(select(Closure)).one()
    assert closure.name == "Christmas"


def test_a_member_with_history_is_archived_and_can_come_back(window: MainWindow) -> None:
    team = window.area("team")
    assert isinstance(team, TeamView)
    window.new_action.trigger()
    type_name("Ana")
    ana = team.current_member()
    window.workspace.run(Create(Client, {"name": "Acme", "account_manager_id": ana}))
    team.table.setFocus()
    window.delete_action.trigger()
    member = window.workspace.store.get(TeamMember, ana)
    assert member is not None and not member.active
    assert team.table.currentIndex().siblingAtColumn(COL_STATUS).data() == "Archived"
    assert team.archive_button.text() == "Restore"
    team.archive_button.click()
    assert member.active
