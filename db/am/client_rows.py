"""The client list in bulk: one row per client with everything the list shows, built from a
few grouped queries (never a loop over relationships), so 5,000 clients load in well under
the list's 300 ms budget. `search_texts` gives the haystack type-to-filter matches against."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.am.health import Health
from db.am.health_facts import CLOSED_PROJECT, as_text, health_for_clients, last_contacts
from db.am.money import open_pipeline_values
from db.core_reads import read
from db.models import (
    Client,
    ClientNote,
    ClientStatus,
    Contact,
    CustomValue,
    FollowUp,
    Project,
    TeamMember,
)


@dataclass(frozen=True)
class ClientRow:
    id: str
    name: str
    status: ClientStatus
    account_manager_id: str | None
    account_manager: str  # the AM's name, "" when none
    health: Health
    last_contact: datetime | None
    next_follow_up: date | None
    open_projects: int
    pipeline_cents: int
    currency: str


def client_list_rows(
    session: Session, today: date, client_ids: Collection[str] | None = None
) -> list[ClientRow]:
    """Rows for every client (or just `client_ids`, to refresh a few after a change), by name."""
    # Table columns: the list reads its first rows before the first paint (see db.core_reads).
    client, follow_up, project = Client.__table__.c, FollowUp.__table__.c, Project.__table__.c
    manager = TeamMember.__table__.alias("manager")
    base = (
        select(
            client.id,
            client.name,
            client.status,
            client.account_manager_id,
            manager.c.name,
            client.currency,
        )
        .outerjoin(manager, manager.c.id == client.account_manager_id)
        .order_by(func.lower(client.name))
    )
    follow = (
        select(follow_up.client_id, func.min(follow_up.due_date))
        .where(follow_up.done_at.is_(None), follow_up.client_id.is_not(None))
        .group_by(follow_up.client_id)
    )
    projects = (
        select(project.client_id, func.count())
        .where(project.status.not_in(CLOSED_PROJECT))
        .group_by(project.client_id)
    )
    if client_ids is not None:
        base = base.where(client.id.in_(client_ids))
        follow = follow.where(follow_up.client_id.in_(client_ids))
        projects = projects.where(project.client_id.in_(client_ids))
    last_contact = last_contacts(session, today, client_ids)
    next_follow: dict[str, date] = dict(read(session, follow).all())
    open_projects: dict[str, int] = dict(read(session, projects).all())
    pipeline = open_pipeline_values(session, client_ids)
    health = health_for_clients(session, today, client_ids, contacts=last_contact)
    rows = []
    for cid, name, status, am_id, am_name, currency in read(session, base):
        rows.append(
            ClientRow(
                id=cid,
                name=name,
                status=status,
                account_manager_id=am_id,
                account_manager=am_name or "",
                health=health.get(cid) or Health(100, (), "good"),
                last_contact=last_contact.get(cid),
                next_follow_up=next_follow.get(cid),
                open_projects=open_projects.get(cid, 0),
                pipeline_cents=pipeline.get(cid, 0),
                currency=currency,
            )
        )
    return rows


def search_texts(session: Session, client_ids: Collection[str] | None = None) -> dict[str, str]:
    """Lower-case text per client to filter on: its name, tags, contacts' names and emails,
    its brief notes and custom field values (joined in SQL, one row per client per source)."""
    parts: dict[str, list[str]] = defaultdict(list)
    clients = select(Client.id, Client.name, as_text(Client.tags))
    contacts = select(
        Contact.client_id, func.group_concat(Contact.name + " " + Contact.email, "\n")
    ).group_by(Contact.client_id)
    notes = select(ClientNote.client_id, func.group_concat(ClientNote.text, "\n")).group_by(
        ClientNote.client_id
    )
    # Custom field values, the client's own and its contacts': "north" finds Region: North.
    own = select(CustomValue.client_id, func.group_concat(CustomValue.value, "\n")).where(
        CustomValue.client_id.is_not(None)
    )
    theirs = select(Contact.client_id, func.group_concat(CustomValue.value, "\n")).join(
        CustomValue, CustomValue.contact_id == Contact.id
    )
    if client_ids is not None:
        clients = clients.where(Client.id.in_(client_ids))
        contacts = contacts.where(Contact.client_id.in_(client_ids))
        notes = notes.where(ClientNote.client_id.in_(client_ids))
        own = own.where(CustomValue.client_id.in_(client_ids))
        theirs = theirs.where(Contact.client_id.in_(client_ids))
    own = own.group_by(CustomValue.client_id)
    theirs = theirs.group_by(Contact.client_id)
    for cid, name, tags in read(session, clients):
        parts[cid] += (name, tags or "")
    for query in (contacts, notes, own, theirs):
        for cid, text in read(session, query):
            parts[cid].append(text or "")
    return {cid: "\n".join(texts).lower() for cid, texts in parts.items()}
