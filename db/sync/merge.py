"""Applying one pulled change file to the local database, field by field.

Rules (every station applies them the same way, so every station converges):
- A field's value is the one with the highest version, a version being (HLC, station id).
- Two edits of one field conflict when the winner's author had not seen the loser (the
  winner's base version is below the loser's HLC) and the values differ; the loser goes to
  `sync_conflict`, restorable. `created_at`/`updated_at` merge the same way but never count
  as conflicts: they always differ and nobody typed them.
- Delete wins. An edit the deleting station had not seen, an edit that arrives after the
  delete, and children added meanwhile under the deleted row all go to `sync_conflict` with
  the whole row, so nothing vanishes unseen; restoring re-inserts them as a new local edit,
  which outranks the tombstone on every station (KeePassXC keeps such an entry instead; we
  keep it one click away, so all stations agree without a resurrection protocol).
- A row arriving under a parent deleted here is not inserted (no foreign-key failure): it is
  recorded as an `orphan` conflict and tombstoned; the station that added it drops it too
  when the parent's delete reaches it. A reference to a deleted row in a SET NULL column
  becomes NULL, with the old reference in the conflict list.
- A row whose parent (or whose own insert) has not arrived yet is not an error: the file
  waits (`Deferred`) and is retried after other stations' files, or at the next sync.
- Two rows claiming one unique key (two stations adding the same setting): the higher
  version keeps it, the other is tombstoned and listed as a `unique` conflict.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import UniqueConstraint

from db.changes import ChangeSet
from db.models import ENTITIES
from db.sync import hlc as clock
from db.sync.schema import TABLE_ENTITY
from db.sync.wire import Change

QUIET_FIELDS = frozenset({"created_at", "updated_at"})
Version = tuple[int, str, int]  # hlc, station, base
NO_VERSION: Version = (0, "", 0)


class Deferred(Exception):
    """The file refers to rows that have not arrived yet; apply it later."""


@dataclass(frozen=True)
class ForeignKey:
    column: str
    target: str
    ondelete: str


@dataclass
class TableInfo:
    name: str
    columns: list[str]
    fks: list[ForeignKey]
    referrers: list[tuple[str, ForeignKey]]
    uniques: list[tuple[str, ...]]


def table_infos(conn: sqlite3.Connection) -> dict[str, TableInfo]:
    infos: dict[str, TableInfo] = {}
    for name, cls in ENTITIES.items():
        table = cls.__table__  # type: ignore[attr-defined]
        live = [r[1] for r in conn.execute(f'PRAGMA table_info("{table.name}")')]
        if not live:
            continue
        fks = [
            ForeignKey(fk.parent.name, fk.column.table.name, (fk.ondelete or "").upper())
            for fk in table.foreign_keys
        ]
        uniques = [
            tuple(c.name for c in con.columns)
            for con in table.constraints
            if isinstance(con, UniqueConstraint)
        ] + [(c.name,) for c in table.columns if c.unique]
        infos[table.name] = TableInfo(table.name, live, fks, [], uniques)
        assert TABLE_ENTITY[table.name] == name
    for info in infos.values():
        for fk in info.fks:
            if fk.target in infos:
                infos[fk.target].referrers.append((info.name, fk))
    return infos


@dataclass
class Outcome:
    changes: ChangeSet = field(default_factory=ChangeSet)
    applied: int = 0
    conflicts: int = 0
    flagged: int = 0
    max_hlc: int = 0


def _j(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


class Merger:
    """Applies changes inside the caller's transaction (with `sync_ctl.applying` = 1)."""

    def __init__(self, conn: sqlite3.Connection, infos: dict[str, TableInfo], now_ms: int) -> None:
        self.conn = conn
        self.infos = infos
        self.now_ms = now_ms
        self.out = Outcome()

    # -- small queries ---------------------------------------------------------------------

    def _row(self, tbl: str, row_id: str) -> dict[str, Any] | None:
        cur = self.conn.execute(f'SELECT * FROM "{tbl}" WHERE id = ?', (row_id,))
        found = cur.fetchone()
        if found is None:
            return None
        return dict(zip([d[0] for d in cur.description], found, strict=True))

    def _exists(self, tbl: str, row_id: str) -> bool:
        q = f'SELECT 1 FROM "{tbl}" WHERE id = ?'
        return self.conn.execute(q, (row_id,)).fetchone() is not None

    def _tomb(self, tbl: str, row_id: str) -> tuple[int, str, int, str] | None:
        return self.conn.execute(
            "SELECT hlc, station, base, data FROM sync_tomb WHERE tbl = ? AND row_id = ?",
            (tbl, row_id),
        ).fetchone()

    def _versions(self, tbl: str, row_id: str) -> dict[str, Version]:
        rows = self.conn.execute(
            "SELECT field, hlc, station, base FROM sync_version WHERE tbl = ? AND row_id = ?",
            (tbl, row_id),
        )
        return {f: (h, s, b) for f, h, s, b in rows}

    def _set_version(self, tbl: str, row_id: str, fld: str, v: Version) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO sync_version (tbl, row_id, field, hlc, station, base) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (tbl, row_id, fld, *v),
        )

    def _set_tomb(self, tbl: str, row_id: str, v: Version, data: dict[str, Any]) -> None:
        old = self._tomb(tbl, row_id)
        if old is not None and (old[0], old[1]) >= (v[0], v[1]):
            return
        self.conn.execute(
            "INSERT OR REPLACE INTO sync_tomb (tbl, row_id, hlc, station, base, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (tbl, row_id, *v, _j(data)),
        )
        self.conn.execute("DELETE FROM sync_version WHERE tbl = ? AND row_id = ?", (tbl, row_id))

    def conflict(
        self,
        kind: str,
        tbl: str,
        row_id: str,
        fld: str | None = None,
        losing: Any = None,
        winning: Any = None,
        loser: tuple[str, int] | None = None,
        winner: tuple[str, int] | None = None,
        row_data: dict[str, Any] | None = None,
    ) -> None:
        ls, lh = loser or (None, None)
        ws, wh = winner or (None, None)
        dup = self.conn.execute(
            "SELECT 1 FROM sync_conflict WHERE kind = ? AND entity = ? AND row_id = ? AND "
            "field IS ? AND losing_hlc IS ? AND losing_station IS ?",
            (kind, TABLE_ENTITY[tbl], row_id, fld, lh, ls),
        ).fetchone()
        if dup:  # a file applied twice (say, rebuilt from a snapshot) must not list it twice
            return
        self.conn.execute(
            "INSERT INTO sync_conflict (kind, entity, row_id, field, losing_value, "
            "winning_value, losing_station, winning_station, losing_hlc, winning_hlc, "
            "row_data, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                TABLE_ENTITY[tbl],
                row_id,
                fld,
                None if losing is None and kind != "field" else _j(losing),
                None if winning is None and kind != "field" else _j(winning),
                ls,
                ws,
                lh,
                wh,
                None if row_data is None else _j(row_data),
                self.now_ms,
            ),
        )
        self.out.conflicts += 1

    # -- applying ------------------------------------------------------------------------

    def apply(self, station: str, change: Change) -> None:
        info = self.infos.get(change.tbl)
        if info is None:
            raise Deferred(f"unknown table {change.tbl}")
        self.out.max_hlc = max(self.out.max_hlc, change.hlc)
        if clock.is_far_future(change.hlc, self.now_ms):
            self.out.flagged += 1
            self.conflict(
                "future",
                change.tbl,
                change.row_id,
                winner=(station, change.hlc),
                winning=clock.describe(change.hlc),
            )
        if change.op == "I":
            self._insert(info, station, change)
        elif change.op == "U":
            self._update(info, station, change)
        elif change.op == "D":
            self._delete_change(info, station, change)
        self.out.applied += 1

    def _check_refs(
        self, info: TableInfo, values: dict[str, Any], station: str, change: Change
    ) -> bool:
        """Fix references to deleted rows in place; False if the row must not exist."""
        for fk in info.fks:
            ref = values.get(fk.column)
            if ref is None or fk.column not in values or self._exists(fk.target, ref):
                continue
            tomb = self._tomb(fk.target, ref)
            if tomb is None:
                raise Deferred(f"{fk.target} {ref} has not arrived yet")
            if fk.ondelete == "SET NULL":
                self.conflict(
                    "field",
                    change.tbl,
                    change.row_id,
                    fk.column,
                    losing=ref,
                    winning=None,
                    loser=(station, change.hlc),
                    winner=(tomb[1], tomb[0]),
                )
                values[fk.column] = None
            else:
                return False
        return True

    def _insert(self, info: TableInfo, station: str, change: Change) -> None:
        tbl, row_id, me = change.tbl, change.row_id, (change.hlc, station)
        values = {k: v for k, v in change.fields.items() if k in info.columns}
        tomb = self._tomb(tbl, row_id)
        if tomb is not None and (tomb[0], tomb[1]) >= me:
            # Listed unless it is this very insert, or the deleting station had seen it (its
            # delete just arrived before the insert did).
            if (tomb[0], tomb[1]) != me and tomb[2] < change.hlc:
                self.conflict(
                    "delete",
                    tbl,
                    row_id,
                    loser=(station, change.hlc),
                    winner=(tomb[1], tomb[0]),
                    row_data=values,
                )
            return
        if self._exists(tbl, row_id):
            ours = self._versions(tbl, row_id).get("*", NO_VERSION)
            if (ours[0], ours[1]) == me:
                return  # this very insert, applied before
            fields = {k: v for k, v in values.items() if k != "id"}
            self._merge_fields(info, station, change, fields, dict.fromkeys(fields, 0))
            return
        if not self._check_refs(info, values, station, change):
            parent_tomb = next(
                self._tomb(fk.target, values[fk.column])
                for fk in info.fks
                if values.get(fk.column) is not None
                and not self._exists(fk.target, values[fk.column])
            )
            assert parent_tomb is not None
            self.conflict(
                "orphan",
                tbl,
                row_id,
                loser=(station, change.hlc),
                winner=(parent_tomb[1], parent_tomb[0]),
                row_data=values,
            )
            self._set_tomb(tbl, row_id, (parent_tomb[0], parent_tomb[1], change.hlc), values)
            return
        if not self._claim_unique(info, station, change, values):
            return
        cols = list(values)
        names = ", ".join(f'"{c}"' for c in cols)
        self.conn.execute(
            f'INSERT INTO "{tbl}" ({names}) VALUES ({", ".join("?" for _ in cols)})',
            [values[c] for c in cols],
        )
        self.conn.execute("DELETE FROM sync_tomb WHERE tbl = ? AND row_id = ?", (tbl, row_id))
        self.conn.execute("DELETE FROM sync_version WHERE tbl = ? AND row_id = ?", (tbl, row_id))
        self._set_version(tbl, row_id, "*", (change.hlc, station, 0))
        self.out.changes.add("added", TABLE_ENTITY[tbl], [row_id])

    def _claim_unique(
        self, info: TableInfo, station: str, change: Change, values: dict[str, Any]
    ) -> bool:
        """Settle a unique-key clash before inserting; False if the incoming row loses."""
        for cols in info.uniques:
            if any(values.get(c) is None for c in cols):
                continue
            where = " AND ".join(f'"{c}" = ?' for c in cols)
            found = self.conn.execute(
                f'SELECT id FROM "{info.name}" WHERE {where} AND id <> ?',
                [values[c] for c in cols] + [change.row_id],
            ).fetchone()
            if found is None:
                continue
            other = found[0]
            theirs = self._versions(info.name, other).get("*", NO_VERSION)
            if (theirs[0], theirs[1]) > (change.hlc, station):
                self.conflict(
                    "unique",
                    info.name,
                    change.row_id,
                    loser=(station, change.hlc),
                    winner=(theirs[1], theirs[0]),
                    row_data=values,
                )
                self._set_tomb(info.name, change.row_id, (change.hlc, station, 0), values)
                return False
            row = self._row(info.name, other) or {}
            self.conflict(
                "unique",
                info.name,
                other,
                loser=(theirs[1], theirs[0]),
                winner=(station, change.hlc),
                row_data=row,
            )
            self._remove(info.name, other, (theirs[0], theirs[1], 0), station, record=False)
        return True

    def _update(self, info: TableInfo, station: str, change: Change) -> None:
        tbl, row_id = change.tbl, change.row_id
        if not self._exists(tbl, row_id):
            tomb = self._tomb(tbl, row_id)
            if tomb is None:
                raise Deferred(f"{tbl} {row_id} has not arrived yet")
            # Edit versus delete: the delete wins; an edit its author had not seen is listed.
            if change.hlc > tomb[2] and station != tomb[1]:
                self.conflict(
                    "edit_deleted",
                    tbl,
                    row_id,
                    losing=change.fields,
                    loser=(station, change.hlc),
                    winner=(tomb[1], tomb[0]),
                    row_data={**json.loads(tomb[3]), **change.fields},
                )
            return
        fields = {k: v for k, v in change.fields.items() if k in info.columns and k != "id"}
        bases = {k: int(change.bases.get(k, 0)) for k in fields}
        self._merge_fields(info, station, change, fields, bases)

    def _merge_fields(
        self,
        info: TableInfo,
        station: str,
        change: Change,
        fields: dict[str, Any],
        bases: dict[str, int],
    ) -> None:
        tbl, row_id, incoming = change.tbl, change.row_id, (change.hlc, station)
        versions = self._versions(tbl, row_id)
        row = self._row(tbl, row_id)
        assert row is not None
        star = versions.get("*", NO_VERSION)
        to_set: dict[str, Any] = {}
        for fld, value in fields.items():
            local = versions.get(fld, star)
            if (local[0], local[1]) == incoming:
                continue
            current = row.get(fld)
            differs = current != value and fld not in QUIET_FIELDS
            if incoming > (local[0], local[1]):
                to_set[fld] = value
                if differs and local[1] and local[1] != station and bases[fld] < local[0]:
                    self.conflict(
                        "field",
                        tbl,
                        row_id,
                        fld,
                        losing=current,
                        winning=value,
                        loser=(local[1], local[0]),
                        winner=(station, change.hlc),
                    )
            elif differs and local[1] != station and local[2] < change.hlc:
                self.conflict(
                    "field",
                    tbl,
                    row_id,
                    fld,
                    losing=value,
                    winning=current,
                    loser=(station, change.hlc),
                    winner=(local[1], local[0]),
                )
        if not to_set:
            return
        if not self._check_refs(info, to_set, station, change):
            # Moved under a parent deleted here: it goes the way the parent went.
            self._cascade_from_missing_parent(info, row_id, to_set)
            return
        assignments = ", ".join(f'"{c}" = ?' for c in to_set)
        self.conn.execute(
            f'UPDATE "{tbl}" SET {assignments} WHERE id = ?', [*to_set.values(), row_id]
        )
        for fld in to_set:
            self._set_version(tbl, row_id, fld, (change.hlc, station, bases[fld]))
        self.out.changes.add("changed", TABLE_ENTITY[tbl], [row_id])

    def _cascade_from_missing_parent(
        self, info: TableInfo, row_id: str, values: dict[str, Any]
    ) -> None:
        for fk in info.fks:
            ref = values.get(fk.column)
            if ref is not None and not self._exists(fk.target, ref):
                tomb = self._tomb(fk.target, ref)
                assert tomb is not None
                self._remove(info.name, row_id, (tomb[0], tomb[1], tomb[2]), tomb[1], record=True)
                return

    def _delete_change(self, info: TableInfo, station: str, change: Change) -> None:
        tbl, row_id = change.tbl, change.row_id
        base = int(change.bases.get("*", 0))
        version = (change.hlc, station, base)
        row = self._row(tbl, row_id)
        if row is None:
            self._set_tomb(tbl, row_id, version, change.fields)
            return
        unseen = [
            (h, s) for h, s, _b in self._versions(tbl, row_id).values() if h > base and s != station
        ]
        if unseen:
            h, s = max(unseen)
            self.conflict(
                "delete",
                tbl,
                row_id,
                loser=(s, h),
                winner=(station, change.hlc),
                row_data=row,
            )
        self._remove(tbl, row_id, version, station, record=False, row=row)

    def _remove(
        self,
        tbl: str,
        row_id: str,
        version: Version,
        station: str,
        *,
        record: bool,
        row: dict[str, Any] | None = None,
    ) -> None:
        """Delete a row and, first, whatever still refers to it: rows the deleting station
        knew of were deleted by its own earlier lines, so anything left here is news to it
        and is listed as a conflict before it goes."""
        row = row if row is not None else self._row(tbl, row_id)
        if row is None:
            return
        if record:
            mine = max(self._versions(tbl, row_id).values(), default=NO_VERSION)
            self.conflict(
                "delete",
                tbl,
                row_id,
                loser=(mine[1], mine[0]),
                winner=(station, version[0]),
                row_data=row,
            )
        for child_tbl, fk in self.infos[tbl].referrers:
            children = self.conn.execute(
                f'SELECT id FROM "{child_tbl}" WHERE "{fk.column}" = ?', (row_id,)
            ).fetchall()
            for (child_id,) in children:
                if child_tbl == tbl and child_id == row_id:
                    continue
                if fk.ondelete == "SET NULL":
                    self.conflict(
                        "field",
                        child_tbl,
                        child_id,
                        fk.column,
                        losing=row_id,
                        winning=None,
                        winner=(station, version[0]),
                    )
                    self.conn.execute(
                        f'UPDATE "{child_tbl}" SET "{fk.column}" = NULL WHERE id = ?', (child_id,)
                    )
                    self._set_version(child_tbl, child_id, fk.column, version)
                    self.out.changes.add("changed", TABLE_ENTITY[child_tbl], [child_id])
                else:
                    self._remove(child_tbl, child_id, version, station, record=True)
        self.conn.execute(f'DELETE FROM "{tbl}" WHERE id = ?', (row_id,))
        self._set_tomb(tbl, row_id, version, row)
        self.out.changes.add("removed", TABLE_ENTITY[tbl], [row_id])
