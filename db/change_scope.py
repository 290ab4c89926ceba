"""Which client and project a changed row belongs to, resolved when the change is recorded.

`Store` calls `flush_changes` in every flush: a deleted row and the parents deleted with it
are still in the session then, so even a removal says whose it was. A row's parent is found in
the scopes already resolved (a project deleted by an earlier flush of the same operation),
then in the session, then in the database. Sync does the same with `row_scope` for each row it
deletes, before the delete, from the row's columns. `fill_scope` resolves the rows of a change
set that came from outside the session (sync, a restored conflict) and are still there.

A leave or a team member's row concerns every client; its scope names the member too, so the
schedule service drops only the plans that member works on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Mapping
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from db.changes import EVERYONE, ChangeSet, Scope
from db.models import ENTITIES, Entity

# Entity -> (foreign key, parent entity) towards its client.
_PARENTS = {
    "ImportantDate": ("contact_id", "Contact"),
    "InteractionContact": ("interaction_id", "Interaction"),
    "Task": ("project_id", "Project"),
    "CostEntry": ("project_id", "Project"),
    "Baseline": ("project_id", "Project"),
    "ChangeRequest": ("project_id", "Project"),
    "Assignment": ("task_id", "Task"),
    "Dependency": ("successor_id", "Task"),
    "BaselineTask": ("baseline_id", "Baseline"),
    "ChangeRequestTask": ("change_request_id", "ChangeRequest"),
}
# Entities whose rows belong to no client and change what every client shows.
_EVERYONE = frozenset({"TeamMember", "TimeOff", "Closure", "AgencySetting"})

Known = dict[tuple[str, str], Scope]
# Rows read in one query when a pulled change set learns its scope (SQLite's bound values).
_BATCH = 500


_MISSING = object()


def _value(obj: Entity, column: str) -> object:
    """A column of the row: as loaded, else read (a row deleted and never loaded: missing)."""
    loaded = inspect(obj).dict
    if column in loaded:
        return loaded[column]
    try:
        return getattr(obj, column)
    except SQLAlchemyError:
        return _MISSING


def _scope(
    entity: str,
    id_: str,
    columns: Collection[str],
    value: Callable[[str], object],
    parent: Callable[[str, str], Scope | None],
) -> Scope | None:
    """The one rule, whatever holds the row: `value(column)` reads one of its `columns`
    (`_MISSING` when it cannot be read) and `parent(entity, id)` resolves a parent's scope."""
    if entity == "Client":
        return Scope(id_)
    if entity == "TeamMember":
        return Scope(EVERYONE, member=id_)
    if entity == "TimeOff":
        member = value("member_id")
        return Scope(EVERYONE, member=member if isinstance(member, str) else None)
    if entity in _EVERYONE:
        return Scope(EVERYONE)
    found = _PARENTS.get(entity)
    if found is not None:
        fk, parent_entity = found
        parent_id = value(fk)
        if not isinstance(parent_id, str):
            return None
        return parent(parent_entity, parent_id)
    if entity == "CustomValue":  # a client's own value, or one of its contact's
        client = value("client_id")
        if isinstance(client, str):
            return Scope(client)
        contact = value("contact_id")
        if not isinstance(contact, str):
            return None
        return parent("Contact", contact)
    if "client_id" not in columns and "project_id" not in columns:
        return Scope(EVERYONE)  # a row outside any client
    client = value("client_id") if "client_id" in columns else None
    if entity == "Project":
        return Scope(client, id_) if isinstance(client, str) else None
    project = value("project_id") if "project_id" in columns else None
    if client is _MISSING or project is _MISSING:
        return None
    if isinstance(project, str):
        if client is None:  # a follow-up of a project only: the project's client
            return parent("Project", project)
        return Scope(str(client), project)
    return Scope(None if client is None else str(client))


def scope_of(
    session: Session,
    obj: Entity,
    known: Known,
    at_hand: dict[tuple[str, str], Entity] | None = None,
) -> Scope | None:
    """The scope of a row; None when it cannot be told (a parent already gone). `at_hand`
    holds the rows of the flush being recorded: a parent among them is not looked up in the
    session (mid-flush, a new row is not in its identity map yet)."""
    return _scope(
        type(obj).__name__,
        obj.id,
        type(obj).__table__.columns.keys(),
        lambda column: _value(obj, column),
        lambda entity, id_: _scope_by_id(session, entity, id_, known, at_hand),
    )


