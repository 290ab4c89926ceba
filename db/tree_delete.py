"""Deleting a large tree of rows (a project with its plan, a client with its projects) in a
few set-based statements, and bringing it all back on undo the same way.

`DeleteRows` works through the ORM: it loads every row as an object, and the unit of work then
walks each one's cascades and deletes it with the outbox triggers firing once per row. For a
project of 10,000 tasks and their links that is seconds. `DeleteTree` keeps its contract (the
targets, all or nothing, the rows that go with them, `preview`, an undo that restores ids and
references as they were) but reads the tree with plain SELECTs level by level, deletes it
with one DELETE per table, and writes the sync and audit bookkeeping set-based
(`db.sync.bulk_delete`); undo inserts the rows back in bulk (`db.sync.bulk_outbox`). Another
station receives the same deletes and restores as from `DeleteRows`.

The few references from outside the tree that become NULL (a cost entry booked on a deleted
task of another plan) still go through the ORM, so they are recorded as ordinary edits.
The rows are not ORM objects, so the change set names them itself (`report_bulk`), each with
its scope, and the session forgets the objects it still held of them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from db.change_scope import row_scope
from db.changes import ChangeSet, Scope
from db.errors import NotFoundError
from db.models import Entity
from db.operations import _referrers, _tree_depths
from db.scheduling.schedules import schedules_for
from db.search import driver
from db.store import report_bulk
from db.sync.bulk_delete import delete_rows, restore_rows

_FRONTIER_NAME = "tree_delete_frontier"  # a temporary table: this connection's alone
_FRONTIER = f"temp.{_FRONTIER_NAME}"

Row = tuple[type[Entity], dict[str, Any]]
Nulled = tuple[type[Entity], str, str, str]  # (entity, column, row id, the id it held)


@dataclass
class DeleteTree:
    """Delete several rows and everything that cascades from each, as one step, set-based.

    targets: (entity, id) of the rows chosen; one missing refuses the whole. `rows` and
    `nulled` hold, after `apply`, what went (in the order it went: children first) and the
    references cleared, for `revert`.
    """

    targets: Sequence[tuple[type[Entity], str]]
    label: str = ""
    rows: list[Row] = field(default_factory=list)
    nulled: list[Nulled] = field(default_factory=list)
    scopes: dict[tuple[str, str], Scope] = field(default_factory=dict, repr=False)
    # What `preview` read, and the state of the database it read it in: an `apply` right
    # after it (the question answered) reuses it when nothing was written since.
    _previewed: tuple[tuple[int, int], list[Row], list[Nulled]] | None = field(
        default=None, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self.targets = list(self.targets)
        if not self.targets:
            raise ValueError("DeleteTree needs at least one row")
        self.label = self.label or f"Delete {len(self.targets)} rows"

    def preview(self, session: Session) -> dict[str, int]:
        """How many rows of each entity would go, the targets included."""
        found: dict[str, int] = {}
        conn = session.connection()
        rows, nulled = _gather(conn, self.targets)
        self._previewed = (_state(conn), rows, nulled)
        for cls, _values in rows:
            found[cls.__name__] = found.get(cls.__name__, 0) + 1
        return found

    def apply(self, session: Session) -> None:
        session.flush()  # an earlier step of a composite: its rows are what is read here
        conn = session.connection()
        previewed, self._previewed = self._previewed, None
        if previewed is not None and previewed[0] == _state(conn):
            found, self.nulled = previewed[1], previewed[2]
        else:
            found, self.nulled = _gather(conn, self.targets)
        self.rows = _children_first(found)
        self.scopes = _scopes(conn, self.rows)
        for cls, col, ref_id, _target in self.nulled:
            obj = session.get(cls, ref_id)
            if obj is not None:
                setattr(obj, col, None)
        session.flush()  # the references go before what they point at
        delete_rows(conn, [(cls, values["id"]) for cls, values in self.rows])
        _forget(session, self.rows)
        report_bulk(session, self._changes("removed"))

    def revert(self, session: Session) -> None:
        session.flush()
        conn = session.connection()
        by_table: dict[type[Entity], list[dict[str, Any]]] = {}
        for cls, values in reversed(self.rows):  # parents first, each table's rows by depth
            by_table.setdefault(cls, []).append(values)
        for cls in sorted(by_table, key=_rank):
            restore_rows(conn, cls.__table__.name, by_table[cls])
        _forget(session, self.rows)  # collections loaded before the rows came back
        for cls, col, ref_id, target in self.nulled:  # rows that stayed (see `_gather`)
            obj = session.get(cls, ref_id)
            if obj is not None:
                setattr(obj, col, target)
        restored = self._changes("added")
        # The rows are back as they went: the projects' schedules need no engine run.
        schedules_for(session).put_back(restored)
        report_bulk(session, restored)

    def _changes(self, kind: str) -> ChangeSet:
        changes = ChangeSet()
        by_entity: dict[str, list[str]] = {}
        for cls, values in self.rows:
            by_entity.setdefault(cls.__name__, []).append(values["id"])
        for entity, ids in by_entity.items():
            changes.add(kind, entity, ids)
        changes.scope.update(self.scopes)
        return changes


def _state(conn: Connection) -> tuple[int, int]:
    """Changes since: the rows this connection wrote, and the version of the database file
    (which another connection's commit, a sync, moves on)."""
    raw = driver(conn)
    version = raw.execute("PRAGMA data_version").fetchone()[0]
    return raw.total_changes, int(version)


@cache
def _rank(cls: type[Entity]) -> int:
    """A table's place in dependency order: parents before the tables that refer to them."""
    tables = Entity.metadata.sorted_tables
    return next((n for n, table in enumerate(tables) if table is cls.__table__), len(tables))


def _gather(
    conn: Connection, targets: Sequence[tuple[type[Entity], str]]
) -> tuple[list[Row], list[Nulled]]:
    """The targets and every row that cascades from them, level by level (one SELECT per
    referring table and level), and the references to them from rows that stay, which
    become NULL. Each row's values as SQLite holds them, written back unchanged on undo."""
    raw = driver(conn)
    raw.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_FRONTIER_NAME} (id TEXT PRIMARY KEY)")
    rows: list[Row] = []
    nulled: list[Nulled] = []
    seen: set[str] = set()
    frontier: dict[type[Entity], list[dict[str, Any]]] = {}
    for entity, id_ in targets:
        found = _select(raw, f'SELECT * FROM "{entity.__table__.name}" WHERE id = ?', (id_,))
        if not found:
            raise NotFoundError(f"{entity.__name__} {id_} no longer exists")
        if id_ not in seen:
            seen.add(id_)
            frontier.setdefault(entity, []).extend(found)
    while frontier:
        following: dict[type[Entity], list[dict[str, Any]]] = {}
        for cls, parents in frontier.items():
            rows.extend((cls, values) for values in parents)
            referrers = _referrers_by_table(cls)
            if not referrers:
                continue
            # The level's ids in a temporary table: one query per referring table, however
            # many ids (a list of 10,000 bound values would need chunks of a few hundred).
            raw.execute(f"DELETE FROM {_FRONTIER}")
            raw.execute(
                f"INSERT OR IGNORE INTO {_FRONTIER} (id) SELECT value FROM json_each(?)",
                (json.dumps([values["id"] for values in parents]),),
            )
            for other, cascading, clearing in referrers:
                tbl = other.__table__.name
                if cascading:
                    # Every column at once: a link between two doomed tasks is read once.
                    where = " OR ".join(
                        f'"{col}" IN (SELECT id FROM {_FRONTIER})' for col in cascading
                    )
                    for row in _select(raw, f'SELECT * FROM "{tbl}" WHERE {where}', ()):
                        if row["id"] not in seen:
                            seen.add(row["id"])
                            following.setdefault(other, []).append(row)
                for col in clearing:
                    query = (
                        f'SELECT id, "{col}" FROM "{tbl}" '
                        f'WHERE "{col}" IN (SELECT id FROM {_FRONTIER})'
                    )
                    nulled.extend(
                        (other, col, row["id"], row[col]) for row in _select(raw, query, ())
                    )
        frontier = following
    raw.execute(f"DELETE FROM {_FRONTIER}")
    # A reference from a row that goes too needs no clearing.
    return rows, [n for n in nulled if n[2] not in seen]


