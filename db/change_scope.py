"""Which client and project a changed row belongs to, resolved when the change is recorded.

`Store` calls `scope_of` for every row of a flush, in the flush itself: a deleted row and the
parents deleted with it are still in the session then, so even a removal says whose it was.
A row's parent is found in the scopes already resolved (a project deleted by an earlier flush
of the same operation), then in the session, then in the database. `fill_scope` resolves the
rows of a change set that came from outside the session (sync, a restored conflict) and are
still there.
"""

from __future__ import annotations

from sqlalchemy import inspect
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


def scope_of(
    session: Session,
    obj: Entity,
    known: Known,
    at_hand: dict[tuple[str, str], Entity] | None = None,
) -> Scope | None:
    """The scope of a row; None when it cannot be told (a parent already gone). `at_hand`
    holds the rows of the flush being recorded: a parent among them is not looked up in the
    session (mid-flush, a new row is not in its identity map yet)."""
    entity = type(obj).__name__
    if entity == "Client":
        return Scope(obj.id)
    if entity in _EVERYONE:
        return Scope(EVERYONE)
    parent = _PARENTS.get(entity)
    if parent is not None:
        fk, parent_entity = parent
        parent_id = _value(obj, fk)
        if not isinstance(parent_id, str):
            return None
        return _scope_by_id(session, parent_entity, parent_id, known, at_hand)
    if entity == "CustomValue":  # a client's own value, or one of its contact's
        client = _value(obj, "client_id")
        if isinstance(client, str):
            return Scope(client)
        contact = _value(obj, "contact_id")
        if not isinstance(contact, str):
            return None
        return _scope_by_id(session, "Contact", contact, known, at_hand)
    columns = type(obj).__table__.columns
    if "client_id" not in columns and "project_id" not in columns:
        return Scope(EVERYONE)  # a row outside any client
    client = _value(obj, "client_id") if "client_id" in columns else None
    if entity == "Project":
        return Scope(client, obj.id) if isinstance(client, str) else None
    project = _value(obj, "project_id") if "project_id" in columns else None
    if client is _MISSING or project is _MISSING:
        return None
    if isinstance(project, str):
        if client is None:  # a follow-up of a project only: the project's client
            return _scope_by_id(session, "Project", project, known, at_hand)
        return Scope(str(client), project)
    return Scope(None if client is None else str(client))


def _scope_by_id(
    session: Session,
    entity: str,
    id_: str,
    known: Known,
    at_hand: dict[tuple[str, str], Entity] | None,
) -> Scope | None:
    found = known.get((entity, id_))
    if found is not None:
        return found
    cls = ENTITIES.get(entity)
    if cls is None:
        return None
    obj = None if at_hand is None else at_hand.get((entity, id_))
    if obj is None:
        with session.no_autoflush:
            obj = session.get(cls, id_)
    if obj is None:
        return None
    scope = scope_of(session, obj, known, at_hand)
    if scope is not None:
        known[(entity, id_)] = scope
    return scope


def fill_scope(session: Session, changes: ChangeSet, entities: tuple[str, ...] = ()) -> None:
    """Resolve the scope of the rows (of these entities; of all when none is named) the
    change set names without one, from the rows still there (a removed row from outside the
    session stays without: it concerns everyone)."""
    for entity in changes.entities() & set(entities) if entities else changes.entities():
        cls = ENTITIES.get(entity)
        for id_ in changes.ids(entity):
            key = (entity, id_)
            if key in changes.scope:
                continue
            if cls is None:
                changes.scope[key] = Scope(EVERYONE)
                continue
            with session.no_autoflush:
                obj = session.get(cls, id_)
            if obj is not None:
                scope = scope_of(session, obj, changes.scope)
                if scope is not None:
                    changes.scope[key] = scope
