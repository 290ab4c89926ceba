"""Deleting many rows of synced tables with the tombstones written set-based, not row by row.

The delete trigger (`schema.trigger_sql`) ticks the clock, writes an outbox row carrying the
whole old row and a tombstone per deleted row, and the audit trigger an entry: about 100 µs a
row, seconds for a project of 10,000 tasks and their links. `delete_rows` silences the
triggers for the DELETE statements (`sync_ctl.applying` = `bulk_outbox.BULK`, as a bulk insert
does) and writes what they would have written with a few INSERT … SELECT statements, in the
same transaction:

- the clock ticks once per row, in the order given (children before parents, as the caller
  orders them): row k (from 0) is stamped `max(hlc + 1, wall << 16) + k`, held back by the
  share's clock as `_CLOCK` does, and above every version of the row;
- each row gets its 'D' outbox row (every column, the causal context, the author) and its
  tombstone naming that outbox row, and the audit trail its 'D' entry.

`tests/sync/test_bulk_delete.py` deletes the same project both ways and compares the
bookkeeping, so a change to the triggers that this module does not follow fails there.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from db.models import Entity
from db.sync.bulk_outbox import BULK, _record_inserts, _triggers_live
from db.sync.hlc import COUNTER_BITS, SQL_WALL_MS
from db.sync.schema import _AUTHOR, _CONTEXT, _CTX, _obj, _row_max, live_columns

_DOOMED = "temp.bulk_doomed"


def delete_rows(conn: Connection, rows: Sequence[tuple[type[Entity], str]]) -> None:
    """DELETE these rows (entity, id) in the order given, with the outbox rows, tombstones
    and audit entries the delete triggers would have written for each. Every row must be
    free to go: the caller deletes (or clears) whatever refers to them first, or lists it
    before them. Falls back to plain DELETEs (triggers on) where there are no triggers."""
    if not rows:
        return
    tables = list(dict.fromkeys(entity.__table__.name for entity, _id in rows))
    conn.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS bulk_doomed "
        "(k INTEGER PRIMARY KEY, tbl TEXT NOT NULL, id TEXT NOT NULL)"
    )
    conn.exec_driver_sql(f"DELETE FROM {_DOOMED}")
    # One JSON array, not one statement per row: [[table, id], ...], k its position.
    conn.exec_driver_sql(
        f"INSERT INTO {_DOOMED} (k, tbl, id) SELECT key, value ->> 0, value ->> 1 "
        "FROM json_each(?)",
        (json.dumps([(entity.__table__.name, id_) for entity, id_ in rows]),),
    )
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS temp.bulk_doomed_row ON bulk_doomed (tbl, id)")
    try:
        if _triggers_live(conn, tables[0]):
            _record_deletes(conn, tables, len(rows))
            conn.exec_driver_sql(f"UPDATE sync_ctl SET applying = {BULK} WHERE id = 1")
            try:
                _delete(conn, tables)
            finally:
                conn.exec_driver_sql("UPDATE sync_ctl SET applying = 0 WHERE id = 1")
        else:
            _delete(conn, tables)
    finally:
        conn.exec_driver_sql(f"DELETE FROM {_DOOMED}")


def _delete(conn: Connection, tables: list[str]) -> None:
    for tbl in tables:
        conn.exec_driver_sql(
            f'DELETE FROM "{tbl}" WHERE id IN (SELECT id FROM {_DOOMED} WHERE tbl = ?)', (tbl,)
        )


def _record_deletes(conn: Connection, tables: list[str], count: int) -> None:
    """Write the outbox rows, tombstones and audit entries of the rows in `bulk_doomed`."""
    hlc, wall, excess = conn.exec_driver_sql(
        f"SELECT hlc, {SQL_WALL_MS} + clock_offset_ms, clock_excess_ms FROM sync_ctl"
    ).one()
    first = max(hlc + 1, wall << COUNTER_BITS)
    # What `_CLOCK` holds the stamp to when this station's clock runs ahead of the share's.
    cap = ((wall - excess) << COUNTER_BITS) + (1 << COUNTER_BITS) - 1 if excess > 0 else None
    tick = "(:first + d.k)"
    clock = tick if cap is None else f"min({tick}, :cap)"
    params = {"first": first} | ({} if cap is None else {"cap": cap})
    outbox_before = conn.exec_driver_sql(
        "SELECT coalesce(max(id), 0) FROM sync_outbox"
    ).scalar_one()
    conn.exec_driver_sql(_CONTEXT)
    # One statement over every table, so the outbox rows come in the order given.
    parts = [
        f"SELECT d.k AS k, '{tbl}' AS tbl, OLD.id AS row_id, "
        f"max({clock}, {_row_max(tbl, 'OLD')} + 1) AS hlc, "
        f"{_obj('OLD', live_columns(conn, tbl))} AS data "
        f"FROM {_DOOMED} AS d JOIN \"{tbl}\" AS OLD ON OLD.id = d.id WHERE d.tbl = '{tbl}'"
        for tbl in tables
    ]
    conn.execute(
        text(
            "INSERT INTO sync_outbox (tbl, row_id, op, hlc, data, base, ctx, author) "
            f"SELECT g.tbl, g.row_id, 'D', g.hlc, g.data, '{{}}', {_CTX}, {_AUTHOR} "
            f"FROM ({' UNION ALL '.join(parts)}) AS g ORDER BY g.k"
        ),
        params,
    )
    conn.exec_driver_sql("UPDATE sync_ctl SET hlc = ? WHERE id = 1", (first + count - 1,))
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO sync_tomb (tbl, row_id, hlc, station, base, data, n) "
        "SELECT o.tbl, o.row_id, o.hlc, (SELECT station_id FROM sync_ctl), 0, o.data, o.id "
        "FROM sync_outbox AS o WHERE o.id > ? ORDER BY o.id",
        (outbox_before,),
    )
    # The audit trail's entries, as its delete trigger writes them.
    conn.exec_driver_sql(
        "INSERT INTO audit_entry (tbl, row_id, op, field, old, new, author, at, origin) "
        f"SELECT d.tbl, d.id, 'D', NULL, NULL, NULL, a.member, {SQL_WALL_MS} + s.clock_offset_ms, "
        "a.origin "
        f"FROM {_DOOMED} AS d, sync_ctl AS s, audit_ctl AS a WHERE s.id = 1 AND a.id = 1 "
        "ORDER BY d.k"
    )


def restore_rows(conn: Connection, tbl: str, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT rows read back from SQLite (`delete_rows` took them) into `tbl` in the order
    given, values exactly as they were, with the bookkeeping the insert trigger writes for a
    restored row (`bulk_outbox` writes it, as for any bulk insert)."""
    if not rows:
        return
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" for _ in names)
    insert = f'INSERT INTO "{tbl}" ({columns}) VALUES ({marks})'
    # One C call per row: for the 20,000 rows of a large project, a tuple built name by name
    # cost some 10 ms more.
    values = (
        [(row[names[0]],) for row in rows] if len(names) == 1 else [*map(itemgetter(*names), rows)]
    )
    raw = conn.connection.driver_connection
    assert raw is not None
    if not _triggers_live(conn, tbl):
        raw.executemany(insert, values)
        return
    before = conn.exec_driver_sql(f'SELECT coalesce(max(rowid), 0) FROM "{tbl}"').scalar_one()
    outbox_before = conn.exec_driver_sql(
        "SELECT coalesce(max(id), 0) FROM sync_outbox"
    ).scalar_one()
    conn.exec_driver_sql(f"UPDATE sync_ctl SET applying = {BULK} WHERE id = 1")
    try:
        raw.executemany(insert, values)
    finally:
        conn.exec_driver_sql("UPDATE sync_ctl SET applying = 0 WHERE id = 1")
    _record_inserts(conn, tbl, before, outbox_before)
