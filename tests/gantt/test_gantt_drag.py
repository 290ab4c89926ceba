"""Dragging bars on the chart: move, resize either end, progress, link; successors follow,
Escape cancels, a drag before a predecessor is refused with the reason shown, and one undo
puts back every task a drag moved."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from db.models import Dependency, Task
from db.scheduling.operations import SetProgress
from db.store import Store
from desktop.gantt import GanttView
from tests.gantt.conftest import dates, drag, shift

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform says so for every top-level window it shows.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def d(day: int) -> date:
    return date(2026, 3, day)


def test_moving_a_bar_pushes_its_successors_and_undo_puts_all_back(
    view: GanttView, store: Store, project: str
) -> None:
    before = dates(store, project)
    grab = view.chart.handle_pos("design", "move")
    drag(view, grab, shift(view, grab, 7))
    after = dates(store, project)
    assert after["design"] == (d(9), d(11))
    assert after["review"] == (d(12), d(12))
    assert after["build"] == (d(13), d(19))
    assert after["press"][0] == d(20)  # through the Launch summary
    assert after["other"] == before["other"]
    assert view.workspace.undo_stack.count() == 1
    assert view.document.scheduler.start("build") == d(13)  # the view follows
    view.workspace.undo_stack.undo()
    assert dates(store, project) == before
    assert view.document.scheduler.start("build") == before["build"][0]
    view.workspace.undo_stack.redo()
    assert dates(store, project) == after


def test_successors_follow_live_while_dragging(view: GanttView, store: Store) -> None:
    grab = view.chart.handle_pos("design", "move")
    drag(view, grab, shift(view, grab, 7), release=False)
    assert view.document.scheduler.start("build") == d(13)
    assert "Mon 09 Mar 2026" in view.chart.drag_text()
    QTest.mouseRelease(
        view.chart.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        view.chart.mapFromScene(shift(view, grab, 7)),
    )


def test_escape_cancels_a_drag_in_progress(view: GanttView, store: Store, project: str) -> None:
    before = dates(store, project)
    grab = view.chart.handle_pos("design", "move")
    drag(view, grab, shift(view, grab, 7), release=False)
    QTest.keyClick(view.chart, Qt.Key.Key_Escape)
    assert view.document.scheduler.start("build") == before["build"][0]
    QTest.mouseRelease(
        view.chart.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        view.chart.mapFromScene(shift(view, grab, 7)),
    )
    assert dates(store, project) == before
    assert view.workspace.undo_stack.count() == 0


def test_dragging_before_a_predecessor_is_refused_with_the_reason(
    view: GanttView, store: Store, project: str
) -> None:
    grab = view.chart.handle_pos("build", "move")
    drag(view, grab, shift(view, grab, -3), release=False)
    assert view.document.scheduler.start("build") == d(6)  # held at the limit
    text = view.chart.drag_text()
    assert "'Build' can't start before Fri 06 Mar 2026: 'Review' must finish first" in text
    assert view.chart.drag is not None and view.chart.drag.limit_o == d(6).toordinal()
    QTest.mouseRelease(
        view.chart.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        view.chart.mapFromScene(shift(view, grab, -3)),
    )
    assert view.workspace.undo_stack.count() == 0
    assert dates(store, project)["build"][0] == d(6)
    assert "'Review' must finish first" in view.status.text()


def test_resizing_the_finish_lengthens_and_pushes(
    view: GanttView, store: Store, project: str
) -> None:
    grab = view.chart.handle_pos("design", "finish")
    drag(view, grab, shift(view, grab, 2))
    assert store.get(Task, "design").duration_days == 5
    assert dates(store, project)["review"][0] == d(9)
    view.workspace.undo_stack.undo()
    assert store.get(Task, "design").duration_days == 3
    assert dates(store, project)["review"][0] == d(5)


def test_resizing_the_start_keeps_the_finish(view: GanttView, store: Store, project: str) -> None:
    grab = view.chart.handle_pos("other", "start")
    drag(view, grab, shift(view, grab, 1))
    task = store.get(Task, "other")
    assert (task.start_date, task.duration_days) == (d(3), 1)
    assert dates(store, project)["other"] == (d(3), d(3))


def test_dragging_progress(view: GanttView, store: Store) -> None:
    view.workspace.run(SetProgress("build", 20))
    rect = view.chart.bar_rect(view.document.node("build"))
    grab = view.chart.handle_pos("build", "progress")
    assert view.chart.hit(grab)[1] == "progress"
    drag(view, grab, QPointF(rect.left() + rect.width() * 0.6, grab.y()))
    assert store.get(Task, "build").progress == 60
    assert view.workspace.undo_stack.count() == 2


def test_dragging_from_bar_to_bar_links_them(view: GanttView, store: Store, project: str) -> None:
    grab = view.chart.handle_pos("other", "link")
    assert view.chart.hit(grab)[1] == "link"
    drag(view, grab, view.chart.handle_pos("party", "move"))
    dep = store.session.scalars(select(Dependency).where(Dependency.successor_id == "party")).one()
    assert dep.predecessor_id == "other"
    assert dates(store, project)["party"][0] == d(4)
    view.workspace.undo_stack.undo()
    assert dates(store, project)["party"][0] == d(2)


def test_a_link_that_closes_a_loop_is_refused_with_the_loop_named(
    view: GanttView, store: Store
) -> None:
    drag(view, view.chart.handle_pos("build", "link"), view.chart.handle_pos("design", "move"))
    assert "Design → Review → Build → Design" in view.status.text()
    assert view.workspace.undo_stack.count() == 0


def test_dragging_a_summary_moves_every_task_under_it_in_one_step(
    view: GanttView, store: Store, project: str
) -> None:
    before = dates(store, project)
    rect = view.chart.bar_rect(view.document.node("launch"))
    grab = QPointF(rect.left() + 10, rect.center().y())
    assert view.chart.hit(grab) == (view.document.node("launch"), "summary")
    drag(view, grab, shift(view, grab, 7))
    after = dates(store, project)
    assert after["party"][0] == d(9)
    assert after["press"][0] == d(20)
    assert after["design"] == before["design"]
    assert view.workspace.undo_stack.count() == 1
    assert view.workspace.undo_stack.text(0) == "Move “Launch”"
    view.workspace.undo_stack.undo()
    assert dates(store, project) == before
