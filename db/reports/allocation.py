"""Who is booked for more hours than they have: assignment hours per working day against
each person's daily capacity (weekly capacity spread over the agency's working days).

A task's hours count on the working days of the task's own calendar between its scheduled
start and finish, so days off and holidays carry no hours; summaries and milestones carry none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.am.agency import working_week
from db.models import Assignment, Task, TeamMember
from db.scheduling.engine import Scheduler


@dataclass(frozen=True)
class OverAllocation:
    member_id: str
    member: str
    capacity_per_day: float
    days_over: int
    peak_hours: float
    peak_day: date
    first_day: date


def daily_capacity(weekly_hours: float, week: tuple[int, ...]) -> float:
    return weekly_hours / max(len(week), 1)


def over_allocated(
    session: Session, schedulers: Mapping[str, Scheduler], start: date, end: date
) -> list[OverAllocation]:
    """People whose booked hours exceed their daily capacity on some day from `start` to
    `end` inclusive, most overbooked first."""
    first, last = start.toordinal(), end.toordinal()
    hours: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    rows = session.execute(
        select(Assignment.task_id, Assignment.member_id, Assignment.hours_per_day, Task.project_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(Task.project_id.in_(list(schedulers)))
    )
    for task_id, member_id, per_day, project_id in rows:
        s = schedulers[project_id]
        node = s.pos.get(task_id)
        if node is None or s.children[node] or s.specs[node].milestone:
            continue
        a, b = max(s.start_o[node], first), min(s.finish_o[node], last)
        cal = s.cal[node]
        booked = hours[member_id]
        for o in range(a, b + 1):
            if cal.is_working_ordinal(o):
                booked[o] += per_day
    if not hours:
        return []
    week = working_week(session)
    members = {
        m.id: m for m in session.scalars(select(TeamMember).where(TeamMember.id.in_(list(hours))))
    }
    found = []
    for member_id, by_day in hours.items():
        member = members.get(member_id)
        if member is None:
            continue
        capacity = daily_capacity(member.weekly_capacity_hours, week)
        over = sorted(o for o, h in by_day.items() if h > capacity + 1e-9)
        if not over:
            continue
        peak = max(over, key=lambda o: (by_day[o], -o))
        found.append(
            OverAllocation(
                member_id,
                member.name,
                capacity,
                len(over),
                by_day[peak],
                date.fromordinal(peak),
                date.fromordinal(over[0]),
            )
        )
    return sorted(found, key=lambda p: (-p.days_over, -p.peak_hours, p.member))
