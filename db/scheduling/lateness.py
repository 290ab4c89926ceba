"""How late a project is, in the agency's working days: the one count the client page,
client health and printing show. Plain Python over the calendar, so the session's schedule
service (`db.scheduling.schedules`) and the plain start's first read (`db.fast_open`) count
it alike."""

from __future__ import annotations

from datetime import date

from db.scheduling.calendar import AgencyDays, CalendarPool


def late_days(
    calendars: CalendarPool, agency: AgencyDays, due: date | None, finish: date | None, as_of: date
) -> int:
    """Working days an open project is, or is planned to be, past its due date: the agency's
    working days after `due` up to its finish, or up to `as_of` when that is later (work not
    done by its due date is late however the plan looks). 0 without a due date."""
    if due is None:
        return 0
    expected = max(as_of, finish or as_of)
    if expected <= due:
        return 0
    cal = calendars.calendar(agency, CalendarPool.origin(due))
    return cal.index(expected.toordinal() + 1) - cal.index(due.toordinal() + 1)
