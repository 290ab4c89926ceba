"""Follow-ups are internal unless the account manager shares them with the client: ticked when
made (the tab's adder, the Log interaction dialog), toggled from the right-click menu or the
"Client sees" column, each one undo step; and a follow-up selected in the tab is what Delete
deletes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.models import Contact, FollowUp
from db.operations import Create
from desktop.client_page import ClientPage
from desktop.views.deletion import delete_rows
from desktop.workspace import Workspace

from .conftest import Setup

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def shared(workspace: Workspace) -> dict[str, bool]:
    workspace.session.expire_all()
    return {f.title: f.share_with_client for f in workspace.session.query(FollowUp)}


def test_a_new_follow_up_is_internal_unless_ticked(
    qtbot: QtBot, page: ClientPage, workspace: Workspace
) -> None:
    tab = page.follow_ups
    page.show_section(tab)
    qtbot.keyClicks(tab.title_edit, "Buy flowers for the launch")
    qtbot.keyClick(tab.title_edit, Qt.Key.Key_Return)
    qtbot.mouseClick(tab.share, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(tab.title_edit, "Send the launch plan")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert shared(workspace) == {"Buy flowers for the launch": False, "Send the launch plan": True}
    assert not tab.share.isChecked()  # the next one starts internal again
    column = [c.header for c in tab.model.columns].index("Client sees")
    ticks = [
        tab.model.index(r, column).data(Qt.ItemDataRole.CheckStateRole)
        for r in range(tab.model.rowCount())
    ]
    assert ticks == [Qt.CheckState.Unchecked, Qt.CheckState.Checked]


def test_the_context_menu_shares_and_undo_takes_it_back(
    qtbot: QtBot, page: ClientPage, workspace: Workspace, acme: Setup
) -> None:
    workspace.run(
        Create(
            FollowUp,
            {
                "client_id": acme.client_id,
                "title": "Send the deck",
                "due_date": page.context.today(),
            },
        )
    )
    tab = page.follow_ups
    page.show_section(tab)
    row = tab.model.rows[0]
    menu = tab.context_menu(row)
    (share,) = menu.actions()
    assert share.text() == "Share with client" and not share.isChecked()
    share.trigger()
    assert shared(workspace) == {"Send the deck": True}
    assert workspace.undo_stack.undoText() == "Share follow-up 'Send the deck' with the client"
    assert tab.context_menu(tab.model.rows[0]).actions()[0].isChecked()
    workspace.undo_stack.undo()
    assert shared(workspace) == {"Send the deck": False}
    # The column's tick box does the same.
    column = [c.header for c in tab.model.columns].index("Client sees")
    tab.model.setData(
        tab.model.index(0, column), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert shared(workspace) == {"Send the deck": True}


def test_the_log_dialog_can_share_its_follow_up(
    qtbot: QtBot, page: ClientPage, workspace: Workspace, acme: Setup
) -> None:
    workspace.run(Create(Contact, {"client_id": acme.client_id, "name": "Jo Baker"}))
    dialog = page.open_log_dialog()
    qtbot.keyClicks(dialog.summary, "Agreed the scope")
    dialog.follow_up.setChecked(True)
    qtbot.keyClicks(dialog.follow_title, "Send the signed scope")
    assert not dialog.follow_shared.isChecked()
    dialog.follow_shared.setChecked(True)
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert shared(workspace) == {"Send the signed scope": True}


def test_delete_takes_the_selected_follow_up(
    qtbot: QtBot, page: ClientPage, workspace: Workspace, acme: Setup
) -> None:
    for title in ("First", "Second"):
        workspace.run(
            Create(
                FollowUp,
                {"client_id": acme.client_id, "title": title, "due_date": page.context.today()},
            )
        )
    tab = page.follow_ups
    page.show_section(tab)
    tab.table.selectRow(0)
    deletion = tab.delete_offer.deletion()
    assert deletion is not None and deletion.text == "Delete follow-up “First”"
    assert delete_rows(page, workspace, deletion)
    assert list(shared(workspace)) == ["Second"]
    assert tab.selected() is not None and tab.selected().title == "Second"
    workspace.undo_stack.undo()
    assert set(shared(workspace)) == {"First", "Second"}
