"""The Portfolio area through the main window: projects grouped by client with the health
badge, filters, Return opens the plan, dragging a project's bar moves the whole project as
one undoable edit, and a move past the due date is refused with the reason."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from db.models import Project
from db.operations import Update
from db.store import Store
from desktop.gantt.view import GanttView
from desktop.main_window import MainWindow
from desktop.portfolio.view import PortfolioChart, PortfolioView
from tests.workload.agency import member, next_monday, project, task

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

D = timedelta(days=1)


def portfolio_area(window: MainWindow) -> PortfolioView:
    window.show_area("portfolio")
    view = window.area("portfolio")
    assert isinstance(view, PortfolioView)
    return view


def drag(chart: PortfolioChart, start: QPointF, dx: float) -> None:
    viewport = chart.viewport()
    a = QPoint(int(start.x()), int(start.y()))
    b = QPoint(int(start.x() + dx), int(start.y()))
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for n in range(1, 6):
        QTest.mouseMove(viewport, a + (b - a) * (n / 5))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def test_move_a_projects_bar_on_the_portfolio_and_undo(window: MainWindow, store: Store) -> None:
    mon = next_monday()
    ana = member(store, "Ana")
    launch = project(store, "Launch", "Acme", due=mon + 60 * D)
    design = task(store, launch, "Design", mon, 3, {ana: 8})
    rebrand = project(store, "Rebrand", "Bolt")
    task(store, rebrand, "Logo", mon, 2)
    view = portfolio_area(window)
    view.chart.layout_.zoom = "weeks"
    view.chart.relayout()
    view.chart.scroll_to_day(mon - 7 * D)
    groups = [r.client.name for r in view.chart.layout_.rows if r.project is None]
    assert groups == ["Acme", "Bolt"]
    assert view.header.count.text() == "2 open projects"

    start = view.chart.bar_point(launch)
    drag(view.chart, start, 7 * view.chart.layout_.px)  # a week later: 5 working days
    s = store.schedules.scheduler(launch)
    assert s.start(design) == mon + 7 * D
    assert window.workspace.undo_stack.undoText() == "Move 'Launch' 5 working days later"
    row = view.chart.layout_.row_of_project(launch)
    assert row is not None and row.project is not None and row.project.start == mon + 7 * D
    # The workload sees it too.
    window.show_area("workload")
    workload = window.area("workload")
    assert workload.workload.assigned(ana, (mon + 7 * D).toordinal()) == 8  # type: ignore[attr-defined]
    window.show_area("portfolio")
    QTest.keySequence(view.chart, "Ctrl+Z")
    assert store.schedules.scheduler(launch).start(design) == mon
    assert view.chart.layout_.row_of_project(launch).project.start == mon  # type: ignore[union-attr]


def test_a_move_past_the_due_date_is_refused_with_the_reason(
    window: MainWindow, store: Store
) -> None:
    mon = next_monday()
    launch = project(store, "Launch", "Acme", due=mon + 4 * D)
    task(store, launch, "Design", mon, 3)
    view = portfolio_area(window)
    view.chart.layout_.zoom = "weeks"
    view.chart.relayout()
    view.chart.scroll_to_day(mon - 7 * D)
    steps = window.workspace.undo_stack.count()
    drag(view.chart, view.chart.bar_point(launch), 7 * view.chart.layout_.px)
    assert window.workspace.undo_stack.count() == steps
    assert view.refusal.isVisible() and "after its due date" in view.refusal.text()


def test_filters_and_return_opens_the_plan(window: MainWindow, store: Store) -> None:
    mon = next_monday()
    ana = member(store, "Ana")
    launch = project(store, "Launch", "Acme")
    task(store, launch, "Design", mon, 3)
    rebrand = project(store, "Rebrand", "Bolt")
    task(store, rebrand, "Logo", mon, 2)
    store.apply(Update(Project, rebrand, {"account_manager_id": ana}))
    view = portfolio_area(window)
    view.am_box.setCurrentIndex(view.am_box.findData(ana))
    assert [r.project.name for r in view.chart.layout_.rows if r.project] == ["Rebrand"]
    view.am_box.setCurrentIndex(0)
    view.chart.toggle(view.chart.layout_.rows[0].client.id)  # Acme collapsed
    assert [r.project.name for r in view.chart.layout_.rows if r.project] == ["Rebrand"]
    view.chart.setFocus()
    view.chart.current = rebrand
    QTest.keyClick(view.chart, Qt.Key.Key_Return)
    assert window.current_area_key() == "projects"
    assert isinstance(window.area("projects").host.detail, GanttView)  # type: ignore[attr-defined]
    assert window.area("projects").host.detail.project_id == rebrand  # type: ignore[attr-defined]


def test_the_portfolio_prints_as_shown(
    window: MainWindow, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mon = next_monday()
    launch = project(store, "Launch", "Acme")
    task(store, launch, "Design", mon, 3)
    rebrand = project(store, "Rebrand", "Bolt")
    task(store, rebrand, "Logo", mon, 2)
    view = portfolio_area(window)
    view.client_box.setCurrentIndex(view.client_box.findText("Bolt"))
    out = tmp_path / "portfolio.pdf"
    monkeypatch.setattr("desktop.file_dialogs.save_file_name", lambda *_args: str(out))
    window._name_print_actions()
    assert window.export_pdf_action.text() == "&Export Portfolio Timeline as PDF…"
    window.export_pdf_action.trigger()
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Portfolio," in text and "Rebrand" in text and "Launch" not in text
