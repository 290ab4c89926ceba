"""The Gantt view as a whole: the tree model, rows in lock-step with the chart, zoom, cell
edits and the keyboard commands that do what a drag does."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import Dependency, Task
from db.operations import Update
from db.scheduling.baseline import SaveBaseline
from db.store import Store
from desktop.gantt import GanttView
from desktop.gantt.tree_model import COL_DURATION, COL_NAME, COL_START, COL_WBS, ROW_HEIGHT
from tests.conftest import Questions
from tests.gantt.conftest import dates

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def d(day: int) -> date:
    return date(2026, 3, day)


def cell(view: GanttView, task_id: str, column: int) -> object:
    return view.model.index_of(view.document.node(task_id), column).data()


def test_tree_model_is_a_valid_qt_model(view: GanttView, qtmodeltester: object) -> None:
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]


def test_tree_shows_wbs_numbers_dates_and_summaries(view: GanttView) -> None:
    assert cell(view, "launch", COL_WBS) == "5"
    assert cell(view, "party", COL_WBS) == "5.2"
    assert cell(view, "build", COL_START) == "Fri 06 Mar 26"
    assert cell(view, "launch", COL_DURATION) == "11 d"  # from Party (2 Mar) to Press (16 Mar)
    assert view.document.rows == [
        view.document.node(i)
        for i in ("design", "review", "build", "other", "launch", "press", "party")
    ]


def test_editing_a_cell_is_one_undoable_edit(view: GanttView, store: Store, project: str) -> None:
    index = view.model.index_of(view.document.node("design"), COL_DURATION)
    assert view.model.setData(index, 5)
    assert dates(store, project)["build"][0] == d(10)
    assert cell(view, "build", COL_START) == "Tue 10 Mar 26"
    view.workspace.undo_stack.undo()
    assert cell(view, "build", COL_START) == "Fri 06 Mar 26"
    name = view.model.index_of(view.document.node("other"), COL_NAME)
    assert view.model.setData(name, "Shoot photos")
    assert store.get(Task, "other").name == "Shoot photos"


def test_typing_a_start_before_the_predecessor_allows_is_refused(
    view: GanttView, store: Store
) -> None:
    index = view.model.index_of(view.document.node("build"), COL_START)
    assert not view.model.setData(index, QDate(2026, 3, 2))
    assert "'Review' must finish first" in view.status.text()
    assert view.workspace.undo_stack.count() == 0


def test_rows_scroll_and_collapse_in_lock_step(view: GanttView, qtbot: QtBot) -> None:
    view.resize(1400, 200)
    qtbot.wait(10)
    tree_bar, chart_bar = view.tree.verticalScrollBar(), view.chart.verticalScrollBar()
    assert chart_bar.maximum() >= tree_bar.maximum() * ROW_HEIGHT > 0
    tree_bar.setValue(2)  # the tree scrolls by rows
    assert chart_bar.value() == ROW_HEIGHT * 2
    chart_bar.setValue(ROW_HEIGHT + 5)  # the chart snaps to the tree's rows
    assert tree_bar.value() == 1 and chart_bar.value() == ROW_HEIGHT
    tree_bar.setValue(tree_bar.maximum())
    assert chart_bar.value() == tree_bar.maximum() * ROW_HEIGHT
    view.tree.collapse(view.model.index_of(view.document.node("launch")))
    assert len(view.document.rows) == 5
    assert view.chart.row_at(5 * ROW_HEIGHT - 1) == 4 and view.chart.row_at(5 * ROW_HEIGHT) == -1
    assert view.chart.row_at(view.chart.handle_pos("launch").y()) == 4
    # The same row under the same pixel in both views.
    row_rect = view.tree.visualRect(view.model.index_of(view.document.node("other")))
    top = view.tree.viewport().mapToGlobal(row_rect.topLeft()).y()
    bar_y = (
        view.chart.viewport()
        .mapToGlobal(view.chart.mapFromScene(view.chart.handle_pos("other")))
        .y()
    )
    assert top <= bar_y <= top + ROW_HEIGHT
    view.tree.expand(view.model.index_of(view.document.node("launch")))
    assert len(view.document.rows) == 7


def test_ctrl_wheel_zooms_and_fit_shows_the_whole_project(view: GanttView) -> None:
    chart = view.chart
    assert chart.zoom == "day"
    viewport = chart.viewport()
    at = QPointF(200, 50)
    event = QWheelEvent(
        at,
        viewport.mapToGlobal(at),
        QPoint(),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    day_under_mouse = chart.ordinal_at(chart.mapToScene(at.toPoint()).x())
    chart.wheelEvent(event)
    assert chart.zoom == "week"
    assert abs(chart.ordinal_at(chart.mapToScene(at.toPoint()).x()) - day_under_mouse) <= 1
    assert view.zoom_box.currentText() == "Week"
    chart.fit_to_project()
    first, last = view.document.scheduler.project_span()
    left = chart.horizontalScrollBar().value()
    assert (
        left <= chart.x_of(first.toordinal())
        and chart.x_of(last.toordinal() + 1) <= left + viewport.width()
    )


def test_keyboard_moves_indents_and_links(view: GanttView, store: Store, project: str) -> None:
    view.select_task("design")
    view.tree.setFocus()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(view.tree, Qt.Key.Key_Right, ctrl_shift)
    assert dates(store, project)["design"][0] == d(3)
    assert dates(store, project)["build"][0] == d(9)  # successors follow
    view.select_task("build")
    QTest.keyClick(view.tree, Qt.Key.Key_Left, ctrl_shift)
    assert "'Review' must finish first" in view.status.text()
    view.select_task("other")
    QTest.keyClick(
        view.tree,
        Qt.Key.Key_Right,
        Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert store.get(Task, "other").parent_id == "build"
    view.workspace.undo_stack.undo()
    assert store.get(Task, "other").parent_id is None
    # Link: select Other and Party, Ctrl+F2.
    view.select_task("other")
    party = view.model.index_of(view.document.node("party"))
    view.tree.selectionModel().select(
        party,
        view.tree.selectionModel().SelectionFlag.Select
        | view.tree.selectionModel().SelectionFlag.Rows,
    )
    QTest.keyClick(view.tree, Qt.Key.Key_F2, Qt.KeyboardModifier.ControlModifier)
    dep = store.session.scalars(select(Dependency).where(Dependency.successor_id == "party")).one()
    assert dep.predecessor_id == "other"


def test_baseline_ghosts_and_critical_path(view: GanttView, store: Store, project: str) -> None:
    view.act_save_baseline.trigger()
    assert view.document.baseline["build"] == (d(6), d(12))
    view.workspace.run(Update(Task, "design", {"duration_days": 4}))
    assert view.document.scheduler.start("build") == d(9)
    view.act_critical.trigger()
    assert view.chart.show_critical
    assert "build" in view.document.scheduler.critical_ids()
    assert "other" not in view.document.scheduler.critical_ids()
    image = view.chart.viewport().grab()
    assert not image.isNull()


def test_changes_from_elsewhere_are_followed(view: GanttView, store: Store, project: str) -> None:
    """Sync and other views change the plan through the store; the view follows."""
    view.workspace.run(SaveBaseline(project, "v1"))
    view.workspace.run(Update(Task, "review", {"duration_days": 3}))
    assert view.document.scheduler.start("build") == d(10)
    assert cell(view, "build", COL_START) == "Tue 10 Mar 26"


def test_new_and_delete_tasks(
    view: GanttView, store: Store, project: str, questions: Questions
) -> None:
    view.select_task("press")
    view.new_item()
    new = view.selected_ids()[0]
    task = store.get(Task, new)
    assert task.parent_id == "launch" and task.name == "New task"
    assert cell(view, new, COL_WBS) == "5.2"  # just below the selection (issue 11)
    assert cell(view, "party", COL_WBS) == "5.3"
    view.select_task("launch")
    view.delete_selected()
    (asked,) = questions.asked
    assert asked.startswith("Delete task “Launch” and its 3 subtasks?\n")
    assert store.get(Task, "press") is None and store.get(Task, new) is None
    view.workspace.undo_stack.undo()
    assert store.get(Task, "press") is not None
    assert view.document.scheduler.start("press") == d(13)


def test_no_key_is_shared_with_the_main_windows_detail_host(
    qtbot: QtBot, workspace: object, project: str
) -> None:
    """Hosted as a project's detail page (whose Back is Alt+Left), every Gantt key must stay
    unambiguous, or Qt fires neither."""
    from PySide6.QtGui import QKeySequence, QShortcut
    from PySide6.QtWidgets import QWidget

    from desktop.views.detail_host import DetailHost

    host = DetailHost(QWidget(), "Projects")
    qtbot.addWidget(host)
    view = GanttView(workspace, project)  # type: ignore[arg-type]
    host.show_detail(view, "Relaunch")
    host_keys = {s.key().toString() for s in host.findChildren(QShortcut)}
    assert QKeySequence(QKeySequence.StandardKey.Back).toString() in host_keys
    ours = [a.shortcut().toString() for a in view.actions() if not a.shortcut().isEmpty()]
    assert len(ours) == len(set(ours)) >= 9
    assert host_keys.isdisjoint(ours)


def test_slip_against_the_baseline_and_the_bar_tooltip(
    view: GanttView, store: Store, project: str
) -> None:
    from desktop.gantt.tree_model import COL_SLIP

    assert cell(view, "build", COL_SLIP) == ""  # no baseline yet
    view.act_save_baseline.trigger()
    assert cell(view, "build", COL_SLIP) == "on plan"
    view.workspace.run(Update(Task, "design", {"duration_days": 5}))
    assert cell(view, "build", COL_SLIP) == "+2 d"
    assert cell(view, "other", COL_SLIP) == "on plan"
    text = view.chart.tooltip_text(view.document.node("build"))
    assert "Fri 06 Mar 2026" not in text and "Tue 10 Mar 2026" in text
    assert "2 working days late on the baseline" in text
    assert "On the critical path" in text
    assert "Float: " in view.chart.tooltip_text(view.document.node("other"))


def test_a_reload_keeps_collapsed_summaries_closed(view: GanttView, qtmodeltester: object) -> None:
    view.tree.collapse(view.model.index_of(view.document.node("launch")))
    view.select_task("design")
    view.new_item()  # a new task: the plan is read again
    launch = view.model.index_of(view.document.node("launch"))
    assert not view.tree.isExpanded(launch)
    assert view.document.node("press") not in view.document.row_of
    assert len(view.document.rows) == 6
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]


def test_an_empty_project_opens_and_takes_a_first_task(
    qtbot: QtBot, workspace: object, store: Store
) -> None:
    from db.models import Client, Project
    from db.operations import Create, composite

    client = Create(Client, {"name": "Blank"})
    proj = Create(Project, {"name": "Nothing yet", "client_id": client.id})
    store.apply(composite([client, proj]))
    view = GanttView(workspace, proj.id)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    assert view.document.rows == []
    view.chart.fit_to_project()
    view.new_item()
    assert len(view.document.rows) == 1
