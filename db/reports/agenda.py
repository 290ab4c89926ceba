"""A meeting agenda: for one client, or for the weekly team meeting.

`agenda(session, today, days, client_id=None)` gathers open follow-ups (overdue or due in the
window), milestones and deliverables the schedule puts in the next `days` days, change requests
still pending, and the people over-allocated in that window (see `db.reports.allocation`).
Dates of tasks come from the scheduling engine, not the stored start dates, so a milestone
pushed out by its predecessors shows where it really falls.

A client's agenda is for the client's eyes unless asked for otherwise (`Audience.INTERNAL`,
the account manager's own preparation): as with the client summary, `for_audience` keeps only
the fields named in `CLIENT_VISIBLE`, and follow-ups not marked "share with client" and who is
over-allocated (internal staffing) live in fields outside it. The team meeting's agenda is
always internal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from db.am.agency import setting
from db.models import (
    ChangeRequest,
    ChangeRequestStatus,
    Client,
    FollowUp,
    Project,
    ProjectStatus,
    Task,
    TaskKind,
    TeamMember,
)
from db.reports.allocation import OverAllocation, over_allocated
from db.reports.audience import Audience, check_defaults, shown_to
from db.reports.client_summary import FieldLine, custom_field_lines
from db.scheduling.schedules import schedules_for
from db.settings import AGENCY_NAME

OPEN_PROJECT = (ProjectStatus.PLANNED, ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD)


@dataclass(frozen=True)
class AgendaFollowUp:
    client: str
    title: str
    due: date
    owner: str
    overdue: bool
    shared: bool = True  # marked "share with client"


@dataclass(frozen=True)
class DueItem:
    when: date
    kind: TaskKind
    name: str
    project: str
    client: str


@dataclass(frozen=True)
class PendingChange:
    raised_on: date
    project: str
    client: str
    description: str
    schedule_impact_days: int
    cost_impact_cents: int
    currency: str


@dataclass(frozen=True)
class Agenda:
    agency_name: str
    client_name: str | None  # None: the weekly team meeting
    today: date
    until: date
    follow_ups: tuple[AgendaFollowUp, ...]  # the shared ones
    due: tuple[DueItem, ...]
    changes: tuple[PendingChange, ...]
    audience: Audience = Audience.INTERNAL
    client_fields: tuple[FieldLine, ...] = ()  # the client's shareable custom fields
    # Internal only: kept out of a client's copy by the whitelist below.
    private_client_fields: tuple[FieldLine, ...] = ()  # custom fields not marked shareable
    internal_follow_ups: tuple[AgendaFollowUp, ...] = ()
    over_allocated: tuple[OverAllocation, ...] = ()

    @property
    def internal(self) -> bool:
        return self.audience is Audience.INTERNAL

    @property
    def all_follow_ups(self) -> tuple[AgendaFollowUp, ...]:
        """Every follow-up this copy may list, by due date."""
        merged = (*self.follow_ups, *self.internal_follow_ups)
        return tuple(sorted(merged, key=lambda f: (f.due, f.client, f.title)))

    @property
    def title(self) -> str:
        if self.client_name is None:
            return "Weekly team meeting"
        return f"Meeting with {self.client_name}"


# What a client's copy may hold. Everything else is reset to its empty default for them.
CLIENT_VISIBLE = frozenset(
    {
        "agency_name",
        "client_name",
        "today",
        "until",
        "follow_ups",
        "due",
        "changes",
        "audience",
        "client_fields",
    }
)


def for_audience(found: Agenda, audience: Audience) -> Agenda:
    """The agenda as `audience` may see it (`db.reports.audience`)."""
    return shown_to(found, audience, CLIENT_VISIBLE)


def open_projects(session: Session, client_id: str | None = None) -> list[tuple[str, str, str]]:
    """(project id, project name, client name) of projects not done or cancelled."""
    query = (
        select(Project.id, Project.name, Client.name)
        .join(Client, Client.id == Project.client_id)
        .where(Project.status.in_(OPEN_PROJECT))
        .order_by(Client.name, Project.name)
    )
    if client_id is not None:
        query = query.where(Project.client_id == client_id)
    return [(pid, name, client) for pid, name, client in session.execute(query)]


def agenda(
    session: Session,
    today: date,
    days: int = 7,
    client_id: str | None = None,
    audience: Audience | None = None,
) -> Agenda:
    """The agenda of a client's meeting (for the client unless `audience` says otherwise)
    or, without a client, of the weekly team meeting (internal)."""
    if audience is None:
        audience = Audience.CLIENT if client_id is not None else Audience.INTERNAL
    if audience is Audience.CLIENT and client_id is None:
        raise ValueError("an agenda for the client's eyes needs a client")
    until = today + timedelta(days=days)
    client_name = None
    shared_fields: tuple[FieldLine, ...] = ()
    private_fields: tuple[FieldLine, ...] = ()
    if client_id is not None:
        client = session.get(Client, client_id)
        if client is None:
            raise KeyError(client_id)
        client_name = client.name
        shared_fields, private_fields = custom_field_lines(session, client_id)

    owner = aliased(TeamMember)
    query = (
        select(
            Client.name,
            FollowUp.title,
            FollowUp.due_date,
            owner.name,
            FollowUp.share_with_client,
        )
        .join(Client, Client.id == FollowUp.client_id)
        .outerjoin(owner, owner.id == FollowUp.owner_id)
        .where(FollowUp.done_at.is_(None), FollowUp.due_date <= until)
        .order_by(FollowUp.due_date, Client.name, FollowUp.title)
    )
    if client_id is not None:
        query = query.where(FollowUp.client_id == client_id)
    follow_up_rows = [
        AgendaFollowUp(c, t, d, o or "", d < today, bool(shared))
        for c, t, d, o, shared in session.execute(query)
    ]

    # Every open project is scheduled: over-allocation needs all of a person's work, even
    # for one client's meeting.
    everything = open_projects(session)
    ours = {pid for pid, _n, _c in open_projects(session, client_id)} if client_id else None
    schedulers = schedules_for(session).schedulers(pid for pid, _n, _c in everything)
    kinds = dict(
        session.execute(
            select(Task.id, Task.kind).where(
                Task.kind.in_((TaskKind.MILESTONE, TaskKind.DELIVERABLE)),
                Task.project_id.in_([pid for pid, _n, _c in everything]),
            )
        ).all()
    )
    due: list[DueItem] = []
    for pid, name, client_of_project in everything:
        if ours is not None and pid not in ours:
            continue
        s = schedulers[pid]
        for task_id, kind in kinds.items():
            if task_id not in s:
                continue
            node = s.pos[task_id]
            if s.specs[node].progress >= 100:
                continue
            when = date.fromordinal(s.finish_o[node])
            if today <= when <= until:
                due.append(DueItem(when, kind, s.specs[node].name, name, client_of_project))
    due.sort(key=lambda d: (d.when, d.client, d.project, d.name))

    changes_query = (
        select(
            ChangeRequest.raised_on,
            Project.name,
            Client.name,
            ChangeRequest.description,
            ChangeRequest.schedule_impact_days,
            ChangeRequest.cost_impact_cents,
            Client.currency,
        )
        .join(Project, Project.id == ChangeRequest.project_id)
        .join(Client, Client.id == Project.client_id)
        .where(ChangeRequest.status == ChangeRequestStatus.PENDING)
        .order_by(ChangeRequest.raised_on, Project.name)
    )
    if client_id is not None:
        changes_query = changes_query.where(Project.client_id == client_id)
    changes = tuple(PendingChange(*row) for row in session.execute(changes_query))

    # Staffing is internal: a client's copy never computes it.
    people = (
        over_allocated(session, schedulers, today, until) if audience is Audience.INTERNAL else []
    )
    if ours is not None:
        # For a client's meeting: the people working on this client's projects.
        involved: set[str] = set()
        for pid in ours:
            for spec in schedulers[pid].specs:
                involved |= spec.members
        people = [p for p in people if p.member_id in involved]

    full = Agenda(
        agency_name=str(setting(session, AGENCY_NAME) or ""),
        client_name=client_name,
        today=today,
        until=until,
        follow_ups=tuple(f for f in follow_up_rows if f.shared),
        internal_follow_ups=tuple(f for f in follow_up_rows if not f.shared),
        due=tuple(due),
        changes=changes,
        over_allocated=tuple(people),
        client_fields=shared_fields,
        private_client_fields=private_fields,
    )
    return for_audience(full, audience)


check_defaults(Agenda, CLIENT_VISIBLE)
