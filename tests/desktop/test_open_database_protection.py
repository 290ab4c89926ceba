"""The open database is the app's alone: what a user does in the app (open the Export dialog in
the database's folder), or any code that opens one of the database's files and closes it
again, must not let another process (a print, a sync, a self-test, a second launch) work on
it behind the app's back. Each of those processes is refused in one line, the app's edits all
reach the file, and the file is sound afterwards.

The checks of SQLite's own locks read /proc/locks, so they run on Linux only; the rest runs
everywhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Generator
from pathlib import Path

import pytest
from PySide6.QtCore import QFileInfo, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel

from db import instance_lock
from db.models import Client
from db.operations import Create, Update
from db.store import Store
from desktop import file_dialogs, single_instance
from desktop.app import run_gui
from desktop.main_window import MainWindow
from desktop.workspace import Workspace

from .conftest import Agency

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

PROC_LOCKS = Path("/proc/locks")
linux_only = pytest.mark.skipif(not PROC_LOCKS.exists(), reason="reads /proc/locks")


def agency_desk(tmp_path: Path, *argv: str) -> subprocess.Popen[str]:
    """`agency-desk ARGV` as a user would start it, in its own process."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def finished(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def assert_refused(result: tuple[int, str, str], db: Path) -> None:
    code, _out, err = result
    assert code == 2, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert f"{db}: is open in " in lines[0], err
    assert f"process {os.getpid()} on this computer" in lines[0]


def sqlite_locks(paths: list[Path]) -> list[str]:
    """The POSIX (fcntl) locks this process holds on `paths`: SQLite's own."""
    inodes = {
        f"{os.major(s.st_dev):02x}:{os.minor(s.st_dev):02x}:{s.st_ino}" for s in map(os.stat, paths)
    }
    mine = []
    for line in PROC_LOCKS.read_text().splitlines():
        fields = line.split()
        if "->" in fields:
            continue  # a request waiting, not a lock held
        kind, pid, inode = fields[1], fields[4], fields[5]
        if kind == "POSIX" and pid == str(os.getpid()) and inode in inodes:
            mine.append(line)
    return mine


def database_files(db: Path) -> list[Path]:
    return [db, Path(f"{db}-wal"), Path(f"{db}-shm")]


