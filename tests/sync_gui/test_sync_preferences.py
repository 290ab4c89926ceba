"""The Sync section of Preferences: off by default, a folder that must exist and be writable
(said next to the field), a station name, an interval where 0 means only when asked; saved to
the open database (not the computer user's QSettings), and the window's sync follows at
once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox

from desktop import file_dialogs
from desktop.preferences_dialog import PreferencesDialog
from desktop.sync.settings import SyncSettings, default_station_name, share_problem

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def blank(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "blank.ini"), QSettings.Format.IniFormat)


def open_dialog(qtbot, workspace, settings: QSettings) -> PreferencesDialog:
    dialog = PreferencesDialog(workspace, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_sync_is_off_by_default_with_the_machine_name_and_five_minutes(
    qtbot, workspace, blank
) -> None:
    loaded = SyncSettings.load(workspace.store)
    assert loaded == SyncSettings(None, default_station_name(), 5)
    dialog = open_dialog(qtbot, workspace, blank)
    section = dialog.sync_section
    assert section is not None
    assert section.folder.text() == "" and "Off" in section.folder.placeholderText()
    assert section.station_name.text() == default_station_name()
    assert section.interval.value() == 5
    section.interval.setValue(0)
    assert section.interval.text() == "Only when asked"


def test_a_missing_or_unwritable_folder_is_named_next_to_the_field(
    qtbot, workspace, blank, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, workspace, blank)
    section = dialog.sync_section
    assert section is not None
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    section.folder.setText(str(tmp_path / "no-such-nas"))
    assert not section.check_folder()
    assert section.errors["folder"].isVisible()
    assert section.errors["folder"].text() == "This folder does not exist or is not reachable"
    dialog.accept()  # refused: the dialog stays open and nothing is written
    assert dialog.isVisible() and SyncSettings.load(workspace.store).share is None

    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert share_problem(a_file) == "This is a file, not a folder"

    section.station_name.clear()
    assert section.errors["station_name"].text() == "Give this station a name"
    assert not save.isEnabled()


def test_choose_saves_the_folder_and_the_window_starts_syncing(
    qtbot, workspace, blank, share: Path, monkeypatch, make_window
) -> None:
    window = make_window(blank)
    assert not window.sync.status.isVisible()
    monkeypatch.setattr(file_dialogs, "existing_directory", lambda *a, **k: str(share))

    def fill_and_save(dialog: PreferencesDialog) -> None:
        section = dialog.sync_section
        assert section is not None
        section.choose_button.click()
        assert section.folder.text() == str(share)
        assert not section.errors["folder"].isVisible()
        section.station_name.setText("Front desk")
        section.interval.setValue(10)
        dialog.accept()

    monkeypatch.setattr(PreferencesDialog, "exec", fill_and_save)
    with qtbot.wait_signal(window.sync.controller.finished, timeout=30_000):
        window.preferences_action.trigger()
    assert SyncSettings.load(workspace.store) == SyncSettings(share, "Front desk", 10)
    assert window.sync.status.isVisible()
    assert window.sync.status.text().startswith("Synced ")
    assert window.sync.controller.timer.interval() == 10 * 60_000

    def turn_off(dialog: PreferencesDialog) -> None:
        assert dialog.sync_section is not None
        dialog.sync_section.off_button.click()
        dialog.accept()

    monkeypatch.setattr(PreferencesDialog, "exec", turn_off)
    window.preferences_action.trigger()
    assert SyncSettings.load(workspace.store).share is None
    assert not window.sync.status.isVisible()
    assert not window.sync.controller.timer.isActive()


def test_the_dialog_without_settings_has_no_sync_section(qtbot, workspace) -> None:
    dialog = PreferencesDialog(workspace)
    qtbot.addWidget(dialog)
    assert dialog.sync_section is None


def test_a_busy_database_keeps_the_dialog_open_with_what_was_typed(
    qtbot, workspace, blank, share: Path
) -> None:
    import sqlite3

    dialog = open_dialog(qtbot, workspace, blank)
    section = dialog.sync_section
    assert section is not None
    section.folder.setText(str(share))
    section.station_name.setText("Front desk")
    path = workspace.store.engine.url.database
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a long sync holds the database
    try:
        dialog.accept()
        assert dialog.isVisible() and "database is busy" in dialog.save_error.text()
        assert section.station_name.text() == "Front desk"
    finally:
        other.execute("ROLLBACK")
        other.close()
    dialog.accept()
    assert not dialog.isVisible()
    assert SyncSettings.load(workspace.store) == SyncSettings(share, "Front desk", 5)
