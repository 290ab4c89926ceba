"""Sync settings belong to the database (issue 9 §2), as a user meets it in the app: opening
another database — a second demo agency — never syncs it into the agency's share, not even
with the shared folder an older version kept per computer user; that folder is adopted only by
the database that synced there; a database of another agency is refused in red in the status
bar, in the Sync panel and next to the folder in Preferences; the settings survive reopening
under another user; and File > Join a Shared Agency… builds a new database from the share."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from db.database import open_database
from db.demo import write_demo
from db.store import Store
from db.sync import local_settings, sync
from desktop import file_dialogs
from desktop.main_window import MainWindow
from desktop.preferences_dialog import PreferencesDialog
from desktop.sync import join_dialog
from desktop.sync.controller import START_DELAY_MS
from desktop.sync.join_dialog import JoinDialog
from desktop.sync.settings import SHARE_KEY, STATION_NAME_KEY, SyncSettings
from desktop.sync.status import ERROR_TEXT
from desktop.workspace import Workspace
from tests.sync.harness import dump

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(
        "This plugin does not support propagateSizeHints", "This plugin does not support raise"
    ),
]

TIMEOUT_MS = 60_000
AGENCY = "Harbour & Pine Studio"


def share_state(share: Path) -> dict[str, bytes]:
    return {str(p.relative_to(share)): p.read_bytes() for p in share.rglob("*") if p.is_file()}


def outbox(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]
    finally:
        conn.close()


def agency_of(path: Path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        return local_settings.agency_id(conn.execute)
    finally:
        conn.close()


def ini(tmp_path: Path, name: str) -> QSettings:
    return QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def office(tmp_path: Path, share: Path) -> Path:
    """The agency's database, synced with its share (the share records its agency)."""
    path = tmp_path / "office.sqlite"
    write_demo(path, today=date(2025, 3, 12))
    sync(path, share, station_name="Office")
    return path


@pytest.fixture
def other_demo(tmp_path: Path) -> Path:
    """Another agency: a second demo, as a trainee or a test would make one."""
    path = tmp_path / "other-demo.sqlite"
    write_demo(path, today=date(2026, 1, 20))
    return path


@pytest.fixture
def open_window(qtbot) -> Iterator[Callable[[Path, QSettings], MainWindow]]:
    opened: list[tuple[MainWindow, Workspace]] = []

    def open_(path: Path, settings: QSettings) -> MainWindow:
        workspace = Workspace(Store(open_database(path)))
        window = MainWindow(workspace, settings)
        window.persist = False
        qtbot.addWidget(window)
        window.show()
        opened.append((window, workspace))
        return window

    yield open_
    for window, workspace in opened:
        window.close()
        workspace.close()
        workspace.store.close()


def test_opening_another_database_never_syncs_it_into_the_agencys_share(
    qtbot, tmp_path: Path, share: Path, office: Path, other_demo: Path, open_window
) -> None:
    # The agency's computer after upgrading: the folder is still in the user's QSettings
    # (where older versions kept it) and the agency's database has no settings of its own.
    conn = sqlite3.connect(office)
    with conn:
        conn.execute("DELETE FROM sync_settings")
    conn.close()
    user = ini(tmp_path, "user")
    user.setValue(SHARE_KEY, str(share))
    user.setValue(STATION_NAME_KEY, "Office")
    share_before, demo_before = share_state(share), dump(other_demo)
    demo_outbox = outbox(other_demo)

    window = open_window(other_demo, user)
    controller = window.sync.controller
    with qtbot.wait_signal(controller.legacy_checked, timeout=TIMEOUT_MS) as checked:
        pass
    assert checked.args == [False]
    qtbot.wait(START_DELAY_MS + 300)  # past the moment a start-up sync would have begun
    assert not controller.enabled and controller.last_result is None and not controller.busy
    assert not window.sync.status.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert "choose a shared folder in Preferences" in window.statusBar().currentMessage()
    assert not controller.busy
    assert share_state(share) == share_before
    assert dump(other_demo) == demo_before and outbox(other_demo) == demo_outbox
    assert SyncSettings.load(window.workspace.store).share is None
    assert user.value(SHARE_KEY) == str(share)  # kept for the database it belongs to

    # The agency's own database recognises the folder (its station synced there): the
    # settings move into it and it syncs.
    agency_window = open_window(office, user)
    agency_controller = agency_window.sync.controller
    with qtbot.wait_signal(agency_controller.finished, timeout=TIMEOUT_MS):
        pass
    assert agency_controller.last_error is None
    assert SyncSettings.load(agency_window.workspace.store).share == share
    assert user.value(SHARE_KEY) is None
    assert agency_window.sync.status.text().startswith("Synced ")
    assert share_state(share).keys() >= share_before.keys()
    assert dump(other_demo) == demo_before


