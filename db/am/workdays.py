"""The minimal working-day arithmetic the AM rules need ("project is 6 working days late").

Kept behind these two functions so that the full scheduling calendar (holidays, closures) can
replace it in one place. Only the agency's working week is honoured here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

DEFAULT_WEEK: tuple[int, ...] = (0, 1, 2, 3, 4)


def working_days_between(start: date, end: date, week: Sequence[int] = DEFAULT_WEEK) -> int:
    """Working days in (start, end]: how many working days `end` lies after `start`.
    Zero or negative spans give 0."""
    if end <= start:
        return 0
    days = set(week)
    if not days:
        return 0
    span = (end - start).days
    full_weeks, rest = divmod(span, 7)
    count = full_weeks * len(days)
    for offset in range(1, rest + 1):
        if (start + timedelta(days=offset)).weekday() in days:
            count += 1
    return count


def add_working_days(start: date, days: int, week: Sequence[int] = DEFAULT_WEEK) -> date:
    """The date `days` working days after `start` (0 gives `start` itself)."""
    working = set(week)
    if not working or days <= 0:
        return start
    # Jump whole weeks but always walk the last stretch, so the answer is a working day even
    # when `start` is not.
    full_weeks, rest = divmod(days - 1, len(working))
    rest += 1
    current = start + timedelta(weeks=full_weeks)
    while rest:
        current += timedelta(days=1)
        if current.weekday() in working:
            rest -= 1
    return current


def task_finish(start: date, duration_days: int, week: Sequence[int] = DEFAULT_WEEK) -> date:
    """Last working day of a task that starts on `start` and lasts `duration_days` working
    days; a milestone (0 days) finishes the day it starts."""
    return add_working_days(start, max(duration_days - 1, 0), week)
