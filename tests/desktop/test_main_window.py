"""The main window's shell: areas built on first show, window state restored from QSettings,
the status bar, and the light/dark palette."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from db.models import Client
from db.operations import Update
from db.team import AddMember
from desktop.main_window import MainWindow
from desktop.theme import match_palette
from tests.conftest import open_window

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def make_window(qtbot, workspace, settings) -> MainWindow:
    return open_window(qtbot, workspace, settings)


def test_an_empty_agency_starts_by_adding_its_team(qtbot, workspace, settings):
    w = make_window(qtbot, workspace, settings)
    assert w.current_area_key() == "team"
    assert w.new_action.text() == "New Team Member"
    assert w.area("team").empty_hint.isVisibleTo(w)


def test_starts_on_clients_and_builds_projects_only_when_shown(qtbot, workspace, settings):
    workspace.run(AddMember("Ana"))
    w = make_window(qtbot, workspace, settings)
    assert w.current_area_key() == "clients"
    assert w._slots["projects"].widget is None
    assert w.new_action.text() == "New Client"
    # Nothing is selected yet: Delete names nothing and is off.
    assert w.delete_action.text() == "Delete" and not w.delete_action.isEnabled()
    qtbot.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert w.current_area_key() == "projects"
    assert w._slots["projects"].widget is not None
    assert w.new_action.text() == "New Project"


def test_geometry_and_last_view_are_restored(qtbot, workspace, settings) -> None:
    first = make_window(qtbot, workspace, settings)
    first.resize(790, 540)  # inside the offscreen screen's 800x600
    first.show_area("projects")
    first.close()
    assert settings.value("main_window/area") == "projects"

    second = make_window(qtbot, workspace, settings)
    assert second.current_area_key() == "projects"
    assert second.size() == QSize(790, 540)


def test_status_bar_names_each_change_and_each_refusal(qtbot, workspace, agency, settings):
    w = make_window(qtbot, workspace, settings)
    workspace.run(Update(Client, agency.clients["acme"], {"name": "Acme"}, label="Rename Acme"))
    assert w.statusBar().currentMessage() == "Rename Acme"
    workspace.run(Update(Client, agency.clients["acme"], {"currency": "euro"}))
    assert "Client currency: 'euro' is not a three-letter currency code" in (
        w.statusBar().currentMessage()
    )


def test_preferences_action_opens_the_dialog(qtbot, workspace, settings, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(
        "desktop.preferences_dialog.PreferencesDialog.exec", lambda self: opened.append("yes")
    )
    w = make_window(qtbot, workspace, settings)
    w.preferences_action.trigger()
    assert opened == ["yes"]


def test_quit_closes_the_window(qtbot, workspace, settings) -> None:
    w = make_window(qtbot, workspace, settings)
    with qtbot.wait_signal(w.closed):
        w.quit_action.trigger()
    assert not w.isVisible()


def test_palette_follows_the_system_scheme(qapp: QApplication) -> None:
    before = QPalette(qapp.palette())
    try:
        match_palette(qapp, Qt.ColorScheme.Dark)
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 128
        match_palette(qapp, Qt.ColorScheme.Light)
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() >= 128
    finally:
        qapp.setPalette(before)
