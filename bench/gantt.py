"""Gantt benchmarks on generated projects of 2,000 and 10,000 tasks: parallel streams of
chained phases with fan-outs, milestones and all four dependency types (see
`db.scheduling.generate`).

Each project is written with bulk inserts into a database file cached in the temp folder; a
metric opens a fresh copy. Each metric reports the median of a few runs.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from bench.cache import cached_database
from bench.offscreen_app import offscreen_app
from bench.registry import metric
from db.database import open_database
from db.models import Client, Project
from db.operations import Create, composite
from db.scheduling.generate import generated_plan
from db.scheduling.plan import insert_plan
from db.store import Store

# GANTT_BENCH_CLOCK=cpu measures the process's CPU time instead of wall time: on a machine
# shared with other jobs it shows the work done, without the time spent waiting for a core.
CLOCK = time.process_time if os.environ.get("GANTT_BENCH_CLOCK") == "cpu" else time.perf_counter
SCHEMA_VERSION = 1  # bump when the generated plan changes shape
RUNS = 5
PROJECT_ID = "bench-gantt-project"


def _cached_db(n_tasks: int) -> Path:
    def build(path: Path) -> None:
        store = Store(open_database(path, create=True))
        client = Create(Client, {"name": "Bench Client"})
        project = Create(Project, {"id": PROJECT_ID, "name": "Bench", "client_id": client.id})
        store.apply(composite([client, project]))
        insert_plan(store.session, PROJECT_ID, generated_plan(n_tasks, fan_out=1000))
        store.session.commit()
        store.close()

    # Named for the schema's sources so a copy never needs an upgrade before it is timed.
    return cached_database(f"gantt-{n_tasks}-v{SCHEMA_VERSION}", build)


def _open_store(n_tasks: int) -> Store:
    source = _cached_db(n_tasks)
    copy = Path(tempfile.mkdtemp(prefix="gantt-bench-")) / "agency.sqlite"
    shutil.copy(source, copy)
    return Store(open_database(copy))


def _median(run: Callable[[], float], runs: int = RUNS) -> float:
    return statistics.median(run() for _ in range(runs))


def _warm_median_then_close(once: Callable[[], float], runs: int, view: Any, store: Store) -> float:
    """The median of `runs` runs of an edit on an open view, after one run that warms the
    caches it fills (not counted); then the view and its store closed."""
    once()
    took = _median(once, runs)
    view.close()
    store.close()
    return took


def _open_view(store: Store) -> Any:
    from desktop.gantt import GanttView
    from desktop.workspace import Workspace

    app = offscreen_app()
    view = GanttView(Workspace(store), PROJECT_ID)
    view.resize(1600, 900)
    view.show()
    app.processEvents()  # lays out and paints the window once: tree, time scale and chart
    return view


def _time_open(n_tasks: int) -> float:
    offscreen_app()

    def once() -> float:
        store = _open_store(n_tasks)
        start = CLOCK()
        view = _open_view(store)
        took = CLOCK() - start
        view.close()
        view.deleteLater()
        store.close()
        return took

    once()  # warm imports and the holiday tables
    return _median(once, 3)


@metric("gantt.open.2k", target=0.3, unit="s")
def open_2k() -> float:
    """Open a 2,000-task project to a painted tree and chart."""
    return _time_open(2_000)


@metric("gantt.open.10k", target=1.0, unit="s")
def open_10k() -> float:
    """Open a 10,000-task project to a painted tree and chart."""
    return _time_open(10_000)


@metric("gantt.drag_commit", target=0.05, unit="s")
def drag_commit() -> float:
    """Drag a task with 1,000 tasks downstream by three days and release: live reschedule,
    the edit committed to the database, the view following, the chart repainted."""
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtTest import QTest

    app = offscreen_app()
    store = _open_store(10_000)
    view = _open_view(store)
    chart = view.chart
    assert len(view.document.scheduler.downstream("hub")) >= 1000
    view.select_task("hub")
    chart.scroll_to_task("hub")
    app.processEvents()
    viewport = chart.viewport()
    direction = [1]

    def once() -> float:
        grab = chart.handle_pos("hub", "move")
        to = QPointF(grab.x() + 3 * chart.px * direction[0], grab.y())
        a, b = chart.mapFromScene(grab), chart.mapFromScene(to)
        direction[0] *= -1
        start = CLOCK()
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
        QTest.mouseMove(viewport, b)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)
        app.processEvents()  # the frame: every widget the edit made dirty, painted once
        return CLOCK() - start

    return _warm_median_then_close(once, 7, view, store)


@metric("gantt.repaint.10k", target=0.016, unit="s")
def repaint_10k() -> float:
    """One frame after a scroll step (tree and chart repainted) or a zoom step (chart and
    time scale) on a 10,000-task project, whichever is slower."""
    app = offscreen_app()
    store = _open_store(10_000)
    view = _open_view(store)
    chart = view.chart
    bar = view.tree.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    app.processEvents()
    step = [1]

    def scroll() -> float:
        start = CLOCK()
        bar.setValue(bar.value() + 3 * step[0])  # one wheel notch: three rows
        step[0] *= -1
        app.processEvents()  # one frame: tree and chart, each painted once
        return CLOCK() - start

    zooms = ["week", "day"]

    def zoom() -> float:
        start = CLOCK()
        chart.set_zoom(zooms[0])
        zooms.reverse()
        app.processEvents()  # one frame: chart and time scale
        return CLOCK() - start

    scroll()
    zoom()
    took = max(_median(scroll, 9), _median(zoom, 9))
    view.close()
    store.close()
    return took


@metric("gantt.insert_task.10k", target=0.05, unit="s")
def insert_task_10k() -> float:
    """Insert a task below one in the middle of a 10,000-task plan (the Insert key): the
    edit committed, the plan and tree following, the name open for typing, one frame painted.
    Each run is undone (outside the timing) so every run inserts into the same plan."""
    from PySide6.QtWidgets import QAbstractItemView

    from db.models import TaskKind

    app = offscreen_app()
    store = _open_store(10_000)
    view = _open_view(store)
    s = view.document.scheduler
    middle = s.ids[view.document.rows[len(view.document.rows) // 2]]

    def once() -> float:
        view.select_task(middle)
        app.processEvents()
        start = CLOCK()
        view.insert(TaskKind.TASK)
        app.processEvents()  # the frame: tree, chart and the name's editor
        took = CLOCK() - start
        view.tree.closePersistentEditor(view.tree.currentIndex())
        view.tree.setState(QAbstractItemView.State.NoState)  # type: ignore[attr-defined]
        view.workspace.undo_stack.undo()
        app.processEvents()
        return took

    return _warm_median_then_close(once, 5, view, store)


@metric("gantt.delete_task.10k", target=0.05, unit="s")
def delete_task_10k() -> float:
    """Delete a task (with its links) in the middle of a 10,000-task plan, as Edit > Delete
    does: the edit committed, the plan and table following, one frame painted. Each run is
    undone (outside the timing) so every run deletes from the same plan."""
    app = offscreen_app()
    store = _open_store(10_000)
    view = _open_view(store)
    v = view.document.schedule
    rows = view.document.rows
    middle = next(v.task_id(n) for n in rows[len(rows) // 2 :] if not v.is_summary(n))

    def once() -> float:
        view.select_task(middle)
        app.processEvents()
        start = CLOCK()
        assert view.delete_selected()
        app.processEvents()  # the frame: table and chart
        took = CLOCK() - start
        view.workspace.undo_stack.undo()
        app.processEvents()
        return took

    return _warm_median_then_close(once, 5, view, store)


@cache  # both metrics come from the same runs
def _delete_project_cycle(n_tasks: int) -> tuple[float, float]:
    """Delete a project of `n_tasks` tasks from the Projects list as a user does (Edit >
    Delete, the question answered Yes) and undo it (Ctrl+Z), each up to its painted frame,
    in the main window with every view listening: the medians of (delete, undo)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from desktop.main_window import MainWindow
    from desktop.views.projects_view import ProjectsView
    from desktop.workspace import Workspace

    app = offscreen_app()
    store = _open_store(n_tasks)
    settings_path = Path(tempfile.mkdtemp(prefix="gantt-bench-")) / "settings.ini"
    window = MainWindow(
        Workspace(store), QSettings(str(settings_path), QSettings.Format.IniFormat), auto_sync=False
    )
    window.persist = False
    window.resize(1300, 800)
    window.show()
    window.show_area("projects")
    app.processEvents()
    projects = window.area("projects")
    assert isinstance(projects, ProjectsView)
    asked = QMessageBox.question
    QMessageBox.question = lambda *_args: QMessageBox.StandardButton.Yes  # type: ignore[method-assign]
    deletes, undos = [], []
    try:
        for _ in range(4):
            projects.tree.setFocus()
            projects.tree.setCurrentIndex(projects.project_index(PROJECT_ID))
            app.processEvents()
            start = CLOCK()
            assert window.delete_selection()
            app.processEvents()  # the frame: the list without the project
            deletes.append(CLOCK() - start)
            start = CLOCK()
            window.workspace.undo_stack.undo()
            app.processEvents()
            undos.append(CLOCK() - start)
    finally:
        QMessageBox.question = asked  # type: ignore[method-assign]
        window.close()
        store.close()
    # The first run warms imports and caches.
    return statistics.median(deletes[1:]), statistics.median(undos[1:])