def test_a_database_of_another_agency_is_refused_in_the_status_bar_and_the_panel(
    qtbot, tmp_path: Path, share: Path, office: Path, other_demo: Path, open_window, monkeypatch
) -> None:
    store = Store(open_database(other_demo))
    SyncSettings(share, "Desk", 0).save(store)  # say it was typed before the check existed
    store.close()
    share_before, demo_before = share_state(share), dump(other_demo)
    demo_outbox = outbox(other_demo)
    window = open_window(other_demo, ini(tmp_path, "desk"))
    controller = window.sync.controller
    with qtbot.wait_signal(controller.failed, timeout=TIMEOUT_MS) as failed:
        qtbot.keyClick(window, Qt.Key.Key_F5)
    message = failed.args[0]
    assert message.count(f"“{AGENCY}”") == 2  # both agencies named ...
    assert agency_of(office)[:12] in message  # ... and, as their names agree, their ids
    assert agency_of(other_demo)[:12] in message
    assert "Join a Shared Agency" in message and "Traceback" not in message
    assert controller.last_error_kind == "agency"
    assert window.sync.status.text() == ERROR_TEXT["agency"]
    assert window.sync.status.tone == "error"
    assert message in window.sync.status.toolTip()
    assert "belongs to the agency" in window.statusBar().currentMessage()
    panel = window.sync.show_panel()
    assert ERROR_TEXT["agency"] in panel.state.text()
    assert "Join a Shared Agency" in panel.state.text()
    panel.grab().save(str(tmp_path / "panel.png"))
    asked: list[JoinDialog] = []
    monkeypatch.setattr(JoinDialog, "exec", lambda dialog: asked.append(dialog))
    assert panel.join_button.isVisible()
    qtbot.mouseClick(panel.join_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1  # the panel offers the way out: Join, into a new database
    assert share_state(share) == share_before
    assert dump(other_demo) == demo_before and outbox(other_demo) == demo_outbox


def test_preferences_names_both_agencies_next_to_the_folder_and_saves_nothing(
    qtbot, tmp_path: Path, share: Path, office: Path, other_demo: Path
) -> None:
    store = Store(open_database(other_demo))
    workspace = Workspace(store)
    try:
        dialog = PreferencesDialog(workspace, settings=ini(tmp_path, "prefs"))
        qtbot.addWidget(dialog)
        dialog.show()
        section = dialog.sync_section
        assert section is not None
        section.folder.setText(str(share))
        assert not section.check_folder()
        error = section.errors["folder"]
        assert error.isVisible() and error.wordWrap()
        assert error.text().count(f"“{AGENCY}”") == 2
        assert agency_of(office)[:12] in error.text()
        assert agency_of(other_demo)[:12] in error.text()
        assert "Join a Shared Agency" in error.text()
        dialog.accept()  # refused: the dialog stays open and nothing is written
        assert dialog.isVisible()
        assert SyncSettings.load(store).share is None
        qtbot.wait(50)  # let the layout make room for the message
        assert error.height() >= error.heightForWidth(error.width())  # shown whole
        dialog.grab().save(str(tmp_path / "prefs.png"))
    finally:
        workspace.close()
        store.close()


def test_sync_settings_belong_to_the_database_and_survive_reopening(
    qtbot, tmp_path: Path, share: Path, office: Path, open_window
) -> None:
    path = tmp_path / "laptop.sqlite"
    sync(path, share)  # a new station of the agency
    store = Store(open_database(path))
    workspace = Workspace(store)
    try:
        dialog = PreferencesDialog(workspace, settings=ini(tmp_path, "alice"))
        qtbot.addWidget(dialog)
        section = dialog.sync_section
        assert section is not None
        assert section.folder.text() == str(share)  # the join remembered its folder
        section.station_name.setText("Alice's laptop")
        section.interval.setValue(15)
        dialog.accept()
    finally:
        workspace.close()
        store.close()
    # Reopened by another computer user (other QSettings): the database brings its settings.
    window = open_window(path, ini(tmp_path, "bob"))
    config = window.sync.controller.config
    assert config == SyncSettings(share, "Alice's laptop", 15)
    assert window.sync.controller.enabled and window.sync.controller.timer.isActive()
    assert window.sync.status.isVisible()


def test_join_a_shared_agency_from_the_file_menu(
    qtbot, tmp_path: Path, share: Path, office: Path, make_window, monkeypatch
) -> None:
    # A window whose own database does not sync: one that did would take the agency at its
    # start sync (1.5 s in), and on a busy machine the join takes longer than that.
    window = make_window(ini(tmp_path, "desk"))
    file_menu = window.menuBar().actions()[0].menu()
    assert window.join_action in file_menu.actions()
    own = Path(window.workspace.store.engine.url.database)
    own_before = dump(own)
    new = tmp_path / "joined" / "Harbour.sqlite"
    new.parent.mkdir()
    opened: list[Path] = []
    monkeypatch.setattr(join_dialog, "open_in_new_window", lambda p: opened.append(p) or True)
    monkeypatch.setattr(file_dialogs, "existing_directory", lambda *a, **k: str(share))
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(new))

    def drive(dialog: JoinDialog) -> None:
        dialog.show()
        dialog.choose_folder_button.click()
        assert dialog.folder_note.text() == f"Agency: “{AGENCY}”"
        dialog.choose_database_button.click()
        assert dialog.database.text() == str(new)
        dialog.station_name.setText("Laptop")
        qtbot.wait(50)
        dialog.grab().save(str(tmp_path / "join.png"))
        with qtbot.wait_signal(dialog.join_finished, timeout=TIMEOUT_MS) as done:
            qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
            assert dialog.busy and not dialog.join_button.isEnabled()
        assert done.args == [""]

    monkeypatch.setattr(JoinDialog, "exec", drive)
    window.join_action.trigger()
    assert opened == [new]
    assert dump(new) == dump(office)
    assert agency_of(new) == agency_of(office)
    conn = sqlite3.connect(new)
    try:
        stored = local_settings.read_settings(conn.execute)
    finally:
        conn.close()
    assert stored is not None and stored.share == str(share) and stored.station_name == "Laptop"
    assert dump(own) == own_before  # the open database joined nothing
    assert "new window" in window.statusBar().currentMessage()


