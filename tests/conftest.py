"""Shared fixtures. The suite runs headless: offscreen Qt is set here, before anything imports
Qt, so no test depends on the caller's environment."""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
# The app keeps caches (public holidays) in the user's cache folder; tests keep their own.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="agency-desk-tests-cache-")
# Agency keys of encrypted sync go to a file of the test run, never the developer's keychain
# (db/sync/keystore.py); subprocesses inherit it.
os.environ.setdefault(
    "AGENCY_DESK_KEYSTORE_FILE",
    os.path.join(tempfile.mkdtemp(prefix="agency-desk-tests-keys-"), "keys.json"),
)

import pytest

from db.database import open_database
from db.store import Store

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from desktop.main_window import MainWindow
    from desktop.workspace import Workspace


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "agency.sqlite"


@pytest.fixture(scope="session")
def new_database_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database as `open_database(create=True)` makes it, made once per test process:
    running the migrations costs 0.3-1 s, copying the file a millisecond."""
    path = tmp_path_factory.mktemp("new-database") / "template.sqlite"
    open_database(path, create=True).dispose()
    conn = sqlite3.connect(path)
    try:
        # Everything into the main file, so a copy of that one file is the whole database.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


def copy_new_database(template: Path, path: Path) -> None:
    """A new database at `path`, copied from `template`, with the identity a new database
    gets of its own: a new station id and agency id, and a clock reading now. Nothing else in
    a new database differs between two of them."""
    from db.sync.hlc import COUNTER_BITS, SQL_WALL_MS
    from db.sync.local_settings import new_agency_id
    from db.sync.schema import new_station_id

    shutil.copyfile(template, path)
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(
                f"UPDATE sync_ctl SET station_id = ?, hlc = ({SQL_WALL_MS}) << {COUNTER_BITS}",
                (new_station_id(),),
            )
            conn.execute("UPDATE sync_agency SET agency_id = ?", (new_agency_id(),))
    finally:
        conn.close()


@pytest.fixture
def store(db_path: Path, new_database_template: Path) -> Iterator[Store]:
    """A fresh, empty, migrated database per test (a copy of the session's new database,
    with an identity of its own)."""
    copy_new_database(new_database_template, db_path)
    s = Store(open_database(db_path))
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _garbage_collected_here() -> Iterator[None]:
    """Python's cyclic collector runs on whichever thread happens to allocate when its
    threshold is reached: in a GUI test that may be a sync or prefetch worker, and a window
    a finished test left in a reference cycle is then destroyed off the UI thread ("Timers
    cannot be stopped from another thread", then a segfault in the next event loop). So each
    test's garbage is collected here, on the main thread, as the test ends; and what is
    still alive then is frozen (`gc.freeze`), so the next test's collections walk only what
    it made itself."""
    yield
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _own_keystore(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test keeps agency keys in a file of its own: databases made from one migrated
    template share their agency id, so a key one test saved would make another test's plain
    share look like one this station holds a key for."""
    keys = tmp_path_factory.mktemp("keys") / "keys.json"
    monkeypatch.setenv("AGENCY_DESK_KEYSTORE_FILE", str(keys))


@pytest.fixture(autouse=True)
def _no_unanswered_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal question that no test answers would hang the headless run: fail instead. A
    test that expects one patches `QMessageBox.question` itself (after this fixture)."""

    def unanswered(*args: object, **_kwargs: object) -> object:
        raise AssertionError(f"a question nobody answers: {args[1:3]}")

    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.question", unanswered)


class Questions:
    """The questions a test's GUI asked (`QMessageBox.question`), answered with `answer`."""

    def __init__(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.asked: list[str] = []
        self.answer = QMessageBox.StandardButton.Yes

    def __call__(self, _parent: object, _title: str, text: str, *_args: object) -> object:
        self.asked.append(text)
        return self.answer


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> Questions:
    """Answer every question Yes (or set `.answer`) and keep the texts in `.asked`."""
    found = Questions()
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.question", found)
    return found


@pytest.fixture
def workspace(store: Store, qapp: object) -> Iterator[Workspace]:
    """The store's workspace (undo stack and change signal), as the app opens it."""
    from desktop.workspace import Workspace

    ws = Workspace(store)
    yield ws
    ws.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Window settings of this test alone."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: Any, workspace: Workspace, settings: QSettings) -> MainWindow:
    """A main window over the test's agency, wide enough for the charts, not syncing and not
    saving its state (the portfolio and workload tests; other folders shape their own)."""
    from desktop.main_window import MainWindow

    w = MainWindow(workspace, settings, auto_sync=False)
    w.persist = False
    qtbot.addWidget(w)
    w.resize(1300, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def open_window(qtbot: Any, workspace: Workspace, settings: QSettings) -> MainWindow:
    """The main window as a user meets it: saved state restored, shown and active."""
    from desktop.main_window import MainWindow

    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.restore_state()
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w
