"""Applying an import: every row it adds and every field it updates, in one transaction and
as one undo step.

`ImportOperation` is an ordinary `db.operations.Operation`, so the desktop wraps it in one
QUndoCommand like any edit. Every value is checked before the first row is written, and the
store commits or rolls back the whole, so an import lands whole or not at all. Ids are fixed
when the plan is made: redo after undo recreates the very same rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from db.changes import ChangeSet
from db.errors import NotFoundError, ValidationError
from db.models import ENTITIES, Entity, utcnow
from db.operations import DeleteRows, column_values, scalar_defaults
from db.store import report_bulk
from db.sync.bulk_outbox import insert_rows
from db.validation import (
    INTEGER_LIMIT,
    RULES,
    check_lengths,
    check_values,
    field_label,
    max_chars,
)

Row = tuple[type[Entity], dict[str, Any]]
_CHUNK = 5_000  # rows per INSERT batch


_CHUNK_IDS = 500  # ids per IN (...), well under SQLite's bound-parameter limit


def _runs(
    rows: list[Row], *, complete: bool = True
) -> list[tuple[type[Entity], list[dict[str, Any]]]]:
    """The rows table by table, parent tables first (a contact after its client), each
    table's rows in the order planned (a task after its parent task), with every column given
    (defaults filled in): one executemany per table however the plan interleaved them."""
    by_table: dict[type[Entity], list[dict[str, Any]]] = {}
    now = utcnow()
    for entity, values in rows:
        by_table.setdefault(entity, []).append(
            _complete(entity, values, now) if complete else values
        )
    if complete:
        # One executemany takes one set of columns: a column some rows leave out (an
        # optional reference) is NULL in those, as it would be in a row inserted alone.
        for table_rows in by_table.values():
            columns = set().union(*(row.keys() for row in table_rows))
            for row in table_rows:
                if len(row) != len(columns):
                    row.update({c: None for c in columns - row.keys()})
    rank = _table_rank()
    return sorted(by_table.items(), key=lambda item: rank[str(item[0].__tablename__)])


@cache
def _table_rank() -> dict[str, int]:
    return {table.name: n for n, table in enumerate(Entity.metadata.sorted_tables)}


@cache
def _referring_columns(entity: type[Entity]) -> list[tuple[type[Entity], str]]:
    """(entity, column) of every foreign key that points at `entity`."""
    table = entity.__table__
    return [
        (other, fk.parent.name)
        for other in ENTITIES.values()
        for fk in other.__table__.foreign_keys
        if fk.column.table is table
    ]


def _complete(
    entity: type[Entity], values: dict[str, Any], now: datetime | None = None
) -> dict[str, Any]:
    """`values` with the column defaults and the time stamps (`now`: the import's moment)."""
    now = now or utcnow()
    return {**scalar_defaults(entity), "created_at": now, "updated_at": now, **values}


@cache
def _text_limits(entity: type[Entity]) -> dict[str, int]:
    table: Table = entity.__table__
    return {column.name: max_chars(column) for column in table.columns}


def _check_new(entity: type[Entity], values: dict[str, Any]) -> None:
    """`check_values(partial=False)` and `check_lengths` for a new row, with the per-table
    facts looked up once: checked one by one, 60,000 imported rows cost five seconds."""
    name = entity.__name__
    full = {**scalar_defaults(entity), **values}
    if name in _FULL_CHECK:
        check_values(name, full, partial=False)
        check_lengths(name, values)
        return
    for field_name, rule in RULES.get(name, {}).items():
        if field_name not in full and rule(None) is None:
            continue
        message = rule(full.get(field_name))
        if message:
            raise ValidationError(field_label(name, field_name), message)
    limits = _text_limits(entity)
    for field_name, value in full.items():
        if isinstance(value, str):
            limit = limits.get(field_name)
            if limit is not None and len(value) > limit:
                raise ValidationError(
                    field_label(name, field_name), f"must be at most {limit:,} characters"
                )
        elif (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and not -INTEGER_LIMIT <= value <= INTEGER_LIMIT
        ):
            raise ValidationError(field_label(name, field_name), "is too large")
    start, end = full.get("start_date"), full.get("end_date")
    if start and end and end < start:
        raise ValidationError(field_label(name, "end_date"), "must not be before the start date")
    check_lengths(name, values)


# Tables whose rows need checks beyond field rules and sizes (the day of a month).
_FULL_CHECK = frozenset({"ImportantDate"})


@dataclass
class ImportOperation:
    """Add `creates` (parents before children) and apply `updates` (entity, id, new values)."""

    creates: list[Row]
    updates: list[tuple[type[Entity], str, dict[str, Any]]] = field(default_factory=list)
    label: str = "Import"
    old: list[tuple[type[Entity], str, dict[str, Any]]] = field(default_factory=list)

    def apply(self, session: Session) -> None:
        for entity, values in self.creates:
            _check_new(entity, values)
        targets = []
        for entity, id_, values in self.updates:
            obj = session.get(entity, id_)
            if obj is None:
                raise NotFoundError(f"{entity.__name__} {id_} no longer exists")
            current = column_values(obj)
            check_values(
                entity.__name__, {**current, **values}, partial=True, changed=values.keys()
            )
            check_lengths(entity.__name__, values)
            targets.append((obj, entity, id_, values, current))
        self.old = []
        for obj, entity, id_, values, current in targets:
            self.old.append((entity, id_, {key: current[key] for key in values}))
            for key, value in values.items():
                setattr(obj, key, value)
        session.flush()
        # Bulk statements, table by table in the order given (parents first): ten thousand
        # ORM objects would cost seconds, and so would the outbox triggers row by row. The
        # store still learns every row (`report_bulk`).
        added = ChangeSet()
        connection = session.connection()
        for entity, rows in _runs(self.creates):
            table: Table = entity.__table__
            for at in range(0, len(rows), _CHUNK):
                insert_rows(connection, table, rows[at : at + _CHUNK])
            added.add("added", entity.__name__, [str(row["id"]) for row in rows])
        report_bulk(session, added)

    def revert(self, session: Session) -> None:
        created = {str(values["id"]) for _entity, values in self.creates}
        if self._referred_from_outside(session, created):
            # Rows made since (by sync, say) hang on imported ones: the general delete
            # finds, snapshots and reports them too.
            roots = self.roots()
            if roots:
                DeleteRows(roots, label=self.label).apply(session)
        else:
            self._bulk_delete(session)
        for entity, id_, values in reversed(self.old):
            obj = session.get(entity, id_)
            if obj is not None:
                for key, value in values.items():
                    setattr(obj, key, value)
        session.flush()

    def _bulk_delete(self, session: Session) -> None:
        """Delete exactly the rows the import added, children before parents (the reverse
        of the order they went in), with bulk statements; the store learns every id."""
        removed = ChangeSet()
        for entity, rows in reversed(_runs(self.creates, complete=False)):
            ids = [str(row["id"]) for row in reversed(rows)]
            table: Table = entity.__table__
            for at in range(0, len(ids), _CHUNK_IDS):
                session.execute(delete(table).where(table.c.id.in_(ids[at : at + _CHUNK_IDS])))
            removed.add("removed", entity.__name__, ids)
        # Objects the session still holds for these rows are gone from the database now.
        for obj in list(session.identity_map.values()):
            gone = isinstance(obj, Entity) and obj.id in removed.ids(type(obj).__name__)
            if gone and obj in session:  # expunging a parent may have taken it already
                session.expunge(obj)
        report_bulk(session, removed)

    def _referred_from_outside(self, session: Session, created: set[str]) -> bool:
        """Whether any row the import did not add refers to one it did."""
        by_entity: dict[type[Entity], list[str]] = {}
        for entity, values in self.creates:
            by_entity.setdefault(entity, []).append(str(values["id"]))
        for entity, ids in by_entity.items():
            for other, col in _referring_columns(entity):
                column = other.__table__.c[col]
                for at in range(0, len(ids), _CHUNK_IDS):
                    for (row_id,) in session.execute(
                        select(other.__table__.c.id).where(column.in_(ids[at : at + _CHUNK_IDS]))
                    ):
                        if row_id not in created:
                            return True
        return False

    def roots(self) -> list[tuple[type[Entity], str]]:
        """The added rows that no other added row takes with it when deleted: deleting
        these removes the whole import (a project takes its tasks, a task its links)."""
        created = {values["id"] for _entity, values in self.creates}
        found = []
        for entity, values in self.creates:
            owned = any(
                fk.ondelete == "CASCADE" and values.get(fk.parent.name) in created
                for fk in entity.__table__.foreign_keys
            )
            if not owned:
                found.append((entity, str(values["id"])))
        return found

    def counts(self) -> Counter[str]:
        """Rows added per entity name."""
        return Counter(entity.__name__ for entity, _values in self.creates)
