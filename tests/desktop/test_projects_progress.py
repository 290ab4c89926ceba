"""The Projects list shows a project's progress as progress (work done, by working days of
its tasks) and its status in a column of its own, where it can be changed."""

from __future__ import annotations

import pytest

from db.models import Project, ProjectStatus, Task
from db.operations import Update
from desktop.models.projects_tree import COL_PROGRESS, COL_STATUS, ProjectsTreeModel
from desktop.models.roles import STATUS_ROLE

pytestmark = [pytest.mark.gui]


def test_progress_is_progress_and_status_has_its_own_column(workspace, agency) -> None:
    model = ProjectsTreeModel(workspace)
    rebrand = model.project_index(agency.projects["rebrand"])
    assert rebrand.siblingAtColumn(COL_PROGRESS).data() == "0 %"
    assert rebrand.siblingAtColumn(COL_PROGRESS).data(STATUS_ROLE) is None
    assert rebrand.siblingAtColumn(COL_STATUS).data() == "Planned"
    assert rebrand.siblingAtColumn(COL_STATUS).data(STATUS_ROLE) == "planned"
    # Interviews (3 d) done, Logo (10 d) half done: (300 + 500) / 13 ≈ 62 %.
    workspace.run(Update(Task, agency.tasks["interviews"], {"progress": 100}))
    workspace.run(Update(Task, agency.tasks["logo"], {"progress": 50}))
    rebrand = model.project_index(agency.projects["rebrand"])
    assert rebrand.siblingAtColumn(COL_PROGRESS).data() == "62 %"
    assert model.setData(rebrand.siblingAtColumn(COL_STATUS), "active")
    project = workspace.store.get(Project, agency.projects["rebrand"])
    assert project is not None and project.status == ProjectStatus.ACTIVE
    assert workspace.undo_stack.undoText() == "Mark Rebrand active"
