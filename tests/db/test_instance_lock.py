"""The instance lock, as other processes meet it: while one process has the database open,
every other Agency Desk process is refused with a line saying where it is open, whatever the
holder does with the database's files; once the holder lets go, the next one gets in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from db import instance_lock
from db.database import make_engine, open_database
from db.errors import DatabaseInUseError

# Another process trying the database: prints "ok" when it may open it, else the refusal.
TRY_OPEN = """
import sys
from db.database import open_database
from db.errors import DatabaseOpenError
try:
    open_database(sys.argv[1]).dispose()
except DatabaseOpenError as exc:
    print(exc)
else:
    print("ok")
"""

# Another process that takes the database and keeps it until it is killed.
HOLD = """
import sys, time
from db.database import open_database
engine = open_database(sys.argv[1])
engine.connect().close()
print("holding", flush=True)
time.sleep(120)
"""


def other_process(path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", TRY_OPEN, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "agency.sqlite"
    open_database(path, create=True).dispose()
    return path


def test_another_process_is_refused_while_the_database_is_open_and_welcome_after(
    db: Path,
) -> None:
    engine = open_database(db)
    try:
        refusal = other_process(db)
        assert refusal.startswith(f"{db}: is open in ")
        assert f"(process {os.getpid()} on this computer)" in refusal
    finally:
        engine.dispose()
    assert other_process(db) == "ok"


def test_closing_any_descriptor_on_the_files_does_not_let_another_process_in(db: Path) -> None:
    engine = open_database(db)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE scratch (x)"))
        names = [db, Path(f"{db}-wal"), Path(f"{db}-shm"), instance_lock.lock_path(db)]
        for name in names:
            open(name, "rb").close()  # what a careless dialog, copy or hash would do
        assert other_process(db).startswith(f"{db}: is open in ")
        assert all(name.exists() for name in names)
    finally:
        engine.dispose()


def test_one_process_shares_the_lock_and_lets_go_with_its_last_connection(db: Path) -> None:
    first, second = open_database(db), make_engine(db)
    second.connect().close()
    first.dispose()
    assert instance_lock.held_here(db)
    assert other_process(db) != "ok"
    second.dispose()
    assert not instance_lock.held_here(db)
    assert not instance_lock.lock_path(db).exists()  # nothing left beside the database
    assert other_process(db) == "ok"


def test_every_engine_holds_it_not_only_open_database(db: Path) -> None:
    engine = make_engine(db)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            assert other_process(db) != "ok"
    finally:
        engine.dispose()


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need extra rights on Windows")
def test_another_name_for_the_same_file_meets_the_same_lock(db: Path, tmp_path: Path) -> None:
    alias = tmp_path / "alias.sqlite"
    alias.symlink_to(db)
    engine = open_database(alias)
    try:
        assert other_process(db).startswith(f"{db}: is open in ")
    finally:
        engine.dispose()


def test_a_killed_holder_leaves_nothing_that_keeps_others_out(db: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(DatabaseInUseError, match=rf"is open in .*process {holder.pid}"):
            open_database(db)
    finally:
        holder.kill()  # SIGKILL: no clean-up of any kind
        holder.wait()
    assert instance_lock.lock_path(db).exists()  # the killed process could not tidy up
    open_database(db).dispose()
    assert not instance_lock.lock_path(db).exists()


def test_a_refused_open_leaves_the_holders_files_alone(db: Path) -> None:
    engine = open_database(db)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE scratch (x)"))
        wal = Path(f"{db}-wal")
        before = wal.read_bytes()
        assert other_process(db) != "ok"
        assert wal.read_bytes() == before
        assert Path(f"{db}-shm").exists()
    finally:
        engine.dispose()
