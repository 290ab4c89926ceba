"""The station's side of sync: its own sqlite3 connection to the local database (never the
GUI's session), its identity and clock, and the transactions that read the outbox and apply
pulled files. Nothing here touches the share."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory

from db.database import alembic_config, open_database
from db.sync import hlc as clock
from db.sync.schema import TABLE_ENTITY, new_station_id

BUSY_TIMEOUT_S = 10.0
# Outbox rows not yet sent; every id up to sync_ctl.sent_id is, so this is a rowid range.
UNSENT = "id > (SELECT sent_id FROM sync_ctl) AND pushed_seq IS NULL"


@cache
def schema_head() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@cache
def known_schemas() -> frozenset[str]:
    return frozenset(
        r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    )


def _is_current(conn: sqlite3.Connection) -> bool:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return False  # open_database gives the user-facing refusal
    return row is not None and row[0] == schema_head()


@dataclass
class Identity:
    station_id: str
    station_name: str
    seq: int
    hlc: int
    clock_offset_ms: int
    pushing_seq: int | None
    pushing_upto: int | None
    acked: dict[str, int]
    generation: int


class LocalStation:
    def __init__(self, path: Path) -> None:
        """Open (creating or upgrading it first if needed) the database at `path`; a current
        one costs one connection and one small query."""
        self.path = path
        self.conn = self._connect() if path.exists() else None
        if self.conn is None or not _is_current(self.conn):
            if self.conn is not None:
                self.conn.close()
                from db.sync.join import discard_half_created

                # An older version killed while creating this file left it unusable; it holds
                # nothing, so it is made again (and joins, see db.sync.agency).
                discard_half_created(path)
            open_database(path, create=True).dispose()
            self.conn = self._connect()
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA synchronous = NORMAL")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)

    def close(self) -> None:
        self.conn.close()

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def identity(self) -> Identity:
        row = self.conn.execute(
            "SELECT station_id, station_name, seq, hlc, clock_offset_ms, pushing_seq, "
            "pushing_upto, acked, generation FROM sync_ctl WHERE id = 1"
        ).fetchone()
        return Identity(*row[:7], json.loads(row[7]), row[8])  # type: ignore[arg-type]

    def now_ms(self) -> int:
        return clock.wall_ms(self.identity().clock_offset_ms)

    def set_name(self, name: str) -> None:
        self.conn.execute("UPDATE sync_ctl SET station_name = ? WHERE id = 1", (name,))

    def applied(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT station, seq FROM sync_applied").fetchall())

    def set_applied(self, station: str, seq: int) -> None:
        self.conn.execute(
            "INSERT INTO sync_applied (station, seq) VALUES (?, ?) "
            "ON CONFLICT (station) DO UPDATE SET seq = max(seq, excluded.seq)",
            (station, seq),
        )

    def unpushed_count(self) -> int:
        return self.conn.execute(f"SELECT count(*) FROM sync_outbox WHERE {UNSENT}").fetchone()[0]

    def observe(self, remote_hlc: int) -> None:
        """Advance our clock past a received one (unless it is far in the future)."""
        me = self.identity()
        new = clock.receive(me.hlc, remote_hlc, clock.wall_ms(me.clock_offset_ms))
        if new != me.hlc:
            self.conn.execute("UPDATE sync_ctl SET hlc = ? WHERE id = 1", (new,))

    def rekey(self, from_seq: int) -> str:
        """This database is a copy of another station's (a cloned disk): take a new identity,
        and send again, under it, everything sent from `from_seq` on (those files collide
        with the twin's). Keep pulling the old id's files after `from_seq - 1`: the twin's."""
        me = self.identity()
        new = new_station_id()
        self.begin()
        try:
            self.conn.execute(
                "UPDATE sync_outbox SET pushed_seq = NULL WHERE pushed_seq >= ?", (from_seq,)
            )
            self.conn.execute(
                "UPDATE sync_ctl SET sent_id = coalesce((SELECT min(id) - 1 FROM sync_outbox "
                "WHERE pushed_seq IS NULL), sent_id) WHERE id = 1"
            )
            self.conn.execute(
                "UPDATE sync_ctl SET station_id = ?, seq = 0, pushing_seq = NULL, "
                "pushing_upto = NULL, acked = '{}' WHERE id = 1",
                (new,),
            )
            self.conn.execute(
                "UPDATE sync_applied SET seq = ? WHERE station = ?", (from_seq - 1, me.station_id)
            )
            self.commit()
        except BaseException:
            self.rollback()
            raise
        return new

    def row_counts(self) -> dict[str, int]:
        return {
            t: self.conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in sorted(TABLE_ENTITY)
        }

    def table_ids(self, tables: list[str]) -> dict[str, set[str]]:
        return {t: {r[0] for r in self.conn.execute(f'SELECT id FROM "{t}"')} for t in tables}

    def fetch_pushed(self, seq: int) -> list[tuple[Any, ...]]:
        """The outbox rows that went out in our file `seq`, as `fetch_outbox` gave them."""
        return self.conn.execute(
            "SELECT tbl, row_id, op, hlc, data, base FROM sync_outbox WHERE pushed_seq = ? "
            "ORDER BY id",
            (seq,),
        ).fetchall()

    def fetch_outbox(self, upto: int) -> list[tuple[Any, ...]]:
        return self.conn.execute(
            "SELECT tbl, row_id, op, hlc, data, base FROM sync_outbox "
            f"WHERE {UNSENT} AND id <= ? ORDER BY id",
            (upto,),
        ).fetchall()
