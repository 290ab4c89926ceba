"""A placeholder ("Designer (to hire)") is a role to plan work on, not a person: nobody can
say "I am" it or make it a client's account manager, while the workload and the Gantt still
give it work."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QInputDialog
from pytestqt.qtbot import QtBot

from db.models import Assignment, Client, MemberRole, Project, Task, TeamMember
from db.operations import Create
from db.roster import active_members, active_people, member_choices, members_by_name
from db.store import Store
from db.team import AddMember, EditMember
from desktop.client_page.page import ClientPage
from desktop.gantt.view import GanttView
from desktop.main_window import MainWindow
from desktop.portfolio.view import PortfolioView
from desktop.today.view import TodayView
from desktop.views.clients_view import ClientsView
from desktop.workload.view import WorkloadView
from desktop.workspace import Workspace
from tests.team.test_team_area import type_name

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def items(box: QComboBox) -> list[str]:
    return [box.itemText(i) for i in range(box.count())]


def test_pickers_of_people_leave_placeholders_out(store: Store) -> None:
    ana = AddMember("Ana", MemberRole.ACCOUNT_MANAGER)
    role = AddMember("Designer (to hire)", MemberRole.DESIGNER, placeholder=True)
    for op in (ana, role):
        store.apply(op)
    assert member_choices(store.session) == [(ana.id, "Ana")]
    assert active_people(store.session) == [(ana.id, "Ana")]
    assert [n for _i, n in active_members(store.session)] == ["Ana", "Designer (to hire)"]
    assert members_by_name(store.session, placeholders=False) == [(ana.id, "Ana")]
    assert [n for _i, n in members_by_name(store.session)] == ["Ana", "Designer (to hire)"]
    store.apply(EditMember(role.id, {"placeholder": False}))  # hired: a person now
    assert [n for _i, n in member_choices(store.session)] == ["Ana", "Designer (to hire)"]


def test_a_role_to_fill_is_offered_for_work_but_not_as_a_person(
    window: MainWindow, workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = window.area("team")
    window.new_action.trigger()
    type_name("Ana Lima")
    team.placeholder_button.click()  # type: ignore[attr-defined]
    type_name("Designer (to hire)")
    session = workspace.session
    role = session.query(TeamMember).filter_by(placeholder=True).one()
    workspace.run(Create(Client, {"name": "Acme"}))
    client = session.query(Client).one()
    workspace.run(Create(Project, {"name": "Launch", "client_id": client.id}))
    project = session.query(Project).one()
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    start = {"project_id": project.id, "name": "Moodboard", "start_date": monday}
    workspace.run(Create(Task, {**start, "duration_days": 2}))
    task = session.query(Task).one()

    # "I am", on Today and for "My clients".
    window.show_area("today")
    today = window.area("today")
    assert isinstance(today, TodayView)
    assert items(today.member) == ["Everyone", "Ana Lima"]
    offered: list[str] = []

    def get_item(*args: Any, **_kw: Any) -> tuple[str, bool]:
        offered.extend(args[3])
        return "", False

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    window.show_area("clients")
    clients = window.area("clients")
    assert isinstance(clients, ClientsView)
    clients.ask_who_i_am()
    assert offered == ["Ana Lima"]

    # Account managers: the clients table's editor, the client's details, the portfolio.
    assert [name for _id, name in clients.model.manager_choices()][1:] == ["Ana Lima"]
    page = ClientPage(workspace, client.id)
    qtbot.addWidget(page)
    dialog = page.open_details()
    assert dialog is not None
    assert items(dialog.manager) == ["No account manager", "Ana Lima"]
    dialog.close()
    window.show_area("portfolio")
    portfolio = window.area("portfolio")
    assert isinstance(portfolio, PortfolioView)
    assert "Designer (to hire)" not in items(portfolio.am_box)
    assert "Designer (to hire)" in items(portfolio.pm_box)

    # Work: the Gantt's task details offer the role, the workload has its row and gives it
    # the task.
    window.open_project(project.id)
    gantt = window.area("projects").host.detail  # type: ignore[attr-defined]
    assert isinstance(gantt, GanttView)
    gantt.open_details(task.id)
    details = gantt.details
    assert details is not None
    assert items(details.member_box) == ["Ana Lima", "Designer (to hire)"]
    details.close()
    window.show_area("workload")
    workload = window.area("workload")
    assert isinstance(workload, WorkloadView)
    assert role.id in [r.person.id for r in workload.chart.layout_.rows]
    booking = workload.workload.booking(task.id, "")
    assert booking is not None and workload.chart.commit(booking, 0, role.id)
    assert session.query(Assignment).filter_by(task_id=task.id).one().member_id == role.id
