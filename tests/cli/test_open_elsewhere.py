"""Every command, run while the app has the database open in another process, is refused in one
line that names the file and where it is open (exit code 2), and leaves the database and its
folder exactly as they were; `demo --if-missing` has nothing to do and says so."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.cli import main

Untouched = Callable[[Path], None]

# The app, as far as the database can tell: it opens it and keeps it until it is killed.
APP = """
import sys, time
from db import instance_lock
from db.database import open_database
instance_lock.identify("the Agency Desk app", app=True)
engine = open_database(sys.argv[1])
print("open", flush=True)
time.sleep(120)
"""


@pytest.fixture
def app_pid(demo_db: Path) -> Iterator[int]:
    """The pid of another process that has `demo_db` open as the app does."""
    app = subprocess.Popen([sys.executable, "-c", APP, str(demo_db)], stdout=subprocess.PIPE)
    try:
        assert app.stdout is not None and app.stdout.readline().strip() == b"open"
        yield app.pid
    finally:
        app.kill()
        app.wait()


def command_lines(db: Path, out: Path) -> dict[str, list[str]]:
    share = out / "share"
    share.mkdir(parents=True, exist_ok=True)
    pdf = str(out / "out.pdf")
    return {
        "print-summary": ["print-summary", "Acme", "--db", str(db), "-o", pdf],
        "print-gantt": ["print-gantt", "--db", str(db), "-o", pdf],
        "print-agenda": ["print-agenda", "--db", str(db), "-o", pdf],
        "sync": ["sync", "--db", str(db), "--share", str(share)],
        "self-test": ["--db", str(db), "--self-test"],
    }


@pytest.mark.parametrize("command", ["print-summary", "print-gantt", "print-agenda", "sync"])
def test_a_command_is_refused_while_the_app_has_the_database(
    command: str,
    capsys: pytest.CaptureFixture[str],
    demo_db: Path,
    app_pid: int,
    tmp_path: Path,
    untouched: Untouched,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    argv = command_lines(demo_db, elsewhere)[command]
    untouched(demo_db)
    untouched(Path(f"{demo_db}-wal"))
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.endswith(
        f"{demo_db}: is open in the Agency Desk app (process {app_pid} on this computer); "
        "close it there and try again\n"
    )
    assert not (elsewhere / "out.pdf").exists()
    assert list((elsewhere / "share").iterdir()) == []


def test_the_self_test_is_refused_while_the_app_has_the_database(
    demo_db: Path, app_pid: int, tmp_path: Path, untouched: Untouched
) -> None:
    argv = command_lines(demo_db, tmp_path / "elsewhere")["self-test"]
    untouched(demo_db)
    done = subprocess.run(
        [sys.executable, "-m", "desktop", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        f"{demo_db}: is open in the Agency Desk app (process {app_pid} on this computer); "
        "close it there and try again\n"
    )


def test_demo_if_missing_keeps_a_database_the_app_has_open(
    capsys: pytest.CaptureFixture[str], demo_db: Path, app_pid: int, untouched: Untouched
) -> None:
    untouched(demo_db)
    assert main(["demo", "--db", str(demo_db), "--if-missing"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"{demo_db}: already exists and is open in Agency Desk, kept as it is\n"
