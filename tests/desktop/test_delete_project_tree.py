"""A project deleted from the Projects list goes with its whole plan in one step, and Ctrl+Z
brings back all of it: the project in the list, its tasks, subtasks and links in its Gantt."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from db.models import Dependency, Project, Task
from db.operations import Create, composite
from desktop.gantt import GanttView
from desktop.main_window import MainWindow
from desktop.views.projects_view import ProjectsView
from tests.conftest import Questions

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def projects_of(window: MainWindow) -> ProjectsView:
    window.show_area("projects")
    projects = window.area("projects")
    assert isinstance(projects, ProjectsView)
    return projects


def listed(projects: ProjectsView) -> list[str]:
    proxy = projects.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def test_delete_a_project_then_ctrl_z_brings_back_its_plan(
    qtbot, window, agency, workspace, questions: Questions
) -> None:
    tasks = agency.tasks
    links = [
        Create(Dependency, {"predecessor_id": tasks["interviews"], "successor_id": tasks["logo"]}),
        Create(Dependency, {"predecessor_id": tasks["logo"], "successor_id": tasks["launch"]}),
    ]
    workspace.run(composite(links, "Link"))
    projects = projects_of(window)
    assert sorted(listed(projects)) == ["New website", "Rebrand"]
    projects.tree.setFocus()
    projects.tree.setCurrentIndex(projects.project_index(agency.projects["rebrand"]))

    qtbot.keyClick(projects.tree, Qt.Key.Key_Delete)

    (asked,) = questions.asked
    assert asked.startswith("Delete project “Rebrand” and its 4 tasks?")
    assert listed(projects) == ["New website"]
    assert workspace.store.get(Project, agency.projects["rebrand"]) is None
    assert workspace.session.scalars(select(Task)).all() == []
    assert workspace.session.scalars(select(Dependency)).all() == []
    assert workspace.undo_stack.undoText() == "Delete project “Rebrand”"

    projects.tree.setFocus()
    qtbot.keyClick(projects.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert sorted(listed(projects)) == ["New website", "Rebrand"]
    window.open_project(agency.projects["rebrand"])
    plan = projects.host.detail
    assert isinstance(plan, GanttView)
    assert set(plan.document.scheduler.ids) == set(tasks.values())
    interviews = workspace.store.get(Task, tasks["interviews"])
    assert interviews is not None and interviews.parent_id == tasks["discovery"]
    assert {
        (d.predecessor_id, d.successor_id) for d in workspace.session.scalars(select(Dependency))
    } == {(tasks["interviews"], tasks["logo"]), (tasks["logo"], tasks["launch"])}

    # Redo deletes it again, as one step.
    qtbot.keyClick(
        projects.tree,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert workspace.store.get(Project, agency.projects["rebrand"]) is None
