"""How many hours each person can work on a given day.

A member works `weekly_capacity_hours` spread evenly over their `working_days`, until the
first of their capacity changes; each change sets new hours and days from its date on
(someone going part-time from March). On a day the agency does not work (its working week,
public holidays, closures) or the member is on leave, they have no capacity; accepted
overtime adds its hours on the days it covers.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import MemberCapacity, Overtime, TeamMember, TimeOff
from db.scheduling.calendar import WorkCalendar
from db.workload.weekdays import weekday_set


def capacity_on(member: TeamMember, day: date) -> tuple[float, str]:
    """(weekly hours, working-day digits) the member works on `day` by their record and its
    capacity changes (leave and the calendar not counted)."""
    hours, days = member.weekly_capacity_hours, member.working_days
    for change in sorted(member.capacity_changes, key=lambda c: c.starts_on):
        if change.starts_on <= day:
            hours, days = change.weekly_hours, change.working_days
    return hours, days


@dataclass(frozen=True, slots=True)
class Period:
    """From ordinal `first` on: `hours_per_day` on each of `weekdays`."""

    first: int
    hours_per_day: float
    weekdays: frozenset[int]


def period(first: int, weekly_hours: float, working_days: str) -> Period:
    days = weekday_set(working_days)
    return Period(first, weekly_hours / len(days) if days else 0.0, days)


@dataclass
class PersonCapacity:
    """One person's capacity rules, ready to answer per day."""

    periods: list[Period]  # sorted by `first`; the first one starts at the dawn of time
    leave: frozenset[int] = frozenset()
    overtime: dict[int, float] = field(default_factory=dict)
    _firsts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.periods.sort(key=lambda p: p.first)
        self._firsts = [p.first for p in self.periods]

    def rules_on(self, ordinal: int) -> Period:
        at = bisect.bisect_right(self._firsts, ordinal) - 1
        return self.periods[max(at, 0)]

    def hours(self, ordinal: int, agency: WorkCalendar) -> float:
        """Capacity on one day: their hours when it is one of their working days, the agency
        works and they are not on leave; plus any overtime accepted for the day."""
        if ordinal in self.leave:
            return 0.0
        extra = self.overtime.get(ordinal, 0.0)
        if not agency.is_working_ordinal(ordinal):
            return extra
        rules = self.rules_on(ordinal)
        if date.fromordinal(ordinal).weekday() not in rules.weekdays:
            return extra
        return rules.hours_per_day + extra

    def working(self, ordinal: int, agency: WorkCalendar) -> bool:
        """Is this one of their working days (agency open, not on leave, one of their days)?"""
        if ordinal in self.leave or not agency.is_working_ordinal(ordinal):
            return False
        return date.fromordinal(ordinal).weekday() in self.rules_on(ordinal).weekdays


def _expand(ranges: Iterable[tuple[date, date]]) -> set[int]:
    days: set[int] = set()
    for start, end in ranges:
        days.update(range(start.toordinal(), end.toordinal() + 1))
    return days


def load_capacities(session: Session, member_ids: Iterable[str]) -> dict[str, PersonCapacity]:
    """Capacity rules of these members, read with one query per kind of row."""
    wanted = list(dict.fromkeys(member_ids))
    if not wanted:
        return {}
    base = {
        mid: (hours, days)
        for mid, hours, days in session.execute(
            select(TeamMember.id, TeamMember.weekly_capacity_hours, TeamMember.working_days).where(
                TeamMember.id.in_(wanted)
            )
        )
    }
    changes: dict[str, list[Period]] = defaultdict(list)
    for mid, starts_on, hours, days in session.execute(
        select(
            MemberCapacity.member_id,
            MemberCapacity.starts_on,
            MemberCapacity.weekly_hours,
            MemberCapacity.working_days,
        ).where(MemberCapacity.member_id.in_(wanted))
    ):
        changes[mid].append(period(starts_on.toordinal(), hours, days))
    leave: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for mid, start, end in session.execute(
        select(TimeOff.member_id, TimeOff.start_date, TimeOff.end_date).where(
            TimeOff.member_id.in_(wanted)
        )
    ):
        leave[mid].append((start, end))
    overtime: dict[str, dict[int, float]] = defaultdict(dict)
    for mid, start, end, hours in session.execute(
        select(Overtime.member_id, Overtime.start_date, Overtime.end_date, Overtime.hours_per_day)
        .where(Overtime.member_id.in_(wanted))
        .order_by(Overtime.start_date)
    ):
        extra = overtime[mid]
        for o in range(start.toordinal(), end.toordinal() + 1):
            extra[o] = extra.get(o, 0.0) + hours
    found = {}
    for mid in wanted:
        if mid not in base:
            continue
        hours, days = base[mid]
        found[mid] = PersonCapacity(
            [period(-(1 << 40), hours, days), *changes.get(mid, [])],
            frozenset(_expand(leave.get(mid, []))),
            overtime.get(mid, {}),
        )
    return found
