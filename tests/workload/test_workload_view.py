"""The Team workload area as a project manager uses it, through the main window: read a
person's load, drag a task to another person and in time in one drag, undo it; ask who is
free; apply a levelling suggestion and undo it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from db.models import Assignment, Overtime
from db.store import Store
from db.team import AddLeave
from db.workload.buckets import Zoom
from desktop.gantt.tree_model import COL_PEOPLE, COL_START
from desktop.gantt.view import GanttView
from desktop.main_window import MainWindow
from desktop.portfolio.view import PortfolioView
from desktop.workload.chart import WorkloadChart
from desktop.workload.fixes_dialog import FixesDialog
from desktop.workload.view import WorkloadView
from desktop.workspace import Workspace
from tests.workload.agency import member, next_monday, project, task

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

D = timedelta(days=1)


def workload_area(window: MainWindow) -> WorkloadView:
    window.show_area("workload")
    view = window.area("workload")
    assert isinstance(view, WorkloadView)
    return view


def drag(chart: WorkloadChart, start: QPoint, end: QPoint) -> None:
    viewport = chart.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    steps = 6
    for n in range(1, steps + 1):
        at = start + (end - start) * (n / steps)
        QTest.mouseMove(viewport, at)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_drag_a_task_to_another_person_and_later_in_one_drag(
    window: MainWindow, store: Store, qtbot: QtBot
) -> None:
    mon = next_monday()
    ana, ben, cy = member(store, "Ana"), member(store, "Ben"), member(store, "Cy")
    store.apply(AddLeave(cy, mon, mon + 6 * D))
    pid = project(store, "Launch")
    design = task(store, pid, "Design", mon, 2, {ana: 8})
    copy = task(store, pid, "Copy", mon, 2, {ana: 4})
    portfolio = window.area("portfolio")
    assert isinstance(portfolio, PortfolioView)
    window.open_project(pid)  # the Gantt is open in Projects meanwhile
    gantt = window.area("projects").host.detail  # type: ignore[attr-defined]
    assert isinstance(gantt, GanttView)

    view = workload_area(window)
    view.set_zoom(Zoom.DAY)
    chart = view.chart
    chart.scroll_to_day(mon - 2 * D)
    assert chart.cell(ana, (mon, mon)).over
    assert "Because of:" in chart.tooltip_at(chart.row_point(ana, mon))
    assert "Copy (Launch, Acme): 4 h" in chart.tooltip_at(chart.row_point(ana, mon))

    chart.toggle(ana)
    start = chart.bar_point(copy, ana)
    end = chart.row_point(ben, mon + 2 * D)  # Ben's row, two days later
    end.setX(start.x() + round(2 * chart.layout_.px))
    viewport = chart.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, start + QPoint(10, 0))
    QTest.mouseMove(viewport, end)
    assert cy in chart._dimmed() and ben not in chart._dimmed()  # Cy is on leave then
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)

    assert not chart.cell(ana, (mon, mon)).over  # Ana's row: Copy left it
    assert chart.workload.assigned(ana, mon.toordinal()) == 8
    assert chart.workload.assigned(ben, (mon + 2 * D).toordinal()) == 4  # Ben's row: it came
    people = {a.member_id for a in store.session.query(Assignment).filter_by(task_id=copy)}
    assert people == {ben}
    s = gantt.document.scheduler
    assert s.start(copy) == mon + 2 * D  # the Gantt shows it moved
    index = gantt.model.index_of(gantt.document.node(copy), COL_PEOPLE)
    assert index.data() == "Ben"
    assert window.workspace.undo_stack.undoText() == "Move 'Copy' and give it to Ben"
    window.show_area("portfolio")  # the portfolio shows the project finishing later
    row = portfolio.chart.layout_.row_of_project(pid)
    assert row is not None and row.project is not None and row.project.finish == mon + 3 * D
    view = workload_area(window)

    QTest.keySequence(chart, "Ctrl+Z")  # one undo restores both
    assert chart.workload.assigned(ana, mon.toordinal()) == 12
    assert chart.workload.assigned(ben, (mon + 2 * D).toordinal()) == 0
    assert gantt.document.scheduler.start(copy) == mon
    assert gantt.model.index_of(gantt.document.node(copy), COL_START).data()
    assert gantt.model.index_of(gantt.document.node(copy), COL_PEOPLE).data() == "Ana"
    window.show_area("portfolio")
    row = portfolio.chart.layout_.row_of_project(pid)
    assert row is not None and row.project is not None and row.project.finish == mon + D
    assert design


def test_a_drag_before_a_predecessor_is_refused_with_the_reason(
    window: MainWindow, store: Store
) -> None:
    from db.models import Dependency
    from db.operations import Create

    mon = next_monday()
    ana = member(store, "Ana")
    pid = project(store)
    first = task(store, pid, "Design", mon, 2, {ana: 4})
    second = task(store, pid, "Build", mon, 2, {ana: 4})
    store.apply(Create(Dependency, {"predecessor_id": first, "successor_id": second}))
    view = workload_area(window)
    view.set_zoom(Zoom.DAY)
    chart = view.chart
    chart.scroll_to_day(mon - 2 * D)
    chart.toggle(ana)
    steps = window.workspace.undo_stack.count()
    start = chart.bar_point(second, ana)
    drag(chart, start, QPoint(start.x() - round(2 * chart.layout_.px), start.y()))
    assert window.workspace.undo_stack.count() == steps
    assert view.refusal.isVisible()
    assert "Can't start before" in view.refusal.text() and "'Design' must finish first" in (
        view.refusal.text()
    )


def test_who_is_free_answers_best_fit_first(window: MainWindow, store: Store) -> None:
    mon = next_monday()
    ana, _ben = member(store, "Ana"), member(store, "Ben", 16, "01")
    task(store, project(store), "Design", mon, 5, {ana: 6})
    view = workload_area(window)
    dialog = view.who_is_free()
    dialog.ask(mon, mon + 4 * D, 12)
    names = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    assert names == ["Ben", "Ana"]
    assert dialog.model.index(1, 3).data() == "Part of it"
    assert dialog.message.text() == "1 could take it, best fit first."
    dialog.close()


def test_apply_one_levelling_suggestion_and_undo_it(window: MainWindow, store: Store) -> None:
    mon = next_monday()
    ana, ben = member(store, "Ana"), member(store, "Ben")
    pid = project(store)
    task(store, pid, "Design", mon, 2, {ana: 8})
    copy = task(store, pid, "Copy", mon, 2, {ana: 4})
    view = workload_area(window)
    view.chart.select(ana)
    dialog = view.suggest_fixes()
    assert isinstance(dialog, FixesDialog)
    texts = [f.text for f in dialog.model.fixes]
    give = next(n for n, t in enumerate(texts) if t.startswith("Give 'Copy'"))
    assert texts[-1].startswith("Accept the overtime: Ana works 4 h a day more")
    dialog.list.setCurrentIndex(dialog.model.index(give, 0))
    steps = window.workspace.undo_stack.count()
    dialog.apply_button.click()
    assert window.workspace.undo_stack.count() == steps + 1
    assert {a.member_id for a in store.session.query(Assignment).filter_by(task_id=copy)} == {ben}
    assert not view.workload.overload(ana, mon.toordinal())
    assert "nothing to fix" in dialog.heading.text()
    window.workspace.undo_stack.undo()
    view.refresh_now()
    assert view.workload.overload(ana, mon.toordinal()) == 4
    assert store.session.query(Overtime).count() == 0
    dialog.close()


def test_after_a_drop_only_the_two_peoples_rows_are_redrawn_and_the_chart_is_right(
    workspace: Workspace, store: Store, qtbot: QtBot
) -> None:
    mon = next_monday()
    ana, ben, cy = member(store, "Ana"), member(store, "Ben"), member(store, "Cy")
    pid = project(store)
    copy = task(store, pid, "Copy", mon, 2, {ana: 4})
    task(store, pid, "Print", mon, 3, {cy: 6})

    def opened() -> WorkloadView:
        view = WorkloadView(workspace)
        qtbot.addWidget(view)
        view.resize(1000, 400)
        view.show()
        qtbot.waitExposed(view)
        view.chart.scroll_to_day(mon - 7 * D)
        view.chart.viewport().grab()  # painted
        return view

    view = opened()
    chart = view.chart
    drawn = {key[0]: strip.cacheKey() for key, strip in chart._strips.items()}
    assert {ana, ben, cy} <= drawn.keys()

    booking = chart.workload.booking(copy, ana)
    assert booking is not None and chart.commit(booking, 7, ben)  # a week later, to Ben
    picture = chart.viewport().grab().toImage()
    again = {key[0]: strip.cacheKey() for key, strip in chart._strips.items()}
    assert again[ana] != drawn[ana] and again[ben] != drawn[ben]
    assert again[cy] == drawn[cy]  # Cy's row was copied, not drawn again

    fresh = opened()  # what the chart should now look like
    assert picture == fresh.chart.viewport().grab().toImage()
    fresh.close()


def test_more_booked_than_a_day_holds_is_said_not_called_nothing_to_fix(
    window: MainWindow, store: Store
) -> None:
    mon = next_monday()
    ana = member(store, "Ana")
    pid = project(store, due=mon)
    for name, hours in (("Logo", 8), ("Copy", 8), ("Site", 8), ("Print", 6)):
        task(store, pid, name, mon, 1, {ana: hours})
    view = workload_area(window)
    view.chart.select(ana)
    dialog = view.suggest_fixes()
    assert isinstance(dialog, FixesDialog)
    # 30 h on one day: no single delay, hand-over or day's overtime clears it.
    assert dialog.model.fixes == []
    assert "over-allocated from" in dialog.heading.text()
    assert "more hours than a day holds" in dialog.heading.text()
    assert not dialog.apply_button.isEnabled()
    dialog.close()
