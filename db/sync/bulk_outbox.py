"""Inserting many rows into a synced table with the outbox filled set-based, not row by row.

The outbox triggers (`schema.trigger_sql`) cost 75 to 130 µs per inserted row: each one ticks the
clock, looks up the row's versions and tombstone and writes three or four rows. An import of
50,000 contacts spends seconds there. `insert_rows` silences the triggers for the one INSERT
(`sync_ctl.applying`, which they already check: any value but 0 keeps them quiet, and
`BULK` = 2 tells a reader that the station itself, not a pull, is writing) and then writes
what they would have written with a handful of INSERT … SELECT statements over the new rows,
in the same transaction:

- the clock ticks once per row, as N triggers in a row would within one instant: row k of the
  batch (from 0) gets `max(hlc + 1, wall << 16) + k`, held back by the share's clock exactly
  as `_CLOCK` does, and stamped above every version of its row (a restored row's tombstone);
- the outbox rows come in the order the rows went in (parents first, as the caller gives
  them), with every column, the current causal context recorded once;
- the audit trail gets each row's entry (`db.audit.capture.record_bulk_inserts`);
- `sync_version` and `sync_tomb` change as the insert trigger changes them: a restore keeps
  the delete it came back from as `-<station>`, answers waiting `~` deletes, keeps the old
  `*` among the restores (`+<station>:<n>`), drops the old field versions and the
  tombstone, then gets its `*` version naming its outbox row.

`tests/sync/test_bulk_outbox.py` runs both paths over the same rows and compares every
bookkeeping row, so a change to the triggers that this module does not follow fails there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.engine import Connection

from db.audit.capture import record_bulk_inserts
from db.sync.hlc import COUNTER_BITS, SQL_WALL_MS
from db.sync.schema import _AUTHOR, _CONTEXT, _CTX, _obj, _row_max, live_columns

BULK = 2  # sync_ctl.applying while a bulk insert writes its own outbox rows
_NEW = "sync_bulk_k"  # the batch position column of the rows read back


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` into `table` in order, with the outbox and version rows the insert
    trigger would have written for each. Falls back to the plain INSERT (triggers on) where
    there is nothing to speed up: no sync tables, no trigger, or sync itself applying."""
    if not rows:
        return
    tbl = table.name
    if not _triggers_live(conn, tbl):
        conn.execute(insert(table), rows)
        return
    before = conn.exec_driver_sql(f'SELECT coalesce(max(rowid), 0) FROM "{tbl}"').scalar_one()
    outbox_before = conn.exec_driver_sql(
        "SELECT coalesce(max(id), 0) FROM sync_outbox"
    ).scalar_one()
    conn.exec_driver_sql(f"UPDATE sync_ctl SET applying = {BULK} WHERE id = 1")
    try:
        conn.execute(insert(table), rows)
    finally:
        conn.exec_driver_sql("UPDATE sync_ctl SET applying = 0 WHERE id = 1")
    _record_inserts(conn, tbl, before, outbox_before)


def _triggers_live(conn: Connection, tbl: str) -> bool:
    found = conn.exec_driver_sql(
        "SELECT (SELECT applying FROM sync_ctl WHERE id = 1), EXISTS (SELECT 1 FROM "
        "sqlite_master WHERE type = 'trigger' AND name = ?)",
        (f"sync_{tbl}_ai",),
    ).one()
    return found[0] == 0 and bool(found[1])


