"""Issue 11 end to end, as a project manager on a brand-new agency: add two team members
with leave, a client and a project; build a phase of three tasks and a milestone, link them
SS+2 and FS-1, put people on them; the dates are the engine's. Accept a change request and see
the slip and the note in the client's timeline. Then undo everything, step by step, back to
the empty plan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from sqlalchemy import func, select

from db.models import (
    ChangeRequest,
    Client,
    Dependency,
    DependencyType,
    Interaction,
    Project,
    Task,
    TeamMember,
)
from db.scheduling.engine import Scheduler
from db.scheduling.plan import load_plan
from desktop.client_page.page import ClientPage
from desktop.gantt import GanttView
from desktop.gantt.money_dialog import ProjectMoneyDialog
from desktop.gantt.task_dialog import TAB_LINKS, TaskDialog
from desktop.gantt.tree_model import COL_FINISH, COL_PEOPLE, COL_SLIP, COL_START, qdate
from desktop.main_window import MainWindow
from desktop.team.view import TeamView
from tests.team.conftest import type_name

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def task_id(window: MainWindow, name: str) -> str:
    found = window.workspace.session.scalar(select(Task.id).where(Task.name == name))
    assert found is not None, name
    return found


def link_in_dialog(plan: GanttView, succ: str, pred: str, kind: DependencyType, lag: int) -> None:
    plan.open_details(succ, TAB_LINKS)
    dialog = plan.details
    assert isinstance(dialog, TaskDialog)
    dialog.link_side.setCurrentIndex(0)  # follows …
    dialog.link_task.setCurrentIndex(dialog.link_task.findData(pred))
    dialog.add_link_button.click()
    row = next(r for r in dialog.links if r.other_id == pred)
    row.type_box.setCurrentIndex(row.type_box.findData(kind.value))
    row.lag.setValue(lag)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible(), dialog.error.text()


def test_a_plan_made_entirely_in_the_app(window: MainWindow, qtbot: object) -> None:
    ws = window.workspace
    session = ws.session
    today = date.today()

    # The team, with leave.
    team = window.area("team")
    assert isinstance(team, TeamView) and window.current_area_key() == "team"
    for name in ("Ana Lima", "Ben Okafor"):
        window.new_action.trigger()
        type_name(name)
    ben = session.scalar(select(TeamMember.id).where(TeamMember.name == "Ben Okafor"))
    assert ben is not None
    team.select_member(ben)
    team.add_leave_button.click()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    leave_start = today + timedelta(days=14)
    assert team.leave.setData(team.leave.index(0, 1), qdate(leave_start))
    assert team.leave.setData(team.leave.index(0, 2), qdate(leave_start + timedelta(days=6)))

    # A client and a project.
    window.show_area("clients")
    window.new_action.trigger()
    QApplication.processEvents()
    client_id = session.scalar(select(Client.id))
    assert client_id is not None
    window.show_area("projects")
    window.new_action.trigger()
    type_name("Relaunch")
    project_id = session.scalar(select(Project.id))
    assert project_id is not None
    projects = window.area("projects")
    projects.open_project(project_id)  # type: ignore[attr-defined]
    plan = projects.host.detail  # type: ignore[attr-defined]
    assert isinstance(plan, GanttView)
    assert window.new_action.text() == "New Task"
    steps_before_plan = ws.undo_stack.count()

    # A phase with three tasks and a milestone.
    plan.tree.setFocus()
    window.new_action.trigger()  # Ctrl+N in the plan
    type_name("Phase one")
    QTest.keyClick(plan.tree, Qt.Key.Key_Insert, Qt.KeyboardModifier.AltModifier)
    type_name("Design")
    for name in ("Build", "Test"):
        QTest.keyClick(plan.tree, Qt.Key.Key_Insert)
        type_name(name)
    QTest.keyClick(
        plan.tree,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    type_name("Go live")
    design, build, test, go_live = (
        task_id(window, n) for n in ("Design", "Build", "Test", "Go live")
    )
    phase = task_id(window, "Phase one")
    assert {session.get(Task, t).parent_id for t in (design, build, test, go_live)} == {phase}  # type: ignore[union-attr]
    plan.model.setData(plan.model.index_of(plan.document.node(design), 4), 5)
    plan.model.setData(plan.model.index_of(plan.document.node(build), 4), 4)
    plan.model.setData(plan.model.index_of(plan.document.node(test), 4), 3)

    # Links: Build starts two days after Design starts; Test overlaps Build by a day.
    link_in_dialog(plan, build, design, DependencyType.SS, 2)
    link_in_dialog(plan, test, build, DependencyType.FS, -1)
    plan.select_tasks([test, go_live])
    QTest.keyClick(plan.tree, Qt.Key.Key_F2, Qt.KeyboardModifier.ControlModifier)
    kinds = {
        (d.predecessor_id, d.successor_id): (d.type, d.lag_days)
        for d in session.scalars(select(Dependency))
    }
    assert kinds == {
        (design, build): (DependencyType.SS, 2),
        (build, test): (DependencyType.FS, -1),
        (test, go_live): (DependencyType.FS, 0),
    }

    # People: Ana designs, Ben builds (his leave may move Build).
    plan.model.setData(plan.model.index_of(plan.document.node(design), COL_PEOPLE), "Ana")
    plan.model.setData(plan.model.index_of(plan.document.node(build), COL_PEOPLE), "ben")
    assert plan.document.people[build] == "Ben Okafor"

    # What the tree shows is what the engine computes from what is stored.
    engine = Scheduler(load_plan(session, project_id))
    for t in (design, build, test, go_live):
        node = plan.document.node(t)
        shown = (
            plan.model.index_of(node, COL_START).data(Qt.ItemDataRole.EditRole),
            plan.model.index_of(node, COL_FINISH).data(Qt.ItemDataRole.EditRole),
        )
        assert shown == (qdate(engine.start(t)), qdate(engine.finish(t)))
    cal = engine.calendar_of(build)
    assert engine.start(build) >= cal.add_working_days(engine.start(design), 2)
    assert engine.start(test) <= engine.finish(build)  # the lead: it starts before Build ends
    assert engine.start(go_live) == engine.finish(test)
    live_before = engine.start(go_live)

    # The plan as agreed, kept as the baseline the slip is measured against.
    plan.act_save_baseline.trigger()
    slip_of = lambda t: plan.model.index_of(plan.document.node(t), COL_SLIP).data()  # noqa: E731
    assert slip_of(go_live) == "on plan"

    # The client asks for more; the PM accepts: two more days on Build.
    plan.act_money.trigger()
    money = plan.money
    assert isinstance(money, ProjectMoneyDialog)
    money.tabs.setCurrentIndex(1)
    money.add_request_button.click()
    editor = money.requests_table.viewport().findChildren(QLineEdit)[0]
    editor.selectAll()
    QTest.keyClicks(editor, "Extra landing page")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    request = session.scalar(select(ChangeRequest))
    assert request is not None
    row = money.requests.row_of(request.id)
    assert money.requests.setData(money.requests.index(row, 3), 2)
    from db.project_money import EditChangeRequest

    assert ws.run(EditChangeRequest(request.id, task_ids=[build]))
    money.requests_table.setCurrentIndex(money.requests.index(row, 0))
    money.accept_button.click()
    engine = Scheduler(load_plan(session, project_id))
    assert engine.calendar_of(go_live).working_days_between(live_before, engine.start(go_live)) == 2
    assert slip_of(go_live) == "+2 d" and slip_of(design) == "on plan"
    note = session.scalar(select(Interaction).where(Interaction.client_id == client_id))
    assert note is not None and "Extra landing page" in note.summary
    client_page = ClientPage(ws, client_id)  # what the account manager sees
    client_page.timeline.ensure_loaded()
    timeline = client_page.timeline.model
    shown = [
        str(timeline.index(r, c).data())
        for r in range(timeline.rowCount())
        for c in range(timeline.columnCount())
    ]
    assert any("Extra landing page" in text for text in shown)
    client_page.deleteLater()
    money.close()

    # Undo, step by step, back to the empty plan.
    def tasks() -> int:
        return session.scalar(select(func.count()).select_from(Task)) or 0

    while ws.undo_stack.index() > steps_before_plan:
        ws.undo_stack.undo()
        assert plan.document.scheduler is not None
    assert tasks() == 0
    assert session.scalars(select(Dependency)).all() == []
    assert session.scalar(select(Interaction)) is None
    assert plan.document.rows == []
