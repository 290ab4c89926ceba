"""The Today page and the tray as an account manager meets them: the day's follow-ups, a
contact due a touch and a birthday coming up; ticking a follow-up completes it and Ctrl+Z
brings it back; an item opens its client's page; due items are announced once a day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QSystemTrayIcon

from db.am.today import today_data
from db.models import Client, FollowUp
from db.operations import Update
from desktop.main_window import MainWindow
from desktop.notifications import SETTINGS_SHOWN, DueNotifier
from desktop.station_member import SETTINGS_MEMBER
from desktop.today import TodayView
from desktop.today.model import CLIENT_ROLE, KIND_ROLE, TodayModel, sections_of
from tests.conftest import open_window

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def items(model: TodayModel) -> dict[str, list[str]]:
    found = {}
    for s in range(model.rowCount()):
        section = model.index(s, 0)
        title = model.sections[s].title
        found[title] = [model.index(r, 0, section).data() for r in range(model.rowCount(section))]
    return found


def follow_up_index(model: TodayModel, title: str) -> QModelIndex:
    for s in range(model.rowCount()):
        section = model.index(s, 0)
        for r in range(model.rowCount(section)):
            index = model.index(r, 0, section)
            if index.data() == title:
                return index
    return QModelIndex()


@pytest.fixture
def window(qtbot, workspace, day, settings) -> MainWindow:
    settings.setValue(SETTINGS_MEMBER, day.am_id)  # Ann sits at this station
    return open_window(qtbot, workspace, settings)


def today_of(qtbot, window: MainWindow) -> TodayView:
    view = window.area("today")
    assert isinstance(view, TodayView)
    qtbot.waitUntil(lambda: not view.loading and view.model.rowCount() > 0)
    return view


def test_an_account_manager_starts_on_today(qtbot, window, day) -> None:
    assert window.current_area_key() == "today"
    view = today_of(qtbot, window)
    assert view.member_id() == day.am_id
    found = items(view.model)
    assert found["Overdue follow-ups"] == ["Send the proposal"]
    assert found["Follow-ups due today"] == ["Book the workshop"]  # not Otto's client's
    assert found["Contacts due a touch"] == ["Get in touch with Jo Baker"]
    (birthday,) = found["Coming up in the next 14 days"]
    assert birthday == "Jo Baker: Birthday"
    when = follow_up_index(view.model, "Jo Baker: Birthday").siblingAtColumn(2).data()
    assert when.endswith("in 5 days · no gift yet")
    overdue = follow_up_index(view.model, "Send the proposal")
    assert overdue.siblingAtColumn(2).data() == "3 days overdue"
    window.grab()


def test_ticking_a_follow_up_completes_it_and_ctrl_z_brings_it_back(
    qtbot, window, workspace, day
) -> None:
    view = today_of(qtbot, window)
    index = follow_up_index(view.model, "Send the proposal")
    rect = view.tree.visualRect(index)
    # The check box sits at the left of the cell; a click there ticks it.
    with qtbot.wait_signal(view.loaded):
        qtbot.mouseClick(
            view.tree.viewport(),
            Qt.MouseButton.LeftButton,
            pos=QPoint(rect.left() + 12, rect.center().y()),
        )
    assert workspace.store.get(FollowUp, day.overdue_id).done_at is not None
    assert "Overdue follow-ups" not in items(view.model)
    assert workspace.undo_stack.undoText() == "Complete follow-up “Send the proposal”"

    view.tree.setFocus()
    with qtbot.wait_signal(view.loaded):
        qtbot.keyClick(view.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert items(view.model)["Overdue follow-ups"] == ["Send the proposal"]
    assert workspace.store.get(FollowUp, day.overdue_id).done_at is None


def test_an_item_opens_its_clients_page(qtbot, window, day) -> None:
    from desktop.client_page.page import ClientPage

    view = today_of(qtbot, window)
    index = follow_up_index(view.model, "Book the workshop")
    assert index.data(CLIENT_ROLE) == day.client_id
    view.tree.setFocus()
    view.tree.setCurrentIndex(index)
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert window.current_area_key() == "clients"
    clients = window.area("clients")
    assert isinstance(clients.host.detail, ClientPage)
    assert clients.host.title.text() == "Acme Coffee"


def test_everyone_shows_the_whole_agency_and_is_remembered(qtbot, window, day, settings) -> None:
    view = today_of(qtbot, window)
    with qtbot.wait_signal(view.loaded):
        view.member.setCurrentIndex(view.member.findData(""))
    due = items(view.model)["Follow-ups due today"]
    assert sorted(due) == ["Book the workshop", "Call about invoices"]
    assert settings.value(SETTINGS_MEMBER) == ""


def test_changes_while_hidden_reload_only_when_shown(qtbot, window, workspace, day) -> None:
    view = today_of(qtbot, window)
    window.show_area("clients")
    loads: list[int] = []
    view.loaded.connect(lambda: loads.append(1))
    workspace.run(Update(FollowUp, day.due_id, {"title": "Book the big workshop"}))
    workspace.run(Update(Client, day.client_id, {"website": "https://acme.example"}))
    qtbot.wait(50)
    assert loads == []  # hidden: nothing read
    with qtbot.wait_signal(view.loaded):
        window.show_area("today")
    assert items(view.model)["Follow-ups due today"] == ["Book the big workshop"]
    assert loads == [1]


def test_model_passes_modeltester_and_marks_kinds(qtmodeltester, workspace, day) -> None:
    model = TodayModel(workspace)
    data = today_data(workspace.session, date.today(), day.am_id)
    model.set_sections(sections_of(data, date.today()))
    qtmodeltester.check(model)
    kinds = {
        model.index(r, 0, model.index(s, 0)).data(KIND_ROLE)
        for s in range(model.rowCount())
        for r in range(model.rowCount(model.index(s, 0)))
    }
    assert kinds == {"follow_up", "contact", "occasion"}
    section = model.index(0, 0)
    assert not model.flags(section) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.flags(model.index(0, 0, section)) & Qt.ItemFlag.ItemIsUserCheckable


# -- the tray ------------------------------------------------------------------------------


@pytest.fixture
def tray(monkeypatch, workspace, settings, day):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "show", lambda self: None)
    monkeypatch.setattr(
        QSystemTrayIcon, "showMessage", lambda self, title, text, *a: shown.append((title, text))
    )
    settings.setValue(SETTINGS_MEMBER, day.am_id)
    notifier = DueNotifier(workspace, settings)
    yield notifier, shown
    notifier.stop()


def test_due_items_are_announced_once(qtbot, tray, workspace, day, settings) -> None:
    notifier, shown = tray
    assert notifier.start()
    qtbot.waitUntil(lambda: len(shown) == 1)
    title, text = shown[0]
    assert title == "2 things due today"
    assert "Send the proposal (Acme Coffee)" in text and "Book the workshop" in text
    assert "Call about invoices" not in text  # Otto's client
    assert notifier.check() == []  # nothing new: nothing shown again
    assert len(shown) == 1

    workspace.run(Update(FollowUp, day.due_id, {"due_date": date.today()}))  # unchanged id
    assert notifier.check() == []
    # A restart (a new notifier over the same settings) does not repeat them either.
    again = DueNotifier(workspace, settings)
    again.start()
    assert again.check() == []
    again.stop()
    assert len(shown) == 1
    # The next day starts afresh.
    tomorrow = date.today() + timedelta(days=1)
    assert {i.key for i in notifier.check(tomorrow)} >= {
        f"follow-up:{day.overdue_id}",
        f"follow-up:{day.due_id}",
    }
    assert settings.value(SETTINGS_SHOWN)["date"] == tomorrow.isoformat()


def test_without_a_tray_nothing_happens(monkeypatch, workspace, settings, day) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    notifier = DueNotifier(workspace, settings)
    assert not notifier.start()
    assert notifier.tray is None
    assert notifier.check() == []
    assert not notifier.timer.isActive()


def test_due_follow_ups_are_today_data_s_without_the_rest(workspace, day) -> None:
    from db.am.today import due_follow_ups

    session = workspace.session
    mine = due_follow_ups(session, date.today(), day.am_id)
    assert [f.title for f in mine] == ["Send the proposal", "Book the workshop"]
    data = today_data(session, date.today(), day.am_id)
    assert mine == data.overdue_follow_ups + data.due_follow_ups
    everyone = {f.title for f in due_follow_ups(session, date.today())}
    assert everyone == {"Send the proposal", "Book the workshop", "Call about invoices"}


def test_space_ticks_the_current_follow_up(qtbot, window, workspace, day) -> None:
    view = today_of(qtbot, window)
    view.tree.setFocus()
    view.tree.setCurrentIndex(follow_up_index(view.model, "Book the workshop"))
    with qtbot.wait_signal(view.loaded):
        qtbot.keyClick(view.tree, Qt.Key.Key_Space)
    assert workspace.store.get(FollowUp, day.due_id).done_at is not None
    assert "Follow-ups due today" not in items(view.model)


def test_a_client_whose_health_fell_this_week_is_listed(qtbot, workspace, day, settings) -> None:
    from datetime import datetime

    # Acme has been a client for a month: a week ago it was not yet 30 days without
    # contact, and its follow-up was not yet overdue.
    acme = workspace.session.get(Client, day.client_id)
    acme.created_at = datetime.now() - timedelta(days=30)
    workspace.session.commit()
    settings.setValue(SETTINGS_MEMBER, day.am_id)
    view = TodayView(workspace, settings=settings)
    qtbot.addWidget(view)
    with qtbot.wait_signal(view.loaded):
        view.show()
    (drop,) = items(view.model)["Health dropped this week"]
    assert drop.startswith("Health fell from 100 to ")
    index = follow_up_index(view.model, drop)
    assert index.data(CLIENT_ROLE) == day.client_id
    assert "no contact" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_a_gift_planned_for_the_birthday_shows_its_state_on_today(
    qtbot, window, workspace, day
) -> None:
    from db.am.gifts import add_gift, mark_given
    from db.models import GiftState, ImportantDate

    birthday = workspace.session.query(ImportantDate).one()
    gift = add_gift(
        workspace.session,
        day.client_id,
        {"description": "Jazz tickets", "important_date_id": birthday.id, "state": GiftState.IDEA},
        date.today(),
    )
    workspace.run(gift)
    view = today_of(qtbot, window)
    when = lambda: follow_up_index(view.model, "Jo Baker: Birthday").siblingAtColumn(2).data()  # noqa: E731
    qtbot.waitUntil(lambda: when().endswith("· gift idea"))
    workspace.run(mark_given(workspace.session, gift.id, True, date.today()))
    qtbot.waitUntil(lambda: when().endswith("· gift given"))


def test_the_window_starts_its_notifier_after_the_first_paint_unless_closed(
    qtbot, monkeypatch, workspace, settings, day
) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "show", lambda self: None)
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda self, *a: None)
    settings.setValue(SETTINGS_MEMBER, day.am_id)
    shown = open_window(qtbot, workspace, settings)
    qtbot.waitUntil(lambda: shown.notifier is not None)
    closed = open_window(qtbot, workspace, settings)
    closed.close()
    qtbot.wait(700)  # past the notifier's delay
    assert closed.notifier is None
