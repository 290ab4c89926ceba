"""Which client a row belongs to, so a client page can ignore changes to other clients.

Rows hang off a client directly (`client_id`) or through a parent: an important date through
its contact, a link through its interaction, a task or cost through its project. Rows that
belong to no client (team members, settings) matter to every client page.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.change_scope import fill_scope
from db.changes import ChangeSet
from db.models import ENTITIES, Client, Entity

# Entity -> the relationship that leads towards its client.
_PARENTS = {
    "ImportantDate": "contact",
    "InteractionContact": "interaction",
    "Task": "project",
    "CostEntry": "project",
    "Assignment": "task",
    "Dependency": "successor",
    "Baseline": "project",
    "BaselineTask": "baseline",
    "ChangeRequest": "project",
    "ChangeRequestTask": "change_request",
    "CustomValue": "contact",  # a contact's field; a client's has client_id
}
EVERYONE = "*"  # the row concerns every client


def client_of(session: Session, entity: str, id_: str) -> str | None:
    """The client id of a row, EVERYONE for rows outside any client, None when the row is
    gone (deleted) and its client can no longer be told."""
    cls = ENTITIES.get(entity)
    if cls is None:
        return EVERYONE
    obj: Entity | None = session.get(cls, id_)
    for _ in range(4):  # at most task -> project -> client
        if obj is None:
            return None
        if isinstance(obj, Client):
            return obj.id
        client_id = getattr(obj, "client_id", EVERYONE if entity not in _PARENTS else None)
        if client_id is not None:
            return str(client_id)
        parent = _PARENTS.get(type(obj).__name__)
        if parent is None:
            return None  # e.g. a follow-up of a project only
        obj = getattr(obj, parent)
    return None


def concerns(
    session: Session, changes: ChangeSet, client_id: str, entities: tuple[str, ...]
) -> bool:
    """Whether the change set touches rows of these entities that belong to the client (or
    to every client, or that could not be traced), from the scope the change set carries
    (resolved here for rows it lacks, as for a change set made by hand)."""
    if not changes.touches(*entities):
        return False
    fill_scope(session, changes, entities)
    return changes.concerns_client(client_id, *entities)
