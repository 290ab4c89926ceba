"""A contact's GDPR requests as a user makes them on the client page: right-click a person,
export their data to a folder; right-click, erase them, reword the texts that still name
them, type the name, and the person is gone while the client's history stays. The erase is
not on the undo stack, and the undo history that held the person's old values is gone."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMenu

from db.models import Contact, Interaction, PersonErasure
from db.models.privacy import ERASED_CONTACT
from db.operations import Update
from desktop.client_page.page import ClientPage
from desktop.client_page.personal_data import EraseDialog
from desktop.main_window import MainWindow
from desktop.views.clients_view import ClientsView
from desktop.workspace import Workspace
from tests.desktop.conftest import clients_window
from tests.privacy.people import BUSINESS, NAMING, OTHER, PERSONAL, Seeded, seed

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise|grabbing)"),
]


@pytest.fixture
def seeded(workspace: Workspace) -> Seeded:
    return seed(workspace.session)


@pytest.fixture
def window(qtbot, workspace, seeded, settings) -> MainWindow:
    return clients_window(qtbot, workspace, settings)


def people_page(window: MainWindow, client_id: str) -> ClientPage:
    clients = window.area("clients")
    assert isinstance(clients, ClientsView)
    clients.open_client(client_id)
    page = clients.host.detail
    assert isinstance(page, ClientPage)
    page.show_section(page.people)
    return page


def person_menu(page: ClientPage, name: str) -> QMenu:
    table = page.people.table
    row = next(i for i, r in enumerate(page.people.model.rows) if r.name == name)
    menu = page.people.record_actions.show_menu(
        table.visualRect(table.model().index(row, 0)).center()
    )
    assert menu is not None
    menu.close()
    return menu


def action(menu: QMenu, text: str):
    return next(a for a in menu.actions() if a.text() == text)


def test_export_personal_data_from_the_right_click_menu(
    qtbot, window, workspace, seeded, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(
        "desktop.client_page.personal_data.existing_directory",
        lambda _parent, _caption, _start: str(tmp_path),
    )
    page = people_page(window, seeded.client_id)
    with qtbot.waitSignal(workspace.done) as done:
        action(person_menu(page, PERSONAL["name"]), "E&xport personal data…").trigger()
    assert done.args == [
        "Personal data written to personal-data-quilla-vantersby.pdf and "
        "personal-data-quilla-vantersby.json"
    ]
    data = json.loads((tmp_path / "personal-data-quilla-vantersby.json").read_text("utf-8"))
    assert data["contact"]["phone"] == PERSONAL["phone"]
    assert (tmp_path / "personal-data-quilla-vantersby.pdf").read_bytes().startswith(b"%PDF")
    assert OTHER["rapport"] not in json.dumps(data)


def test_erase_asks_for_the_name_lets_texts_be_reworded_and_cannot_be_undone(
    qtbot, window, workspace, seeded
) -> None:
    # An earlier edit of hers sits on the undo stack, holding her old role.
    workspace.run(Update(Contact, seeded.quilla, {"title": "Head Lanternwright"}))
    assert workspace.undo_stack.count() == 1
    page = people_page(window, seeded.client_id)
    action(person_menu(page, PERSONAL["name"]), "E&rase this person…").trigger()
    dialogs = page.findChildren(EraseDialog)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitUntil(dialog.isVisible)
    assert any("cannot be undone" in label.text() for label in dialog.findChildren(QLabel))
    # Every text that names her is offered for editing.
    assert sorted(e.toPlainText() for e in dialog.editors.values()) == sorted(
        n[0] for n in NAMING.values()
    )
    assert not dialog.erase_button.isEnabled()
    qtbot.keyClicks(dialog.confirm, "Quilla")
    assert not dialog.erase_button.isEnabled()
    for editor in dialog.editors.values():
        original = editor.toPlainText()
        new = next(n[1] for n in NAMING.values() if n[0] == original)
        editor.selectAll()
        qtbot.keyClicks(editor, new)
    qtbot.keyClicks(dialog.confirm, " vantersby")  # any case will do
    assert dialog.erase_button.isEnabled()
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.vacuum is not None and dialog.vacuum.done.is_set())

    session = workspace.session
    assert session.get(Contact, seeded.quilla) is None
    assert [r.name for r in page.people.model.rows] == [OTHER["name"]]
    assert session.get(Interaction, seeded.mention_interaction).summary == NAMING["mention"][1]
    assert session.get(Interaction, seeded.shared_interaction).summary == BUSINESS["summary"]
    assert session.query(PersonErasure).one().contact_id == seeded.quilla
    assert workspace.undo_stack.count() == 0  # nothing left that could bring her back
    page.show_section(page.timeline)
    shown = {r.id: r.with_names for r in page.timeline.model.rows}
    assert shown[seeded.quilla_only_interaction] == (ERASED_CONTACT,)


def test_cancel_or_a_wrong_name_erases_nothing(qtbot, window, workspace, seeded) -> None:
    page = people_page(window, seeded.client_id)
    action(person_menu(page, PERSONAL["name"]), "E&rase this person…").trigger()
    dialog = page.findChildren(EraseDialog)[0]
    qtbot.keyClicks(dialog.confirm, OTHER["name"])
    assert not dialog.erase_button.isEnabled()
    assert dialog.erase() is False
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)  # Return does not erase
    assert workspace.session.get(Contact, seeded.quilla) is not None


def test_a_deleted_person_is_exported_and_erased_from_the_clients_history(
    qtbot, window, workspace, seeded, db_path, tmp_path, monkeypatch
) -> None:
    """A contact deleted the ordinary way is gone from the People list but still shows in
    the client's History, whose right-click menu exports and erases what the station holds
    of them."""
    monkeypatch.setattr(
        "desktop.client_page.personal_data.existing_directory",
        lambda _parent, _caption, _start: str(tmp_path),
    )
    from db.operations import Delete
    from desktop.client_page.history_tab import HistorySection
    from tests.privacy.test_erase import file_bytes, strings_in

    workspace.run(Delete(Contact, seeded.quilla))
    page = people_page(window, seeded.client_id)
    assert [r.name for r in page.people.model.rows] == [OTHER["name"]]
    history = page.section(HistorySection)
    page.show_section(history)
    table = history.panel.table
    entries = history.panel.model.entries
    hers = next(i for i, e in enumerate(entries) if e.row_id == seeded.quilla)
    others = next(i for i, e in enumerate(entries) if e.row_id == seeded.bram)
    assert history.show_menu(table.visualRect(table.model().index(others, 0)).center()) is None
    menu = history.show_menu(table.visualRect(table.model().index(hers, 0)).center())
    assert menu is not None
    menu.close()
    with qtbot.waitSignal(workspace.done) as done:
        action(menu, "E&xport personal data…").trigger()
    assert done.args == [
        "Personal data written to personal-data-quilla-vantersby.pdf and "
        "personal-data-quilla-vantersby.json"
    ]
    exported = (tmp_path / "personal-data-quilla-vantersby.json").read_text("utf-8")
    assert PERSONAL["rapport"] in exported and PERSONAL["gift"] in exported
    action(menu, "E&rase this deleted person…").trigger()
    dialog = page.findChildren(EraseDialog)[0]
    qtbot.waitUntil(dialog.isVisible)
    assert any("was deleted" in label.text() for label in dialog.findChildren(QLabel))
    assert len(dialog.editors) == len(NAMING)  # the texts that name her, as for anyone
    for editor in dialog.editors.values():
        original = editor.toPlainText()
        editor.selectAll()
        qtbot.keyClicks(editor, next(n[1] for n in NAMING.values() if n[0] == original))
    qtbot.keyClicks(dialog.confirm, PERSONAL["name"])
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.vacuum is not None and dialog.vacuum.done.is_set())

    assert workspace.undo_stack.count() == 0  # the delete's undo held all of her data
    assert workspace.session.query(PersonErasure).one().contact_id == seeded.quilla
    history.refresh()
    assert all(e.row_id != seeded.quilla for e in history.panel.model.entries)
    assert strings_in(file_bytes(db_path), list(PERSONAL.values())) == []
