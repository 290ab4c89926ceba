"""The Clients and Projects areas driven as a user would: typing into cells, picking from
combo boxes, the New/Delete/Find/Undo actions — and the sharing between the two views."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QDateEdit, QLineEdit

from db.models import Client, ClientStatus, Project
from desktop.main_window import MainWindow
from desktop.models.clients_table import COL_MANAGER, COL_NAME, COL_STATUS
from desktop.models.projects_tree import COL_CLIENT, COL_START
from desktop.views.clients_view import ClientsView
from desktop.views.projects_view import ProjectsView

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform says so whenever a top-level window gets size limits.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def clients_of(window: MainWindow) -> ClientsView:
    view = window.area("clients")
    assert isinstance(view, ClientsView)
    return view


def projects_of(window: MainWindow) -> ProjectsView:
    view = window.area("projects")
    assert isinstance(view, ProjectsView)
    return view


def finish_editing(qtbot, view, editor, key: Qt.Key = Qt.Key.Key_Return) -> None:
    """Press Return (or Escape) in a cell editor; the view commits and closes it on the next
    turn of the event loop."""
    qtbot.keyClick(editor, key)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def type_into_cell(qtbot, view, index, text: str) -> None:
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.focusWidget()
    assert isinstance(editor, QLineEdit), editor
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    finish_editing(qtbot, view, editor)


def undo_by_keyboard(qtbot, window: MainWindow, target) -> None:
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_rename_in_clients_shows_in_projects_and_ctrl_z_restores_both(
    qtbot, window, agency, workspace
) -> None:
    clients, projects = clients_of(window), projects_of(window)
    cell = QPersistentModelIndex(clients.proxy_index(agency.clients["acme"], COL_NAME))
    project_client = QPersistentModelIndex(
        projects.project_index(agency.projects["rebrand"], COL_CLIENT)
    )
    assert project_client.data() == "Acme Bakery"

    type_into_cell(qtbot, clients.table, cell, "Acme Patisserie")

    assert cell.data() == "Acme Patisserie"
    assert project_client.data() == "Acme Patisserie"  # at once, no reload
    assert workspace.store.get(Client, agency.clients["acme"]).name == "Acme Patisserie"

    window.show_area("projects")
    undo_by_keyboard(qtbot, window, projects.tree)

    assert project_client.data() == "Acme Bakery"
    assert cell.data() == "Acme Bakery"
    assert workspace.store.get(Client, agency.clients["acme"]).name == "Acme Bakery"


def test_undo_and_redo_actions_name_the_edit(qtbot, window, agency) -> None:
    clients = clients_of(window)
    assert not window.undo_action.isEnabled()
    type_into_cell(qtbot, clients.table, clients.proxy_index(agency.clients["blue"]), "Blue Bay")
    assert window.undo_action.text().replace("&", "") == "Undo Rename client to “Blue Bay”"
    window.undo_action.trigger()
    assert window.redo_action.text().replace("&", "") == "Redo Rename client to “Blue Bay”"
    assert "Undo Rename client to “Blue Bay”" in window.statusBar().currentMessage()
    qtbot.keyClick(
        clients.table,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert clients.proxy_index(agency.clients["blue"]).data() == "Blue Bay"


def test_a_refused_rename_shows_in_the_status_bar(qtbot, window, agency, workspace) -> None:
    clients = clients_of(window)
    cell = clients.proxy_index(agency.clients["blue"])
    clients.table.setCurrentIndex(cell)
    qtbot.keyClick(clients.table, Qt.Key.Key_F2)
    editor = clients.table.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.clear()
    finish_editing(qtbot, clients.table, editor)
    assert "Client name: must not be empty" in window.statusBar().currentMessage()
    assert workspace.undo_stack.count() == 0
    assert clients.proxy_index(agency.clients["blue"]).data() == "Blue Harbor Hotels"


def test_status_is_picked_from_a_combo_box(qtbot, window, agency, workspace) -> None:
    clients = clients_of(window)
    cell = clients.proxy_index(agency.clients["cedar"], COL_STATUS)
    clients.table.setCurrentIndex(cell)
    qtbot.keyClick(clients.table, Qt.Key.Key_F2)
    combo = clients.table.focusWidget()
    assert isinstance(combo, QComboBox)
    assert combo.currentData() == "lead"
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # lead -> prospect
    assert workspace.store.get(Client, agency.clients["cedar"]).status == ClientStatus.PROSPECT
    assert clients.proxy_index(agency.clients["cedar"], COL_STATUS).data() == "Prospect"
    assert workspace.undo_stack.undoText() == "Set “Cedar & Sons” to Prospect"


def test_new_client_opens_its_name_for_typing(qtbot, window, workspace) -> None:
    clients = clients_of(window)
    qtbot.keyClick(clients.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = clients.table.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert editor.text() == "New client"
    editor.selectAll()
    qtbot.keyClicks(editor, "Dune Studio")
    finish_editing(qtbot, clients.table, editor)
    assert clients.model.rowCount() == 4
    assert clients.header.count.text() == "4 clients"
    names = [clients.model.index(r, COL_NAME).data() for r in range(clients.model.rowCount())]
    assert "Dune Studio" in names
    assert workspace.undo_stack.count() == 2  # the new client, then its name


def test_delete_client_and_undo(qtbot, window, agency, workspace, questions) -> None:
    clients = clients_of(window)
    clients.table.setFocus()
    clients.table.selectRow(clients.proxy_index(agency.clients["blue"]).row())
    assert window.delete_action.text() == "Delete client “Blue Harbor Hotels”"
    window.delete_action.trigger()
    assert questions.asked[0].startswith("Delete client “Blue Harbor Hotels” and its 1 project?")
    assert clients.model.rowCount() == 2
    assert clients.header.count.text() == "2 clients"
    assert workspace.store.get(Client, agency.clients["blue"]) is None
    assert window.undo_action.text().replace("&", "") == "Undo Delete client “Blue Harbor Hotels”"
    window.undo_action.trigger()
    assert clients.model.rowCount() == 3
    assert clients.header.count.text() == "3 clients"
    assert workspace.store.get(Client, agency.clients["blue"]) is not None


def test_find_focuses_the_filter_and_filters(qtbot, window) -> None:
    clients = clients_of(window)
    clients.table.setFocus()
    window.find_action.trigger()
    assert clients.header.filter.hasFocus()
    qtbot.keyClicks(clients.header.filter, "harbor")
    assert clients.model.rowCount() == 1
    assert clients.header.count.text() == "1 of 3 clients"
    clients.status_filter.setCurrentIndex(clients.status_filter.findData("active"))
    assert clients.model.rowCount() == 0


def test_projects_rename_and_move_start_date(qtbot, window, agency, workspace) -> None:
    window.show_area("projects")
    projects = projects_of(window)
    name = QPersistentModelIndex(projects.project_index(agency.projects["site"]))
    type_into_cell(qtbot, projects.tree, name, "Booking site")
    assert name.data() == "Booking site"
    assert workspace.store.get(Project, agency.projects["site"]).name == "Booking site"

    start = projects.project_index(agency.projects["site"], COL_START)
    projects.tree.setCurrentIndex(start)
    qtbot.keyClick(projects.tree, Qt.Key.Key_F2)
    editor = projects.tree.focusWidget()
    assert isinstance(editor, QDateEdit)
    editor.setDate(QDate(2027, 1, 11))
    finish_editing(qtbot, projects.tree, editor)
    assert workspace.store.get(Project, agency.projects["site"]).start_date == date(2027, 1, 11)
    assert projects.project_index(agency.projects["site"], COL_START).data() == "11 Jan 2027"
    window.undo_action.trigger()
    assert workspace.store.get(Project, agency.projects["site"]).start_date is None


def test_new_project_belongs_to_the_selected_projects_client(qtbot, window, agency) -> None:
    window.show_area("projects")
    projects = projects_of(window)
    projects.tree.setCurrentIndex(projects.project_index(agency.projects["site"]))
    window.new_action.trigger()
    editor = projects.tree.focusWidget()
    assert isinstance(editor, QLineEdit)
    finish_editing(qtbot, projects.tree, editor, Qt.Key.Key_Escape)
    assert projects.model.rowCount() == 3
    assert projects.header.count.text() == "3 projects"
    current = projects.tree.currentIndex()
    assert current.siblingAtColumn(COL_CLIENT).data() == "Blue Harbor Hotels"


def test_new_project_without_clients_says_why(qtbot, workspace, settings) -> None:
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    w.show_area("projects")
    w.new_action.trigger()
    assert "add a client first" in w.statusBar().currentMessage()
    assert workspace.undo_stack.count() == 0


def test_expanding_a_project_shows_its_task_tree(qtbot, window, agency) -> None:
    window.show_area("projects")
    projects = projects_of(window)
    rebrand = projects.project_index(agency.projects["rebrand"])
    projects.tree.expand(rebrand)
    tasks = [projects.proxy.index(r, 0, rebrand).data() for r in range(3)]
    assert tasks == ["Discovery", "Logo", "Launch"]
    window.grab()  # paints the task rows, the progress bars and the status pills


def test_delete_key_deletes_in_the_list_but_not_in_the_filter(qtbot, window, agency) -> None:
    clients = clients_of(window)
    clients.header.filter.setFocus()
    qtbot.keyClicks(clients.header.filter, "b")
    qtbot.keyClick(clients.header.filter, Qt.Key.Key_Left)
    qtbot.keyClick(clients.header.filter, Qt.Key.Key_Delete)
    assert clients.header.filter.text() == ""
    assert clients.model.rowCount() == 3
    clients.table.setFocus()
    clients.table.selectRow(clients.proxy_index(agency.clients["cedar"]).row())
    qtbot.keyClick(clients.table, Qt.Key.Key_Delete)
    assert clients.model.rowCount() == 2


def test_return_on_a_client_opens_its_page_and_back_returns(qtbot, window, agency) -> None:
    from desktop.client_page.page import ClientPage

    clients = clients_of(window)
    clients.table.setFocus()
    clients.table.setCurrentIndex(clients.proxy_index(agency.clients["acme"]))
    with qtbot.wait_signal(clients.client_activated) as opened:
        qtbot.keyClick(clients.table, Qt.Key.Key_Return)
    assert opened.args == [agency.clients["acme"]]
    assert isinstance(clients.host.detail, ClientPage)
    assert clients.host.title.text() == "Acme Bakery"
    clients.host.back.click()
    assert clients.host.currentWidget() is clients.host.list_page
    assert clients.host.detail is None


def test_find_from_a_client_page_goes_back_to_the_list(qtbot, window, agency) -> None:
    clients = clients_of(window)
    clients.open_client(agency.clients["blue"])
    assert clients.host.showing_detail()
    window.find_action.trigger()
    assert not clients.host.showing_detail()
    assert clients.header.filter.hasFocus()


def test_a_project_opens_its_plan_from_the_list_or_a_client_page(qtbot, window, agency) -> None:
    from desktop.gantt.view import GanttView

    projects = projects_of(window)
    clients = clients_of(window)
    clients.open_client(agency.clients["acme"])
    # The client page asks for one of its projects: the Projects area opens its plan.
    clients.project_activated.emit(agency.projects["rebrand"])
    assert window.current_area_key() == "projects"
    assert isinstance(projects.host.detail, GanttView)
    assert projects.host.title.text() == "Acme Bakery — Rebrand"
    projects.host.show_list()
    projects.tree.setFocus()
    projects.tree.setCurrentIndex(projects.project_index(agency.projects["site"]))
    projects.open_button.click()
    assert isinstance(projects.host.detail, GanttView)
    assert projects.host.detail.project_id == agency.projects["site"]


def test_account_manager_is_picked_from_the_team(qtbot, window, agency, workspace) -> None:
    clients = clients_of(window)
    cell = clients.proxy_index(agency.clients["cedar"], COL_MANAGER)
    assert cell.data() == "—"
    clients.table.setFocus()
    clients.table.setCurrentIndex(cell)
    qtbot.keyClick(clients.table, Qt.Key.Key_F2)
    combo = clients.table.focusWidget()
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "No account manager",
        "Ana Ruiz",
        "Ben Okafor",
    ]
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert clients.proxy_index(agency.clients["cedar"], COL_MANAGER).data() == "Ana Ruiz"
    client = workspace.store.get(Client, agency.clients["cedar"])
    assert client.account_manager_id == agency.members["ana"]
    assert workspace.undo_stack.undoText() == "Make Ana Ruiz account manager of “Cedar & Sons”"
    window.undo_action.trigger()
    assert clients.proxy_index(agency.clients["cedar"], COL_MANAGER).data() == "—"


def test_deleting_a_project_updates_the_count(qtbot, window, agency, workspace) -> None:
    """ "New website" has no tasks: it goes without a question."""
    window.show_area("projects")
    projects = projects_of(window)
    assert projects.model.rowCount() == 2
    projects.tree.setFocus()
    projects.tree.setCurrentIndex(projects.project_index(agency.projects["site"]))
    window.delete_action.trigger()
    assert projects.model.rowCount() == 1
    assert projects.header.count.text() == "1 project"
    window.undo_action.trigger()
    assert projects.header.count.text() == "2 projects"
