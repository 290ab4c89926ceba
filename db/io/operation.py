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
from functools import cache
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from db.errors import NotFoundError
from db.models import Entity
from db.operations import DeleteRows, column_values
from db.validation import check_lengths, check_values

Row = tuple[type[Entity], dict[str, Any]]


@cache
def _defaults(entity: type[Entity]) -> dict[str, Any]:
    """Column defaults that are plain values, so a new row is checked as it will be stored."""
    found = {}
    for attr in inspect(entity).column_attrs:
        default = attr.columns[0].default
        if default is not None and default.is_scalar:
            found[attr.key] = default.arg
    return found


@dataclass
class ImportOperation:
    """Add `creates` (parents before children) and apply `updates` (entity, id, new values)."""

    creates: list[Row]
    updates: list[tuple[type[Entity], str, dict[str, Any]]] = field(default_factory=list)
    label: str = "Import"
    old: list[tuple[type[Entity], str, dict[str, Any]]] = field(default_factory=list)

    def apply(self, session: Session) -> None:
        for entity, values in self.creates:
            name = entity.__name__
            check_values(name, {**_defaults(entity), **values}, partial=False)
            check_lengths(name, values)
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
        # Objects are made fresh on every apply: redo after undo must not reuse the instances
        # the undo deleted.
        session.add_all([entity(**values) for entity, values in self.creates])
        session.flush()

    def revert(self, session: Session) -> None:
        roots = self.roots()
        if roots:
            DeleteRows(roots, label=self.label).apply(session)
        for entity, id_, values in reversed(self.old):
            obj = session.get(entity, id_)
            if obj is not None:
                for key, value in values.items():
                    setattr(obj, key, value)
        session.flush()

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
