"""The History tab of a client and of a contact (issue 18), as an account manager uses it:
edits made on the page show up there with who made them, from what to what; switching to
the client-facing view leaves the rapport notes' history out; an undo is history too."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from db.models import Contact
from db.operations import Create
from desktop.client_page.history_tab import HistorySection
from desktop.client_page.page import ClientPage
from desktop.history.model import COL_FROM, COL_HOW, COL_RECORD, COL_TO, COL_WHAT, COL_WHO
from desktop.workspace import Workspace
from tests.client_page.conftest import Setup, show_page

SHOTS = Path("/tmp")
# The offscreen platform cannot resize a window to new size hints; it says so, harmlessly.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def page(qtbot: QtBot, workspace: Workspace, acme: Setup) -> ClientPage:
    # Ann sits at this station ("I am"), as the main window tells the store.
    workspace.store.member_source = lambda: acme.am_id
    workspace.run(Create(Contact, {"client_id": acme.client_id, "name": "Jo Baker"}))
    return show_page(qtbot, workspace, acme.client_id, active=True)


def rows(table: QTableView) -> list[tuple[str, ...]]:
    model = table.model()
    columns = (COL_WHO, COL_RECORD, COL_WHAT, COL_FROM, COL_TO, COL_HOW)
    return [tuple(model.index(r, c).data() for c in columns) for r in range(model.rowCount())]


def click_row(qtbot: QtBot, table: QTableView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def edit_cell(qtbot: QtBot, table: QTableView, row: int, header: str, text: str) -> None:
    model = table.model()
    column = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == header
    )
    index = model.index(row, column)
    table.setFocus()
    table.setCurrentIndex(index)
    table.edit(index)  # what F2 or a double click does on the cell
    editor = next(e for e in table.findChildren(QLineEdit) if e.isVisible())
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def test_history_tab_shows_who_changed_what_and_hides_rapport_notes_from_the_client(
    qtbot: QtBot, page: ClientPage, workspace: Workspace
) -> None:
    people = page.people
    page.show_section(people)
    click_row(qtbot, people.table, 0)
    people.rapport.setFocus()
    qtbot.keyClicks(people.rapport, "Sails on weekends")
    people.table.setFocus()  # leaving the notes saves them
    edit_cell(qtbot, people.table, 0, "Phone", "+44 20 7946 0000")
    assert workspace.undo_stack.count() == 3  # the contact, its notes, its phone

    tab = next(i for i in range(page.tabs.count()) if page.tabs.tabText(i) == "History")
    page.tabs.setCurrentIndex(tab)
    section = page.section(HistorySection)
    panel = section.panel.table
    qtbot.waitUntil(section.panel.isVisible)
    lines = rows(panel)
    assert lines[0] == (
        "Ann Keller",
        "Contact “Jo Baker”",
        "Phone",
        "(empty)",
        "+44 20 7946 0000",
        "This station",
    )
    assert lines[1] == (
        "Ann Keller",
        "Contact “Jo Baker”",
        "Rapport notes",
        "(empty)",
        "Sails on weekends",
        "This station",
    )
    assert lines[2][:3] == ("Ann Keller", "Contact “Jo Baker”", "Created")
    page.grab().save(str(SHOTS / "history_tab.png"))

    switch = section.panel.client_facing
    assert switch.text() == "&Client-facing"
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    shown = rows(panel)
    assert [line[2] for line in shown] == ["Phone", "Created", "Created"]
    assert not any("Sails" in line[4] for line in shown)
    page.grab().save(str(SHOTS / "history_tab_client_facing.png"))
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)

    # An undo is a change too: it shows at once while the tab is open.
    workspace.undo_stack.undo()
    assert rows(panel)[0][2:5] == ("Phone", "+44 20 7946 0000", "(empty)")


def test_a_contacts_dialog_has_its_history_on_a_tab(
    qtbot: QtBot, page: ClientPage, workspace: Workspace
) -> None:
    people = page.people
    page.show_section(people)
    edit_cell(qtbot, people.table, 0, "Email", "jo@acme.example")
    dialog = people.open_contact(people.model.rows[0])
    assert dialog.tabs is not None
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["&Details", "&History"]
    dialog.tabs.setCurrentIndex(1)
    table = dialog.history.table
    assert rows(table)[0][:5] == (
        "Ann Keller",
        "Contact “Jo Baker”",
        "Email",
        "(empty)",
        "jo@acme.example",
    )
    dialog.grab().save(str(SHOTS / "contact_history.png"))
    dialog.reject()


def test_history_model_passes_the_model_tester(qtmodeltester, page: ClientPage) -> None:  # type: ignore[no-untyped-def]
    page.show_section(page.section(HistorySection))
    qtmodeltester.check(page.section(HistorySection).panel.model)
