"""Through the main window: rapport notes typed on a client page survive leaving the page and
come back with one Ctrl+Z; a pasted 5,000-character name stops at the limit and, even where an
older database holds one, neither the toolbar nor the client page grows with it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QToolBar, QToolButton

from db.models import Client, Contact
from db.operations import Create, Update
from desktop.client_page.page import ClientPage
from desktop.main_window import MainWindow
from desktop.models.clients_table import COL_NAME
from desktop.views.clients_view import ClientsView
from tests.desktop.conftest import clients_window

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def window(qtbot, workspace, agency, settings) -> MainWindow:
    return clients_window(qtbot, workspace, settings, persist=True)


def open_page(window: MainWindow, client_id: str) -> tuple[ClientsView, ClientPage]:
    clients = window.area("clients")
    assert isinstance(clients, ClientsView)
    clients.open_client(client_id)
    page = clients.host.detail
    assert isinstance(page, ClientPage)
    return clients, page


def test_rapport_typed_then_back_to_the_list_is_kept_and_ctrl_z_undoes_it(
    qtbot, window, workspace, agency
) -> None:
    acme = agency.clients["acme"]
    workspace.run(Create(Contact, {"client_id": acme, "name": "Jo Baker"}))
    steps = workspace.undo_stack.count()
    clients, page = open_page(window, acme)
    page.show_section(page.people)
    page.people.table.selectRow(0)
    page.people.rapport.setFocus()
    qtbot.keyClicks(page.people.rapport, "Sails on Sundays")
    qtbot.keyClick(page.people.rapport, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert not clients.host.showing_detail()  # back on the list, the page is gone
    contact = workspace.session.query(Contact).filter_by(name="Jo Baker").one()
    assert contact.rapport_notes == "Sails on Sundays"
    assert workspace.undo_stack.count() == steps + 1
    clients.table.setFocus()
    qtbot.keyClick(clients.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    workspace.session.refresh(contact)
    assert contact.rapport_notes == ""


def test_rapport_typed_then_window_closed_is_kept(qtbot, window, workspace, agency) -> None:
    acme = agency.clients["acme"]
    workspace.run(Create(Contact, {"client_id": acme, "name": "Jo Baker"}))
    _clients, page = open_page(window, acme)
    page.show_section(page.people)
    page.people.table.selectRow(0)
    page.people.rapport.setFocus()
    qtbot.keyClicks(page.people.rapport, "Allergic to nuts")
    window.persist = False
    window.close()
    contact = workspace.session.query(Contact).filter_by(name="Jo Baker").one()
    assert contact.rapport_notes == "Allergic to nuts"


def toolbar_buttons_fit(window: MainWindow) -> None:
    toolbar = window.findChild(QToolBar, "mainToolbar")
    for action in (window.undo_action, window.redo_action, window.find_action):
        button = toolbar.widgetForAction(action)
        assert isinstance(button, QToolButton) and button.isVisible()
        assert button.geometry().right() < toolbar.width(), action.text()


def test_a_pasted_long_name_stops_at_the_limit_and_the_toolbar_keeps_its_buttons(
    qtbot, window, workspace, agency
) -> None:
    clients = window.area("clients")
    assert isinstance(clients, ClientsView)
    acme = agency.clients["acme"]
    index = clients.proxy_index(acme, COL_NAME)
    clients.table.setFocus()
    clients.table.setCurrentIndex(index)
    qtbot.keyClick(clients.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    editor.insert("W" * 5000)
    assert editor.text() == "W" * 200 and editor.toolTip() == "At most 200 characters"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: workspace.session.get(Client, acme).name == "W" * 200)
    assert len(window.undo_action.text()) < 80  # "Undo Rename client to “WWW…”"
    assert window.undo_action.text().endswith("…”")
    toolbar_buttons_fit(window)


def test_a_name_from_an_older_database_neither_widens_the_page_nor_the_toolbar(
    qtbot, window, workspace, agency
) -> None:
    acme = agency.clients["acme"]
    session = workspace.session
    session.get(Client, acme).name = "W" * 5000  # written before names had a limit
    session.commit()
    _clients, page = open_page(window, acme)
    qtbot.wait(10)
    assert window.width() == 1024
    assert window.minimumSizeHint().width() < 1024
    assert page.width() < 1024
    assert page.name.shown_text().endswith("…")
    # Its other fields can still be edited: the limit applies to what an edit changes.
    assert workspace.run(Update(Client, acme, {"industry": "Bakeries"}))
    assert workspace.run(
        Create(Contact, {"client_id": acme, "name": "Jo"}, label=f"New contact of “{'W' * 5000}”")
    )
    assert len(window.undo_action.text()) < 80
    toolbar_buttons_fit(window)


def test_a_project_name_cell_stops_at_the_limit(qtbot, window, workspace, agency) -> None:
    from db.models import Project
    from desktop.models.projects_tree import COL_NAME as PROJECT_NAME
    from desktop.views.projects_view import ProjectsView

    window.show_area("projects")
    projects = window.area("projects")
    assert isinstance(projects, ProjectsView)
    model = projects.tree.model()
    index = next(
        model.index(r, PROJECT_NAME)
        for r in range(model.rowCount())
        if model.index(r, PROJECT_NAME).data() == "Rebrand"
    )
    projects.tree.setFocus()
    projects.tree.setCurrentIndex(index)
    projects.tree.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    editor.insert("P" * 5000)
    assert editor.text() == "P" * 200 and editor.toolTip() == "At most 200 characters"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    rebrand = agency.projects["rebrand"]
    qtbot.waitUntil(lambda: workspace.session.get(Project, rebrand).name == "P" * 200)