@cache
def _referrers_by_table(
    entity: type[Entity],
) -> list[tuple[type[Entity], tuple[str, ...], tuple[str, ...]]]:
    """(table, columns whose rows go with an `entity` row, columns that become NULL) for
    every table with a foreign key to `entity`."""
    found: dict[type[Entity], tuple[list[str], list[str]]] = {}
    for other, col, ondelete in _referrers(entity):
        cascading, clearing = found.setdefault(other, ([], []))
        (clearing if ondelete == "SET NULL" else cascading).append(col)
    return [(other, tuple(c), tuple(n)) for other, (c, n) in found.items()]


def _select(raw: sqlite3.Connection, query: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    cursor = raw.execute(query, args)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor]


def _children_first(rows: list[Row]) -> list[Row]:
    """The order rows can go in: tables that refer to others before those, and within a
    table that refers to itself (a task tree) the deepest rows first."""
    depth = _tree_depths(rows)
    ranks = {cls: _rank(cls) for cls, _values in rows}
    return sorted(rows, key=lambda row: (-ranks[row[0]], -depth.get(row[1]["id"], 0)))


def _scopes(conn: Connection, rows: list[Row]) -> dict[tuple[str, str], Scope]:
    """Each row's client and project, read while the rows are still there (parents first, so
    a task's scope is its project's, already known)."""
    known: dict[tuple[str, str], Scope] = {}
    raw = driver(conn)
    for cls, values in reversed(rows):
        entity = cls.__name__
        scope = row_scope(raw, entity, values, known)
        if scope is not None:
            known[(entity, values["id"])] = scope
    return {key: known[key] for key in ((cls.__name__, v["id"]) for cls, v in rows) if key in known}


def _forget(session: Session, rows: list[Row]) -> None:
    """Drop the session's objects of rows deleted past it, and expire every loaded
    relationship of the rest that may hold one (a client's list of projects), so nothing
    reads a row that is gone or misses one that came back."""
    doomed = {(cls, values["id"]) for cls, values in rows}
    kinds = {cls for cls, _values in rows}
    # By identity key: reading `obj.id` of an expired object would load it (and fail for
    # one whose row is gone).
    for state in session.identity_map.all_states():
        obj = state.obj()
        if not isinstance(obj, Entity) or state.key is None:
            continue
        if (state.key[0], state.key[1][0]) in doomed:
            if obj in session:
                session.expunge(obj)
            continue
        stale = [
            rel.key
            for rel in state.mapper.relationships
            if rel.key in state.dict and rel.mapper.class_ in kinds
        ]
        if stale:
            session.expire(obj, stale)
