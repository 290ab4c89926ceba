"""A task's History tab and a project's history (issue 18), as a project manager uses them:
a rename through the task's dialog shows up with who made it, from what to what."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from db.models import TeamMember
from db.operations import Create
from db.store import Store
from desktop.gantt import GanttView
from desktop.gantt.task_dialog import TaskDialog
from desktop.gantt.task_tabs import TAB_HISTORY
from desktop.history.model import COL_FROM, COL_RECORD, COL_TO, COL_WHAT, COL_WHO
from desktop.history.panel import HistoryDialog, HistoryPanel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def pick(view: GanttView, task_id: str) -> None:
    view.select_tasks([task_id])
    view.tree.setFocus()


def lines(panel: HistoryPanel) -> list[tuple[str, ...]]:
    model = panel.model
    columns = (COL_WHO, COL_RECORD, COL_WHAT, COL_FROM, COL_TO)
    return [tuple(model.index(r, c).data() for c in columns) for r in range(model.rowCount())]


def test_a_rename_shows_in_the_tasks_history_and_the_projects(
    qtbot: QtBot, view: GanttView, store: Store
) -> None:
    pat = Create(TeamMember, {"name": "Pat Lindqvist"})
    store.apply(pat)
    store.member_source = lambda: pat.id  # Pat sits at this station ("I am")
    pick(view, "build")
    QTest.keyClick(view.tree, Qt.Key.Key_Return)
    dialog = view.details
    assert isinstance(dialog, TaskDialog)
    dialog.name.setText("Build site")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    pick(view, "build")
    QTest.keyClick(view.tree, Qt.Key.Key_Return)
    dialog = view.details
    assert isinstance(dialog, TaskDialog)
    dialog.tabs.setCurrentIndex(TAB_HISTORY)
    assert dialog.tabs.tabText(TAB_HISTORY) == "History"
    assert lines(dialog.history)[0] == (
        "Pat Lindqvist",
        "Task “Build site”",
        "Name",
        "Build",
        "Build site",
    )
    dialog.grab().save(str(Path("/tmp") / "task_history.png"))
    dialog.reject()

    project = view.open_history()
    assert isinstance(project, HistoryDialog)
    qtbot.addWidget(project)
    assert ("Pat Lindqvist", "Task “Build site”", "Name", "Build", "Build site") in lines(
        project.panel
    )
    # The plan's undo is a change of the task too, and the open window follows it.
    view.workspace.undo_stack.undo()
    assert lines(project.panel)[0][2:] == ("Name", "Build site", "Build")
    project.close()