@metric("gantt.delete_project.10k", target=1.0, unit="s")
def delete_project_10k() -> float:
    """Delete a 10,000-task project (its tasks and links with it) from the Projects list:
    the question answered, the edit committed, every view following, one frame painted."""
    return _delete_project_cycle(10_000)[0]


@metric("gantt.undo_delete_project.10k", target=1.0, unit="s")
def undo_delete_project_10k() -> float:
    """Undo the delete of a 10,000-task project: every row back, every view following, one
    frame painted."""
    return _delete_project_cycle(10_000)[1]


def _outline_step(indent: bool) -> float:
    """Indent (Alt+Shift+Right) or outdent (Alt+Shift+Left) one task in the middle of a
    10,000-task plan: the edit committed, tree and chart following, the task still selected,
    one frame painted. Each run is undone (outside the timing), so every run edits the same
    plan. A task that can go either way: it has a sibling task above it, and a parent."""
    app = offscreen_app()
    store = _open_store(10_000)
    view = _open_view(store)
    doc = view.document
    candidates = [doc.schedule.task_id(n) for n in doc.rows[len(doc.rows) // 2 :]]
    middle = next(i for i in candidates if _can_indent_and_outdent(view, i))

    def once() -> float:
        view.select_task(middle)
        app.processEvents()
        start = CLOCK()
        if indent:
            view.indent_selected()
        else:
            view.outdent_selected()
        app.processEvents()  # the frame: tree and chart
        took = CLOCK() - start
        assert view.selected_ids() == [middle]
        assert view.workspace.undo_stack.undoText().startswith("Indent" if indent else "Outdent")
        view.workspace.undo_stack.undo()
        app.processEvents()
        return took

    return _warm_median_then_close(once, 5, view, store)


def _can_indent_and_outdent(view: Any, task_id: str) -> bool:
    """Would the plan take both edits of this task: a parent to outdent from, and a task
    above it to go under that neither waits on it nor it on (an indent would make that a
    loop)?"""
    doc = view.document
    v, s = doc.schedule, doc.scheduler
    node = v.node(task_id)
    up = v.parent(node)
    if v.is_summary(node) or up < 0 or doc.row_in_parent(node) == 0:
        return False
    above = v.children(up)[doc.row_in_parent(node) - 1]
    above_id = v.task_id(above)
    return not (
        v.is_summary(above)
        or task_id in s.downstream(above_id)
        or above_id in s.downstream(task_id)
    )


@metric("gantt.indent.10k", target=0.05, unit="s")
def indent_10k() -> float:
    """Indent a task under the one above it in a 10,000-task plan (Alt+Shift+Right)."""
    return _outline_step(True)


@metric("gantt.outdent.10k", target=0.05, unit="s")
def outdent_10k() -> float:
    """Outdent a task out of its summary in a 10,000-task plan (Alt+Shift+Left)."""
    return _outline_step(False)
