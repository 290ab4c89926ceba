"""`agency-desk --db PATH --project NAME`: the plan's first look stands while the data layer
loads, then the main window on that plan takes its place and edits as always; closing the
first look ends the start; a plan the first look cannot read opens the ordinary way."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from alembic import command
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from db.database import alembic_config, open_database
from db.models import Task
from db.store import Store
from desktop import app as desktop_app
from desktop import first_look, main_window
from desktop.app import run_gui
from desktop.first_look import FirstLookWindow
from desktop.gantt.tree_model import COL_NAME

if TYPE_CHECKING:
    from desktop.gantt import GanttView

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.usefixtures("user_settings"),
]


def shown(kind: str) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if type(w).__name__ == kind and w.isVisible()]


def window_is_up() -> bool:
    """The main window has painted and the first look has given way to it."""
    windows = shown("MainWindow")
    return bool(windows) and windows[0]._painted and not shown("FirstLookWindow")


def the_window_and_its_plan() -> tuple[main_window.MainWindow, GanttView]:
    """The main window that took over, and the Gantt view in it."""
    from desktop.gantt import GanttView  # imported once the app runs, as the app does

    window = shown("MainWindow")[0]
    assert isinstance(window, main_window.MainWindow)
    view = window.findChild(GanttView)
    assert view is not None
    return window, view


def when(condition: Callable[[], bool], then: Callable[[], None], failures: list[str]) -> None:
    """Run `then` inside the app's event loop once `condition` holds (give up after 20 s)."""
    waited = [0]

    def poll() -> None:
        if condition():
            try:
                then()
            except BaseException as exc:  # the test fails after the app has closed
                failures.append(repr(exc))
                for window in (
                    shown("MainWindow") + shown("FirstLookWindow") + shown("FirstScreenWindow")
                ):
                    window.close()
            return
        waited[0] += 1
        if waited[0] > 2000:
            failures.append("gave up waiting")
            for window in (
                shown("MainWindow") + shown("FirstLookWindow") + shown("FirstScreenWindow")
            ):
                window.close()
            return
        QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def test_the_first_look_gives_way_to_the_window_that_edits(qapp, small_db) -> None:
    seen: dict[str, object] = {}
    failures: list[str] = []

    def look_is_up() -> bool:
        return bool(shown("FirstLookWindow"))

    def note_the_look() -> None:
        look = shown("FirstLookWindow")[0]
        assert isinstance(look, FirstLookWindow)
        seen["look"] = [look.rows.schedule.name(n) for n in look.rows.rows]
        seen["busy"] = look.cursor().shape() == Qt.CursorShape.BusyCursor
        seen["geometry"] = look.geometry()
        when(window_is_up, edit_and_close, failures)

    def edit_and_close() -> None:
        window, view = the_window_and_its_plan()
        assert window.geometry() == seen["geometry"]  # it stands where the look stood
        assert view.isVisible()
        # The user renames the first task, as in the table: F2, type, Enter.
        node = view.document.node(view.document.schedule.task_id(view.document.rows[0]))
        index = view.model.index_of(node, COL_NAME)
        view.tree.setCurrentIndex(index)
        view.tree.setFocus()
        QTest.keyClick(view.tree, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit), "the name opens for typing"
        editor.selectAll()
        QTest.keyClicks(editor, "Kick-off")
        QTest.keyClick(editor, Qt.Key.Key_Return)
        QApplication.processEvents()  # the delegate commits on a queued call
        seen["undo steps"] = window.workspace.undo_stack.count()
        seen["task"] = view.document.schedule.task_id(node)
        window.close()

    when(look_is_up, note_the_look, failures)
    assert run_gui(small_db, project="rebrand") == 0
    assert failures == []
    assert seen["look"] == ["Discovery", "Interviews", "Logo", "Launch"]  # the plan, before the ORM
    assert seen["busy"] is True
    assert seen["undo steps"] == 1
    store = Store(open_database(small_db))
    try:
        task = store.get(Task, str(seen["task"]))
        assert task is not None and task.name == "Kick-off"
    finally:
        store.close()


