"""Gathering `HealthFacts` for many clients at once, in a handful of aggregate SQL queries
(one per kind of fact, grouped by client), so scoring 5,000 clients stays well under the
client list's time budget. `health_at` and `health_for_clients` are the entry points.

"As of" a past date means: interactions, ratings and costs up to that day, follow-ups that
existed then and were not done by then. Project status and task dates are taken as they are
now (the database keeps no history of them), which is close enough to tell whether health
dropped this week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, String, func, select, type_coerce
from sqlalchemy.orm import QueryableAttribute, Session

from db.am.agency import health_thresholds, working_week
from db.am.health import Health, HealthFacts, HealthThresholds, ProjectFacts, score
from db.am.reading import read
from db.models import (
    Client,
    CostEntry,
    FollowUp,
    Interaction,
    InteractionKind,
    Project,
    ProjectStatus,
    SatisfactionRating,
    utcnow,
)
from db.scheduling.schedules import schedules_for

CLOSED_PROJECT = (ProjectStatus.DONE, ProjectStatus.CANCELLED)

_Ts = TypeVarTuple("_Ts")


def end_of(day: date) -> datetime:
    """The first instant after `day`: rows stamped before it happened on or before `day`."""
    return datetime.combine(day + timedelta(days=1), time())


def as_text(column: ColumnElement[Any] | QueryableAttribute[Any]) -> ColumnElement[str]:
    """Read a date or datetime column as its stored ISO text: `fromisoformat` parses
    thousands of them far faster than the generic SQLite type processors."""
    return type_coerce(column, String)


def happened_by(day: date, now: datetime | None = None) -> ColumnElement[bool]:
    """Interactions up to `day`, and never after `now`: a meeting planned for this
    afternoon (or next week) is not contact yet, so it moves neither the last contact nor
    health until it has happened. Wrapped in coalesce so SQLite does not pick the occurred_at
    index for it: nearly every row qualifies, and the index would cost a row lookup each
    (the client/kind/occurred_at index still covers it)."""
    cutoff = min(end_of(day), now or utcnow())
    return func.coalesce(Interaction.occurred_at, None) < cutoff


def _only(
    query: Select[*_Ts],
    column: QueryableAttribute[str] | QueryableAttribute[str | None],
    client_ids: Collection[str] | None,
) -> Select[*_Ts]:
    return query if client_ids is None else query.where(column.in_(client_ids))


def last_contacts(
    session: Session, as_of: date, client_ids: Collection[str] | None = None
) -> dict[str, datetime]:
    """Latest real contact (not an internal note) per client, up to `as_of`."""
    query = (
        select(Interaction.client_id, as_text(func.max(Interaction.occurred_at)))
        .where(Interaction.kind != InteractionKind.NOTE, happened_by(as_of))
        .group_by(Interaction.client_id)
    )
    rows = read(session, _only(query, Interaction.client_id, client_ids))
    return {cid: datetime.fromisoformat(when) for cid, when in rows}


def overdue_follow_up_counts(
    session: Session, as_of: date, client_ids: Collection[str] | None = None
) -> dict[str, int]:
    cutoff = end_of(as_of)
    query = (
        select(FollowUp.client_id, func.count())
        .where(
            FollowUp.client_id.is_not(None),
            FollowUp.due_date < as_of,
            FollowUp.created_at < cutoff,
            FollowUp.done_at.is_(None) | (FollowUp.done_at >= cutoff),
        )
        .group_by(FollowUp.client_id)
    )
    rows = read(session, _only(query, FollowUp.client_id, client_ids)).all()
    return {client_id: n for client_id, n in rows if client_id is not None}


def open_project_facts(
    session: Session, as_of: date, client_ids: Collection[str] | None = None
) -> dict[str, list[ProjectFacts]]:
    """Open projects per client with their scheduled finish and lateness, from the session's
    schedule service: one batch of queries for the projects not scheduled yet, no engine run
    for a project already scheduled or without tasks."""
    projects = read(
        session,
        _only(
            select(
                Project.id, Project.client_id, Project.name, Project.due_date, Project.budget_cents
            ).where(Project.status.not_in(CLOSED_PROJECT)),
            Project.client_id,
            client_ids,
        ),
    ).all()
    if not projects:
        return {}
    open_ids = select(Project.id).where(Project.status.not_in(CLOSED_PROJECT))
    open_ids = _only(open_ids, Project.client_id, client_ids)
    spent = dict(
        read(
            session,
            select(CostEntry.project_id, func.sum(CostEntry.amount_cents))
            .where(CostEntry.spent_on <= as_of, CostEntry.project_id.in_(open_ids))
            .group_by(CostEntry.project_id),
        ).all()
    )
    schedules = schedules_for(session)
    spans = schedules.spans(p[0] for p in projects)
    found: dict[str, list[ProjectFacts]] = defaultdict(list)
    for project_id, client_id, name, due, budget in projects:
        span = spans[project_id]
        finish = span[1] if span else None
        found[client_id].append(
            ProjectFacts(
                name,
                due,
                finish,
                budget or 0,
                spent.get(project_id, 0),
                schedules.late_days(due, finish, as_of),
            )
        )
    return found


def latest_ratings(
    session: Session, as_of: date, client_ids: Collection[str] | None = None
) -> dict[str, tuple[int, ...]]:
    """The last two ratings per client up to `as_of`, oldest first."""
    rank = (
        func.row_number()
        .over(
            partition_by=SatisfactionRating.client_id,
            order_by=(SatisfactionRating.rated_on.desc(), SatisfactionRating.created_at.desc()),
        )
        .label("rank")
    )
    inner = _only(
        select(SatisfactionRating.client_id, SatisfactionRating.score, rank).where(
            SatisfactionRating.rated_on <= as_of
        ),
        SatisfactionRating.client_id,
        client_ids,
    ).subquery()
    rows = read(
        session, select(inner.c.client_id, inner.c.score, inner.c.rank).where(inner.c.rank <= 2)
    )
    newest_first: dict[str, list[int]] = defaultdict(list)
    for client_id, value, _rank in sorted(rows, key=lambda r: (r[0], r[2])):
        newest_first[client_id].append(value)
    return {cid: tuple(reversed(values)) for cid, values in newest_first.items()}


def health_facts(
    session: Session,
    as_of: date,
    client_ids: Collection[str] | None = None,
    contacts: Mapping[str, datetime] | None = None,
) -> dict[str, HealthFacts]:
    """Facts for every client (or the given ones) that existed on `as_of`; `contacts` passes
    in `last_contacts` when the caller has already read them."""
    clients = read(
        session,
        _only(
            select(Client.id, as_text(func.substr(Client.created_at, 1, 10))).where(
                Client.created_at < end_of(as_of)
            ),
            Client.id,
            client_ids,
        ),
    )
    if contacts is None:
        contacts = last_contacts(session, as_of, client_ids)
    overdue = overdue_follow_up_counts(session, as_of, client_ids)
    projects = open_project_facts(session, as_of, client_ids)
    ratings = latest_ratings(session, as_of, client_ids)
    found = {}
    for client_id, created in clients:
        last = contacts.get(client_id)
        found[client_id] = HealthFacts(
            known_since=date.fromisoformat(created),
            last_contact=last.date() if last else None,
            overdue_follow_ups=overdue.get(client_id, 0),
            open_projects=tuple(projects.get(client_id, ())),
            latest_ratings=ratings.get(client_id, ()),
        )
    return found


def health_for_clients(
    session: Session,
    as_of: date,
    client_ids: Collection[str] | None = None,
    thresholds: HealthThresholds | None = None,
    contacts: Mapping[str, datetime] | None = None,
) -> dict[str, Health]:
    week = working_week(session)
    t = thresholds or health_thresholds(session)
    facts = health_facts(session, as_of, client_ids, contacts)
    return {cid: score(f, as_of, t, week) for cid, f in facts.items()}


def health_at(
    session: Session, client_id: str, as_of: date, thresholds: HealthThresholds | None = None
) -> Health:
    """One client's health as of a date (a client not yet created then scores a clean 100)."""
    t = thresholds or health_thresholds(session)
    found = health_for_clients(session, as_of, [client_id], t)
    return found.get(client_id) or score(HealthFacts(known_since=as_of), as_of, t)
