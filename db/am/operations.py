"""The account manager's operations, built from `db.operations` (Create / Update / composite) so
each is one undo step and reports its changes like any other.

Functions here only build operations; nothing touches the session until `Store.apply` (or
`Workspace.run`) runs them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.labels import quoted
from db.models import (
    Client,
    ClientNote,
    Contact,
    FollowUp,
    Horizon,
    ImportantDate,
    Interaction,
    InteractionContact,
    InteractionKind,
    NoteKind,
    Project,
    ProjectStatus,
    Sentiment,
    TeamMember,
    utcnow,
)
from db.models.base import Entity
from db.operations import Composite, Create, Delete, Operation, Update, composite


@dataclass(frozen=True)
class FollowUpDraft:
    title: str
    due_date: date
    owner_id: str | None = None
    notes: str = ""
    share_with_client: bool = False


def add_follow_up(client_id: str, draft: FollowUpDraft) -> Create:
    return Create(
        FollowUp,
        {
            "client_id": client_id,
            "title": draft.title,
            "due_date": draft.due_date,
            "owner_id": draft.owner_id,
            "notes": draft.notes,
            "share_with_client": draft.share_with_client,
        },
        label=f"New follow-up {quoted(draft.title)}",
    )


def share_follow_up(follow_up_id: str, title: str, shared: bool) -> Update:
    """Let the client see a follow-up in their summary and agenda, or make it internal."""
    label = (
        f"Share follow-up {title!r} with the client"
        if shared
        else f"Keep follow-up {title!r} internal"
    )
    return Update(FollowUp, follow_up_id, {"share_with_client": shared}, label=label)


def log_interaction(
    client_id: str,
    kind: InteractionKind,
    summary: str,
    *,
    occurred_at: datetime | None = None,
    contact_ids: Iterable[str] = (),
    sentiment: Sentiment = Sentiment.NEUTRAL,
    outcome: str = "",
    logged_by_id: str | None = None,
    follow_up: FollowUpDraft | None = None,
) -> Composite:
    """One interaction, who took part, and optionally the follow-up it calls for."""
    interaction = Create(
        Interaction,
        {
            "client_id": client_id,
            "kind": kind,
            "occurred_at": occurred_at or utcnow(),
            "summary": summary,
            "outcome": outcome,
            "sentiment": sentiment,
            "logged_by_id": logged_by_id,
        },
    )
    steps: list[Create] = [interaction]
    steps += [
        Create(InteractionContact, {"interaction_id": interaction.id, "contact_id": contact_id})
        for contact_id in dict.fromkeys(contact_ids)
    ]
    if follow_up is not None:
        steps.append(add_follow_up(client_id, follow_up))
    return composite(steps, f"Log {kind.value.replace('_', ' ')}")


def add_note(
    client_id: str,
    kind: NoteKind,
    text: str,
    *,
    horizon: Horizon = Horizon.SHORT,
    noted_on: date | None = None,
) -> Create:
    return Create(
        ClientNote,
        {
            "client_id": client_id,
            "kind": kind,
            "text": text,
            "horizon": horizon,
            "noted_on": noted_on or date.today(),
        },
        label=f"Add {kind.value.replace('_', ' ')}",
    )


def edit_note(note_id: str, values: Mapping[str, Any]) -> Update:
    return Update(ClientNote, note_id, dict(values), label="Edit brief entry")


def resolve_note(note_id: str, on: date | None = None) -> Update:
    return Update(ClientNote, note_id, {"resolved_on": on or date.today()}, label="Resolve")


def reopen_note(note_id: str) -> Update:
    return Update(ClientNote, note_id, {"resolved_on": None}, label="Reopen")


def complete_follow_up(follow_up_id: str, at: datetime | None = None) -> Update:
    return Update(FollowUp, follow_up_id, {"done_at": at or utcnow()}, label="Complete follow-up")


def reopen_follow_up(follow_up_id: str) -> Update:
    return Update(FollowUp, follow_up_id, {"done_at": None}, label="Reopen follow-up")


@dataclass(frozen=True)
class DateDraft:
    label: str
    day: int
    month: int
    year: int | None = None


def add_contact(
    client_id: str, values: Mapping[str, Any], dates: Sequence[DateDraft] = ()
) -> Composite:
    """A contact with its important dates, as one step."""
    contact = Create(Contact, {**values, "client_id": client_id})
    steps: list[Create] = [contact]
    steps += [
        Create(
            ImportantDate,
            {
                "contact_id": contact.id,
                "label": d.label,
                "day": d.day,
                "month": d.month,
                "year": d.year,
            },
        )
        for d in dates
    ]
    return composite(steps, f"New contact {quoted(str(values.get('name', '')))}")


def new_project_from_request(
    client_id: str,
    request: str,
    *,
    name: str,
    project_manager_id: str | None,
    project_manager_name: str = "",
    account_manager_id: str | None = None,
    start_date: date | None = None,
    due_date: date | None = None,
    budget_cents: int = 0,
) -> Composite:
    """A project for the client with the request as its brief, handed to a project manager,
    and the hand-off written into the client's timeline (one undo step)."""
    if not request.strip():
        raise ValidationError("Request", "must not be empty")
    project = Create(
        Project,
        {
            "client_id": client_id,
            "name": name.strip(),
            "brief": request.strip(),
            "project_manager_id": project_manager_id,
            "account_manager_id": account_manager_id,
            "status": ProjectStatus.PLANNED,
            "start_date": start_date,
            "due_date": due_date,
            "budget_cents": budget_cents,
        },
    )
    to_whom = f" to {project_manager_name}" if project_manager_name else ""
    handoff = Create(
        Interaction,
        {
            "client_id": client_id,
            "kind": InteractionKind.NOTE,
            "occurred_at": utcnow(),
            "summary": f"Handed off project {name.strip()}{to_whom}: {request.strip()}",
            "logged_by_id": account_manager_id,
        },
    )
    return composite([project, handoff], f"New project {quoted(name.strip())} from request")


