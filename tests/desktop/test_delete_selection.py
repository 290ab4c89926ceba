"""Edit > Delete deletes what is selected in the view that has focus, says so in the menu,
asks (naming them) before children go with it, and is one undo step however many rows go."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from sqlalchemy import select

from db.models import Assignment, Client, Dependency, Interaction, Project, Task
from db.operations import Create, composite
from desktop.gantt import GanttView
from desktop.main_window import MainWindow
from desktop.views.clients_view import ClientsView
from desktop.views.projects_view import ProjectsView
from tests.conftest import Questions

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def open_plan(window: MainWindow, project_id: str) -> GanttView:
    window.open_project(project_id)
    projects = window.area("projects")
    assert isinstance(projects, ProjectsView)
    plan = projects.host.detail
    assert isinstance(plan, GanttView)
    return plan


def select_tasks(plan: GanttView, *task_ids: str) -> None:
    plan.tree.setFocus()
    selection = plan.tree.selectionModel()
    selection.clearSelection()
    for task_id in task_ids:
        index = plan.model.index_of(plan.document.node(task_id))
        selection.select(
            index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        )


def menu_text(window: MainWindow) -> str:
    return window.delete_action.text()


def test_a_task_selected_in_a_plan_is_all_that_goes(
    qtbot, window, agency, workspace, questions: Questions
) -> None:
    plan = open_plan(window, agency.projects["rebrand"])
    assert plan.tree.hasFocus()
    assert not window.delete_action.isEnabled()  # nothing selected yet
    plan.select_task(agency.tasks["logo"])
    assert menu_text(window) == "Delete task “Logo”"
    assert window.delete_action.isEnabled()
    plan.chart.setFocus()  # the chart shows the tree's selection, and deletes it too
    assert menu_text(window) == "Delete task “Logo”"
    plan.tree.setFocus()

    qtbot.keyClick(plan.tree, Qt.Key.Key_Delete)

    assert questions.asked == []  # a task without subtasks goes without asking
    assert workspace.store.get(Task, agency.tasks["logo"]) is None
    assert workspace.store.get(Project, agency.projects["rebrand"]) is not None
    assert workspace.store.get(Task, agency.tasks["launch"]) is not None
    assert workspace.undo_stack.undoText() == "Delete task “Logo”"
    # The task that took its row is selected, and the menu follows.
    assert plan.selected_ids() == [agency.tasks["launch"]]
    assert menu_text(window) == "Delete task “Launch”"
    window.undo_action.trigger()
    assert workspace.store.get(Task, agency.tasks["logo"]) is not None
    assert agency.tasks["logo"] in plan.document.scheduler.ids


def test_three_tasks_go_as_one_step_and_come_back_with_their_links(
    window, agency, workspace, questions: Questions
) -> None:
    tasks = agency.tasks
    workspace.run(
        composite(
            [
                Create(
                    Dependency,
                    {"predecessor_id": tasks["discovery"], "successor_id": tasks["logo"]},
                ),
                Create(
                    Dependency, {"predecessor_id": tasks["logo"], "successor_id": tasks["launch"]}
                ),
                Create(
                    Dependency,
                    {"predecessor_id": tasks["interviews"], "successor_id": tasks["launch"]},
                ),
                Create(
                    Assignment,
                    {
                        "task_id": tasks["logo"],
                        "member_id": agency.members["ben"],
                        "hours_per_day": 6,
                    },
                ),
            ],
            "Links",
        )
    )
    session = workspace.session

    def links() -> set[tuple[str, str]]:
        session.expire_all()
        return set(session.execute(select(Dependency.predecessor_id, Dependency.successor_id)))

    before = links()
    plan = open_plan(window, agency.projects["rebrand"])
    select_tasks(plan, tasks["interviews"], tasks["logo"], tasks["launch"])
    assert menu_text(window) == "Delete 3 tasks"
    steps = workspace.undo_stack.count()

    window.delete_action.trigger()

    assert questions.asked == []  # links and assignments are not children
    assert workspace.undo_stack.count() == steps + 1
    assert workspace.undo_stack.undoText() == "Delete 3 tasks"
    names = set(session.scalars(select(Task.name)))
    assert names == {"Discovery"}
    assert links() == set()
    assert session.scalars(select(Assignment)).all() == []
    assert plan.selected_ids() == [tasks["discovery"]]

    window.undo_action.trigger()

    assert set(session.scalars(select(Task.name))) == {"Discovery", "Interviews", "Logo", "Launch"}
    assert session.get(Task, tasks["interviews"]).parent_id == tasks["discovery"]
    assert links() == before
    (assignment,) = session.scalars(select(Assignment)).all()
    assert (assignment.task_id, assignment.hours_per_day) == (tasks["logo"], 6)
    assert len(plan.document.rows) == 4


def test_a_summary_task_asks_naming_its_subtasks(
    window, agency, workspace, questions: Questions
) -> None:
    plan = open_plan(window, agency.projects["rebrand"])
    plan.select_task(agency.tasks["discovery"])
    questions.answer = questions.answer.Cancel
    window.delete_action.trigger()
    assert questions.asked[0].startswith("Delete task “Discovery” and its 1 subtask?")
    assert workspace.store.get(Task, agency.tasks["interviews"]) is not None
    questions.answer = questions.answer.Yes
    window.delete_action.trigger()
    assert workspace.store.get(Task, agency.tasks["interviews"]) is None


def test_deleting_a_client_names_what_goes_with_it_and_selects_the_next(
    window, agency, workspace, questions: Questions
) -> None:
    clients = window.area("clients")
    assert isinstance(clients, ClientsView)
    clients.table.setFocus()
    clients.table.selectRow(clients.proxy_index(agency.clients["acme"]).row())
    assert menu_text(window) == "Delete client “Acme Bakery”"
    questions.answer = questions.answer.Cancel
    window.delete_action.trigger()
    (asked,) = questions.asked  # then a line on how to undo, with the platform's key
    assert asked.startswith(
        "Delete client “Acme Bakery” and its 1 project, 4 tasks and 1 interaction?\n"
    )
    assert workspace.store.get(Client, agency.clients["acme"]) is not None

    questions.answer = questions.answer.Yes
    window.delete_action.trigger()
    assert workspace.store.get(Client, agency.clients["acme"]) is None
    assert workspace.session.scalars(select(Interaction)).all() == []
    assert clients.selected_client() == agency.clients["blue"]  # took Acme's row
    window.undo_action.trigger()
    assert workspace.store.get(Task, agency.tasks["interviews"]) is not None
    assert len(workspace.session.scalars(select(Interaction)).all()) == 1


def test_deleting_a_project_from_the_list_names_its_tasks(
    window, agency, workspace, questions: Questions
) -> None:
    window.show_area("projects")
    projects = window.area("projects")
    assert isinstance(projects, ProjectsView)
    projects.tree.setFocus()
    projects.tree.setCurrentIndex(projects.project_index(agency.projects["rebrand"]))
    assert menu_text(window) == "Delete project “Rebrand”"
    window.delete_action.trigger()
    assert questions.asked[0].startswith("Delete project “Rebrand” and its 4 tasks?")
    assert workspace.store.get(Project, agency.projects["rebrand"]) is None
    assert projects.tree.currentIndex().isValid()  # the other project is selected


def test_delete_is_off_where_nothing_deletable_has_focus(qtbot, window, agency) -> None:
    clients = window.area("clients")
    assert isinstance(clients, ClientsView)
    clients.table.setFocus()
    clients.table.selectRow(clients.proxy_index(agency.clients["cedar"]).row())
    assert window.delete_action.isEnabled()
    # Typing in the filter: Delete edits the text, the menu offers nothing.
    clients.header.filter.setFocus()
    assert menu_text(window) == "Delete" and not window.delete_action.isEnabled()
    qtbot.keyClicks(clients.header.filter, "ce")
    qtbot.keyClick(clients.header.filter, Qt.Key.Key_Home)
    qtbot.keyClick(clients.header.filter, Qt.Key.Key_Delete)
    assert clients.header.filter.text() == "e"
    assert clients.model.total() == 3
    # On a client's page, the list's selection behind it is out of reach.
    clients.open_client(agency.clients["cedar"])
    assert not window.delete_action.isEnabled()
    window.delete_action.trigger()
    assert clients.model.total() == 3