def test_the_window_that_edits_takes_the_plan_the_look_scheduled(qapp, small_db) -> None:
    """The plan is read and scheduled once: the main window's Gantt takes the look's."""
    seen: dict[str, object] = {}
    failures: list[str] = []

    def note_the_look() -> None:
        look = shown("FirstLookWindow")[0]
        assert isinstance(look, FirstLookWindow)
        seen["look's schedule"] = look.rows.scheduled.scheduler
        when(window_is_up, note_the_window, failures)

    def note_the_window() -> None:
        window, view = the_window_and_its_plan()
        seen["window's schedule"] = view.document.scheduler
        seen["names"] = [view.document.schedule.name(n) for n in view.document.rows]
        window.close()

    when(lambda: bool(shown("FirstLookWindow")), note_the_look, failures)
    assert run_gui(small_db, project="Rebrand") == 0
    assert failures == []
    assert seen["window's schedule"] is seen["look's schedule"]
    assert seen["names"] == ["Discovery", "Interviews", "Logo", "Launch"]


def test_a_plan_renamed_by_another_program_while_the_look_stands_opens_renamed(
    qapp, small_db
) -> None:
    """The look keeps other Agency Desks out, not every program: the window reads what
    changed since the look read it."""
    seen: dict[str, object] = {}
    failures: list[str] = []

    def rename_behind_the_look() -> None:
        other = sqlite3.connect(small_db)
        with other:
            other.execute("UPDATE task SET name = 'Research' WHERE name = 'Discovery'")
        other.close()
        when(window_is_up, note_the_window, failures)

    def note_the_window() -> None:
        window, view = the_window_and_its_plan()
        seen["names"] = [view.document.schedule.name(n) for n in view.document.rows]
        window.close()

    when(lambda: bool(shown("FirstLookWindow")), rename_behind_the_look, failures)
    assert run_gui(small_db, project="Rebrand") == 0
    assert failures == []
    assert seen["names"] == ["Research", "Interviews", "Logo", "Launch"]


def test_the_benchmark_can_mark_the_editable_windows_paint(
    qapp, small_db, monkeypatch, capsys
) -> None:
    """`startup.open_project.*.editable`: the mark comes once, from the main window, after
    the look."""
    monkeypatch.setenv(desktop_app.BENCH_ENV, desktop_app.BENCH_EDITABLE)
    seen: list[str] = []
    failures: list[str] = []
    when(
        lambda: bool(shown("FirstLookWindow")),
        lambda: seen.append(capsys.readouterr().out),
        failures,
    )
    assert run_gui(small_db, project="Rebrand") == 0
    assert failures == []
    assert seen == [""]  # nothing marked while the look stood
    assert capsys.readouterr().out == "first-paint\n"


def test_the_plan_stays_where_it_stands_when_the_window_takes_over(qapp, small_db) -> None:
    """The first start has no layout to follow; the main window remembers where it drew the
    plan, and the next start's first look draws the table and chart exactly there, with the
    same text in every cell."""
    failures: list[str] = []
    starts: list[dict[str, object]] = []

    def follow_a_start() -> None:
        seen: dict[str, object] = {}
        starts.append(seen)

        def note_the_look() -> None:
            look = shown("FirstLookWindow")[0]
            assert isinstance(look, FirstLookWindow)
            layout, remembered = look.layout_now()
            seen["remembered"] = remembered
            seen["rects"] = (layout.table, layout.scale, layout.chart)
            columns = [column for column, _x, _w in layout.columns]
            seen["columns"] = columns
            seen["cells"] = [
                [look.rows.cell(node, column) for column in columns] for node in look.rows.rows
            ]
            when(window_is_up, note_the_window, failures)

        def note_the_window() -> None:
            window, view = the_window_and_its_plan()

            def rect(widget: QWidget) -> tuple[int, int, int, int]:
                at = widget.mapTo(window, QPoint(0, 0))
                return (at.x(), at.y(), widget.width(), widget.height())

            seen["window rects"] = (
                rect(view.tree.viewport()),
                rect(view.timescale),
                rect(view.chart.viewport()),
            )

            def text(node: int, column: int) -> str:
                value = view.model.index_of(node, column).data()
                if column == first_look.COL_PROGRESS and isinstance(value, int):
                    return f"{value} %"  # beside its bar (`ProgressCellDelegate`)
                return "" if value is None else str(value)

            seen["window cells"] = [
                [text(node, column) for column in seen["columns"]] for node in view.document.rows
            ]
            window.close()

        when(lambda: bool(shown("FirstLookWindow")), note_the_look, failures)

    for _start in range(2):
        follow_a_start()
        assert run_gui(small_db, project="Rebrand") == 0
        assert failures == []
    first, second = starts
    assert first["remembered"] is False
    assert second["remembered"] is True
    assert second["rects"] == second["window rects"]
    assert second["cells"] == second["window cells"]


