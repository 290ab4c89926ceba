"""This station's sync settings and its agency's identity, kept in the database they belong to.

Two small tables on their own `MetaData` (like the bookkeeping in `schema.py`), never in a
change file:

- `sync_settings`: the shared folder (NULL: sync is off) and the auto-sync interval. A path is
  this computer's (a drive letter here, a mount point there) and the cadence is this station's
  choice, so they never travel; compaction deletes the row from every snapshot. No row at all
  means "never configured", which is how the app tells a database that predates these settings
  (see `desktop.sync.settings` for what happens to the old per-user values then).
- `sync_agency`: the id of the agency this database belongs to, made once when the database is
  created. A snapshot keeps it (it is the agency's, not the station's), and a share records it
  in `agency.json` on first use; `agency.py` compares the two before anything moves. NULL only
  in a database that had synced before agencies were recorded: it takes the share's id the next
  time it syncs there (see `agency.py`).

The station's name stays where sync has always kept it, `sync_ctl.station_name`.

Every function takes `run`, a callable like `sqlite3.Connection.execute` or SQLAlchemy's
`Connection.exec_driver_sql` (SQL with `?` parameters), so sync's own connection and the app's
session use the same code.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, Text

from db.settings import AGENCY_NAME, DEFAULTS

Run = Callable[..., Any]

DEFAULT_INTERVAL_MINUTES = 5
MAX_INTERVAL_MINUTES = 24 * 60

metadata = MetaData()

sync_settings = Table(
    "sync_settings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("share", Text),  # NULL: sync is off
    Column(
        "interval_minutes", Integer, nullable=False, server_default=str(DEFAULT_INTERVAL_MINUTES)
    ),
)

sync_agency = Table(
    "sync_agency",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency_id", String(32)),
)

TABLES = (sync_settings, sync_agency)


def new_agency_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class StationSettings:
    share: str | None  # None: sync is off
    interval_minutes: int  # 0: only when asked
    station_name: str  # "" until one is given


def read_settings(run: Run) -> StationSettings | None:
    """The stored settings, None when this database never had any."""
    row = run("SELECT share, interval_minutes FROM sync_settings WHERE id = 1").fetchone()
    if row is None:
        return None
    interval = min(max(int(row[1]), 0), MAX_INTERVAL_MINUTES)
    return StationSettings(row[0] or None, interval, station_name(run))


def write_settings(run: Run, share: str | None, interval_minutes: int, name: str) -> None:
    interval = min(max(int(interval_minutes), 0), MAX_INTERVAL_MINUTES)
    run(
        "INSERT INTO sync_settings (id, share, interval_minutes) VALUES (1, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET share = excluded.share, "
        "interval_minutes = excluded.interval_minutes",
        (share or None, interval),
    )
    run("UPDATE sync_ctl SET station_name = ? WHERE id = 1", (name,))


def remember_share(run: Run, share: str) -> bool:
    """Record `share` as this database's shared folder unless settings exist already (a
    database synced from the command line, or joined, then syncs there in the app too).
    Reads first, so the usual sync, whose database has settings, writes nothing here."""
    if run("SELECT 1 FROM sync_settings WHERE id = 1").fetchone() is not None:
        return False
    cursor = run(
        "INSERT INTO sync_settings (id, share) VALUES (1, ?) ON CONFLICT (id) DO NOTHING",
        (share,),
    )
    return bool(cursor.rowcount)


def station_name(run: Run) -> str:
    row = run("SELECT station_name FROM sync_ctl WHERE id = 1").fetchone()
    return str(row[0] or "") if row is not None else ""


def agency_id(run: Run) -> str | None:
    row = run("SELECT agency_id FROM sync_agency WHERE id = 1").fetchone()
    return str(row[0]) if row is not None and row[0] else None


def set_agency_id(run: Run, value: str) -> None:
    run(
        "INSERT INTO sync_agency (id, agency_id) VALUES (1, ?) "
        "ON CONFLICT (id) DO UPDATE SET agency_id = excluded.agency_id",
        (value,),
    )


def agency_name(run: Run) -> str:
    """The agency's name as its synced settings hold it (the default when never set)."""
    row = run("SELECT value FROM agency_setting WHERE key = ?", (AGENCY_NAME,)).fetchone()
    if row is not None:
        try:
            value = json.loads(row[0])
        except (TypeError, ValueError):
            value = row[0]
        if isinstance(value, str) and value.strip():
            return value.strip()
    return str(DEFAULTS[AGENCY_NAME])


def never_synced(run: Run) -> bool:
    """Nothing sent, nothing received: this database never took part in any share."""
    seq = run("SELECT seq FROM sync_ctl WHERE id = 1").fetchone()
    applied = run("SELECT count(*) FROM sync_applied WHERE seq > 0").fetchone()[0]
    pushed = run("SELECT count(*) FROM sync_pushed").fetchone()[0]
    return (seq is None or seq[0] == 0) and not applied and not pushed


def create_tables(conn: Any) -> None:
    """Create both tables (migration 0004) with this database's agency id: a new one for a
    database that never synced, none (taken from the share later) for one that did."""
    from sqlalchemy import text

    metadata.create_all(conn, tables=list(TABLES))
    run = conn.exec_driver_sql
    if never_synced(run):
        conn.execute(
            text("INSERT INTO sync_agency (id, agency_id) VALUES (1, :a)"), {"a": new_agency_id()}
        )
    else:
        conn.execute(text("INSERT INTO sync_agency (id, agency_id) VALUES (1, NULL)"))
