"""A meeting agenda: for one client, or for the weekly team meeting.

`agenda(session, today, days, client_id=None)` gathers open follow-ups (overdue or due in the
window), milestones and deliverables the schedule puts in the next `days` days, change requests
still pending, and the people over-allocated in that window (see `db.reports.allocation`).
Dates of tasks come from the scheduling engine, not the stored start dates, so a milestone
pushed out by its predecessors shows where it really falls.
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
from db.scheduling.engine import Scheduler
from db.scheduling.plan import load_plan
from db.settings import AGENCY_NAME

OPEN_PROJECT = (ProjectStatus.PLANNED, ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD)


@dataclass(frozen=True)
class AgendaFollowUp:
    client: str
    title: str
    due: date
    owner: str
    overdue: bool


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
    follow_ups: tuple[AgendaFollowUp, ...]
    due: tuple[DueItem, ...]
    changes: tuple[PendingChange, ...]
    over_allocated: tuple[OverAllocation, ...]

    @property
    def title(self) -> str:
        if self.client_name is None:
            return "Weekly team meeting"
        return f"Meeting with {self.client_name}"


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


def agenda(session: Session, today: date, days: int = 7, client_id: str | None = None) -> Agenda:
    until = today + timedelta(days=days)
    client_name = None
    if client_id is not None:
        client = session.get(Client, client_id)
        if client is None:
            raise KeyError(client_id)
        client_name = client.name

    owner = aliased(TeamMember)
    query = (
        select(Client.name, FollowUp.title, FollowUp.due_date, owner.name)
        .join(Client, Client.id == FollowUp.client_id)
        .outerjoin(owner, owner.id == FollowUp.owner_id)
        .where(FollowUp.done_at.is_(None), FollowUp.due_date <= until)
        .order_by(FollowUp.due_date, Client.name, FollowUp.title)
    )
    if client_id is not None:
        query = query.where(FollowUp.client_id == client_id)
    follow_ups = tuple(
        AgendaFollowUp(c, t, d, o or "", d < today) for c, t, d, o in session.execute(query)
    )

    # Every open project is scheduled: over-allocation needs all of a person's work, even
    # for one client's meeting.
    everything = open_projects(session)
    ours = {pid for pid, _n, _c in open_projects(session, client_id)} if client_id else None
    schedulers: dict[str, Scheduler] = {}
    for pid, _name, _client in everything:
        schedulers[pid] = Scheduler(load_plan(session, pid))
    kinds = dict(
        session.execute(
            select(Task.id, Task.kind).where(
                Task.kind.in_((TaskKind.MILESTONE, TaskKind.DELIVERABLE)),
                Task.project_id.in_([pid for pid, _n, _c in everything]),
            )
        ).all()
    )
    due: list[DueItem] = []
    for pid, name, client in everything:
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
                due.append(DueItem(when, kind, s.specs[node].name, name, client))
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

    people = over_allocated(session, schedulers, today, until)
    if ours is not None:
        # For a client's meeting: the people working on this client's projects.
        involved: set[str] = set()
        for pid in ours:
            for spec in schedulers[pid].specs:
                involved |= spec.members
        people = [p for p in people if p.member_id in involved]

    return Agenda(
        agency_name=str(setting(session, AGENCY_NAME) or ""),
        client_name=client_name,
        today=today,
        until=until,
        follow_ups=follow_ups,
        due=tuple(due),
        changes=changes,
        over_allocated=tuple(people),
    )
