"""The Today page: what an account manager should do today, gathered in one call.

Overdue follow-ups and those due today, contacts due a touch, occasions in the next 14 days
with their gift state, and clients whose health dropped by `weekly_drop_points` or more since
a week ago (a client added since then: since the day it was added). Given a member, only that
member's clients (and follow-ups they own) are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.am.agency import health_thresholds
from db.am.cadence import ContactCadence, contacts_due
from db.am.health_facts import health_for_clients
from db.am.occasions import Occasion, upcoming_occasions
from db.core_reads import read
from db.models import Client, FollowUp


@dataclass(frozen=True)
class FollowUpItem:
    id: str
    title: str
    due_date: date
    client_id: str | None
    client_name: str
    owner_id: str | None
    overdue_days: int


@dataclass(frozen=True)
class HealthDrop:
    client_id: str
    client_name: str
    before: int
    now: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class TodayData:
    overdue_follow_ups: list[FollowUpItem]
    due_follow_ups: list[FollowUpItem]
    contacts_due: list[ContactCadence]
    upcoming: list[Occasion]
    health_drops: list[HealthDrop]


def _follow_ups(session: Session, today: date, member_id: str | None) -> list[FollowUpItem]:
    query = (
        select(
            FollowUp.id,
            FollowUp.title,
            FollowUp.due_date,
            FollowUp.client_id,
            Client.name,
            FollowUp.owner_id,
        )
        .outerjoin(Client, Client.id == FollowUp.client_id)
        .where(FollowUp.done_at.is_(None), FollowUp.due_date <= today)
        .order_by(FollowUp.due_date, FollowUp.title)
    )
    if member_id is not None:
        query = query.where(
            or_(FollowUp.owner_id == member_id, Client.account_manager_id == member_id)
        )
    return [
        FollowUpItem(fid, title, due, cid, cname or "", owner, max((today - due).days, 0))
        for fid, title, due, cid, cname, owner in read(session, query)
    ]


def due_follow_ups(
    session: Session, today: date, member_id: str | None = None
) -> list[FollowUpItem]:
    """Open follow-ups due today or earlier (of a member's clients or owned by them), without
    the rest of `today_data`: what a desktop notification announces."""
    return _follow_ups(session, today, member_id)


def health_drops(
    session: Session, today: date, client_ids: set[str] | None = None
) -> list[HealthDrop]:
    t = health_thresholds(session)
    week_ago = today - timedelta(days=7)
    now = health_for_clients(session, today, client_ids, t)
    before = health_for_clients(session, week_ago, client_ids, t)
    # A client added this week compares with its health on the day it was added: a new
    # client whose first follow-up went overdue has dropped as much as an old one.
    added: dict[date, list[str]] = {}
    for cid in now.keys() - before.keys():
        created = session.scalar(select(Client.created_at).where(Client.id == cid))
        if created is not None and created.date() > week_ago:
            added.setdefault(created.date(), []).append(cid)
    for day, ids in added.items():
        before.update(health_for_clients(session, day, ids, t))
    names = dict(read(session, select(Client.id, Client.name)).all())
    drops = [
        HealthDrop(cid, names.get(cid, ""), before[cid].score, h.score, h.reasons)
        for cid, h in now.items()
        if cid in before and before[cid].score - h.score >= t.weekly_drop_points
    ]
    return sorted(drops, key=lambda d: (d.now - d.before, d.client_name))


def today_data(
    session: Session, today: date, member_id: str | None = None, horizon_days: int = 14
) -> TodayData:
    mine: set[str] | None = None
    if member_id is not None:
        mine = set(session.scalars(select(Client.id).where(Client.account_manager_id == member_id)))
    follow_ups = _follow_ups(session, today, member_id)
    cadences = contacts_due(session, today, client_ids=mine)
    occasions = [
        o
        for o in upcoming_occasions(session, today, horizon_days)
        if mine is None or o.client_id in mine
    ]
    return TodayData(
        overdue_follow_ups=[f for f in follow_ups if f.due_date < today],
        due_follow_ups=[f for f in follow_ups if f.due_date == today],
        contacts_due=cadences,
        upcoming=occasions,
        health_drops=health_drops(session, today, mine),
    )
