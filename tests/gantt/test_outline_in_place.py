"""Indent (Alt+Shift+Right) and outdent (Alt+Shift+Left) follow in place: the table keeps its
rows (an indent) or moves just the rows whose place changed (an outdent), never resets (on a
10,000-task plan a reset means reading and scheduling everything again), and the plan is then
what opening it shows; undo puts it back the same way."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.models import Task
from db.store import Store
from desktop.gantt import GanttView
from tests.gantt.test_delete_in_place import names, same_plan

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ALT_SHIFT = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier


class Rows:
    """What the table was told: resets, and rows removed and inserted."""

    def __init__(self, view: GanttView) -> None:
        self.resets = 0
        self.removed: list[tuple[int, int]] = []
        self.inserted: list[tuple[int, int]] = []
        model = view.model
        model.modelReset.connect(self._reset)
        model.rowsRemoved.connect(lambda _p, first, last: self.removed.append((first, last)))
        model.rowsInserted.connect(lambda _p, first, last: self.inserted.append((first, last)))

    def _reset(self) -> None:
        self.resets += 1


def wbs(view: GanttView) -> list[str]:
    return [view.document.wbs[n] for n in view.document.rows]


def parent_of(store: Store, task_id: str) -> str | None:
    store.session.expire_all()
    task = store.get(Task, task_id)
    assert task is not None
    return task.parent_id


def test_indent_keeps_the_row_one_level_deeper_and_undo_brings_it_back(
    qtbot: QtBot, view: GanttView, store: Store, qtmodeltester: object
) -> None:
    rows = Rows(view)
    view.select_task("other")
    view.tree.setFocus()

    qtbot.keyClick(view.tree, Qt.Key.Key_Right, ALT_SHIFT)

    assert parent_of(store, "other") == "build"
    assert (rows.resets, rows.removed, rows.inserted) == (0, [], [])
    assert names(view) == ["Design", "Review", "Build", "Other", "Launch", "Press", "Party"]
    assert wbs(view) == ["1", "2", "3", "3.1", "4", "4.1", "4.2"]
    assert view.selected_ids() == ["other"]
    same_plan(view, store)
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]

    view.workspace.undo_stack.undo()  # Ctrl+Z, which the main window holds

    assert parent_of(store, "other") is None
    assert rows.resets == 0
    assert wbs(view) == ["1", "2", "3", "4", "5", "5.1", "5.2"]
    same_plan(view, store)


def test_outdent_moves_the_task_after_its_summary_and_undo_puts_it_back(
    qtbot: QtBot, view: GanttView, store: Store, qtmodeltester: object
) -> None:
    rows = Rows(view)
    view.select_task("press")
    view.tree.setFocus()

    qtbot.keyClick(view.tree, Qt.Key.Key_Left, ALT_SHIFT)

    assert parent_of(store, "press") is None
    assert rows.resets == 0
    assert names(view) == ["Design", "Review", "Build", "Other", "Launch", "Party", "Press"]
    assert wbs(view) == ["1", "2", "3", "4", "5", "5.1", "6"]
    assert view.selected_ids() == ["press"]
    same_plan(view, store)  # Press still waits on Build, now outside the phase
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]

    view.workspace.undo_stack.undo()  # Ctrl+Z, which the main window holds

    assert parent_of(store, "press") == "launch"
    assert rows.resets == 0
    assert names(view) == ["Design", "Review", "Build", "Other", "Launch", "Press", "Party"]
    same_plan(view, store)

    view.workspace.undo_stack.redo()
    assert parent_of(store, "press") is None
    same_plan(view, store)


def test_a_summary_left_without_tasks_becomes_a_task_again(
    qtbot: QtBot, view: GanttView, store: Store
) -> None:
    """Indent makes Build a summary; outdenting its only task makes it a task again, which
    takes its own dates back (a reload may follow, the plan must be right either way)."""
    view.select_task("other")
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Right, ALT_SHIFT)
    assert view.document.schedule.is_summary(view.document.node("build"))
    qtbot.keyClick(view.tree, Qt.Key.Key_Left, ALT_SHIFT)
    assert parent_of(store, "other") is None
    assert not view.document.schedule.is_summary(view.document.node("build"))
    assert names(view) == ["Design", "Review", "Build", "Other", "Launch", "Press", "Party"]
    same_plan(view, store)