def _record_inserts(conn: Connection, tbl: str, before: int, outbox_before: int) -> None:
    """Write the outbox and version rows for the rows of `tbl` above rowid `before`."""
    count = conn.exec_driver_sql(
        f'SELECT count(*) FROM "{tbl}" WHERE rowid > ?', (before,)
    ).scalar_one()
    if not count:
        return
    hlc, wall, excess = conn.exec_driver_sql(
        f"SELECT hlc, {SQL_WALL_MS} + clock_offset_ms, clock_excess_ms FROM sync_ctl"
    ).one()
    first = max(hlc + 1, wall << COUNTER_BITS)
    # What `_CLOCK` holds the stamp to when this station's clock runs ahead of the share's.
    cap = ((wall - excess) << COUNTER_BITS) + (1 << COUNTER_BITS) - 1 if excess > 0 else None
    tick = f'(:first + NEW."{_NEW}")'
    clock = tick if cap is None else f"min({tick}, :cap)"
    conn.exec_driver_sql(_CONTEXT)
    ids = f'(SELECT id FROM "{tbl}" WHERE rowid > {int(before)})'
    # A row that was never here has no version or tombstone to stamp above: the usual case,
    # whose 50,000 lookups are worth skipping.
    history = _has_history(conn, tbl, ids)
    above = f"max({clock}, {_row_max(tbl, 'NEW')} + 1)" if history else clock
    new_rows = (
        f'SELECT r.*, row_number() OVER (ORDER BY r.rowid) - 1 AS "{_NEW}" '
        f'FROM "{tbl}" AS r WHERE r.rowid > :before'
    )
    conn.execute(
        text(
            f"INSERT INTO sync_outbox (tbl, row_id, op, hlc, data, base, ctx, author) "
            f"SELECT '{tbl}', NEW.id, 'I', {above}, "
            f"{_obj('NEW', live_columns(conn, tbl))}, '{{}}', {_CTX}, {_AUTHOR} "
            f'FROM ({new_rows}) AS NEW ORDER BY NEW."{_NEW}"'
        ),
        {"first": first, "before": before} | ({} if cap is None else {"cap": cap}),
    )
    conn.exec_driver_sql("UPDATE sync_ctl SET hlc = ? WHERE id = 1", (first + count - 1,))
    # The audit trail's entries, as its insert trigger writes them (before the tombstones go).
    record_bulk_inserts(conn.exec_driver_sql, tbl, before, restores=history)
    if history:
        _restore_versions(conn, tbl, ids)
    conn.exec_driver_sql(
        "INSERT INTO sync_version (tbl, row_id, field, hlc, station, base, n) "
        "SELECT o.tbl, o.row_id, '*', o.hlc, (SELECT station_id FROM sync_ctl), 0, o.id "
        "FROM sync_outbox AS o WHERE o.id > ? ORDER BY o.id",
        (outbox_before,),
    )


def _has_history(conn: Connection, tbl: str, ids: str) -> bool:
    """Whether any new row was here before (a restore): new ids never were."""
    return bool(
        conn.exec_driver_sql(
            f"SELECT EXISTS (SELECT 1 FROM sync_version WHERE tbl = ? AND row_id IN {ids}) "
            f"OR EXISTS (SELECT 1 FROM sync_tomb WHERE tbl = ? AND row_id IN {ids})",
            (tbl, tbl),
        ).scalar_one()
    )


def _restore_versions(conn: Connection, tbl: str, ids: str) -> None:
    """The insert trigger's statements about a row's past, for every new row at once."""
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO sync_version (tbl, row_id, field, hlc, station, base, n) "
        f"SELECT tbl, row_id, '-' || station, hlc, station, 0, n FROM sync_tomb "
        f"WHERE tbl = ? AND row_id IN {ids}",
        (tbl,),
    )
    conn.exec_driver_sql(
        "INSERT INTO sync_version (tbl, row_id, field, hlc, station, base, n) "
        "SELECT tbl, row_id, '-' || station, hlc, station, 0, n FROM sync_version "
        f"WHERE tbl = ? AND row_id IN {ids} AND field LIKE '~%' "
        "ON CONFLICT (tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc, n = excluded.n "
        "WHERE excluded.n > sync_version.n",
        (tbl,),
    )
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO sync_version (tbl, row_id, field, hlc, station, base, n) "
        "SELECT tbl, row_id, '+' || station || ':' || n, hlc, station, 0, n FROM sync_version "
        f"WHERE tbl = ? AND row_id IN {ids} AND field = '*' AND station <> ''",
        (tbl,),
    )
    conn.exec_driver_sql(
        f"DELETE FROM sync_version WHERE tbl = ? AND row_id IN {ids} AND "
        "substr(field, 1, 1) NOT IN ('-', '+')",
        (tbl,),
    )
    conn.exec_driver_sql(f"DELETE FROM sync_tomb WHERE tbl = ? AND row_id IN {ids}", (tbl,))
