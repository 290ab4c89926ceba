"""The Qt item models: they pass qtmodeltester and refresh only what a ChangeSet names."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from db.models import Client, Interaction, InteractionKind, Project, Task, TeamMember
from db.operations import Create, Delete, SetSetting, Update
from db.settings import AGENCY_NAME, WORKING_WEEK
from desktop.models.clients_table import (
    COL_LAST_CONTACT,
    COL_MANAGER,
    COL_NAME,
    COL_STATUS,
    ClientsTableModel,
)
from desktop.models.projects_tree import COL_CLIENT, ProjectsTreeModel
from desktop.workspace import Workspace


def names(model: ClientsTableModel) -> list[str]:
    return [model.index(r, COL_NAME).data() for r in range(model.rowCount())]


def test_clients_model_passes_modeltester(qtmodeltester, workspace: Workspace, agency) -> None:
    model = ClientsTableModel(workspace)
    qtmodeltester.check(model)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.sort(0)
    qtmodeltester.check(proxy)


def test_clients_model_lists_status_manager_and_last_contact(workspace, agency) -> None:
    model = ClientsTableModel(workspace)
    assert names(model) == ["Acme Bakery", "Blue Harbor Hotels", "Cedar & Sons"]
    assert model.index(0, COL_MANAGER).data() == "Ana Ruiz"
    assert model.index(2, COL_MANAGER).data() == "—"
    assert model.index(2, COL_LAST_CONTACT).data() == "Never"
    assert model.index(0, COL_LAST_CONTACT).data() != "Never"


def test_a_rename_refreshes_only_that_row(qtbot, workspace, agency) -> None:
    model = ClientsTableModel(workspace)
    names(model)
    seen: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b: seen.append((a.row(), b.row())))
    with qtbot.assert_not_emitted(model.modelReset):
        workspace.run(Update(Client, agency.clients["blue"], {"name": "Blue Bay"}))
    assert seen == [(1, 1)]
    assert model.index(1, COL_NAME).data() == "Blue Bay"


def test_interactions_and_members_refresh_only_their_clients(workspace, agency) -> None:
    model = ClientsTableModel(workspace)
    names(model)
    seen: list[int] = []
    model.dataChanged.connect(lambda a, _b: seen.append(a.row()))
    call = Create(
        Interaction,
        {
            "client_id": agency.clients["cedar"],
            "kind": InteractionKind.EMAIL,
            "occurred_at": datetime(2026, 11, 1, 9, 30),
        },
    )
    workspace.run(call)
    assert seen == [2]
    assert model.index(2, COL_LAST_CONTACT).data() == "01 Nov 2026"
    seen.clear()
    workspace.run(Delete(Interaction, call.id))
    assert seen == [2]
    assert model.index(2, COL_LAST_CONTACT).data() == "Never"
    seen.clear()
    workspace.run(Update(TeamMember, agency.members["ana"], {"name": "Ana R."}))
    assert sorted(seen) == [0, 1]
    assert model.index(0, COL_MANAGER).data() == "Ana R."


def test_clients_added_and_removed_insert_and_remove_rows(qtbot, workspace, agency) -> None:
    model = ClientsTableModel(workspace)
    new = Create(Client, {"name": "Dune Studio"})
    with qtbot.wait_signal(model.rowsInserted):
        workspace.run(new)
    assert names(model)[-1] == "Dune Studio"
    with qtbot.wait_signal(model.rowsRemoved):
        workspace.undo_stack.undo()
    assert "Dune Studio" not in names(model)
    with qtbot.wait_signal(model.rowsRemoved):
        workspace.run(Delete(Client, agency.clients["acme"]))
    assert names(model) == ["Blue Harbor Hotels", "Cedar & Sons"]
    workspace.undo_stack.undo()
    assert sorted(names(model)) == ["Acme Bakery", "Blue Harbor Hotels", "Cedar & Sons"]


def test_projects_model_passes_modeltester(qtmodeltester, workspace, agency) -> None:
    model = ProjectsTreeModel(workspace)
    qtmodeltester.check(model)


def tree_names(model: ProjectsTreeModel, parent: QModelIndex | None = None) -> list:
    parent = parent or QModelIndex()
    found = []
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        kids = tree_names(model, index)
        found.append((index.data(), kids) if kids else index.data())
    return found


def test_projects_tree_shows_tasks_under_projects(workspace, agency) -> None:
    model = ProjectsTreeModel(workspace)
    assert model.rowCount() == 2
    rebrand = model.project_index(agency.projects["rebrand"])
    assert rebrand.siblingAtColumn(COL_CLIENT).data() == "Acme Bakery"
    assert tree_names(model, rebrand) == [("Discovery", ["Interviews"]), "Logo", "Launch"]
    site = model.project_index(agency.projects["site"])
    assert not model.hasChildren(site)
    # Start/finish of a project without dates come from its tasks.
    assert rebrand.siblingAtColumn(2).data() == "02 Nov 2026"
    assert rebrand.siblingAtColumn(3).data() == "23 Nov 2026"


def test_projects_tree_follows_changes(qtbot, workspace, agency, qtmodeltester) -> None:
    model = ProjectsTreeModel(workspace)
    rebrand = model.project_index(agency.projects["rebrand"])
    tree_names(model)
    workspace.run(Update(Client, agency.clients["acme"], {"name": "Acme Bread"}))
    assert rebrand.siblingAtColumn(COL_CLIENT).data() == "Acme Bread"
    workspace.run(Update(Task, agency.tasks["logo"], {"name": "Wordmark"}))
    assert tree_names(model, rebrand)[1] == "Wordmark"
    new = Create(
        Task,
        {
            "project_id": agency.projects["rebrand"],
            "parent_id": agency.tasks["discovery"],
            "name": "Survey",
            "start_date": datetime(2026, 11, 4).date(),
            "sort_order": 2,
        },
    )
    workspace.run(new)
    assert tree_names(model, rebrand)[0] == ("Discovery", ["Interviews", "Survey"])
    workspace.run(Delete(Task, agency.tasks["discovery"]))
    assert tree_names(model, rebrand) == ["Wordmark", "Launch"]
    workspace.undo_stack.undo()
    assert tree_names(model, rebrand)[0] == ("Discovery", ["Interviews", "Survey"])
    workspace.run(Delete(Project, agency.projects["site"]))
    assert model.rowCount() == 1
    workspace.undo_stack.undo()
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_projects_edits_are_undoable(workspace, agency) -> None:
    model = ProjectsTreeModel(workspace)
    rebrand = model.project_index(agency.projects["rebrand"])
    assert model.setData(rebrand, "Rebrand 2027", Qt.ItemDataRole.EditRole)
    assert workspace.undo_stack.undoText() == "Rename project to “Rebrand 2027”"
    assert rebrand.data() == "Rebrand 2027"
    workspace.undo_stack.undo()
    assert rebrand.data() == "Rebrand"
    assert not model.setData(rebrand, "   ", Qt.ItemDataRole.EditRole)
    assert workspace.undo_stack.count() == 1
    assert "must not be empty" in (workspace.last_error or "")


def test_clients_sort_by_any_column_and_keep_order_on_changes(workspace, agency, qtmodeltester):
    model = ClientsTableModel(workspace)
    model.sort(COL_STATUS, Qt.SortOrder.AscendingOrder)
    # lead, prospect, active … in the lifecycle's order, not the alphabet's
    assert names(model) == ["Cedar & Sons", "Blue Harbor Hotels", "Acme Bakery"]
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert names(model) == ["Cedar & Sons", "Blue Harbor Hotels", "Acme Bakery"]
    model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    held = QPersistentModelIndex(model.index(0, COL_NAME))
    workspace.run(Update(Client, agency.clients["acme"], {"name": "Zest Bakery"}))
    assert names(model) == ["Blue Harbor Hotels", "Cedar & Sons", "Zest Bakery"]
    assert held.row() == 2 and held.data() == "Zest Bakery"  # the row moved, not a reset
    workspace.run(Create(Client, {"name": "Bakehouse"}))
    assert names(model) == ["Bakehouse", "Blue Harbor Hotels", "Cedar & Sons", "Zest Bakery"]
    model.sort(COL_LAST_CONTACT, Qt.SortOrder.DescendingOrder)
    assert names(model)[0] == "Zest Bakery"  # the only one ever contacted
    qtmodeltester.check(model)


def test_clients_list_opens_in_name_order_without_reading_rows(workspace, agency) -> None:
    model = ClientsTableModel(workspace)
    assert model.clients.rows == {}  # nothing but ids and names read until a row is shown
    assert [model.client_id(r) for r in range(3)] == [
        agency.clients["acme"],
        agency.clients["blue"],
        agency.clients["cedar"],
    ]


def test_finish_dates_follow_the_agency_calendar(qtbot, workspace, agency) -> None:
    model = ProjectsTreeModel(workspace)
    rebrand = model.project_index(agency.projects["rebrand"])
    discovery, logo = model.index(0, 0, rebrand), model.index(1, 0, rebrand)
    assert logo.siblingAtColumn(3).data() == "20 Nov 2026"  # 10 days from Mon 9 Nov
    # A summary spans its children, whatever its own stored duration says.
    assert discovery.siblingAtColumn(3).data() == "04 Nov 2026"
    assert not discovery.siblingAtColumn(2).flags() & Qt.ItemFlag.ItemIsEditable
    with qtbot.wait_signal(model.modelReset):
        workspace.run(SetSetting(WORKING_WEEK, [0, 1, 2, 3, 4, 5]))
    rebrand = model.project_index(agency.projects["rebrand"])
    assert model.index(1, 3, rebrand).data() == "19 Nov 2026"  # Saturdays work now
    with qtbot.assert_not_emitted(model.modelReset):
        workspace.run(SetSetting(AGENCY_NAME, "Studio North"))


def test_the_views_proxies_pass_modeltester(qtmodeltester, workspace, agency) -> None:
    from desktop.views.projects_view import ProjectsProxy

    clients = ClientsTableModel(workspace)  # filters itself, as the Clients area shows it
    clients.set_status("active")
    qtmodeltester.check(clients)
    projects = ProjectsProxy()
    projects.setSourceModel(ProjectsTreeModel(workspace))
    projects.sort(COL_CLIENT, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(projects)
    # Tasks keep their plan order whichever way the projects are sorted.
    rebrand = next(
        projects.index(r, 0)
        for r in range(projects.rowCount())
        if projects.index(r, 0).data() == "Rebrand"
    )
    assert [projects.index(r, 0, rebrand).data() for r in range(3)] == [
        "Discovery",
        "Logo",
        "Launch",
    ]
