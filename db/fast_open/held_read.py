"""A plain sqlite3 read of a database the app is about to open, made only where the app could
open it without a question: a writable local SQLite file at the current schema, whose instance
lock (`db.instance_lock`) this process can take. The lock stays held after a read that found
something, so no other Agency Desk opens the file before the app's own engine does; the
caller gives it back (`instance_lock.release(path)`) once that engine holds it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from db import instance_lock
from db.errors import AgencyDeskError
from db.fast_open.plan_read import LOCK_TIMEOUT_S, _plainly_usable
from db.migrations import SCHEMA_HEAD

T = TypeVar("T")


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
