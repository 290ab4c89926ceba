"""Fixtures for the sync GUI tests: a shared folder, station A (a database that joined the
share the way the command line does it, then edited and synced), and station B — the `store`
fixture's new, empty database, whose sync settings point at the share — open in a main window.
B holds nothing of its own, so its first sync takes the share's agency (db.sync.agency)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from db.database import open_database
from db.operations import Operation
from db.store import Store
from db.sync import sync
from desktop.cli import main as cli_main
from desktop.main_window import MainWindow
from desktop.sync.settings import SyncSettings
from desktop.workspace import Workspace


class StationA:
    """The other station: opened only to edit, then synced through the command line."""

    def __init__(self, path: Path, share: Path) -> None:
        self.path = path
        self.share = share
        sync(path, share, station_name="A")  # a new station: joins (or first uses) the share

    def apply(self, *ops: Operation) -> None:
        store = Store(open_database(self.path))
        try:
            for op in ops:
                store.apply(op)
        finally:
            store.close()

    def sync(self) -> None:
        code = cli_main(
            ["sync", "--db", str(self.path), "--share", str(self.share), "--station-name", "A"]
        )
        assert code == 0

    def value(self, query: str) -> object:
        conn = sqlite3.connect(self.path)
        try:
            row = conn.execute(query).fetchone()
        finally:
            conn.close()
        return row[0] if row else None


def click_sync(qtbot, window: MainWindow) -> None:
    """Sync now as a user does (the Sync action) and wait until it has finished."""
    with qtbot.wait_signal(window.sync.controller.finished, timeout=30_000):
        window.sync.sync_action.trigger()


@pytest.fixture
def share(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    return folder


@pytest.fixture
def station_a(tmp_path: Path, share: Path) -> StationA:
    return StationA(tmp_path / "a.sqlite", share)


@pytest.fixture
def settings(tmp_path: Path, share: Path, store: Store) -> QSettings:
    """Station B's window settings; its database syncs through `share` by hand only (no
    timer in tests)."""
    SyncSettings(share, "B", 0).save(store)
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, workspace: Workspace) -> Callable[[QSettings], MainWindow]:
    def make(settings: QSettings) -> MainWindow:
        window = MainWindow(workspace, settings)
        qtbot.addWidget(window)
        window.persist = False
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        return window

    return make


@pytest.fixture
def window(make_window, settings: QSettings) -> MainWindow:
    return make_window(settings)