def show_window(qtbot, workspace: Workspace, settings: QSettings) -> MainWindow:
    window = MainWindow(workspace, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def others_are_refused(tmp_path: Path, db: Path) -> None:
    """A print, a sync and a self-test, each in its own process, while the app has `db`."""
    share = tmp_path / "share"
    share.mkdir(exist_ok=True)
    pdf = tmp_path / "summary.pdf"
    processes = [
        agency_desk(tmp_path, "print-summary", "Acme Bakery", "--db", str(db), "-o", str(pdf)),
        agency_desk(tmp_path, "sync", "--db", str(db), "--share", str(share)),
        agency_desk(tmp_path, "--db", str(db), "--self-test"),
    ]
    for process in processes:
        assert_refused(finished(process), db)
    assert not pdf.exists()
    assert list(share.iterdir()) == []
    assert all(path.exists() for path in database_files(db))  # nobody deleted the app's WAL


def edit_then_close(workspace: Workspace, store: Store, window: MainWindow, agency: Agency) -> None:
    acme = agency.clients["acme"]
    assert workspace.run(Update(Client, acme, {"name": "Acme Bakery & Café"}))
    for i in range(20):
        assert workspace.run(Create(Client, {"name": f"Walk-in client {i}"}))
    assert workspace.run(Update(Client, agency.clients["blue"], {"industry": "Hotels"}))
    window.close()
    store.close()  # as the app does when its window closes: it lets go of the database


# A fresh process reads the database the app has closed.
READ_BACK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
print(conn.execute("PRAGMA integrity_check").fetchone()[0])
for (name,) in conn.execute("SELECT name FROM client ORDER BY name"):
    print(name)
"""


def read_back(db: Path) -> tuple[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", READ_BACK, str(db)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    integrity, *names = done.stdout.splitlines()
    return integrity, names


def assert_every_edit_arrived(tmp_path: Path, db: Path) -> None:
    integrity, names = read_back(db)
    assert integrity == "ok"
    assert "Acme Bakery & Café" in names
    assert "Acme Bakery" not in names
    assert sum(name.startswith("Walk-in client") for name in names) == 20
    # And the app no longer holds it: a print now works.
    pdf = tmp_path / "after.pdf"
    code, _out, err = finished(
        agency_desk(
            tmp_path, "print-summary", "Acme Bakery & Café", "--db", str(db), "-o", str(pdf)
        )
    )
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")


def drive_export_dialog(qtbot, window: MainWindow, folder: Path) -> dict[str, object]:
    """File > Export ... as PDF, in the database's folder: wait until the dialog has listed the
    folder and painted, then Cancel. Returns what was seen while it was open."""
    seen: dict[str, object] = {}

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(50, look)
            return
        model = dialog.findChild(QFileSystemModel)
        assert model is not None
        root = model.index(str(folder))
        if model.rowCount(root) == 0 or model.index(0, 0, root).data() is None:
            QTimer.singleShot(50, look)  # still listing
            return
        dialog.grab()  # paint: every listed file gets its icon and type now
        QTimer.singleShot(500, lambda: cancel(dialog, model))

    def cancel(dialog: QFileDialog, model: QFileSystemModel) -> None:
        root = model.index(str(folder))
        seen["directory"] = Path(dialog.directory().absolutePath())
        seen["listed"] = [model.index(r, 0, root).data() for r in range(model.rowCount(root))]
        seen["types"] = [model.index(r, 2, root).data() for r in range(model.rowCount(root))]
        dialog.reject()

    QTimer.singleShot(0, look)
    window.export_pdf_action.trigger()  # returns when the dialog is cancelled
    return seen


@pytest.fixture
def db_folder(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The database's folder as the current one (where the Export dialog opens), with an
    earlier export in it so the dialog has something to list under its PDF filter."""
    (db_path.parent / "Last week's timeline.pdf").write_bytes(b"%PDF-1.4\n")
    monkeypatch.chdir(db_path.parent)
    return db_path.parent


def test_the_export_dialog_in_the_database_folder_lets_nobody_else_in(
    qtbot,
    workspace: Workspace,
    store: Store,
    agency: Agency,
    settings,
    db_path: Path,
    db_folder: Path,
    tmp_path: Path,
) -> None:
    window = show_window(qtbot, workspace, settings)
    window.show_area("projects")
    assert workspace.run(Update(Client, agency.clients["cedar"], {"industry": "Joinery"}))
    if PROC_LOCKS.exists():
        assert sqlite_locks(database_files(db_path)), "SQLite holds its locks before the dialog"

    seen = drive_export_dialog(qtbot, window, db_folder)
    assert seen["directory"] == db_folder
    assert seen["listed"] == ["Last week's timeline.pdf"]
    assert seen["types"] == ["PDF document"]
    if PROC_LOCKS.exists():
        # The dialog never opened the database's files, so SQLite's locks are all still there.
        assert sqlite_locks(database_files(db_path))

    others_are_refused(tmp_path, db_path)
    edit_then_close(workspace, store, window, agency)
    assert_every_edit_arrived(tmp_path, db_path)


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_opening_and_closing_a_database_file_in_the_app_lets_nobody_else_in(
    qtbot,
    workspace: Workspace,
    store: Store,
    agency: Agency,
    settings,
    db_path: Path,
    tmp_path: Path,
    suffix: str,
) -> None:
    window = show_window(qtbot, workspace, settings)
    assert workspace.run(Update(Client, agency.clients["cedar"], {"industry": "Joinery"}))
    open(f"{db_path}{suffix}", "rb").close()  # any code at all, careful or not
    if PROC_LOCKS.exists() and suffix == "-shm":
        # What made this dangerous: SQLite's locks on that file are gone from the kernel.
        assert not sqlite_locks([Path(f"{db_path}-shm")])

    others_are_refused(tmp_path, db_path)
    edit_then_close(workspace, store, window, agency)
    assert_every_edit_arrived(tmp_path, db_path)


Step = Generator["int | subprocess.Popen[str]", "subprocess.Popen[str] | None", None]


def drive(script: Step, failures: list[BaseException]) -> None:
    """Run `script` inside the app's event loop: it yields milliseconds to wait, or a process
    to wait for (and gets it back finished). The app stays responsive meanwhile."""

    def step(value: subprocess.Popen[str] | None = None) -> None:
        try:
            item = script.send(value)
        except StopIteration:
            return
        except BaseException as exc:  # the test fails after the app has closed
            failures.append(exc)
            close_windows()
            return
        if isinstance(item, int):
            QTimer.singleShot(item, step)
            return
        process = item

        def poll() -> None:
            if process.poll() is None:
                QTimer.singleShot(50, poll)
            else:
                step(process)

        poll()

    QTimer.singleShot(0, step)


def close_windows() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.close()


def main_window() -> MainWindow:
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    assert len(windows) == 1
    return windows[0]


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_second_launch_brings_the_app_forward_and_the_app_lets_go_when_it_closes(
    qapp,
    db_path: Path,
    store: Store,
    agency: Agency,
    tmp_path: Path,
    user_settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.close()  # the database as a user has it before starting the app
    brought: list[MainWindow] = []
    forward: Callable[[MainWindow], None] = single_instance.bring_forward
    monkeypatch.setattr(single_instance, "bring_forward", lambda w: (brought.append(w), forward(w)))
    results: dict[str, tuple[int, str, str]] = {}
    failures: list[BaseException] = []

    def script() -> Step:
        yield 200
        window = main_window()
        window.showMinimized()
        launch = yield agency_desk(tmp_path, "--db", str(db_path))
        assert launch is not None
        results["second launch"] = finished(launch)
        assert brought == [window]
        assert not window.isMinimized()
        share = tmp_path / "share"
        share.mkdir()
        sync = yield agency_desk(tmp_path, "sync", "--db", str(db_path), "--share", str(share))
        assert sync is not None
        results["sync"] = finished(sync)
        window.close()

    drive(script(), failures)
    QTimer.singleShot(120_000, close_windows)  # never hang the suite
    assert run_gui(db_path) == 0
    if failures:
        raise failures[0]

    code, _out, err = results["second launch"]
    assert code == 0, err
    assert (
        err.strip() == f"{db_path}: is already open in Agency Desk; brought its window to the front"
    )
    code, _out, err = results["sync"]
    assert code == 2
    assert f"{db_path}: is open in the Agency Desk app (process {os.getpid()} " in err

    # Closed: the database is free again, for a command as for the next launch.
    assert not instance_lock.held_here(db_path)
    share = tmp_path / "share"
    code, out, err = finished(
        agency_desk(tmp_path, "sync", "--db", str(db_path), "--share", str(share))
    )
    assert code == 0, err
    assert out.startswith("sync: sent ")


# A command in another process holding the database (a long sync), until it is killed.
HOLD_AS_SYNC = """
import sys, time
from db import instance_lock
instance_lock.identify("'agency-desk sync'", app=False)
instance_lock.acquire(sys.argv[1])
print("holding", flush=True)
time.sleep(120)
"""


def test_a_launch_while_a_command_holds_the_database_says_where_it_is_open(
    db_path: Path, store: Store, tmp_path: Path
) -> None:
    store.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_AS_SYNC, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        code, out, err = finished(agency_desk(tmp_path, "--db", str(db_path)))
    finally:
        holder.kill()
        holder.wait()
    assert code == 2
    assert out == ""
    assert err == (
        f"{db_path}: is open in 'agency-desk sync' (process {holder.pid} on this computer); "
        "try again when it has finished\n"
    )


def test_the_dialogs_name_a_file_by_its_name_not_its_content(qapp, tmp_path: Path) -> None:
    # Content sniffing would call this a PDF; the dialogs must not even look.
    disguised = tmp_path / "agency.sqlite-wal"
    disguised.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    provider = file_dialogs.icon_provider()
    info = QFileInfo(str(disguised))
    assert provider.type(info) == "SQLITE-WAL file"
    assert not provider.icon(info).isNull()
    assert provider.type(QFileInfo(str(tmp_path / "Timeline.pdf"))) == "PDF document"
    assert provider.type(QFileInfo(str(tmp_path))) == "Folder"
