"""Opening a database file: checks that it is an Agency Desk database this version can use,
backs it up and upgrades it when it is older, and refuses (leaving it untouched) when it is
not a database, is locked or read-only, comes from a newer version, or is open in another
Agency Desk process.

This is the one door to the database, so it is where the instance lock (`db.instance_lock`,
which explains why it exists) is taken: `open_database` holds it before SQLite first touches
the file, and every engine from `make_engine` holds it for as long as it has a connection
open, whichever code made the engine.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

from db import instance_lock
from db.errors import (
    DatabaseLockedError,
    MissingDatabaseError,
    NetworkDriveError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
)
from db.local_disk import network_filesystem
from db.migrations import SCHEMA_HEAD

if TYPE_CHECKING:
    from alembic.config import Config

SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATIONS = Path(__file__).with_name("migrations")
LOCK_TIMEOUT_S = 2.0


def alembic_config(connection: Connection | None = None) -> Config:
    # Alembic is imported only when a schema must be created or upgraded: it costs a third of
    # a second at start-up, and an up-to-date database (the usual case) never needs it.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision among the migration scripts (SCHEMA_HEAD must equal it)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(path: Path, *, first: sqlite3.Connection | None = None) -> Engine:
    """An engine on `path` whose connections hold the instance lock while they are open (the
    first one raises DatabaseInUseError when another process holds it). `first`, opened by
    `_connect` on the same file, becomes the engine's first connection."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": LOCK_TIMEOUT_S})
    _hold_while_connected(engine, path, [] if first is None else [first])
    event.listen(engine, "connect", _set_pragmas)
    return engine


def _connect(path: Path) -> sqlite3.Connection:
    """A connection as the engine's dialect makes them (so an engine can take it over)."""
    return sqlite3.connect(path, timeout=LOCK_TIMEOUT_S, check_same_thread=False)


def _hold_while_connected(engine: Engine, path: Path, spare: list[sqlite3.Connection]) -> None:
    # Taken before the DBAPI connection exists, so SQLite never opens the file unlocked, and
    # given back when the pool closes the connection (dispose, invalidation).
    holding: dict[int, bool] = {}

    def connect(dialect: Any, _record: object, cargs: list[Any], cparams: dict[str, Any]) -> Any:
        instance_lock.acquire(path)
        try:
            connection = spare.pop() if spare else dialect.connect(*cargs, **cparams)
        except BaseException:
            instance_lock.release(path)
            raise
        holding[id(connection)] = True
        return connection

    def close(dbapi_connection: object, _record: object = None) -> None:
        if holding.pop(id(dbapi_connection), False):
            instance_lock.release(path)

    event.listen(engine, "do_connect", connect)
    event.listen(engine, "close", close)
    event.listen(engine, "close_detached", close)


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise NotADatabaseError(f"{path}: is a folder, not an Agency Desk database")
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_MAGIC))
    except PermissionError as exc:
        raise ReadOnlyDatabaseError(f"{path}: cannot be read ({exc.strerror})") from exc
    if header != SQLITE_MAGIC:
        raise NotADatabaseError(f"{path}: is not an Agency Desk database (not an SQLite file)")
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise ReadOnlyDatabaseError(
            f"{path}: is read-only; Agency Desk needs to write to the file and its folder"
        )


def _check_not_locked(conn: sqlite3.Connection, path: Path) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseLockedError(
                f"{path}: is locked by another program; close it there and try again"
            ) from exc
        raise NotADatabaseError(f"{path}: is damaged or not a database ({exc})") from exc