def test_the_join_dialog_says_what_is_wrong_beside_each_field(
    qtbot, tmp_path: Path, share: Path, office: Path
) -> None:
    dialog = JoinDialog(office)  # an existing file: a join never goes into one
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.folder.setText(str(tmp_path / "no-such-nas"))
    assert not dialog.join()
    assert dialog.errors["folder"].text() == "This folder does not exist or is not reachable"
    assert "exists already" in dialog.errors["database"].text()
    dialog.folder.setText(str(share))
    dialog.database.setText(str(share / "inside.sqlite"))
    assert not dialog.validate()
    assert "not inside the shared folder" in dialog.errors["database"].text()
    assert not (share / "inside.sqlite").exists()


def test_a_window_for_a_self_test_or_benchmark_never_syncs_by_itself(
    qtbot, tmp_path: Path, share: Path, workspace: Workspace
) -> None:
    """The settings travel with the database now, so `--self-test` on the agency's database
    would otherwise sync its share from a check that must change nothing."""
    SyncSettings(share, "Desk", 1).save(workspace.store)
    window = MainWindow(workspace, ini(tmp_path, "scratch"), auto_sync=False)
    qtbot.addWidget(window)
    window.persist = False
    controller = window.sync.controller
    assert controller.enabled and not controller.timer.isActive()
    qtbot.wait(START_DELAY_MS + 300)
    assert controller.last_result is None and not controller.busy
    assert list(share.iterdir()) == []
