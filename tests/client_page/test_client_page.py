"""The client page as an account manager uses it: add a contact with a birthday without a
year, log a call with Ctrl+L and watch the health reason go, undo it, hand a request over as a
new project; every edit one undo step, every refresh from a change set."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from db.models import (
    Client,
    Contact,
    FollowUp,
    Gift,
    Interaction,
    InteractionKind,
    NoteKind,
    Project,
    SatisfactionRating,
)
from db.operations import Create
from desktop.client_page import ClientPage
from desktop.client_page.people import COL_DATES
from desktop.client_page.rows_model import RowsModel
from desktop.workspace import Workspace

from .conftest import Setup

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform says so whenever a top-level window is shown; harmless.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def texts(model: RowsModel, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_header_shows_health_with_reasons(page: ClientPage) -> None:
    assert page.name.text() == "Acme Coffee"
    assert "Account manager Ann Keller" in page.details.text()
    assert page.health is not None
    assert page.health.reasons == ("no contact for 41 days",)
    assert "No contact for 41 days" in page.reasons.text()
    assert page.badge.toolTip() == "no contact for 41 days"


def test_add_contact_with_a_birthday_without_a_year(
    qtbot: QtBot, page: ClientPage, workspace: Workspace
) -> None:
    page.show_section(page.people)
    qtbot.mouseClick(page.people.add_button, Qt.MouseButton.LeftButton)
    dialog = page.people.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.name, "Jo Baker")
    qtbot.keyClicks(dialog.email, "jo@acme")
    assert "is not an email address" in dialog.errors.message("email")
    assert not dialog.ok_button().isEnabled()
    qtbot.keyClicks(dialog.email, ".example")
    assert dialog.errors.message("email") == ""
    dialog.day.setValue(29)
    dialog.month.setCurrentIndex(2)  # February, no year: a real birthday
    assert dialog.errors.message("day") == ""
    qtbot.keyClicks(dialog.year, "2023")
    assert dialog.errors.message("day") == "February has no day 29"
    dialog.year.clear()
    assert dialog.ok_button().isEnabled()
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted

    assert texts(page.people.model, 0) == ["Jo Baker"]
    assert texts(page.people.model, COL_DATES) == ["Birthday 29 Feb"]
    assert workspace.undo_stack.count() == 1
    workspace.undo_stack.undo()
    assert texts(page.people.model, 0) == []


def test_log_a_call_with_ctrl_l_clears_the_no_contact_reason_and_undo_brings_it_back(
    qtbot: QtBot, page: ClientPage, workspace: Workspace, acme: Setup
) -> None:
    workspace.run(Create(Contact, {"client_id": acme.client_id, "name": "Jo Baker"}))
    page.show_section(page.timeline)
    page.activateWindow()
    qtbot.keyClick(page.timeline.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = page.timeline.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.kind.currentData() == InteractionKind.CALL
    assert not dialog.ok_button().isEnabled()  # nothing said yet
    dialog.contacts_model.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.keyClicks(dialog.summary, "Talked about the spring range")
    dialog.follow_up.setChecked(True)
    assert "must not be empty" in dialog.follow_errors.message("title")
    qtbot.keyClicks(dialog.follow_title, "Send the proposal")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)

    assert page.health is not None
    assert not any(r.startswith("no contact") for r in page.health.reasons)
    assert page.health.score == 100
    rows = page.timeline.rows()
    assert (rows[0].kind, rows[0].summary, rows[0].with_names) == (
        InteractionKind.CALL,
        "Talked about the spring range",
        ("Jo Baker",),
    )
    assert workspace.session.query(FollowUp).count() == 1

    workspace.undo_stack.undo()
    assert page.health.reasons == ("no contact for 41 days",)
    assert [r.summary for r in page.timeline.rows()] == ["Sent the quarterly report"]
    assert workspace.session.query(FollowUp).count() == 0

    workspace.undo_stack.redo()
    assert page.timeline.rows()[0].with_names == ("Jo Baker",)
    assert page.health.reasons == ()


def test_new_project_from_request(
    qtbot: QtBot, page: ClientPage, workspace: Workspace, acme: Setup
) -> None:
    page.show_section(page.projects)
    qtbot.mouseClick(page.projects.new_button, Qt.MouseButton.LeftButton)
    dialog = page.projects.dialog
    assert dialog is not None
    assert dialog.manager.currentText() == "Pat Lindqvist"
    qtbot.keyClicks(dialog.name, "Spring campaign")
    qtbot.keyClicks(dialog.request, "Launch the spring range in 40 shops by March")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)

    assert texts(page.projects.model, 0) == ["Spring campaign"]
    assert texts(page.projects.model, 6) == ["Pat Lindqvist"]
    (project,) = workspace.session.query(Project).all()
    assert project.brief == "Launch the spring range in 40 shops by March"
    assert project.account_manager_id == acme.am_id
    page.show_section(page.timeline)
    assert page.timeline.rows()[0].summary.startswith(
        "Handed off project Spring campaign to Pat Lindqvist"
    )
    with qtbot.wait_signal(page.project_activated) as opened:
        page.projects.table.doubleClicked.emit(page.projects.model.index(0, 0))
    assert opened.args == [project.id]

    workspace.undo_stack.undo()  # one step takes the project and the hand-off note away
    assert workspace.session.query(Project).count() == 0
    assert [r.summary for r in page.timeline.rows()] == ["Sent the quarterly report"]


def test_brief_entries_add_resolve_undo(
    qtbot: QtBot, page: ClientPage, workspace: Workspace
) -> None:
    adder = page.brief.adders[NoteKind.PAIN_POINT]
    qtbot.keyClicks(adder, "Checkout is slow on phones")
    qtbot.keyClick(adder, Qt.Key.Key_Return)
    model = page.brief.models[NoteKind.PAIN_POINT]
    assert texts(model, 0) == ["Checkout is slow on phones"]
    assert adder.text() == ""
    model.setData(model.index(0, 3), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert texts(model, 3) == [date.today().strftime("%d %b %Y").lstrip("0")]
    model.setData(model.index(0, 0), "  ", Qt.ItemDataRole.EditRole)  # refused, message emitted
    assert workspace.last_error is not None and "must not be empty" in workspace.last_error
    workspace.undo_stack.undo()
    assert texts(model, 3) == [""]


def test_follow_up_done_and_rating_trend(
    qtbot: QtBot, page: ClientPage, workspace: Workspace
) -> None:
    page.show_section(page.follow_ups)
    qtbot.keyClicks(page.follow_ups.title_edit, "Book the workshop")
    qtbot.keyClick(page.follow_ups.title_edit, Qt.Key.Key_Return)
    model = page.follow_ups.model
    assert texts(model, 1) == ["Book the workshop"]
    model.setData(model.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert workspace.session.query(FollowUp).one().done_at is not None
    qtbot.mouseClick(page.follow_ups.add_button, Qt.MouseButton.LeftButton)
    assert page.follow_ups.error.text() == "Follow-up title must not be empty"

    page.show_section(page.satisfaction)
    page.satisfaction.score.setValue(9)
    qtbot.mouseClick(page.satisfaction.add_button, Qt.MouseButton.LeftButton)
    page.satisfaction.score.setValue(6)
    qtbot.mouseClick(page.satisfaction.add_button, Qt.MouseButton.LeftButton)
    assert [p[1] for p in page.satisfaction.chart.points] == [9, 6]
    assert workspace.session.query(SatisfactionRating).count() == 2
    assert page.health is not None


def test_sections_refresh_only_for_changes_they_show(
    page: ClientPage, workspace: Workspace, acme: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.show_section(page.timeline)
    calls: list[str] = []
    monkeypatch.setattr(page.timeline, "refresh", lambda: calls.append("timeline"))
    monkeypatch.setattr(page.satisfaction, "refresh", lambda: calls.append("satisfaction"))
    workspace.run(Create(Gift, {"client_id": acme.client_id, "description": "Flowers"}))
    assert calls == []
    workspace.run(
        Create(
            Interaction,
            {
                "client_id": acme.client_id,
                "kind": InteractionKind.NOTE,
                "occurred_at": date.today(),
            },
        )
    )
    assert calls == ["timeline"]  # satisfaction is hidden and its data untouched
    other = Create(Client, {"name": "Other client"})
    workspace.run(other)
    workspace.run(
        Create(
            Interaction,
            {"client_id": other.id, "kind": InteractionKind.CALL, "occurred_at": date.today()},
        )
    )
    assert calls == ["timeline"]  # another client's call is none of this page's business


def test_models_pass_modeltester(qtmodeltester, page: ClientPage, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    workspace.run(Create(Contact, {"client_id": page.client_id, "name": "Jo"}))
    for section in (page.people, page.timeline, page.money, page.projects):
        section.ensure_loaded()
        qtmodeltester.check(section.model)


def test_a_refused_cell_edit_says_why_on_the_page(
    page: ClientPage, workspace: Workspace, acme: Setup
) -> None:
    workspace.run(Create(Contact, {"client_id": acme.client_id, "name": "Jo"}))
    page.show_section(page.people)
    model = page.people.model
    email = next(i for i, c in enumerate(model.columns) if c.header == "Email")
    assert not model.setData(model.index(0, email), "jo@", Qt.ItemDataRole.EditRole)
    assert page.message.isVisible()
    assert page.message.text() == "Contact email: 'jo@' is not an email address"
    assert model.setData(model.index(0, email), "jo@acme.example", Qt.ItemDataRole.EditRole)
    assert not page.message.isVisible()
    assert texts(model, email) == ["jo@acme.example"]


def test_new_project_dialog_needs_a_name_and_a_request(qtbot: QtBot, page: ClientPage) -> None:
    dialog = page.projects.open_new_dialog()
    assert not dialog.ok_button().isEnabled()
    qtbot.keyClicks(dialog.name, " ")
    assert dialog.errors.message("name") == "Project name must not be empty"
    dialog.reject()
