"""Columns of the workload chart by zoom: single days, weeks (Monday to Sunday) or calendar
months, and each person's booked hours against capacity summed over one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from db.workload.load import EPS, Workload


class Zoom(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def bucket_start(day: date, zoom: Zoom) -> date:
    if zoom == Zoom.WEEK:
        return day - timedelta(days=day.weekday())
    if zoom == Zoom.MONTH:
        return day.replace(day=1)
    return day


def next_bucket(start: date, zoom: Zoom) -> date:
    if zoom == Zoom.WEEK:
        return start + timedelta(days=7)
    if zoom == Zoom.MONTH:
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=1)


def buckets(first: date, last: date, zoom: Zoom) -> list[tuple[date, date]]:
    """(first day, last day) of each column covering `first`..`last`, whole weeks and months."""
    found = []
    at = bucket_start(first, zoom)
    while at <= last:
        after = next_bucket(at, zoom)
        found.append((at, after - timedelta(days=1)))
        at = after
    return found


@dataclass
class Cell:
    """A person's hours over one column: booked against capacity; `over_days` are the days
    in it on which they are over-allocated and `overload` the hours beyond capacity on them."""

    first: date
    last: date
    assigned: float = 0.0
    capacity: float = 0.0
    overload: float = 0.0
    over_days: list[int] = field(default_factory=list)
    working_days: int = 0  # days in the column the person can work at all

    @property
    def over(self) -> bool:
        return bool(self.over_days)

    @property
    def load(self) -> float:
        """Booked ÷ capacity (0 with neither; 1 booked without capacity counts as full)."""
        if self.capacity > EPS:
            return self.assigned / self.capacity
        return 1.0 if self.assigned > EPS else 0.0


def cell(workload: Workload, member_id: str, first: date, last: date) -> Cell:
    found = Cell(first, last)
    for o in range(first.toordinal(), last.toordinal() + 1):
        cap = workload.capacity(member_id, o)
        booked = workload.assigned(member_id, o)
        found.capacity += cap
        found.assigned += booked
        if cap > EPS:
            found.working_days += 1
        over = workload.overload(member_id, o)
        if over:
            found.overload += over
            found.over_days.append(o)
    return found


def cells(workload: Workload, member_id: str, columns: list[tuple[date, date]]) -> list[Cell]:
    return [cell(workload, member_id, first, last) for first, last in columns]