def test_the_look_draws_the_plan_as_the_window_does(qapp, small_db) -> None:
    """Where the main window drew a plan before, the look's table (header, outline marks,
    cells, row colours) and chart are the window's, pixel for pixel: nothing changes as one
    takes the other's place."""
    failures: list[str] = []
    grabs: list[dict[str, object]] = []

    def follow_a_start() -> None:
        seen: dict[str, object] = {}
        grabs.append(seen)

        def note_the_look() -> None:
            look = shown("FirstLookWindow")[0]
            assert isinstance(look, FirstLookWindow)
            layout, seen["remembered"] = look.layout_now()
            seen["parts"] = (layout.table_header, layout.table, layout.scale, layout.chart)
            seen["look"] = look.grab().toImage()
            when(window_is_up, note_the_window, failures)

        def note_the_window() -> None:
            window = shown("MainWindow")[0]
            seen["window"] = window.grab().toImage()
            window.close()

        when(lambda: bool(shown("FirstLookWindow")), note_the_look, failures)

    for _start in range(2):
        follow_a_start()
        assert run_gui(small_db, project="Rebrand") == 0
        assert failures == []
    second = grabs[1]
    assert second["remembered"] is True
    look, window = second["look"], second["window"]
    assert isinstance(look, QImage) and isinstance(window, QImage)
    for x, y, width, height in second["parts"]:  # type: ignore[attr-defined]
        assert look.copy(x, y, width, height) == window.copy(x, y, width, height), (x, y)


def test_closing_the_first_look_ends_the_start(qapp, small_db) -> None:
    failures: list[str] = []
    windows: list[str] = []

    def close_the_look() -> None:
        shown("FirstLookWindow")[0].close()

    when(lambda: bool(shown("FirstLookWindow")), close_the_look, failures)
    QTimer.singleShot(0, lambda: windows.extend(type(w).__name__ for w in shown("MainWindow")))
    assert run_gui(small_db, project="Rebrand") == 0
    assert failures == []
    assert shown("MainWindow") == [] and windows == []


def test_a_plan_that_needs_an_upgrade_opens_the_ordinary_way(
    qapp, small_db, monkeypatch, capsys
) -> None:
    """The first look reads only a current schema; Alembic upgrades an older one first."""
    engine = open_database(small_db)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "-1")
    engine.dispose()
    monkeypatch.setenv(desktop_app.BENCH_ENV, "1")
    looks: list[int] = []
    QTimer.singleShot(0, lambda: looks.append(len(shown("FirstLookWindow"))))
    assert run_gui(small_db, project="Rebrand") == 0
    assert capsys.readouterr().out == "first-paint\n"
    assert looks == [0]


def test_the_first_look_follows_the_windows_own_settings_and_sizes() -> None:
    """What the look repeats of the main window and the Gantt, which it cannot import."""
    from desktop.gantt import cells, chart, tree_model

    assert first_look.SETTINGS_GEOMETRY == main_window.SETTINGS_GEOMETRY
    assert first_look.HEADERS == tree_model.HEADERS
    assert first_look.ZOOMS == chart.ZOOMS
    assert first_look.INDENT == cells.INDENT
