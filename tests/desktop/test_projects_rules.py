"""Dates and durations typed in the Projects list keep the plan's rules, with the words the
Gantt uses: a start before what the predecessors allow is refused, 0 days makes a milestone
that says so, and a duration out of range is refused naming the field."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate

from db.models import Task, TaskKind
from db.scheduling.operations import Link, MoveTask
from desktop.models.projects_tree import COL_DURATION, COL_START, ProjectsTreeModel

pytestmark = [pytest.mark.gui]


def _row(model: ProjectsTreeModel, project_id: str, name: str) -> object:
    project = model.project_index(project_id)
    for row in range(model.rowCount(project)):
        index = model.index(row, 0, project)
        if index.data() == name:
            return index
    raise AssertionError(name)


def test_a_start_before_a_predecessor_is_refused_as_in_the_gantt(workspace, agency) -> None:
    model = ProjectsTreeModel(workspace)
    assert workspace.run(Link(agency.tasks["interviews"], agency.tasks["logo"]))
    logo = _row(model, agency.projects["rebrand"], "Logo")
    steps = workspace.undo_stack.count()
    assert not model.setData(logo.siblingAtColumn(COL_START), QDate(2026, 11, 3))  # type: ignore[attr-defined]
    from_the_list = workspace.last_error
    assert from_the_list == (
        "Start: 'Logo' can't start before Thu 05 Nov 2026: 'Interviews' must finish first"
    )
    assert not workspace.run(MoveTask(agency.tasks["logo"], date(2026, 11, 3)))  # the Gantt's
    assert workspace.last_error == from_the_list
    assert workspace.undo_stack.count() == steps
    assert model.setData(logo.siblingAtColumn(COL_START), QDate(2026, 11, 5))  # type: ignore[attr-defined]


def test_zero_days_makes_a_milestone_openly_and_limits_are_refused(workspace, agency) -> None:
    model = ProjectsTreeModel(workspace)
    rebrand = agency.projects["rebrand"]
    logo = _row(model, rebrand, "Logo")
    assert model.setData(logo.siblingAtColumn(COL_DURATION), 0)  # type: ignore[attr-defined]
    task = workspace.store.get(Task, agency.tasks["logo"])
    assert task is not None and task.kind == TaskKind.MILESTONE
    assert workspace.undo_stack.undoText() == "Make “Logo” a milestone"
    logo = _row(model, rebrand, "Logo")
    assert logo.siblingAtColumn(COL_DURATION).data() == "◆ milestone"  # type: ignore[attr-defined]
    assert not model.setData(logo.siblingAtColumn(COL_DURATION), -2)  # type: ignore[attr-defined]
    assert workspace.last_error == "Duration: cannot be negative; 0 makes a milestone"
    discovery = _row(model, rebrand, "Discovery")
    assert not model.setData(discovery.siblingAtColumn(COL_DURATION), 9)  # type: ignore[attr-defined]
    assert workspace.last_error == (
        "Duration: 'Discovery' is a summary: it lasts as long as the tasks under it"
    )
