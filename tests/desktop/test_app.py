"""Starting the app: self-test mode, the first-paint hook, first run, and refusing databases
with one line on stderr."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.database import open_database
from db.models import Client
from db.store import Store
from desktop import app as desktop_app
from desktop.app import run_gui
from desktop.first_run import DEMO, EMPTY, JOIN, FirstRunDialog

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture(autouse=True)
def no_dialogs(monkeypatch) -> None:
    """A test that would open a modal dialog fails instead of hanging."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a modal dialog was opened")

    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.critical", refuse)
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.question", refuse)
    monkeypatch.setattr(desktop_app, "ask_first_run", refuse)


def count_clients(path: Path) -> int:
    store = Store(open_database(path))
    try:
        return store.session.scalar(select(func.count()).select_from(Client)) or 0
    finally:
        store.close()


def test_self_test_prints_one_line_and_returns_0(qapp, small_db, capsys) -> None:
    assert run_gui(small_db, self_test=True) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 1, out
    assert lines[0].startswith("self-test ok: 3 clients, 2 projects, 4 tasks, integrity ok, ")
    assert lines[0].endswith(" s")
    assert err == ""


def test_self_test_on_a_missing_file_fails_in_one_line(qapp, tmp_path, capsys) -> None:
    missing = tmp_path / "nowhere.sqlite"
    assert run_gui(missing, self_test=True) == 2
    out, err = capsys.readouterr()
    assert err.strip() == f"{missing}: no such database file"
    assert out == ""
    assert not missing.exists()


def test_a_file_that_is_not_a_database_is_refused_untouched(qapp, tmp_path, capsys) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\n")
    assert run_gui(notes, self_test=True) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "notes.txt: is not an Agency Desk database" in err
    assert notes.read_text() == "shopping list\n"


def test_first_paint_hook_prints_and_quits(qapp, small_db, capsys, monkeypatch) -> None:
    monkeypatch.setenv(desktop_app.BENCH_ENV, "1")
    assert run_gui(small_db) == 0
    assert capsys.readouterr().out == "first-paint\n"


def test_first_run_offers_demo_or_empty(qapp, tmp_path, monkeypatch, capsys) -> None:
    default = tmp_path / "data" / "agency.sqlite"
    monkeypatch.setattr(desktop_app, "default_db_path", lambda: default)
    monkeypatch.setenv(desktop_app.BENCH_ENV, "1")
    asked: list[str] = []

    def choose_empty(location: str) -> str:
        asked.append(location)
        return EMPTY

    monkeypatch.setattr(desktop_app, "ask_first_run", choose_empty)
    assert run_gui(None) == 0
    assert asked == [str(default)]
    assert default.exists()
    assert count_clients(default) == 0

    # The second start finds the database and asks nothing.
    asked.clear()
    assert run_gui(None) == 0
    assert asked == []


def test_first_run_demo_writes_the_demo_agency(qapp, tmp_path, monkeypatch) -> None:
    pytest.importorskip("db.demo")
    default = tmp_path / "data" / "agency.sqlite"
    monkeypatch.setattr(desktop_app, "default_db_path", lambda: default)
    monkeypatch.setenv(desktop_app.BENCH_ENV, "1")
    monkeypatch.setattr(desktop_app, "ask_first_run", lambda _location: DEMO)
    assert run_gui(None) == 0
    assert count_clients(default) > 0


def test_cancelling_the_first_run_creates_nothing(qapp, tmp_path, monkeypatch) -> None:
    default = tmp_path / "data" / "agency.sqlite"
    monkeypatch.setattr(desktop_app, "default_db_path", lambda: default)
    monkeypatch.setattr(desktop_app, "ask_first_run", lambda _location: None)
    assert run_gui(None) == 0
    assert not default.exists()


def test_a_missing_file_is_created_only_when_the_user_agrees(
    qapp, tmp_path, monkeypatch, capsys
) -> None:
    path = tmp_path / "new.sqlite"
    monkeypatch.setenv(desktop_app.BENCH_ENV, "1")
    monkeypatch.setattr(desktop_app, "ask_create", lambda _path: False)
    assert run_gui(path) == 2
    assert not path.exists()
    assert capsys.readouterr().err.strip() == f"{path}: no such database file"
    monkeypatch.setattr(desktop_app, "ask_create", lambda _path: True)
    assert run_gui(path) == 0
    assert path.exists()


def test_first_run_dialog_buttons(qtbot) -> None:
    dialog = FirstRunDialog("/tmp/agency.sqlite")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.empty_button.click()
    assert dialog.choice == EMPTY
    dialog.show()
    dialog.demo_button.click()
    assert dialog.choice == DEMO
    dialog.show()
    dialog.join_button.click()
    assert dialog.choice == JOIN


def test_first_run_can_join_a_shared_agency(qapp, tmp_path, small_db, monkeypatch) -> None:
    """Join on the first-run dialog builds this station's database from the share, where the
    app keeps its database, and the app opens it; a cancelled join asks again."""
    from db.sync import local_settings, sync

    share = tmp_path / "share"
    share.mkdir()
    sync(small_db, share)  # the agency's office computer first used the share
    default = tmp_path / "data" / "agency.sqlite"
    monkeypatch.setattr(desktop_app, "default_db_path", lambda: default)
    monkeypatch.setenv(desktop_app.BENCH_ENV, "1")
    choices = iter([JOIN, JOIN])
    monkeypatch.setattr(desktop_app, "ask_first_run", lambda _location: next(choices))
    joins: list[Path] = []

    def join(path: Path) -> Path | None:
        joins.append(path)
        if len(joins) == 1:
            return None  # cancelled
        sync(path, share, station_name="Laptop")
        return path

    monkeypatch.setattr(desktop_app, "ask_join", join)
    assert run_gui(None) == 0
    assert joins == [default, default]
    assert count_clients(default) == count_clients(small_db) > 0
    store = Store(open_database(default))
    try:
        stored = local_settings.read_settings(store.session.connection().exec_driver_sql)
    finally:
        store.close()
    assert stored is not None and stored.share == str(share)


def test_a_failed_demo_says_so_in_one_line(qapp, tmp_path, monkeypatch, capsys) -> None:
    pytest.importorskip("db.demo")
    default = tmp_path / "data" / "agency.sqlite"
    monkeypatch.setattr(desktop_app, "default_db_path", lambda: default)
    monkeypatch.setattr(desktop_app, "ask_first_run", lambda _location: DEMO)

    def broken(path: Path, scale: int = 1) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr("db.demo.write_demo", broken)
    assert run_gui(None) == 2
    err = capsys.readouterr().err
    assert err == (f"{default}: the demo agency could not be written (No space left on device)\n")
    assert not default.exists()
