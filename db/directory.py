"""The agency's clients as the lists pickers and start-up show: by name, the first one, an
account manager's own, and whether the agency has anything in it yet."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.core_reads import read
from db.models import Client, Entity, Task, TeamMember


def clients_by_name(session: Session) -> list[tuple[str, str]]:
    """(id, name) of every client, in name order (any case)."""
    rows = read(session, select(Client.id, Client.name).order_by(func.lower(Client.name)))
    return [(id_, name) for id_, name in rows]


def first_client_id(session: Session) -> str | None:
    """The client first in name order (None in an agency without clients)."""
    return session.scalars(select(Client.id).order_by(func.lower(Client.name)).limit(1)).first()


def clients_of_manager(session: Session, member_id: str) -> set[str]:
    """The ids of the clients this member is account manager of."""
    query = select(Client.id).where(Client.account_manager_id == member_id)
    return set(session.scalars(query))


def agency_is_empty(session: Session) -> bool:
    """No team member and no client yet: a new agency."""
    # Table columns: the app asks before its first paint (see db.core_reads).
    member, client = TeamMember.__table__.c, Client.__table__.c
    query = select(member.id).union_all(select(client.id)).limit(1)
    return read(session, query).first() is None


def row_count(session: Session, entity: type[Entity]) -> int:
    return session.scalar(select(func.count()).select_from(entity)) or 0


def project_of_task(session: Session, task_id: str) -> str | None:
    """The project a task belongs to (None once the task is gone)."""
    return session.scalar(select(Task.project_id).where(Task.id == task_id))
