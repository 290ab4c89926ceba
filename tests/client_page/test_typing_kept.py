"""Nothing typed on a client page is lost: the rapport notes are saved as one undoable edit
when the user leaves the field, picks another contact or another tab; a refresh never
overwrites the typing; a table cell keeps its typing when the user clicks away; a dialog asks
before it throws typing away; names stop at their length limit with a message at the field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from db.models import ClientNote, Contact, NoteKind
from db.operations import Create, Update
from desktop.client_page import ClientPage
from desktop.client_page.dialogs import ContactDialog, LogInteractionDialog
from desktop.views.text_limits import notice
from desktop.workspace import Workspace

from .conftest import Setup, show_page

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def page(qtbot: QtBot, workspace: Workspace, acme: Setup) -> ClientPage:
    for name, notes in (("Jo Baker", "Two daughters"), ("Mia Sorensen", "")):
        workspace.run(
            Create(Contact, {"client_id": acme.client_id, "name": name, "rapport_notes": notes})
        )
    workspace.undo_stack.clear()
    return show_page(qtbot, workspace, acme.client_id, active=True)


def notes_of(workspace: Workspace, name: str) -> str:
    contact = workspace.session.query(Contact).filter_by(name=name).one()
    workspace.session.refresh(contact)
    return contact.rapport_notes


def click_row(qtbot: QtBot, table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def type_rapport(qtbot: QtBot, page: ClientPage, row: int, text: str) -> None:
    people = page.people
    page.show_section(people)
    click_row(qtbot, people.table, row)
    people.rapport.setFocus()
    people.rapport.moveCursor(people.rapport.textCursor().MoveOperation.End)
    qtbot.keyClicks(people.rapport, text)


def test_rapport_notes_are_kept_when_another_contact_is_clicked(
    qtbot: QtBot, page: ClientPage, workspace: Workspace
) -> None:
    type_rapport(qtbot, page, 0, ", loves sailing")
    click_row(qtbot, page.people.table, 1)  # Mia
    assert notes_of(workspace, "Jo Baker") == "Two daughters, loves sailing"
    assert page.people.rapport.toPlainText() == ""  # Mia's (empty) notes now
    assert workspace.undo_stack.count() == 1  # the whole typing is one step
    assert workspace.undo_stack.undoText() == "Edit rapport notes of “Jo Baker”"
    workspace.undo_stack.undo()
    assert notes_of(workspace, "Jo Baker") == "Two daughters"
    click_row(qtbot, page.people.table, 0)
    assert page.people.rapport.toPlainText() == "Two daughters"


def test_rapport_notes_are_kept_when_another_tab_is_picked(
    qtbot: QtBot, page: ClientPage, workspace: Workspace
) -> None:
    type_rapport(qtbot, page, 1, "Runs marathons")
    page.tabs.setCurrentIndex(page.tabs.indexOf(page._holders[type(page.timeline)]))
    assert notes_of(workspace, "Mia Sorensen") == "Runs marathons"
    assert workspace.undo_stack.count() == 1


def test_leaving_the_field_saves_once_and_unchanged_notes_save_nothing(
    qtbot: QtBot, page: ClientPage, workspace: Workspace
) -> None:
    type_rapport(qtbot, page, 1, "Vegetarian")
    page.people.table.setFocus()
    assert notes_of(workspace, "Mia Sorensen") == "Vegetarian"
    page.people.rapport.setFocus()
    page.people.table.setFocus()  # a visit without typing is no edit
    assert workspace.undo_stack.count() == 1


def test_a_refresh_while_typing_does_not_overwrite_the_typing(
    qtbot: QtBot, page: ClientPage, workspace: Workspace, acme: Setup
) -> None:
    type_rapport(qtbot, page, 0, ", plays chess")
    # Another edit to this client's contacts arrives (the user's own elsewhere, or a sync).
    mia = workspace.session.query(Contact).filter_by(name="Mia Sorensen").one()
    workspace.run(Update(Contact, mia.id, {"title": "CFO"}))
    assert page.people.rapport.toPlainText() == "Two daughters, plays chess"
    page.people.table.setFocus()
    assert notes_of(workspace, "Jo Baker") == "Two daughters, plays chess"


def test_a_brief_entry_edited_in_its_cell_is_kept_when_the_user_clicks_away(
    qtbot: QtBot, page: ClientPage, workspace: Workspace, acme: Setup
) -> None:
    workspace.run(
        Create(
            ClientNote,
            {"client_id": acme.client_id, "kind": NoteKind.NEED, "text": "New menu boards"},
        )
    )
    workspace.undo_stack.clear()
    brief = page.brief
    page.show_section(brief)
    table = next(
        t
        for t in brief.findChildren(type(page.people.table))
        if t.model() is brief.models[NoteKind.NEED]
    )
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Menu boards for the new shop")
    brief.adders[NoteKind.GOAL].setFocus()  # the user clicks into another field
    note = workspace.session.query(ClientNote).one()
    workspace.session.refresh(note)
    assert note.text == "Menu boards for the new shop"
    assert workspace.undo_stack.count() == 1
    workspace.undo_stack.undo()
    workspace.session.refresh(note)
    assert note.text == "New menu boards"


@pytest.mark.parametrize("opener", ["timeline", "people"])
def test_a_dialog_asks_before_it_throws_typing_away(
    qtbot: QtBot, page: ClientPage, workspace: Workspace, opener: str
) -> None:
    if opener == "timeline":
        dialog: LogInteractionDialog | ContactDialog = page.open_log_dialog()
        field = dialog.summary
    else:
        page.show_section(page.people)
        dialog = page.people.open_add_dialog()
        field = dialog.rapport
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(field, "Said they would call back")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    box = dialog.confirm
    assert box is not None and box.isVisible() and dialog.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()  # "Keep editing"
    assert dialog.isVisible() and dialog.confirm is None
    assert field.toPlainText() == "Said they would call back"
    dialog.reject()
    assert dialog.confirm is not None
    dialog.confirm.button(QMessageBox.StandardButton.Discard).click()
    assert not dialog.isVisible()
    assert workspace.undo_stack.count() == 0


def test_a_dialog_without_typing_closes_without_asking(qtbot: QtBot, page: ClientPage) -> None:
    dialog = page.open_log_dialog()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.confirm is None and not dialog.isVisible()


def test_a_too_long_contact_name_stops_at_the_limit_with_a_note_at_the_field(
    qtbot: QtBot, page: ClientPage
) -> None:
    page.show_section(page.people)
    dialog = page.people.open_add_dialog()
    qtbot.waitExposed(dialog)
    dialog.name.setFocus()
    dialog.name.insert("x" * 5000)  # a paste
    assert dialog.name.text() == "x" * 200
    shown = notice(dialog.name)
    assert shown is not None and shown.isVisible() and shown.text() == "At most 200 characters"
    assert dialog.ok_button().isEnabled()
    dialog.name.backspace()
    assert not shown.isVisible()


def test_a_cell_editor_stops_at_the_limit_and_says_so(
    qtbot: QtBot, page: ClientPage, workspace: Workspace
) -> None:
    table = page.people.table
    page.show_section(page.people)
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    editor.insert("y" * 5000)  # a paste
    assert editor.text() == "y" * 200
    assert editor.toolTip() == "At most 200 characters"
    shown = notice(editor)
    assert shown is not None and shown.isVisible() and shown.text() == "At most 200 characters"
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits on its next event loop turn
    qtbot.waitUntil(
        lambda: workspace.session.query(Contact).filter(Contact.name == "y" * 200).count() == 1
    )


def test_a_long_name_does_not_widen_the_page(qtbot: QtBot, page: ClientPage) -> None:
    page.name.setText("W" * 5000)
    assert page.minimumSizeHint().width() < 1024
    assert page.name.shown_text().endswith("…")
    assert page.name.toolTip() == "W" * 5000
    assert page.name.mapTo(page, QPoint(page.name.width(), 0)).x() <= page.width()


def test_dialog_rows_do_not_jump_when_a_message_appears(qtbot: QtBot, page: ClientPage) -> None:
    page.show_section(page.people)
    dialog = page.people.open_add_dialog()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Jo")
    phone_row = dialog.phone.parentWidget()
    before = phone_row.mapTo(dialog, phone_row.rect().topLeft()).y()
    qtbot.keyClicks(dialog.email, "jo@")  # "is not an email address" shows under Email
    assert "is not an email address" in dialog.errors.message("email")
    qtbot.wait(10)
    assert phone_row.mapTo(dialog, phone_row.rect().topLeft()).y() == before


def test_a_choice_changed_is_an_edit_too_and_save_from_the_question_saves_it(
    qtbot: QtBot, page: ClientPage, workspace: Workspace
) -> None:
    from db.models import Interaction, Sentiment

    dialog = page.open_log_dialog()
    qtbot.waitExposed(dialog)
    dialog.sentiment.setCurrentIndex(dialog.sentiment.findData(Sentiment.POSITIVE))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    box = dialog.confirm
    assert box is not None and box.isVisible()  # no typing, yet a change: it asks
    box.button(QMessageBox.StandardButton.Cancel).click()  # keep editing
    qtbot.keyClicks(dialog.summary, "Loved the samples")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.confirm.button(QMessageBox.StandardButton.Save).click()
    assert not dialog.isVisible()
    logged = workspace.session.query(Interaction).filter_by(summary="Loved the samples").one()
    assert logged.sentiment == Sentiment.POSITIVE
    assert workspace.undo_stack.count() == 1
