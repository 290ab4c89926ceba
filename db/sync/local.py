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

from db.database import alembic_config, open_database
from db.sync import hlc as clock
from db.sync.schema import TABLE_ENTITY, new_station_id

BUSY_TIMEOUT_S = 10.0
# Outbox rows not yet sent; every id up to sync_ctl.sent_id is, so this is a rowid range.
UNSENT = "id > (SELECT sent_id FROM sync_ctl) AND pushed_seq IS NULL"


@cache
def schema_head() -> str:
    # Alembic here, not at the top: the app imports this module at start-up, where an
    # up-to-date database needs no Alembic at all.
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@cache
def known_schemas() -> frozenset[str]:
    from alembic.script import ScriptDirectory

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
    ctx: int = 0
    pushing_wall: int | None = None


class LocalStation:
    def __init__(self, path: Path) -> None:
        """Open (creating or upgrading it first if needed) the database at `path`; a current
        one costs one connection and one small query."""
        self.path = path
        # Kept in a local until it is surely open, so `self.conn` is never None.
        conn = self._connect() if path.exists() else None
        if conn is None or not _is_current(conn):
            if conn is not None:
                conn.close()
                from db.sync.join import discard_half_created

                # An older version killed while creating this file left it unusable; it holds
                # nothing, so it is made again (and joins, see db.sync.agency).
                discard_half_created(path)
            open_database(path, create=True).dispose()
            conn = self._connect()
        self.conn: sqlite3.Connection = conn
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
            "pushing_upto, acked, generation, ctx, pushing_wall FROM sync_ctl WHERE id = 1"
        ).fetchone()
        sid, name, seq, hlc, offset, pushing_seq, upto, acked, generation, ctx, wall = row
        return Identity(
            sid, name, seq, hlc, offset, pushing_seq, upto, json.loads(acked), generation, ctx, wall
        )

    def now_ms(self) -> int:
        return clock.wall_ms(self.identity().clock_offset_ms)

    def set_name(self, name: str) -> None:
        self.conn.execute("UPDATE sync_ctl SET station_name = ? WHERE id = 1", (name,))

    def applied(self) -> dict[str, int]:
        """station -> highest file seq applied (orders the pull)."""
        return dict(self.conn.execute("SELECT station, seq FROM sync_applied").fetchall())

    def seen(self) -> dict[str, int]:
        """station -> highest change counter applied: the applied vector causal contexts
        are compared with (our own entry is what we have pushed)."""
        return dict(self.conn.execute("SELECT station, n FROM sync_applied").fetchall())

    def set_applied(self, station: str, seq: int, n: int = 0) -> None:
        self.conn.execute(
            "INSERT INTO sync_applied (station, seq, n) VALUES (?, ?, ?) "
            "ON CONFLICT (station) DO UPDATE SET seq = max(seq, excluded.seq), "
            "n = max(n, excluded.n)",
            (station, seq, n),
        )

    def new_context(self) -> None:
        """The applied vector changed (a file was applied): edits from now on are made in a
        new causal context. Call inside the applying transaction."""
        self.conn.execute("UPDATE sync_ctl SET ctx = ctx + 1 WHERE id = 1")

    def contexts(self, ids: set[int]) -> dict[int, dict[str, int]]:
        found = {}
        for ctx_id in sorted(ids):
            row = self.conn.execute("SELECT vector FROM sync_ctx WHERE id = ?", (ctx_id,))
            vector = row.fetchone()
            found[ctx_id] = {} if vector is None else json.loads(vector[0])
        return found

    def set_share_offset(self, offset_ms: int) -> None:
        """Our clock minus the share's, just measured; sets how far stamps are held back.
        A clock within the slack (again) also brings our HLC back to the share's time when it
        ran ahead of it (a clock set right after weeks ahead, or an ahead clock adopted
        from a change): stamps stay above every version of the row anyway."""
        excess = clock.excess_ms(offset_ms)
        self.conn.execute(
            "UPDATE sync_ctl SET share_offset_ms = ?, clock_excess_ms = ? WHERE id = 1",
            (offset_ms, excess),
        )
        if excess == 0:
            share_now = self.now_ms() - offset_ms
            self.conn.execute(
                "UPDATE sync_ctl SET hlc = ? WHERE id = 1 AND hlc > ?",
                (
                    share_now << clock.COUNTER_BITS,
                    (share_now + clock.SHARE_SLACK_MS) << clock.COUNTER_BITS,
                ),
            )

    def share_offset(self) -> int:
        row = self.conn.execute("SELECT share_offset_ms FROM sync_ctl WHERE id = 1").fetchone()
        return int(row[0] or 0)

    def unpushed_count(self) -> int:
        row = self.conn.execute(f"SELECT count(*) FROM sync_outbox WHERE {UNSENT}").fetchone()
        return int(row[0])

    def observe(self, remote_hlc: int) -> None:
        """Advance our clock past a received one (unless it is far in the future)."""
        me = self.identity()
        new = clock.receive(me.hlc, remote_hlc, clock.wall_ms(me.clock_offset_ms))
        if new != me.hlc:
            self.conn.execute("UPDATE sync_ctl SET hlc = ? WHERE id = 1", (new,))

    def rekey(self, from_seq: int) -> str:
        """This database is a copy of another station's (a cloned disk): take a new identity,
        and send again, under it, everything sent from `from_seq` on (those files collide
        with the twin's). Keep pulling the old id's files after `from_seq - 1`: the twin's.

        The re-sent changes keep their counters and their contexts (so a re-sent delete
        still removes only what it had seen), and become dots of the new id: this copy's
        versions of them are renamed, and every context of ours learns that the history
        both copies share (the old id up to the split) was seen."""
        me = self.identity()
        new = new_station_id()
        self.begin()
        try:
            shared_n = self.conn.execute(
                "SELECT coalesce(max(id), 0) FROM sync_outbox WHERE pushed_seq < ?", (from_seq,)
            ).fetchone()[0]
            self.conn.execute(
                "UPDATE sync_outbox SET pushed_seq = NULL WHERE pushed_seq >= ?", (from_seq,)
            )
            self.conn.execute(
                "UPDATE sync_ctl SET sent_id = coalesce((SELECT min(id) - 1 FROM sync_outbox "
                "WHERE pushed_seq IS NULL), sent_id) WHERE id = 1"
            )
            self.conn.execute(
                "UPDATE sync_ctl SET station_id = ?, seq = 0, pushing_seq = NULL, "
                "pushing_upto = NULL, pushing_wall = NULL, acked = '{}', ctx = ctx + 1 "
                "WHERE id = 1",
                (new,),
            )
            for table in ("sync_version", "sync_tomb"):
                self.conn.execute(
                    f"UPDATE {table} SET station = ? WHERE station = ? AND n > ?",
                    (new, me.station_id, shared_n),
                )
            if shared_n:
                self.conn.execute(
                    "UPDATE sync_ctx SET vector = json_set(vector, ?, ?)",
                    (f'$."{me.station_id}"', shared_n),
                )
            self.conn.execute(
                "UPDATE sync_applied SET seq = ?, n = ? WHERE station = ?",
                (from_seq - 1, shared_n, me.station_id),
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
            "SELECT tbl, row_id, op, hlc, data, base, id, ctx FROM sync_outbox "
            "WHERE pushed_seq = ? ORDER BY id",
            (seq,),
        ).fetchall()

    def pushed_wall(self, station: str, seq: int) -> int:
        """The clock written into the header of our file `seq` (0 when not recorded)."""
        row = self.conn.execute(
            "SELECT wall FROM sync_pushed WHERE station = ? AND seq = ?", (station, seq)
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def authors(self, rows: list[tuple[Any, ...]]) -> list[str | None]:
        """Who made each of these outbox rows (as `fetch_outbox` gives them), in order."""
        if not rows:
            return []
        found = dict(
            self.conn.execute(
                "SELECT id, author FROM sync_outbox WHERE id BETWEEN ? AND ?",
                (rows[0][6], rows[-1][6]),
            ).fetchall()
        )
        return [found.get(row[6]) for row in rows]

    def fetch_outbox(self, upto: int) -> list[tuple[Any, ...]]:
        return self.conn.execute(
            "SELECT tbl, row_id, op, hlc, data, base, id, ctx FROM sync_outbox "
            f"WHERE {UNSENT} AND id <= ? ORDER BY id",
            (upto,),
        ).fetchall()
