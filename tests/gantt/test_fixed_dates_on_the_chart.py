"""Fixed dates on the chart: a task that must start on a date, or finish by one, carries a
flag at that edge with a tooltip naming the rule, and a drag that would break a fixed date
stops at it while the mouse is still down, with the plan's own refusal beside the cursor."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from db.models import TaskConstraint
from db.scheduling.operations import MoveTask, SetConstraint
from db.store import Store
from desktop.gantt import GanttView
from desktop.gantt.geometry import ROW_HEIGHT
from tests.gantt.conftest import dates, drag, shift

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def d(day: int) -> date:
    return date(2026, 3, day)


def release(view: GanttView, at: QPointF) -> None:
    QTest.mouseRelease(
        view.chart.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        view.chart.mapFromScene(at),
    )


def test_a_predecessor_stops_live_where_a_fixed_start_would_move(
    view: GanttView, store: Store, project: str
) -> None:
    """Build must start on Wed 11 Mar; Design → Review → Build. Design may slip three
    working days (Review then ends Tue 10), no further."""
    assert view.run(MoveTask("build", d(11)))
    assert view.run(SetConstraint("build", TaskConstraint.MUST_START_ON))
    steps = view.workspace.undo_stack.count()
    grab = view.chart.handle_pos("design", "move")
    end = shift(view, grab, 8)
    drag(view, grab, end, release=False)
    s = view.document.scheduler
    assert s.start("design") == d(5) and s.start("build") == d(11)  # held, live
    gesture = view.chart.drag
    assert gesture is not None and gesture.held
    assert "'Build' must start on Wed 11 Mar 2026" in view.chart.drag_text()
    assert view.chart.viewport().cursor().shape() == Qt.CursorShape.ForbiddenCursor
    assert "must start on" in view.status.text()  # the status line says it too
    drag(view, grab, shift(view, grab, 2), release=False)  # back within the limit
    assert not gesture.held and s.start("design") == d(4)
    assert view.chart.viewport().cursor().shape() != Qt.CursorShape.ForbiddenCursor
    drag(view, grab, end, release=False)
    release(view, end)  # the release keeps where the bar stopped
    assert dates(store, project)["design"][0] == d(5)
    assert dates(store, project)["build"][0] == d(11)
    assert view.workspace.undo_stack.count() == steps + 1


def test_a_bar_stretches_only_to_its_finish_by_date(
    view: GanttView, store: Store, project: str
) -> None:
    """Other (Mon 2 to Tue 3 Mar) must finish by Thu 5 Mar."""
    assert view.run(SetConstraint("other", TaskConstraint.FINISH_NO_LATER, d(5)))
    grab = view.chart.handle_pos("other", "finish")
    end = shift(view, grab, 6)
    drag(view, grab, end, release=False)
    assert view.document.scheduler.finish("other") == d(5)
    gesture = view.chart.drag
    assert gesture is not None and gesture.held
    assert gesture.limit_o == d(6).toordinal()  # the dashed line at the end of Thu 5
    assert "'Other' must finish by Thu 05 Mar 2026" in view.chart.drag_text()
    release(view, end)
    assert dates(store, project)["other"] == (d(2), d(5))


def test_fixed_dates_carry_a_flag_and_a_tooltip(view: GanttView) -> None:
    assert view.run(MoveTask("build", d(6)))  # where its predecessors put it
    assert view.run(SetConstraint("build", TaskConstraint.MUST_START_ON))
    assert view.run(SetConstraint("other", TaskConstraint.FINISH_NO_LATER, d(5)))
    chart = view.chart
    build, other = view.document.node("build"), view.document.node("other")
    assert "Must start on Fri 06 Mar 2026 (a fixed date)" in chart.tooltip_text(build)
    assert "Must finish by Thu 05 Mar 2026 (a fixed date)" in chart.tooltip_text(other)
    assert "Must" not in chart.tooltip_text(view.document.node("design"))
    shot = chart.viewport().grab().toImage()
    pin = chart.colors.pin

    def flag_at(node: int, ordinal: int, towards: int) -> bool:
        row_top = view.document.row_of[node] * ROW_HEIGHT
        at = chart.mapFromScene(QPointF(chart.x_of(ordinal) + 2 * towards, row_top + 3))
        colour = QColor(shot.pixel(at))
        return abs(colour.red() - pin.red()) + abs(colour.green() - pin.green()) < 60

    assert flag_at(build, view.document.schedule.start_ordinal(build), 1)
    assert flag_at(other, d(6).toordinal(), -1)
    assert not flag_at(view.document.node("design"), d(2).toordinal(), 1)