def _remembered(
    known: Known, entity: str, id_: str, read: Callable[[type[Entity]], Scope | None]
) -> Scope | None:
    """A parent's scope from `known`, else `read` from its row (and kept in `known`)."""
    found = known.get((entity, id_))
    if found is not None:
        return found
    cls = ENTITIES.get(entity)
    if cls is None:
        return None
    scope = read(cls)
    if scope is not None:
        known[(entity, id_)] = scope
    return scope


def _scope_by_id(
    session: Session,
    entity: str,
    id_: str,
    known: Known,
    at_hand: dict[tuple[str, str], Entity] | None,
) -> Scope | None:
    def read(cls: type[Entity]) -> Scope | None:
        obj = None if at_hand is None else at_hand.get((entity, id_))
        if obj is None:
            with session.no_autoflush:
                obj = session.get(cls, id_)
        return None if obj is None else scope_of(session, obj, known, at_hand)

    return _remembered(known, entity, id_, read)


def flush_changes(session: Session, known: Known) -> ChangeSet:
    """What the flush under way writes: the ORM rows added, changed and removed, each with its
    scope (`known` holds scopes resolved earlier in the same operation and learns these)."""
    step = ChangeSet()
    rows: list[tuple[str, Entity]] = [
        *(("added", o) for o in session.new if isinstance(o, Entity)),
        *(
            ("changed", o)
            for o in session.dirty
            if isinstance(o, Entity) and session.is_modified(o, include_collections=False)
        ),
        *(("removed", o) for o in session.deleted if isinstance(o, Entity)),
    ]
    at_hand = {(type(o).__name__, o.id): o for _kind, o in rows}
    for kind, obj in rows:
        entity = type(obj).__name__
        step.add(kind, entity, [obj.id])
        scope = scope_of(session, obj, known, at_hand)
        if scope is not None:
            known[(entity, obj.id)] = step.scope[(entity, obj.id)] = scope
    return step


def row_scope(
    conn: sqlite3.Connection, entity: str, row: Mapping[str, Any], known: Known
) -> Scope | None:
    """The scope of a row read with SQL (sync, about to delete it); its parents are read from
    `conn`, so call it before they go. `known` caches the parents' scopes."""
    return _scope(
        entity,
        str(row["id"]),
        row.keys(),
        lambda column: row.get(column, _MISSING),
        lambda parent, id_: _row_scope_by_id(conn, parent, id_, known),
    )


def _row_scope_by_id(conn: sqlite3.Connection, entity: str, id_: str, known: Known) -> Scope | None:
    def read(cls: type[Entity]) -> Scope | None:
        cur = conn.execute(f'SELECT * FROM "{cls.__table__.name}" WHERE id = ?', (id_,))
        values = cur.fetchone()
        if values is None:
            return None
        row = dict(zip([d[0] for d in cur.description], values, strict=True))
        return row_scope(conn, entity, row, known)

    return _remembered(known, entity, id_, read)


def fill_scope(session: Session, changes: ChangeSet, entities: tuple[str, ...] = ()) -> None:
    """Resolve the scope of the rows (of these entities; of all when none is named) the
    change set names without one, from the rows still there (a removed row from outside the
    session stays without: it concerns everyone)."""
    for entity in changes.entities() & set(entities) if entities else changes.entities():
        cls = ENTITIES.get(entity)
        missing = [i for i in changes.ids(entity) if (entity, i) not in changes.scope]
        if cls is None:
            for id_ in missing:
                changes.scope[(entity, id_)] = Scope(EVERYONE)
            continue
        for first in range(0, len(missing), _BATCH):
            chunk = missing[first : first + _BATCH]
            with session.no_autoflush:  # one query a chunk, not one a row (a large pull)
                rows = list(session.scalars(select(cls).where(cls.id.in_(chunk))))
            for obj in rows:
                scope = scope_of(session, obj, changes.scope)
                if scope is not None:
                    changes.scope[(entity, obj.id)] = scope
