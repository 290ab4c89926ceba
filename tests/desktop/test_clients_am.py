"""The client list as an account manager uses it, through the main window: typing narrows the
rows, the status/manager/"My clients" chips, the health badge that follows a logged call and
its undo, and the issue's whole flow from a new client to its project in the Projects area."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from db.am.client_rows import client_list_rows
from db.am.health import Health
from db.models import Client, ClientNote, Contact, NoteKind, Project
from db.operations import Create, Delete, Update
from desktop.client_page.page import ClientPage
from desktop.client_page.people import COL_DATES
from desktop.formatting import money
from desktop.main_window import MainWindow
from desktop.models.clients_table import (
    COL_HEALTH,
    COL_NAME,
    COL_PIPELINE,
    HEALTH_ROLE,
    ClientsTableModel,
)
from desktop.station_member import SETTINGS_MEMBER
from desktop.views.clients_view import ClientsView

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def clients_of(window: MainWindow) -> ClientsView:
    window.show_area("clients")
    view = window.area("clients")
    assert isinstance(view, ClientsView)
    return view


def shown_names(view: ClientsView) -> list[str]:
    return [view.model.index(r, COL_NAME).data() for r in range(view.model.rowCount())]


def test_typing_narrows_by_contact_tag_and_note(qtbot, window, workspace, agency) -> None:
    acme, blue = agency.clients["acme"], agency.clients["blue"]
    workspace.run(Create(Contact, {"client_id": acme, "name": "Mia Sorensen"}))
    workspace.run(Update(Client, blue, {"tags": ["vip", "seaside"]}))
    clients = clients_of(window)
    clients.header.filter.setFocus()
    qtbot.keyClicks(clients.header.filter, "soren")
    assert shown_names(clients) == ["Acme Bakery"]  # found by its contact
    clients.header.filter.clear()
    qtbot.keyClicks(clients.header.filter, "SEASIDE")
    assert shown_names(clients) == ["Blue Harbor Hotels"]  # by a tag, any case
    # A note added while the filter is on is searched at once.
    workspace.run(
        Create(
            ClientNote,
            {
                "client_id": agency.clients["cedar"],
                "kind": NoteKind.GOAL,
                "text": "Open a seaside shop",
                "noted_on": date(2026, 11, 1),
            },
        )
    )
    clients.header.filter.clear()
    qtbot.keyClicks(clients.header.filter, "seaside")
    assert shown_names(clients) == ["Blue Harbor Hotels", "Cedar & Sons"]
    assert clients.header.count.text() == "2 of 3 clients"


def test_status_and_manager_chips_and_my_clients(
    qtbot, window, workspace, agency, settings, monkeypatch
) -> None:
    clients = clients_of(window)
    manager = clients.manager_filter
    manager.setCurrentIndex(manager.findData(""))  # clients without an account manager
    assert shown_names(clients) == ["Cedar & Sons"]
    manager.setCurrentIndex(manager.findData(agency.members["ana"]))
    assert shown_names(clients) == ["Acme Bakery", "Blue Harbor Hotels"]
    clients.status_filter.setCurrentIndex(clients.status_filter.findData("prospect"))
    assert shown_names(clients) == ["Blue Harbor Hotels"]
    clients.status_filter.setCurrentIndex(0)
    manager.setCurrentIndex(0)

    # The first use of "My clients" asks who sits here, once, and remembers it.
    asked: list[str] = []

    def pick(*args, **_kwargs):
        asked.append(args[2])
        return "Ana Ruiz", True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
    qtbot.mouseClick(clients.my_clients, Qt.MouseButton.LeftButton)
    assert clients.my_clients.isChecked()
    assert shown_names(clients) == ["Acme Bakery", "Blue Harbor Hotels"]
    assert settings.value(SETTINGS_MEMBER) == agency.members["ana"]
    qtbot.mouseClick(clients.my_clients, Qt.MouseButton.LeftButton)
    assert len(shown_names(clients)) == 3
    qtbot.mouseClick(clients.my_clients, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert len(shown_names(clients)) == 2


def test_my_clients_without_an_answer_stays_off(qtbot, window, monkeypatch) -> None:
    clients = clients_of(window)
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("", False)))
    qtbot.mouseClick(clients.my_clients, Qt.MouseButton.LeftButton)
    assert not clients.my_clients.isChecked()
    assert len(shown_names(clients)) == 3


def test_every_column_sorts_and_the_model_passes_modeltester(
    qtmodeltester, workspace, agency
) -> None:
    model = ClientsTableModel(workspace)
    for column in range(model.columnCount()):
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            model.sort(column, order)
            keys = [model.sort_key(r, column) for r in range(model.rowCount())]
            wanted = sorted(keys, reverse=order == Qt.SortOrder.DescendingOrder)
            assert keys == wanted, column
    qtmodeltester.check(model)


def test_pipeline_is_money_in_the_clients_currency(workspace, agency) -> None:
    from db.models import Opportunity, OpportunityStage

    workspace.run(Update(Client, agency.clients["blue"], {"currency": "GBP"}))
    workspace.run(
        Create(
            Opportunity,
            {
                "client_id": agency.clients["blue"],
                "title": "Spa launch",
                "value_cents": 1_250_000,
                "stage": OpportunityStage.PITCHED,
            },
        )
    )
    model = ClientsTableModel(workspace)
    text = model.index(model.row_of(agency.clients["blue"]), COL_PIPELINE).data()
    assert text == money(1_250_000, "GBP")
    assert "£" in text and "12" in text
    assert model.index(model.row_of(agency.clients["acme"]), COL_PIPELINE).data() == "—"


def test_health_badge_follows_a_logged_call_and_its_undo(qtbot, window, workspace, agency) -> None:
    cedar = agency.clients["cedar"]
    # Cedar was entered 45 days ago and never contacted.
    long_ago = datetime.now() - timedelta(days=45)
    workspace.session.get(Client, cedar).created_at = long_ago
    workspace.session.commit()
    clients = clients_of(window)
    clients.model.reload()
    cell = clients.proxy_index(cedar, COL_HEALTH)
    health = cell.data(HEALTH_ROLE)
    assert isinstance(health, Health) and health.score < 100
    assert "no contact logged in the 45 days" in cell.data(Qt.ItemDataRole.ToolTipRole)
    window.grab()  # paints the badges

    clients.open_client(cedar)
    page = clients.host.detail
    assert isinstance(page, ClientPage)
    page.show_section(page.timeline)
    page.timeline.table.setFocus()
    qtbot.keyClick(page.timeline.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = page.timeline.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.summary, "Intro call")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)

    cell = clients.proxy_index(cedar, COL_HEALTH)
    assert cell.data(HEALTH_ROLE).score == 100
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "No concerns"
    window.undo_action.trigger()
    assert clients.proxy_index(cedar, COL_HEALTH).data(HEALTH_ROLE) == health
    window.redo_action.trigger()
    assert clients.proxy_index(cedar, COL_HEALTH).data(HEALTH_ROLE).score == 100


def test_an_account_manager_from_new_client_to_project(qtbot, window, workspace, agency) -> None:
    """The issue's flow end to end: create a client, add a contact whose birthday has no
    year, log a call, see the health reason change, undo it, hand a request over as a new
    project and find it in the Projects area."""
    clients = clients_of(window)
    clients.table.setFocus()
    qtbot.keyClick(clients.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = clients.table.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "Dune Studio")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Dune Studio" in shown_names(clients))
    dune = next(c.id for c in workspace.session.query(Client) if c.name == "Dune Studio")
    # The client was entered long ago and never called: its health says so.
    workspace.session.get(Client, dune).created_at = datetime.now() - timedelta(days=40)
    workspace.session.commit()

    clients.table.setCurrentIndex(clients.proxy_index(dune))
    qtbot.keyClick(clients.table, Qt.Key.Key_Return)
    page = clients.host.detail
    assert isinstance(page, ClientPage)

    page.show_section(page.people)
    qtbot.mouseClick(page.people.add_button, Qt.MouseButton.LeftButton)
    person = page.people.dialog
    qtbot.keyClicks(person.name, "Jo Baker")
    person.day.setValue(29)
    person.month.setCurrentIndex(2)  # 29 February, no year
    qtbot.mouseClick(person.ok_button(), Qt.MouseButton.LeftButton)
    assert [page.people.model.index(0, COL_DATES).data()] == ["Birthday 29 Feb"]

    assert any(r.startswith("no contact") for r in page.health.reasons)
    page.show_section(page.timeline)
    page.timeline.table.setFocus()
    qtbot.keyClick(page.timeline.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    call = page.timeline.dialog
    call.contacts_model.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.keyClicks(call.summary, "Kick-off call")
    qtbot.mouseClick(call.ok_button(), Qt.MouseButton.LeftButton)
    assert not any(r.startswith("no contact") for r in page.health.reasons)
    assert clients.proxy_index(dune, COL_HEALTH).data(HEALTH_ROLE).score == 100

    window.undo_action.trigger()
    assert any(r.startswith("no contact") for r in page.health.reasons)
    assert "no contact" in clients.proxy_index(dune, COL_HEALTH).data(Qt.ItemDataRole.ToolTipRole)

    page.show_section(page.projects)
    qtbot.mouseClick(page.projects.new_button, Qt.MouseButton.LeftButton)
    handoff = page.projects.dialog
    qtbot.keyClicks(handoff.name, "Shop launch")
    qtbot.keyClicks(handoff.request, "Open the new shop with a launch week")
    qtbot.mouseClick(handoff.ok_button(), Qt.MouseButton.LeftButton)
    project = next(p for p in workspace.session.query(Project) if p.name == "Shop launch")
    assert project.client_id == dune

    window.show_area("projects")
    projects = window.area("projects")
    found = projects.project_index(project.id)
    assert found.isValid()
    assert found.data() == "Shop launch"


def test_the_filter_follows_edits_made_while_it_is_on(qtbot, workspace, agency) -> None:
    view = ClientsView(workspace)
    qtbot.addWidget(view)
    view.header.filter.setText("bake")
    assert shown_names(view) == ["Acme Bakery"]
    workspace.run(Update(Client, agency.clients["acme"], {"name": "Acme Bread"}))
    assert shown_names(view) == []  # renamed away from the filter
    workspace.run(Create(Client, {"name": "Bakehouse"}))
    assert shown_names(view) == ["Bakehouse"]
    workspace.undo_stack.undo()
    workspace.undo_stack.undo()
    assert shown_names(view) == ["Acme Bakery"]
    view.status_filter.setCurrentIndex(view.status_filter.findData("lead"))
    assert shown_names(view) == []
    workspace.run(Update(Client, agency.clients["acme"], {"status": "lead"}))
    assert shown_names(view) == ["Acme Bakery"]


def test_once_shown_the_list_reads_every_row_in_the_background(qtbot, workspace, agency) -> None:
    view = ClientsView(workspace)
    qtbot.addWidget(view)
    model = view.model
    assert model.clients.rows == {}
    view.show()
    qtbot.waitUntil(lambda: len(model.clients.rows) == 3 and model.clients.haystack_read())
    assert "bakery" in model.clients.haystack()[agency.clients["acme"]]


def test_a_background_read_overtaken_by_a_change_is_dropped(qtbot, workspace, agency) -> None:
    model = ClientsTableModel(workspace)
    index = model.clients
    stale = index.change_count
    before = client_list_rows(workspace.session, date.today())
    workspace.run(Update(Client, agency.clients["acme"], {"name": "Acme Bread"}))
    index.accept_prefetch(before, {agency.clients["acme"]: "acme bakery"}, stale)
    assert index.rows == {} and not index.haystack_read()  # dropped: read before the rename
    index.accept_prefetch(before, {}, index.change_count)
    assert len(index.rows) == 3


def test_a_filtered_list_follows_changes_sorts_and_counts(
    qtbot, qtmodeltester, window, workspace, agency
) -> None:
    clients = clients_of(window)
    qtmodeltester.check(clients.model)  # stays attached: every change below is checked too
    clients.table.setFocus()
    qtbot.keyClicks(clients.header.filter, "harbor")
    assert shown_names(clients) == ["Blue Harbor Hotels"]
    clients.table.selectRow(0)
    assert clients.selected_client() == agency.clients["blue"]
    # A rename takes a client into or out of the filtered rows at once.
    workspace.run(Update(Client, agency.clients["acme"], {"name": "Acme Harbor Bakery"}))
    assert shown_names(clients) == ["Acme Harbor Bakery", "Blue Harbor Hotels"]
    assert clients.selected_client() == agency.clients["blue"]  # the selection stays
    assert clients.header.count.text() == "2 of 3 clients"
    workspace.run(Update(Client, agency.clients["blue"], {"name": "Blue Bay Hotels"}))
    assert shown_names(clients) == ["Acme Harbor Bakery"]
    # Deleting a client the filter hides changes only the total.
    workspace.run(Delete(Client, agency.clients["cedar"]))
    assert clients.header.count.text() == "1 of 2 clients"
    workspace.undo_stack.undo()
    assert clients.header.count.text() == "1 of 3 clients"
    # Sorting while filtered sorts the shown rows; clearing the filter shows every client
    # in that order.
    workspace.run(Update(Client, agency.clients["cedar"], {"name": "Cedar Harbor & Sons"}))
    clients.table.sortByColumn(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert shown_names(clients) == ["Cedar Harbor & Sons", "Acme Harbor Bakery"]
    clients.header.filter.clear()
    assert shown_names(clients) == ["Cedar Harbor & Sons", "Blue Bay Hotels", "Acme Harbor Bakery"]
    assert clients.header.count.text() == "3 clients"
