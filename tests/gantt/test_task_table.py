"""The task table beside the chart behaves as an outline: a summary's mark opens and closes
it, ← and → work as in a tree, and a task under a closed summary is shown when selected."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest

from desktop.gantt import GanttView
from desktop.gantt.cells import branch_rect
from desktop.gantt.tree_model import COL_NAME

# The offscreen platform says so when the first window of a run is shown.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _row(view: GanttView, task_id: str) -> QModelIndex:
    return view.model.index_of(view.document.node(task_id), COL_NAME)


def _current(view: GanttView) -> str:
    return view.document.schedule.task_id(view.model.node_of(view.tree.currentIndex()))


def test_a_click_on_a_summarys_mark_hides_and_shows_its_tasks(
    view: GanttView, qtmodeltester: object
) -> None:
    launch = _row(view, "launch")
    mark = branch_rect(view.tree.visualRect(launch), 0).center()
    QTest.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=mark)
    assert not view.tree.isExpanded(_row(view, "launch"))
    assert view.model.rowCount() == len(view.document.rows) == 5
    assert view.chart.row_at(view.chart.handle_pos("launch").y()) == 4
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    QTest.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=mark)
    assert view.tree.isExpanded(_row(view, "launch")) and view.model.rowCount() == 7
    assert view.document.rows[5:] == [view.document.node("press"), view.document.node("party")]
    assert view.workspace.undo_stack.count() == 0  # opening and closing is no edit


def test_left_and_right_walk_the_outline_as_in_a_tree(view: GanttView) -> None:
    view.select_task("party")
    view.tree.setFocus()
    QTest.keyClick(view.tree, Qt.Key.Key_Left)  # a task: to its summary
    assert _current(view) == "launch"
    QTest.keyClick(view.tree, Qt.Key.Key_Left)  # an open summary: closes
    assert not view.tree.isExpanded(_row(view, "launch")) and len(view.document.rows) == 5
    QTest.keyClick(view.tree, Qt.Key.Key_Right)  # a closed summary: opens
    assert view.tree.isExpanded(_row(view, "launch")) and len(view.document.rows) == 7
    QTest.keyClick(view.tree, Qt.Key.Key_Right)  # an open one: to its first task
    assert _current(view) == "press"
    QTest.keyClick(view.tree, Qt.Key.Key_Up)
    QTest.keyClick(view.tree, Qt.Key.Key_Minus)
    assert len(view.document.rows) == 5
    QTest.keyClick(view.tree, Qt.Key.Key_Plus)
    assert len(view.document.rows) == 7


def test_selecting_a_task_under_a_closed_summary_opens_it(view: GanttView) -> None:
    view.tree.collapse(_row(view, "launch"))
    assert view.document.node("party") not in view.document.row_of
    view.select_task("party")
    assert view.tree.isExpanded(_row(view, "launch"))
    assert view.selected_ids() == ["party"]
    assert view.chart.row_at(view.chart.handle_pos("party").y()) == 6
