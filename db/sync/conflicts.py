"""The conflict list a user reviews (the GUI's Sync panel): what lost a merge, and putting it
back. Restoring is an ordinary local edit made through the `Store`, so the outbox triggers
send it to every station with a fresh clock that outranks what it lost to."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm.util import identity_key

from db.audit.capture import set_origin
from db.audit.schema import ORIGIN_CONFLICT, ORIGIN_LOCAL
from db.changes import ChangeSet
from db.models import ENTITIES
from db.store import Store
from db.sync.errors import RestoreError
from db.sync.schema import ENTITY_TABLE, SAME_VALUE


@dataclass(frozen=True)
class Conflict:
    id: int
    kind: str
    entity: str
    row_id: str
    field: str | None
    losing_value: Any
    winning_value: Any
    losing_station: str | None
    winning_station: str | None
    losing_hlc: int | None
    winning_hlc: int | None
    row_data: dict[str, Any] | None
    resolved: bool


def _load(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def list_conflicts(store: Store, *, include_resolved: bool = False) -> list[Conflict]:
    query = (
        "SELECT id, kind, entity, row_id, field, losing_value, winning_value, losing_station, "
        "winning_station, losing_hlc, winning_hlc, row_data, resolved FROM sync_conflict"
    )
    query += " WHERE resolved = 0" if not include_resolved else f" WHERE resolved <> {SAME_VALUE}"
    rows = store.session.connection().exec_driver_sql(query + " ORDER BY id").fetchall()
    store.session.commit()
    return [
        Conflict(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            _load(r[5]),
            _load(r[6]),
            r[7],
            r[8],
            r[9],
            r[10],
            _load(r[11]),
            bool(r[12]),
        )
        for r in rows
    ]


def dismiss_conflict(store: Store, conflict_id: int) -> None:
    """Mark reviewed without restoring anything (the user agrees with the winner)."""
    conn = store.session.connection()
    conn.execute(text("UPDATE sync_conflict SET resolved = 1 WHERE id = :i"), {"i": conflict_id})
    store.session.commit()


def restore_conflict(store: Store, conflict_id: int) -> ChangeSet:
    """Put the losing value (or the lost row) back as a new local edit, mark the conflict
    resolved, refresh the session and tell the views. Raises `RestoreError` with a message
    for the user when that cannot be done as it is."""
    session = store.session
    changes = ChangeSet()
    try:
        conn = session.connection()
        found = conn.exec_driver_sql(
            "SELECT kind, entity, row_id, field, losing_value, row_data FROM sync_conflict "
            "WHERE id = ?",
            (conflict_id,),
        ).fetchone()
        if found is None:
            raise RestoreError(f"conflict {conflict_id} does not exist")
        kind, entity, row_id, field, losing, row_data = found
        tbl = ENTITY_TABLE[entity]
        store.write_member()  # the History tab says who restored it, and how it came
        set_origin(conn.exec_driver_sql, ORIGIN_CONFLICT)
        if kind == "future":
            raise RestoreError("nothing to restore: this entry only flags a wrong clock")
        if kind == "field":
            if not _exists(conn, tbl, row_id):
                raise RestoreError(f"{entity} {row_id[:8]} was deleted; restore it first")
            value = json.loads(losing)
            _check_refs(conn, tbl, {field: value}, changes, entity)
            conn.exec_driver_sql(f'UPDATE "{tbl}" SET "{field}" = ? WHERE id = ?', (value, row_id))
            changes.add("changed", entity, [row_id])
        else:
            values = json.loads(row_data)
            if _exists(conn, tbl, row_id):
                raise RestoreError(f"{entity} {row_id[:8]} exists already")
            _insert(conn, tbl, values, changes)
        conn.exec_driver_sql("UPDATE sync_conflict SET resolved = 1 WHERE id = ?", (conflict_id,))
        set_origin(conn.exec_driver_sql, ORIGIN_LOCAL)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    for name in changes.entities():
        for id_ in changes.ids(name):
            obj = session.identity_map.get(identity_key(ENTITIES[name], id_))
            if obj is not None:
                session.expire(obj)
    store.notify(changes)
    return changes


def _exists(conn: Connection, tbl: str, row_id: str) -> bool:
    q = f'SELECT 1 FROM "{tbl}" WHERE id = ?'
    return conn.exec_driver_sql(q, (row_id,)).fetchone() is not None


def _check_refs(
    conn: Connection, tbl: str, values: dict[str, Any], changes: ChangeSet, entity: str
) -> None:
    """Bring back deleted rows that `values` refer to, from their tombstones."""
    table = ENTITIES[entity].__table__
    for fk in table.foreign_keys:
        ref = values.get(fk.parent.name)
        target = fk.column.table.name
        if ref is None or _exists(conn, target, ref):
            continue
        tomb = conn.exec_driver_sql(
            "SELECT data FROM sync_tomb WHERE tbl = ? AND row_id = ?", (target, ref)
        ).fetchone()
        if tomb is None:
            raise RestoreError(f"{entity} refers to a {target} that no longer exists")
        _insert(conn, target, json.loads(tomb[0]), changes)


def _insert(conn: Connection, tbl: str, values: dict[str, Any], changes: ChangeSet) -> None:
    entity = next(name for name, t in ENTITY_TABLE.items() if t == tbl)
    _check_refs(conn, tbl, values, changes, entity)
    live = {r[1] for r in conn.exec_driver_sql(f'PRAGMA table_info("{tbl}")')}
    cols = [c for c in values if c in live]
    names = ", ".join(f'"{c}"' for c in cols)
    try:
        conn.exec_driver_sql(
            f'INSERT INTO "{tbl}" ({names}) VALUES ({", ".join("?" for _ in cols)})',
            tuple(values[c] for c in cols),
        )
    except Exception as exc:
        if "UNIQUE" in str(exc):
            raise RestoreError(
                f"another {entity} holds the same unique value; change that one first"
            ) from exc
        raise
    changes.add("added", entity, [values["id"]])
