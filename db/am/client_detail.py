"""One client's lists for the client page, each read with one or two queries and returned as
small frozen rows with an `id`, so a view can compare a fresh read with what it shows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from db.am.cadence import contact_cadences
from db.models import (
    ClientNote,
    Contact,
    CostEntry,
    FollowUp,
    Gift,
    GiftState,
    Horizon,
    ImportantDate,
    Interaction,
    InteractionContact,
    InteractionKind,
    MemberRole,
    NoteKind,
    Opportunity,
    OpportunityStage,
    Project,
    ProjectStatus,
    SatisfactionRating,
    Sentiment,
    TeamMember,
)
from db.models.privacy import ERASED_CONTACT, PersonErasure
from db.scheduling.schedules import schedules_for


@dataclass(frozen=True)
class NoteRow:
    id: str
    kind: NoteKind
    horizon: Horizon
    text: str
    noted_on: date
    resolved_on: date | None


def brief_notes(session: Session, client_id: str) -> list[NoteRow]:
    """Open entries first, each group oldest first."""
    rows = session.execute(
        select(
            ClientNote.id,
            ClientNote.kind,
            ClientNote.horizon,
            ClientNote.text,
            ClientNote.noted_on,
            ClientNote.resolved_on,
        ).where(ClientNote.client_id == client_id)
    )
    notes = [NoteRow(*r) for r in rows]
    return sorted(notes, key=lambda n: (n.resolved_on is not None, n.noted_on, n.text))


@dataclass(frozen=True)
class DateRow:
    id: str
    label: str
    day: int
    month: int
    year: int | None

    @property
    def text(self) -> str:
        month = date(2000, self.month, 1).strftime("%b")
        year = f" {self.year}" if self.year else ""
        return f"{self.label} {self.day} {month}{year}"


@dataclass(frozen=True)
class ContactRow:
    id: str
    name: str
    title: str
    email: str
    phone: str
    rapport_notes: str
    stay_in_touch_days: int | None
    last_touch: date | None
    touch_due: date | None
    touch_overdue_days: int
    dates: tuple[DateRow, ...]


def contacts(session: Session, client_id: str, today: date) -> list[ContactRow]:
    cadences = {c.contact_id: c for c in contact_cadences(session, today, client_id)}
    dates: dict[str, list[DateRow]] = defaultdict(list)
    for contact_id, date_id, label, day, month, year in session.execute(
        select(
            ImportantDate.contact_id,
            ImportantDate.id,
            ImportantDate.label,
            ImportantDate.day,
            ImportantDate.month,
            ImportantDate.year,
        )
        .join(Contact, Contact.id == ImportantDate.contact_id)
        .where(Contact.client_id == client_id)
        .order_by(ImportantDate.month, ImportantDate.day)
    ):
        dates[contact_id].append(DateRow(date_id, label, day, month, year))
    found = []
    for c in session.scalars(
        select(Contact).where(Contact.client_id == client_id).order_by(Contact.name)
    ):
        cadence = cadences.get(c.id)
        found.append(
            ContactRow(
                c.id,
                c.name,
                c.title,
                c.email,
                c.phone,
                c.rapport_notes,
                c.stay_in_touch_days,
                cadence.last_touch if cadence and cadence.touched else None,
                cadence.due if cadence else None,
                cadence.overdue_days if cadence else 0,
                tuple(dates.get(c.id, ())),
            )
        )
    return found


@dataclass(frozen=True)
class InteractionRow:
    id: str
    occurred_at: datetime
    kind: InteractionKind
    summary: str
    outcome: str
    sentiment: Sentiment
    with_names: tuple[str, ...]
    with_ids: tuple[str, ...] = ()


def timeline(session: Session, client_id: str) -> list[InteractionRow]:
    """Interactions newest first, with who took part."""
    names: dict[str, list[str]] = defaultdict(list)
    ids: dict[str, list[str]] = defaultdict(list)
    for interaction_id, name, contact_id in session.execute(
        select(InteractionContact.interaction_id, Contact.name, Contact.id)
        .join(Contact, Contact.id == InteractionContact.contact_id)
        .join(Interaction, Interaction.id == InteractionContact.interaction_id)
        .where(Interaction.client_id == client_id)
        .order_by(Contact.name)
    ):
        names[interaction_id].append(name)
        ids[interaction_id].append(contact_id)
    for erased in session.scalars(
        select(PersonErasure.interaction_ids).where(PersonErasure.client_id == client_id)
    ):
        for interaction_id in erased or ():
            names[interaction_id].append(ERASED_CONTACT)
    rows = session.execute(
        select(
            Interaction.id,
            Interaction.occurred_at,
            Interaction.kind,
            Interaction.summary,
            Interaction.outcome,
            Interaction.sentiment,
        )
        .where(Interaction.client_id == client_id)
        .order_by(Interaction.occurred_at.desc(), Interaction.created_at.desc())
    )
    return [InteractionRow(*r, tuple(names.get(r[0], ())), tuple(ids.get(r[0], ()))) for r in rows]


@dataclass(frozen=True)
class FollowUpRow:
    id: str
    title: str
    due_date: date
    owner: str
    done_at: datetime | None
    created_at: datetime
    shared: bool = False  # the client may see it (summary, client agenda)
    owner_id: str | None = None
    project_id: str | None = None
    notes: str = ""


def follow_ups(session: Session, client_id: str) -> list[FollowUpRow]:
    """Open ones by due date, then the done ones, latest first."""
    rows = session.execute(
        select(
            FollowUp.id,
            FollowUp.title,
            FollowUp.due_date,
            TeamMember.name,
            FollowUp.done_at,
            FollowUp.created_at,
            FollowUp.share_with_client,
            FollowUp.owner_id,
            FollowUp.project_id,
            FollowUp.notes,
        )
        .outerjoin(TeamMember, TeamMember.id == FollowUp.owner_id)
        .where(FollowUp.client_id == client_id)
    )
    found = [
        FollowUpRow(i, t, d, o or "", done, c, bool(shared), oid, pid, n)
        for i, t, d, o, done, c, shared, oid, pid, n in rows
    ]
    open_ = sorted((f for f in found if f.done_at is None), key=lambda f: (f.due_date, f.title))
    done = [f for f in found if f.done_at is not None]
    done.sort(key=lambda f: f.done_at or f.created_at, reverse=True)
    return open_ + done


@dataclass(frozen=True)
class OpportunityRow:
    id: str
    title: str
    stage: OpportunityStage
    value_cents: int
    expected_close: date | None
    probability: int | None = None
    currency: str | None = None


def opportunities(session: Session, client_id: str) -> list[OpportunityRow]:
    order = {s: i for i, s in enumerate(OpportunityStage)}
    rows = session.execute(
        select(
            Opportunity.id,
            Opportunity.title,
            Opportunity.stage,
            Opportunity.value_cents,
            Opportunity.expected_close,
            Opportunity.probability,
            Opportunity.currency,
        ).where(Opportunity.client_id == client_id)
    )
    return sorted((OpportunityRow(*r) for r in rows), key=lambda o: (order[o.stage], o.title))


@dataclass(frozen=True)
class GiftRow:
    id: str
    description: str
    contact: str
    occasion: str
    state: GiftState
    cost_cents: int
    gift_date: date | None
    contact_id: str | None = None
    important_date_id: str | None = None


def gifts(session: Session, client_id: str) -> list[GiftRow]:
    rows = session.execute(
        select(
            Gift.id,
            Gift.description,
            Contact.name,
            Gift.occasion,
            Gift.state,
            Gift.cost_cents,
            Gift.gift_date,
            Gift.contact_id,
            Gift.important_date_id,
        )
        .outerjoin(Contact, Contact.id == Gift.contact_id)
        .where(Gift.client_id == client_id)
    )
    found = [
        GiftRow(i, d, c or "", o, s, cost, g, cid, did) for i, d, c, o, s, cost, g, cid, did in rows
    ]
    return sorted(found, key=lambda g: (g.gift_date or date.max, g.description), reverse=True)


@dataclass(frozen=True)
class ProjectRow:
    id: str
    name: str
    status: ProjectStatus
    start_date: date | None
    due_date: date | None
    planned_finish: date | None
    project_manager: str
    budget_cents: int
    spent_cents: int
    late_days: int  # working days past due (or planned past due); 0 when on time or closed
    planned_start: date | None = None  # the schedule's first start, None without tasks


def projects(session: Session, client_id: str, today: date) -> list[ProjectRow]:
    """The client's projects with the schedule's start, finish and lateness (see
    `db.scheduling.schedules`: the same dates as the Gantt and the Projects list)."""
    manager = aliased(TeamMember)
    spent = dict(
        session.execute(
            select(CostEntry.project_id, func.sum(CostEntry.amount_cents))
            .join(Project, Project.id == CostEntry.project_id)
            .where(Project.client_id == client_id, CostEntry.spent_on <= today)
            .group_by(CostEntry.project_id)
        ).all()
    )
    rows = session.execute(
        select(
            Project.id,
            Project.name,
            Project.status,
            Project.start_date,
            Project.due_date,
            manager.name,
            Project.budget_cents,
        )
        .outerjoin(manager, manager.id == Project.project_manager_id)
        .where(Project.client_id == client_id)
    ).all()
    schedules = schedules_for(session)
    spans = schedules.spans(r[0] for r in rows)
    found = []
    for pid, name, status, start, due, pm, budget in rows:
        closed = status in (ProjectStatus.DONE, ProjectStatus.CANCELLED)
        span = spans[pid]
        finish = span[1] if span else None
        found.append(
            ProjectRow(
                pid,
                name,
                status,
                start,
                due,
                finish,
                pm or "",
                budget or 0,
                spent.get(pid, 0),
                0 if closed else schedules.late_days(due, finish, today),
                span[0] if span else None,
            )
        )
    return sorted(
        found,
        key=lambda p: (
            p.status in (ProjectStatus.DONE, ProjectStatus.CANCELLED),
            p.due_date or date.max,
            p.name,
        ),
    )


@dataclass(frozen=True)
class RatingRow:
    id: str
    rated_on: date
    score: int
    comment: str


def ratings(session: Session, client_id: str) -> list[RatingRow]:
    """Oldest first, as the trend chart draws them."""
    rows = session.execute(
        select(
            SatisfactionRating.id,
            SatisfactionRating.rated_on,
            SatisfactionRating.score,
            SatisfactionRating.comment,
        )
        .where(SatisfactionRating.client_id == client_id)
        .order_by(SatisfactionRating.rated_on, SatisfactionRating.created_at)
    )
    return [RatingRow(*r) for r in rows]


def project_managers(session: Session) -> list[tuple[str, str]]:
    """(id, name) of active members, project managers first, for the hand-off picker."""
    rows = session.execute(
        select(TeamMember.id, TeamMember.name, TeamMember.role).where(TeamMember.active.is_(True))
    )
    return [
        (i, n) for i, n, _ in sorted(rows, key=lambda r: (r[2] != MemberRole.PROJECT_MANAGER, r[1]))
    ]
