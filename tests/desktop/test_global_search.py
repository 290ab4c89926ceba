"""Ctrl+K through the main window: results as you type, Return opens the record where it
lives, and the results follow an edit, its undo and a sync from another station."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from db.database import make_engine
from db.models import Client, Contact
from db.operations import Create, Update
from db.store import Store
from db.sync import refresh_store, sync, sync_store
from desktop.client_page.page import ClientPage
from desktop.gantt.view import GanttView
from desktop.main_window import MainWindow
from desktop.search import SearchPopup
from tests.desktop.conftest import clients_window
from tests.sync.harness import new_station_db

pytestmark = [
    pytest.mark.gui,
    # The popup grabs the keyboard as popups do; the offscreen test platform cannot.
    pytest.mark.qt_log_ignore(
        "This plugin does not support propagateSizeHints",
        "This plugin does not support raise",
        "This plugin does not support grabbing the keyboard",
    ),
]


@pytest.fixture
def window(qtbot, workspace, agency, settings) -> MainWindow:
    return clients_window(qtbot, workspace, settings, auto_sync=False)


def open_search(qtbot, window: MainWindow) -> SearchPopup:
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = window._search_popup
    assert isinstance(popup, SearchPopup)
    qtbot.waitUntil(popup.isVisible)
    return popup


def titles(popup: SearchPopup) -> list[tuple[str, str]]:
    return [(h.kind, h.title) for h in popup.model.hits]


def type_query(qtbot, popup: SearchPopup, text: str) -> None:
    popup.field.clear()
    qtbot.keyClicks(popup.field, text)


def test_ctrl_k_answers_as_you_type_and_return_opens_the_client_page(qtbot, window, agency) -> None:
    popup = open_search(qtbot, window)
    assert popup.field.hasFocus()
    qtbot.keyClicks(popup.field, "a")
    assert ("Client", "Acme Bakery") in titles(popup)
    qtbot.keyClicks(popup.field, "cme")
    assert titles(popup) == [("Client", "Acme Bakery")]
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    assert not popup.isVisible()
    page = window.area("clients").host.detail
    assert isinstance(page, ClientPage) and page.client_id == agency.clients["acme"]


def test_return_opens_a_task_as_its_gantt_row(qtbot, window, agency) -> None:
    popup = open_search(qtbot, window)
    type_query(qtbot, popup, "interv")
    assert titles(popup) == [("Task", "Interviews")]
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    assert window.current_area_key() == "projects"
    plan = window.area("projects").host.detail
    assert isinstance(plan, GanttView)
    assert plan.selected_ids() == [agency.tasks["interviews"]]


def test_down_picks_the_next_result_and_a_contact_opens_on_the_people_tab(
    qtbot, window, workspace, agency
) -> None:
    contact = Create(Contact, {"client_id": agency.clients["blue"], "name": "Harriet Lane"})
    workspace.run(contact)
    popup = open_search(qtbot, window)
    type_query(qtbot, popup, "har")
    assert titles(popup)[:2] == [("Client", "Blue Harbor Hotels"), ("Contact", "Harriet Lane")]
    qtbot.keyClick(popup.field, Qt.Key.Key_Down)
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    page = window.area("clients").host.detail
    assert isinstance(page, ClientPage)
    assert page.tabs.currentWidget() is page._holders[type(page.people)]
    assert page.people.selected().id == contact.id


def test_results_follow_an_edit_and_its_undo_while_open(qtbot, window, workspace, agency) -> None:
    popup = open_search(qtbot, window)
    type_query(qtbot, popup, "cedar")
    assert titles(popup) == [("Client", "Cedar & Sons")]
    workspace.run(Update(Client, agency.clients["cedar"], {"name": "Cedar Timber"}))
    type_query(qtbot, popup, "timber")
    assert titles(popup) == [("Client", "Cedar Timber")]
    workspace.undo_stack.undo()
    assert titles(popup) == []
    assert "Nothing found for “timber”" in popup.status.text()
    workspace.undo_stack.redo()
    assert titles(popup) == [("Client", "Cedar Timber")]


def test_results_follow_a_sync_from_another_station(
    qtbot, window, workspace, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    share.mkdir()
    first = sync_store(workspace.store, share, compact=False)  # this station sets up the share
    refresh_store(workspace.store, first.changes)
    other_path = tmp_path / "other.sqlite"
    new_station_db(other_path)
    sync(other_path, share, station_name="Other", compact=False)  # a new station joins
    other = Store(make_engine(other_path))
    other.apply(Create(Client, {"name": "Zephyr Kites"}))
    other.close()
    sync(other_path, share, station_name="Other", compact=False)
    popup = open_search(qtbot, window)
    type_query(qtbot, popup, "zephyr")
    assert titles(popup) == []
    result = sync_store(workspace.store, share, compact=False)
    refresh_store(workspace.store, result.changes)
    assert titles(popup) == [("Client", "Zephyr Kites")]
    popup.hide()
    QApplication.processEvents()