def backup(path: Path, label: str) -> Path:
    """Copy the database with SQLite's backup API (consistent even mid-WAL) next to it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{label}-{stamp}{path.suffix or '.sqlite'}")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def open_database(path: Path | str, *, create: bool = False) -> Engine:
    """Return an engine on an up-to-date Agency Desk database at `path`.

    With create=True a missing file becomes a new, empty database. Any refusal raises a
    DatabaseOpenError whose message names the file, and leaves the file as it was.
    """
    path = Path(path).expanduser().absolute()
    _refuse_network_drive(path)
    if not path.exists():
        if not create:
            raise MissingDatabaseError(f"{path}: no such database file")
        if not path.parent.is_dir():
            raise MissingDatabaseError(f"{path.parent}: no such folder")
        if not os.access(path.parent, os.W_OK):
            raise ReadOnlyDatabaseError(f"{path.parent}: folder is read-only")
        with instance_lock.held(path):
            engine = make_engine(path)
            _upgrade_or_dispose(engine, fresh=True)
            return engine

    if not instance_lock.held_here(path):
        # Reading the header opens the file outside SQLite; in a process that already has it
        # open that would drop SQLite's locks on it (see db.instance_lock). It was checked
        # when this process first opened it.
        _check_file(path)
    with instance_lock.held(path):
        engine = _open_current(path)
        # The engine keeps a pooled connection, and with it the lock, once this block ends.
        engine.connect().close()
        return engine


def _open_current(path: Path) -> Engine:
    try:
        probe = _connect(path)
    except sqlite3.Error as exc:
        raise NotADatabaseError(f"{path}: is damaged or not a database ({exc})") from exc
    try:
        _check_not_locked(probe, path)
        current = _current_revision(probe, path)
    except BaseException:
        probe.close()
        raise
    if current == SCHEMA_HEAD:
        # The engine's first connection is the one that read the version: SQLite parses the
        # whole schema (every table and trigger) once per connection, ~12 ms here.
        return make_engine(path, first=probe)
    probe.close()
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    if current is not None:
        try:
            scripts.get_revision(current)
        except Exception as exc:
            raise NewerDatabaseError(
                f"{path}: was written by a newer version of Agency Desk (schema {current}); "
                "update Agency Desk to open it"
            ) from exc
    backup(path, f"schema-{current or 'none'}")
    engine = make_engine(path)
    _upgrade_or_dispose(engine)
    return engine


def _refuse_network_drive(path: Path) -> None:
    fstype = network_filesystem(path)
    if fstype is not None:
        raise NetworkDriveError(
            f"{path}: is on a network drive ({fstype}); SQLite databases there can be "
            "corrupted. Keep the database on this computer and share through Sync instead"
        )


def _upgrade_or_dispose(engine: Engine, *, fresh: bool = False) -> None:
    """Upgrade; a failed upgrade closes the engine's connections, so it holds no lock."""
    try:
        _upgrade(engine, fresh=fresh)
    except BaseException:
        engine.dispose()
        raise


def _upgrade(engine: Engine, *, fresh: bool = False) -> None:
    """`fresh`: the file is new and empty. Its triggers are then installed once, after the
    last migration, instead of by every migration that changes a synced table (with nothing
    to record, the intermediate ones are waste: 11 reinstalls, ~1 s for a new database)."""
    from alembic import command

    from db.sync.schema import DEFER_TRIGGERS, install_triggers

    with engine.begin() as connection:
        if fresh:
            connection.info[DEFER_TRIGGERS] = True
        try:
            command.upgrade(alembic_config(connection), "head")
        finally:
            connection.info.pop(DEFER_TRIGGERS, None)
        if fresh:
            install_triggers(connection)


def _current_revision(conn: sqlite3.Connection, path: Path) -> str | None:
    """The schema revision in the file at `path` (open on `conn`); None for an empty SQLite
    file; refuses foreign ones.

    A plain sqlite3 query, not an engine and an inspector: every start reads it, and only
    when it differs from SCHEMA_HEAD does anything more (Alembic) need loading."""
    try:
        tables = {
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite~_%'"
                " ESCAPE '~'"
            )
        }
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise NotADatabaseError(f"{path}: is an SQLite database but not an Agency Desk one")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    except sqlite3.Error as exc:
        raise NotADatabaseError(f"{path}: is damaged or not a database ({exc})") from exc
