"""What the client page offers to pick from and shows in its header: the client's contacts
and projects by name, its account manager, and the header line's facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.core_reads import read
from db.models import Client, ClientStatus, Contact, Project, TeamMember


def contacts_by_name(session: Session, client_id: str) -> list[tuple[str, str]]:
    """(id, name) of the client's contacts, in name order (a recipient or attendee picker)."""
    query = (
        select(Contact.id, Contact.name)
        .where(Contact.client_id == client_id)
        .order_by(Contact.name)
    )
    return [(id_, name) for id_, name in read(session, query)]


def projects_by_name(session: Session, client_id: str) -> list[tuple[str, str]]:
    """(id, name) of the client's projects, in name order (a follow-up's project picker)."""
    query = (
        select(Project.id, Project.name)
        .where(Project.client_id == client_id)
        .order_by(Project.name)
    )
    return [(id_, name) for id_, name in read(session, query)]


def account_manager_of(session: Session, client_id: str) -> str | None:
    """The id of the client's account manager (None without one, or without the client)."""
    query = select(Client.account_manager_id).where(Client.id == client_id)
    return session.scalar(query)


@dataclass(frozen=True, slots=True)
class ClientHeader:
    """What the client page's header line says of the client."""

    name: str
    status: ClientStatus
    since: date | None
    manager: str | None  # the account manager's name
    industry: str
    tags: list[str]


def client_header(session: Session, client_id: str) -> ClientHeader | None:
    """The header's facts of one client; None once the client is gone."""
    query = (
        select(
            Client.name,
            Client.status,
            Client.client_since,
            TeamMember.name,
            Client.industry,
            Client.tags,
        )
        .outerjoin(TeamMember, TeamMember.id == Client.account_manager_id)
        .where(Client.id == client_id)
    )
    row = session.execute(query).first()
    if row is None:
        return None
    name, status, since, manager, industry, tags = row
    return ClientHeader(name, status, since, manager, industry, list(tags or []))
