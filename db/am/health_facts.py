"""Gathering `HealthFacts` for many clients at once, in a handful of aggregate SQL queries
(one per kind of fact, grouped by client), so scoring 5,000 clients stays well under the
client list's time budget. `health_at` and `health_for_clients` are the entry points.

The queries select table columns (`Model.__table__.c`), not the mapped classes' attributes:
the client list reads them before the app's first paint, which must not configure the
mappers (see `db.core_reads`).

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
from db.am.health import (
    Health,
    HealthFacts,
    HealthThresholds,
    ProjectFacts,
    ratings_oldest_first,
    score,
)
from db.core_reads import read
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
    return func.coalesce(Interaction.__table__.c.occurred_at, None) < cutoff


def _only(
    query: Select[*_Ts],
    column: ColumnElement[Any],
    client_ids: Collection[str] | None,
) -> Select[*_Ts]:
    return query if client_ids is None else query.where(column.in_(client_ids))


def last_contacts(
    session: Session, as_of: date, client_ids: Collection[str] | None = None
) -> dict[str, datetime]:
    """Latest real contact (not an internal note) per client, up to `as_of`."""
    interaction = Interaction.__table__.c  # table columns: see the module docstring
    query = (
        select(interaction.client_id, as_text(func.max(interaction.occurred_at)))
        .where(interaction.kind != InteractionKind.NOTE, happened_by(as_of))
        .group_by(interaction.client_id)
    )
    rows = read(session, _only(query, interaction.client_id, client_ids))
    return {cid: datetime.fromisoformat(when) for cid, when in rows}


def overdue_follow_up_counts(
    session: Session, as_of: date, client_ids: Collection[str] | None = None
) -> dict[str, int]:
    cutoff = end_of(as_of)
    follow_up = FollowUp.__table__.c
    query = (
        select(follow_up.client_id, func.count())
        .where(
            follow_up.client_id.is_not(None),
            follow_up.due_date < as_of,
            follow_up.created_at < cutoff,
            follow_up.done_at.is_(None) | (follow_up.done_at >= cutoff),
        )
        .group_by(follow_up.client_id)
    )
    rows = read(session, _only(query, follow_up.client_id, client_ids)).all()
    return {client_id: n for client_id, n in rows if client_id is not None}


def open_project_facts(
    session: Session, as_of: date, client_ids: Collection[str] | None = None
) -> dict[str, list[ProjectFacts]]:
    """Open projects per client with their scheduled finish and lateness, from the session's
    schedule service: one batch of queries for the projects not scheduled yet, no engine run
    for a project already scheduled or without tasks."""
    project, cost = Project.__table__.c, CostEntry.__table__.c
    projects = read(
        session,
        _only(
            select(
                project.id, project.client_id, project.name, project.due_date, project.budget_cents
            ).where(project.status.not_in(CLOSED_PROJECT)),
            project.client_id,
            client_ids,
        ),
    ).all()
    if not projects:
        return {}
    open_ids = select(project.id).where(project.status.not_in(CLOSED_PROJECT))
    open_ids = _only(open_ids, project.client_id, client_ids)
    spent = dict(
        read(
            session,
            select(cost.project_id, func.sum(cost.amount_cents))
            .where(cost.spent_on <= as_of, cost.project_id.in_(open_ids))
            .group_by(cost.project_id),
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
    rating = SatisfactionRating.__table__.c
    rank = (
        func.row_number()
        .over(
            partition_by=rating.client_id,
            order_by=(rating.rated_on.desc(), rating.created_at.desc()),
        )
        .label("rank")
    )
    inner = _only(
        select(rating.client_id, rating.score, rank).where(rating.rated_on <= as_of),
        rating.client_id,
        client_ids,
    ).subquery()
    rows = read(
        session, select(inner.c.client_id, inner.c.score, inner.c.rank).where(inner.c.rank <= 2)
    )
    return ratings_oldest_first(rows)


def health_facts(
    session: Session,
    as_of: date,
    client_ids: Collection[str] | None = None,
    contacts: Mapping[str, datetime] | None = None,
) -> dict[str, HealthFacts]:
    """Facts for every client (or the given ones) that existed on `as_of`; `contacts` passes
    in `last_contacts` when the caller has already read them."""
    client = Client.__table__.c
    clients = read(
        session,
        _only(
            select(client.id, as_text(func.substr(client.created_at, 1, 10))).where(
                client.created_at < end_of(as_of)
            ),
            client.id,
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
