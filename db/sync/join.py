"""Joining a share as a new station, so that a kill at any moment leaves nothing half-made.

A join builds the new database beside its target, as `<name>.joining`: schema, the share's
agency, the station's name, the latest snapshot, and the shared folder remembered for the app.
Only when that is complete and on disk is it renamed to the target name; the changes newer
than the snapshot then arrive by the ordinary pull, each file in its own transaction. So the
target either does not exist (the next run starts the join again, first deleting whatever a
killed attempt left) or is a whole station database.

Versions before this one created the target in place; a kill while its schema was being made
left a file that the next run could neither open nor upgrade ("table agency_setting already
exists"). `discard_half_created` recognises such a file (no schema version, nothing but our
own tables, not one row in any of them) and removes it, so the join starts again; a complete
but empty database that a kill left behind is joined in place (see `agency.py`).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.sync import agency, snapshots
from db.sync import local_settings as settings
from db.sync.faults import crash_point
from db.sync.local import LocalStation
from db.sync.transport import Transport

if TYPE_CHECKING:
    from db.sync.engine import SyncResult

SUFFIX = ".joining"
SIDE_FILES = ("", "-wal", "-shm", "-journal")


def joining_path(target: Path) -> Path:
    return target.with_name(target.name + SUFFIX)


def remove_database_files(path: Path) -> None:
    for side in SIDE_FILES:
        path.with_name(path.name + side).unlink(missing_ok=True)


def join_new(
    target: Path,
    transport: Transport,
    share: Path,
    meta: dict[str, Any],
    result: SyncResult,
    station_name: str | None,
    *,
    place: str | None = None,
) -> None:
    """Build a new station of the share's agency at `target` (which must not exist). The
    caller holds `target`'s instance lock (db.instance_lock), so no other join of it runs
    meanwhile. `place`: where the new station syncs, remembered (default: `share`)."""
    from db.database import open_database

    building = joining_path(target)
    remove_database_files(building)  # a killed attempt's leftovers: start again
    try:
        open_database(building, create=True).dispose()
        crash_point("join.after_create")
        station = LocalStation(building)
        assert station.conn is not None
        try:
            agency.settle(station, transport, share, joining=True)
            if station_name is not None:
                station.set_name(station_name)
            settings.remember_share(station.conn.execute, place or str(share))
            crash_point("join.before_snapshot")
            snapshots.join(station, transport, meta, result)
            crash_point("join.after_snapshot")
            # Fold the write-ahead log into the file: the rename must carry everything.
            station.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            station.close()
        _fsync(building)
    except BaseException:
        remove_database_files(building)  # the share failed mid-way: leave nothing behind
        raise
    crash_point("join.before_rename")
    os.replace(building, target)
    for side in SIDE_FILES[1:]:
        building.with_name(building.name + side).unlink(missing_ok=True)
    _fsync_folder(target.parent)
    crash_point("join.after_rename")


def discard_half_created(path: Path) -> bool:
    """Remove `path` when it is a database an interrupted run began to create and never
    finished: no schema version recorded, no table that is not ours, and no row anywhere.
    True when it was removed; anything else is left exactly as it is."""
    from db.models import Base
    from db.search.schema import is_search_table
    from db.sync.schema import TABLES as SYNC_TABLES

    if not path.is_file():
        return False
    ours = (
        {t.name for t in Base.metadata.sorted_tables}
        | {t.name for t in SYNC_TABLES}
        | {t.name for t in settings.TABLES}
        | {"alembic_version", "sqlite_sequence"}
    )
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error:
        return False
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        if not {t for t in tables if not is_search_table(t)} <= ours:
            return False
        if (
            "alembic_version" in tables
            and conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0]
        ):
            return False
        if any(
            conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in tables
            if t != "sqlite_sequence" and not is_search_table(t)
        ):
            return False
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    remove_database_files(path)
    return True


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # folders cannot be opened for fsync there; NTFS journals renames
        return
    _fsync(folder)
