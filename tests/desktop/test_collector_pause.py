"""The garbage collector is paused while the app starts and runs again once it is up, however
the start ends: painted, refused, or turned into the first-run questions (issue 19)."""

from __future__ import annotations

import gc

import pytest

from desktop import app as desktop_app
from desktop import collector_pause, first_screen
from desktop.cli import main
from desktop.first_run import EMPTY

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture(autouse=True)
def collector_on() -> None:
    assert gc.isenabled()


def test_the_window_is_built_with_the_collector_paused_and_it_runs_after(
    qapp, small_db, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(desktop_app.BENCH_ENV, "1")
    seen: list[bool] = []
    build = desktop_app._run_window

    def watched(*args: object, **kwargs: object) -> int:
        seen.append(gc.isenabled())
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(desktop_app, "_run_window", watched)
    # The main window's own start: the plain start's first screen declining.
    monkeypatch.setattr(first_screen, "first_screen", lambda *_args: None)
    assert main(["--db", str(small_db)]) == 0
    assert capsys.readouterr().out == "first-paint\n"
    assert seen == [False]
    assert gc.isenabled() and not collector_pause.is_paused()


def test_the_first_screen_is_built_with_the_collector_paused_and_it_runs_after(
    qapp, small_db, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(desktop_app.BENCH_ENV, "1")
    seen: list[bool] = []
    build = first_screen.first_screen

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(first_screen, "first_screen", watched)
    assert main(["--db", str(small_db)]) == 0
    assert capsys.readouterr().out == "first-paint\n"
    assert seen == [False]
    assert gc.isenabled() and not collector_pause.is_paused()


def test_a_refused_database_leaves_the_collector_running(qapp, tmp_path, capsys) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_text("not a database")
    assert main(["--db", str(notes), "--self-test"]) == 2
    assert "not an Agency Desk database" in capsys.readouterr().err
    assert gc.isenabled()


def test_the_first_run_questions_come_with_the_collector_running(
    qapp, tmp_path, monkeypatch
) -> None:
    default = tmp_path / "data" / "agency.sqlite"
    monkeypatch.setattr(desktop_app, "default_db_path", lambda: default)
    monkeypatch.setenv(desktop_app.BENCH_ENV, "1")
    asked: list[bool] = []

    def choose_empty(_location: str) -> str:
        asked.append(gc.isenabled())
        return EMPTY

    monkeypatch.setattr(desktop_app, "ask_first_run", choose_empty)
    assert main([]) == 0
    assert asked == [True]
    assert gc.isenabled()


def test_something_else_that_turned_the_collector_off_keeps_it_off() -> None:
    gc.disable()
    try:
        collector_pause.pause()
        collector_pause.resume()
        assert not gc.isenabled()
    finally:
        gc.enable()
