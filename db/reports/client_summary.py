"""What a printed client summary holds, for each audience.

`client_summary(session, client_id, today, audience)` gathers everything an account manager
takes into a meeting, then `for_audience` keeps, for the client's own eyes, only the fields
named in `CLIENT_VISIBLE`. That is a whitelist on purpose: a field added later stays internal
until someone decides the client may see it. Private rapport notes, contacts' personal dates,
gifts, health and its reasons, internal notes (note-kind interactions, follow-up notes),
satisfaction comments, the pipeline's ideas and losses, follow-ups not marked "share with
client", the brief's pain points and opportunities (our reading of the client, not their
own words) and custom fields not marked shareable live in fields of their own, outside the
whitelist, so no row the client sees carries them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.am import client_detail
from db.am.agency import setting
from db.am.custom_fields import printed_values
from db.am.health_facts import health_at
from db.am.money import client_money
from db.am.occasions import upcoming_occasions
from db.models import (
    Client,
    CustomFieldTarget,
    FollowUp,
    GiftState,
    InteractionKind,
    NoteKind,
    OpportunityStage,
    Project,
    ProjectStatus,
    Task,
    TeamMember,
)
from db.reports.audience import Audience as Audience  # where the app has always found it
from db.reports.audience import check_defaults, shown_to
from db.settings import AGENCY_NAME

RECENT_INTERACTIONS = 6
OPEN_FOLLOW_UPS = 8
RATINGS = 8
UPCOMING_DAYS = 60
UPCOMING = 8
# Interactions the client took part in; notes and gift records are the agency's own.
CLIENT_FACING_KINDS = (
    InteractionKind.CALL,
    InteractionKind.EMAIL,
    InteractionKind.MEETING,
    InteractionKind.REPORT_SENT,
)


# Opportunities the client has heard of; ideas are the agency's own, lost ones are history.
SHARED_STAGES = (OpportunityStage.PITCHED, OpportunityStage.WON)
# Brief entries in the client's own words. Pain points ("the CEO signs off everything") and
# opportunities ("their sister company is unhappy with its agency") are our notes about them.
SHARED_BRIEF_KINDS = (NoteKind.VISION, NoteKind.GOAL, NoteKind.NEED)


@dataclass(frozen=True)
class BriefLine:
    kind: NoteKind
    long_term: bool
    text: str
    noted_on: date


@dataclass(frozen=True)
class FieldLine:
    """A custom field and its value, as printed ("Region", "North")."""

    label: str
    value: str


@dataclass(frozen=True)
class ContactLine:
    name: str
    title: str
    email: str
    phone: str
    fields: tuple[FieldLine, ...] = ()  # the contact's shareable custom fields only


@dataclass(frozen=True)
class Communication:
    when: date
    kind: InteractionKind
    with_names: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class FollowUpLine:
    title: str
    due: date
    owner: str
    overdue: bool
    shared: bool = True  # marked "share with client"


@dataclass(frozen=True)
class ProjectLine:
    name: str
    status: ProjectStatus
    start: date | None
    due: date | None
    planned_finish: date | None
    late_days: int
    budget_cents: int
    spent_cents: int
    progress: int  # percent of the work done, by duration


@dataclass(frozen=True)
class DateLine:
    when: date
    label: str


@dataclass(frozen=True)
class StageLine:
    stage: OpportunityStage
    count: int
    value_cents: int


@dataclass(frozen=True)
class RapportLine:
    """A contact's private side: never for the client's eyes."""

    name: str
    notes: str


@dataclass(frozen=True)
class GiftLine:
    description: str
    contact: str
    occasion: str
    state: GiftState
    cost_cents: int
    when: date | None


@dataclass(frozen=True)
class NoteLine:
    when: date
    text: str


@dataclass(frozen=True)
class RatingLine:
    when: date
    score: int


@dataclass(frozen=True)
class ClientSummary:
    audience: Audience
    today: date
    agency_name: str
    client_name: str
    status: str
    industry: str
    client_since: date | None
    account_manager: str
    currency: str
    brief: tuple[BriefLine, ...] = ()
    contacts: tuple[ContactLine, ...] = ()
    communication: tuple[Communication, ...] = ()
    follow_ups: tuple[FollowUpLine, ...] = ()
    projects: tuple[ProjectLine, ...] = ()
    annual_budget_cents: int = 0
    revenue_cents: int = 0
    spend_cents: int = 0
    pipeline: tuple[StageLine, ...] = ()  # the stages the client knows of: pitched, won
    ratings: tuple[RatingLine, ...] = ()
    upcoming: tuple[DateLine, ...] = ()
    fields: tuple[FieldLine, ...] = ()  # the client's shareable custom fields
    # Internal only: kept out by the whitelist below.
    health_score: int | None = None
    health_level: str = ""
    health_reasons: tuple[str, ...] = ()
    rapport: tuple[RapportLine, ...] = ()
    personal_dates: tuple[DateLine, ...] = ()
    gifts: tuple[GiftLine, ...] = ()
    internal_notes: tuple[NoteLine, ...] = ()
    rating_comments: tuple[tuple[date, int, str], ...] = ()
    private_pipeline: tuple[StageLine, ...] = ()  # our own ideas, and what we lost
    internal_follow_ups: tuple[FollowUpLine, ...] = ()  # not marked "share with client"
    private_brief: tuple[BriefLine, ...] = ()  # pain points and opportunities
    # Custom fields not marked shareable, the client's and its contacts' ("Jo · Shoe size").
    private_fields: tuple[FieldLine, ...] = ()

    @property
    def all_follow_ups(self) -> tuple[FollowUpLine, ...]:
        """Shared and internal follow-ups by due date (what the agency's own copy lists)."""
        merged = sorted((*self.follow_ups, *self.internal_follow_ups), key=lambda f: f.due)
        return tuple(merged)[:OPEN_FOLLOW_UPS]

    @property
    def all_brief(self) -> tuple[BriefLine, ...]:
        return (*self.brief, *self.private_brief)

    @property
    def all_pipeline(self) -> tuple[StageLine, ...]:
        order = list(OpportunityStage)
        return tuple(
            sorted((*self.pipeline, *self.private_pipeline), key=lambda s: order.index(s.stage))
        )

    @property
    def internal(self) -> bool:
        return self.audience is Audience.INTERNAL


# What the client may see. Everything else is reset to its empty default for them.
CLIENT_VISIBLE = frozenset(
    {
        "audience",
        "today",
        "agency_name",
        "client_name",
        "status",
        "industry",
        "client_since",
        "account_manager",
        "currency",
        "brief",
        "contacts",
        "communication",
        "follow_ups",
        "projects",
        "annual_budget_cents",
        "revenue_cents",
        "spend_cents",
        "pipeline",
        "ratings",
        "upcoming",
        "fields",
    }
)


def for_audience(summary: ClientSummary, audience: Audience) -> ClientSummary:
    """The summary as `audience` may see it (`db.reports.audience`)."""
    return shown_to(summary, audience, CLIENT_VISIBLE)


def custom_field_lines(
    session: Session, client_id: str
) -> tuple[tuple[FieldLine, ...], tuple[FieldLine, ...]]:
    """The client's custom fields as printed: (shareable, internal)."""
    shared, private = printed_values(session, CustomFieldTarget.CLIENT, [client_id]).get(
        client_id, ([], [])
    )
    return tuple(FieldLine(*f) for f in shared), tuple(FieldLine(*f) for f in private)


def contact_field_lines(
    session: Session, contact_ids: list[str]
) -> tuple[dict[str, tuple[FieldLine, ...]], dict[str, tuple[FieldLine, ...]]]:
    """Per contact, its custom fields as printed: (shareable, internal)."""
    found = printed_values(session, CustomFieldTarget.CONTACT, contact_ids)
    shared = {i: tuple(FieldLine(*f) for f in pair[0]) for i, pair in found.items()}
    private = {i: tuple(FieldLine(*f) for f in pair[1]) for i, pair in found.items()}
    return shared, private


def _leaf_progress(session: Session, client_id: str) -> dict[str, int]:
    """Per project: percent done, weighting each task (not summary) by its duration."""
    child = select(Task.parent_id).where(Task.parent_id.is_not(None))
    rows = session.execute(
        select(
            Task.project_id,
            func.sum(Task.progress * Task.duration_days),
            func.sum(Task.duration_days),
        )
        .join(Project, Project.id == Task.project_id)
        .where(Project.client_id == client_id, Task.id.not_in(child))
        .group_by(Task.project_id)
    )
    return {pid: round(done / total) if total else 0 for pid, done, total in rows}


def client_summary(
    session: Session, client_id: str, today: date, audience: Audience = Audience.CLIENT
) -> ClientSummary:
    """Everything a summary may hold, then cut to what `audience` may see."""
    client = session.get(Client, client_id)
    if client is None:
        raise KeyError(client_id)
    manager = (
        session.get(TeamMember, client.account_manager_id) if client.account_manager_id else None
    )

    brief_lines = [
        BriefLine(n.kind, n.horizon.value == "long", n.text, n.noted_on)
        for n in client_detail.brief_notes(session, client_id)
        if n.resolved_on is None
    ]
    brief = tuple(b for b in brief_lines if b.kind in SHARED_BRIEF_KINDS)
    private_brief = tuple(b for b in brief_lines if b.kind not in SHARED_BRIEF_KINDS)
    people = client_detail.contacts(session, client_id, today)
    shared_fields, private_fields = custom_field_lines(session, client_id)
    contact_fields, private_contact_fields = contact_field_lines(session, [c.id for c in people])
    contacts = tuple(
        ContactLine(c.name, c.title, c.email, c.phone, contact_fields.get(c.id, ())) for c in people
    )
    private_fields += tuple(
        FieldLine(f"{c.name} · {line.label}", line.value)
        for c in people
        for line in private_contact_fields.get(c.id, ())
    )
    rapport = tuple(RapportLine(c.name, c.rapport_notes) for c in people if c.rapport_notes)

    interactions = client_detail.timeline(session, client_id)
    communication = tuple(
        Communication(i.occurred_at.date(), i.kind, i.with_names, i.summary)
        for i in interactions
        if i.kind in CLIENT_FACING_KINDS
    )[:RECENT_INTERACTIONS]
    notes = [
        NoteLine(i.occurred_at.date(), i.summary)
        for i in interactions
        if i.kind is InteractionKind.NOTE and i.summary
    ][:RECENT_INTERACTIONS]

    open_follow_ups = [f for f in client_detail.follow_ups(session, client_id) if f.done_at is None]
    follow_up_lines = [
        FollowUpLine(f.title, f.due_date, f.owner, f.due_date < today, f.shared)
        for f in open_follow_ups
    ]
    follow_ups = tuple(f for f in follow_up_lines if f.shared)[:OPEN_FOLLOW_UPS]
    internal_follow_ups = tuple(f for f in follow_up_lines if not f.shared)[:OPEN_FOLLOW_UPS]
    follow_up_notes = dict(
        session.execute(
            select(FollowUp.id, FollowUp.notes).where(
                FollowUp.client_id == client_id, FollowUp.done_at.is_(None), FollowUp.notes != ""
            )
        ).all()
    )
    for f in open_follow_ups:
        if f.id in follow_up_notes:
            notes.append(NoteLine(f.due_date, f"{f.title}: {follow_up_notes[f.id]}"))

    progress = _leaf_progress(session, client_id)
    closed = (ProjectStatus.DONE, ProjectStatus.CANCELLED)
    project_rows = client_detail.projects(session, client_id, today)
    recent = today - timedelta(days=180)
    projects = tuple(
        ProjectLine(
            p.name,
            p.status,
            p.planned_start or p.start_date,
            p.due_date,
            p.planned_finish,
            p.late_days,
            p.budget_cents,
            p.spent_cents,
            100 if p.status is ProjectStatus.DONE else progress.get(p.id, 0),
        )
        for p in project_rows
        if p.status not in closed or (p.due_date or today) >= recent
    )

    money = client_money(session, client_id, today)
    stages = [
        StageLine(stage, money.pipeline[stage].count, money.pipeline[stage].value_cents)
        for stage in OpportunityStage
        if stage in money.pipeline
    ]
    pipeline = tuple(line for line in stages if line.stage in SHARED_STAGES)
    private_pipeline = tuple(line for line in stages if line.stage not in SHARED_STAGES)
    rating_rows = client_detail.ratings(session, client_id)[-RATINGS:]

    occasions = upcoming_occasions(session, today, UPCOMING_DAYS, client_id)
    upcoming = tuple(
        DateLine(
            o.when,
            f"{o.years} years together" if o.kind == "anniversary" else f"{o.label} due",
        )
        for o in occasions
        if o.kind in ("anniversary", "project")
    )[:UPCOMING]
    personal = tuple(
        DateLine(o.when, f"{o.contact_name}: {o.label}") for o in occasions if o.kind == "date"
    )[:UPCOMING]

    health = health_at(session, client_id, today)
    gifts = tuple(
        GiftLine(g.description, g.contact, g.occasion, g.state, g.cost_cents, g.gift_date)
        for g in client_detail.gifts(session, client_id)
    )[:6]

    full = ClientSummary(
        audience=Audience.INTERNAL,
        today=today,
        agency_name=str(setting(session, AGENCY_NAME) or ""),
        client_name=client.name,
        status=client.status.value,
        industry=client.industry,
        client_since=client.client_since,
        account_manager=manager.name if manager else "",
        currency=money.currency,
        brief=brief,
        private_brief=private_brief,
        contacts=contacts,
        communication=communication,
        follow_ups=follow_ups,
        internal_follow_ups=internal_follow_ups,
        projects=projects,
        annual_budget_cents=money.annual_budget_cents,
        revenue_cents=money.revenue_cents,
        spend_cents=money.spend_cents,
        pipeline=pipeline,
        private_pipeline=private_pipeline,
        ratings=tuple(RatingLine(r.rated_on, r.score) for r in rating_rows),
        upcoming=upcoming,
        fields=shared_fields,
        private_fields=private_fields,
        health_score=health.score,
        health_level=health.level,
        health_reasons=health.reasons,
        rapport=rapport,
        personal_dates=personal,
        gifts=gifts,
        internal_notes=tuple(notes),
        rating_comments=tuple((r.rated_on, r.score, r.comment) for r in rating_rows if r.comment),
    )
    return for_audience(full, audience)


check_defaults(ClientSummary, CLIENT_VISIBLE)
