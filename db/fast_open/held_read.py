"""A plain sqlite3 read of a database the app is about to open, made only where the app could
open it without a question: a writable local SQLite file at the current schema, whose instance
lock (`db.instance_lock`) this process can take. The lock stays held after a read that found
something, so no other Agency Desk opens the file before the app's own engine does; the
caller gives it back (`instance_lock.release(path)`) once that engine holds it."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from db import instance_lock
from db.errors import AgencyDeskError
from db.local_disk import network_filesystem
from db.migrations import SCHEMA_HEAD

T = TypeVar("T")

SQLITE_MAGIC = b"SQLite format 3\x00"
LOCK_TIMEOUT_S = 2.0


def read_held(path: Path, reader: Callable[[sqlite3.Connection], T | None]) -> T | None:
    """What `reader` finds in the database at `path`, read in one transaction, with this
    process holding the instance lock; None, holding nothing, whenever the app's ordinary
    opening should decide (in use, not lockable, not plainly usable, another schema, a
    damaged file, or a reader that found nothing it could show)."""
    path = Path(path).expanduser().absolute()
    if not _plainly_usable(path):
        return None
    try:
        instance_lock.acquire(path)
    except AgencyDeskError:  # in use by another Agency Desk, or not lockable: it says why
        return None
    try:
        found = _read_current(path, reader)
    except (sqlite3.Error, OSError, ValueError, KeyError, TypeError):
        found = None
    if found is None:
        instance_lock.release(path)
    return found


def _read_current(path: Path, reader: Callable[[sqlite3.Connection], T | None]) -> T | None:
    conn = sqlite3.connect(path, timeout=LOCK_TIMEOUT_S)
    try:
        # Another program writing now would make the app refuse the file: leave that to it.
        conn.execute("BEGIN IMMEDIATE")
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables:
            return None
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None or revision[0] != SCHEMA_HEAD:
            return None  # an upgrade is due: Alembic's business
        return reader(conn)
    finally:
        conn.rollback()
        conn.close()


def _plainly_usable(path: Path) -> bool:
    """A writable SQLite file in a writable local folder (what `db.database` checks first)."""
    try:
        if not path.is_file() or network_filesystem(path) is not None:
            return False
        with path.open("rb") as f:
            if f.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return False
    except OSError:
        return False
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