# -- editing and deleting the records of a client page -------------------------------------


def edit_record(
    entity: type[Entity], record_id: str, values: Mapping[str, Any], what: str, name: str
) -> Update:
    """One record's fields, as one step: "Edit follow-up “Send the proposal”"."""
    return Update(entity, record_id, dict(values), label=f"Edit {what} {quoted(name)}")


def delete_record(entity: type[Entity], record_id: str, what: str, name: str) -> Delete:
    """One record and what hangs off it (a contact's dates, an interaction's links)."""
    return Delete(entity, record_id, label=f"Delete {what} {quoted(name)}")


@dataclass(frozen=True)
class DateEdit:
    """An important date as a contact dialog shows it; `id` None for a new one."""

    label: str
    day: int
    month: int
    year: int | None = None
    id: str | None = None


def edit_contact(
    contact_id: str,
    name: str,
    values: Mapping[str, Any],
    old_dates: Sequence[DateEdit],
    new_dates: Sequence[DateEdit],
) -> Composite:
    """A contact's fields and its important dates as they now should be (dates dropped from
    the list are deleted, new ones created, changed ones updated), as one step."""
    steps: list[Operation] = [Update(Contact, contact_id, dict(values))]
    kept = {d.id for d in new_dates if d.id is not None}
    before = {d.id: d for d in old_dates if d.id is not None}
    steps += [Delete(ImportantDate, d) for d in before if d not in kept]
    for d in new_dates:
        fields = {"label": d.label, "day": d.day, "month": d.month, "year": d.year}
        if d.id is None:
            steps.append(Create(ImportantDate, {**fields, "contact_id": contact_id}))
        elif before.get(d.id) != d:
            steps.append(Update(ImportantDate, d.id, fields))
    return composite(steps, f"Edit contact {quoted(name)}")


def edit_interaction(
    interaction_id: str,
    values: Mapping[str, Any],
    links: Mapping[str, str],
    contact_ids: Iterable[str],
    what: str,
) -> Composite:
    """An interaction's fields and who took part (`links`: contact id -> its link row id, as
    stored now; `contact_ids`: who should be linked), as one step."""
    wanted = list(dict.fromkeys(contact_ids))
    steps: list[Operation] = [Update(Interaction, interaction_id, dict(values))]
    steps += [Delete(InteractionContact, link) for c, link in links.items() if c not in wanted]
    steps += [
        Create(InteractionContact, {"interaction_id": interaction_id, "contact_id": c})
        for c in wanted
        if c not in links
    ]
    return composite(steps, f"Edit {what}")


def interaction_links(session: Session, interaction_id: str) -> dict[str, str]:
    """Contact id -> link row id of who took part in an interaction."""
    rows = session.execute(
        select(InteractionContact.contact_id, InteractionContact.id).where(
            InteractionContact.interaction_id == interaction_id
        )
    )
    return {contact_id: link_id for contact_id, link_id in rows}


def default_owner(session: Session, client_id: str, me: str | None) -> str | None:
    """Who a new follow-up belongs to: the person at this station ("I am"), else the
    client's account manager, else nobody."""
    if me is not None:
        member = session.get(TeamMember, me)
        if member is not None and member.active:
            return me
    return session.scalar(select(Client.account_manager_id).where(Client.id == client_id))
