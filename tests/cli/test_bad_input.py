"""Every way a user can get the command line wrong ends in one clear line on stderr, exit
code 2, and the file named left exactly as it was."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desktop.cli import main

Untouched = Callable[[Path], None]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(err: str, *fragments: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


@contextmanager
def write_locked(path: Path) -> Iterator[None]:
    """Hold a write lock on `path` as another program would, until the block ends."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.rollback()
        holder.close()


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make `path` unwritable even for root, who ignores permission bits: the immutable
    attribute. Skips where neither way is available."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("running as root where chattr +i is unavailable: cannot make a file read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_unknown_argument(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--frobnicate")
    assert code == 2
    assert out == ""
    assert_one_line(err, "--frobnicate", "--help")


def test_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "frobnicate")
    assert code == 2
    assert_one_line(err, "frobnicate")


def test_unknown_argument_of_a_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite"
    code, _, err = run_cli(capsys, "demo", "--db", str(target), "--colour", "red")
    assert code == 2
    assert_one_line(err, "--colour", "--help")
    assert not target.exists()


def test_demo_needs_a_database_path(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "demo")
    assert code == 2
    assert_one_line(err, "--db")


@pytest.mark.parametrize("scale", ["0", "-3", "two"])
def test_demo_refuses_a_bad_scale(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scale: str
) -> None:
    target = tmp_path / "demo.sqlite"
    code, _, err = run_cli(capsys, "demo", "--db", str(target), "--scale", scale)
    assert code == 2
    assert_one_line(err, "--scale", scale)
    assert not target.exists()


def test_demo_refuses_a_bad_date(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite"
    code, _, err = run_cli(capsys, "demo", "--db", str(target), "--today", "31/03/2025")
    assert code == 2
    assert_one_line(err, "--today", "31/03/2025")
    assert not target.exists()


def test_demo_refuses_an_existing_database(
    capsys: pytest.CaptureFixture[str], demo_db: Path, untouched: Untouched
) -> None:
    untouched(demo_db)
    code, _, err = run_cli(capsys, "demo", "--db", str(demo_db))
    assert code == 2
    assert_one_line(err, str(demo_db), "already exists")


def test_demo_refuses_an_existing_other_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, untouched: Untouched
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\n")
    untouched(notes)
    code, _, err = run_cli(capsys, "demo", "--db", str(notes))
    assert code == 2
    assert_one_line(err, str(notes), "already exists")


def test_demo_refuses_a_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "demo.sqlite"
    code, _, err = run_cli(capsys, "demo", "--db", str(target))
    assert code == 2
    assert_one_line(err, "no such folder")
    assert not target.parent.exists()


def test_if_missing_keeps_an_existing_database(
    capsys: pytest.CaptureFixture[str], demo_db: Path, untouched: Untouched
) -> None:
    untouched(demo_db)
    code, out, err = run_cli(capsys, "demo", "--db", str(demo_db), "--if-missing")
    assert code == 0
    assert out == ""
    assert_one_line(err, "kept")


def test_if_missing_refuses_a_file_that_is_not_a_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, untouched: Untouched
) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_text("not a database at all\n")
    untouched(notes)
    code, _, err = run_cli(capsys, "demo", "--db", str(notes), "--if-missing")
    assert code == 2
    assert_one_line(err, str(notes), "not an Agency Desk database")


def test_if_missing_refuses_a_locked_database(
    capsys: pytest.CaptureFixture[str], demo_db: Path, untouched: Untouched
) -> None:
    untouched(demo_db)
    with write_locked(demo_db):
        code, _, err = run_cli(capsys, "demo", "--db", str(demo_db), "--if-missing")
        assert code == 2
        assert_one_line(err, str(demo_db), "locked")


def test_if_missing_refuses_a_read_only_database(
    capsys: pytest.CaptureFixture[str], demo_db: Path, untouched: Untouched
) -> None:
    with read_only(demo_db):
        untouched(demo_db)
        code, _, err = run_cli(capsys, "demo", "--db", str(demo_db), "--if-missing")
        assert code == 2
        assert_one_line(err, str(demo_db), "read-only")


def test_self_test_refuses_a_missing_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.sqlite"
    code, _, err = run_cli(capsys, "--db", str(missing), "--self-test")
    assert code == 2
    assert_one_line(err, str(missing), "no such database file")
    assert not missing.exists()
    assert list(tmp_path.iterdir()) == []


def test_self_test_needs_a_database(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "--self-test")
    assert code == 2
    assert_one_line(err, "--db")


def test_self_test_does_not_go_with_a_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_cli(capsys, "--self-test", "demo", "--db", str(tmp_path / "d.sqlite"))
    assert code == 2
    assert_one_line(err, "--self-test")
    assert list(tmp_path.iterdir()) == []


def test_an_unexpected_failure_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("db.demo.write_demo", explode)
    monkeypatch.delenv("AGENCY_DESK_DEBUG", raising=False)
    code, _, err = run_cli(capsys, "demo", "--db", str(tmp_path / "d.sqlite"))
    assert code == 1
    assert_one_line(err, "unexpected error", "disk on fire")


# The GUI opens the database itself (desktop.app.run_gui); these run the real program.


def run_program(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def gui_available() -> None:
    pytest.importorskip("desktop.app", reason="the GUI (desktop.app) is not there yet")


@pytest.mark.usefixtures("gui_available")
def test_gui_refuses_a_file_that_is_not_a_database(tmp_path: Path, untouched: Untouched) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_bytes(b"PK\x03\x04 a zip file, not a database")
    untouched(notes)
    done = run_program("--db", str(notes), "--self-test")
    assert done.returncode == 2, done.stderr
    assert_one_line(done.stderr, str(notes))


@pytest.mark.usefixtures("gui_available")
def test_gui_refuses_a_locked_database(demo_db: Path, untouched: Untouched) -> None:
    untouched(demo_db)
    with write_locked(demo_db):
        done = run_program("--db", str(demo_db), "--self-test")
    assert done.returncode == 2, done.stderr
    assert_one_line(done.stderr, str(demo_db), "locked")


@pytest.mark.usefixtures("gui_available")
def test_gui_refuses_a_read_only_database(demo_db: Path, untouched: Untouched) -> None:
    with read_only(demo_db):
        untouched(demo_db)
        done = run_program("--db", str(demo_db), "--self-test")
    assert done.returncode == 2, done.stderr
    assert_one_line(done.stderr, str(demo_db), "read-only")
