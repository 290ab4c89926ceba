"""Writing a project as Microsoft Project XML (MSPDI), which every Gantt tool reads.

Every task carries its Agency Desk start as a "start no earlier than" constraint (type 4),
which is what that date means here, so a tool that reschedules puts each task where Agency
Desk does. Lags are written in working days (LagFormat 7, tenths of a minute); the agency's
working week, closures and public holidays become the Standard calendar, and each person's
leave an exception of their own calendar.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from xml.sax.saxutils import escape

from sqlalchemy.orm import Session

from db.io.project_export import ExportProject, read_project
from db.models import DependencyType

MINUTES_PER_DAY = 480
_LINK_CODES = {
    DependencyType.FF: 0,
    DependencyType.FS: 1,
    DependencyType.SF: 2,
    DependencyType.SS: 3,
}
_STANDARD = 1


def _start(day: date) -> str:
    return f"{day.isoformat()}T08:00:00"


def _finish(day: date) -> str:
    return f"{day.isoformat()}T17:00:00"


def _hours(days: int) -> str:
    return f"PT{days * MINUTES_PER_DAY // 60}H0M0S"


def _text(tag: str, value: object) -> str:
    return f"<{tag}>{escape(str(value))}</{tag}>"


def write_mspdi(session: Session, project_id: str) -> bytes:
    return "".join(_document(read_project(session, project_id))).encode("utf-8")


def _document(project: ExportProject) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    yield '<Project xmlns="http://schemas.microsoft.com/project">\n'
    yield _text("SaveVersion", 14)
    yield _text("Name", f"{project.name}.xml")
    yield _text("Title", project.name)
    yield _text("Company", project.company)
    yield _text("ScheduleFromStart", 1)
    yield _text("StartDate", _start(project.start))
    yield _text("FinishDate", _finish(project.finish))
    yield _text("CalendarUID", _STANDARD)
    yield _text("MinutesPerDay", MINUTES_PER_DAY)
    yield _text("MinutesPerWeek", MINUTES_PER_DAY * len(project.agency.working_week))
    yield _text("DaysPerMonth", 20)
    yield "\n"
    yield from _calendars(project)
    yield from _tasks(project)
    yield from _resources(project)
    yield from _assignments(project)
    yield "</Project>\n"


def _exceptions(periods: list[tuple[date, date]]) -> Iterator[str]:
    if not periods:
        return
    yield "<Exceptions>"
    for first, last in periods:
        yield (
            "<Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>"
            f"<FromDate>{first.isoformat()}T00:00:00</FromDate>"
            f"<ToDate>{last.isoformat()}T23:59:00</ToDate></TimePeriod>"
            "<Occurrences>1</Occurrences><Type>1</Type><DayWorking>0</DayWorking></Exception>"
        )
    yield "</Exceptions>"


def _calendars(project: ExportProject) -> Iterator[str]:
    yield "<Calendars>\n<Calendar><UID>1</UID><Name>Standard</Name>"
    yield "<IsBaseCalendar>1</IsBaseCalendar><BaseCalendarUID>-1</BaseCalendarUID><WeekDays>"
    for day_type in range(1, 8):
        weekday = (day_type + 5) % 7  # 1 = Sunday
        working = weekday in project.agency.working_week
        yield f"<WeekDay><DayType>{day_type}</DayType><DayWorking>{int(working)}</DayWorking>"
        if working:
            yield (
                "<WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime>"
                "</WorkingTime><WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime>"
                "</WorkingTime></WorkingTimes>"
            )
        yield "</WeekDay>"
    yield "</WeekDays>"
    yield from _exceptions(project.days_off())
    yield "</Calendar>\n"
    for n, member in enumerate(project.members, 1):
        yield f"<Calendar><UID>{100 + n}</UID>{_text('Name', member.name)}"
        yield "<IsBaseCalendar>0</IsBaseCalendar><BaseCalendarUID>1</BaseCalendarUID>"
        yield from _exceptions(member.leave)
        yield "</Calendar>\n"
    yield "</Calendars>\n"


def _tasks(project: ExportProject) -> Iterator[str]:
    uid = {task.spec.id: n for n, task in enumerate(project.tasks, 1)}
    incoming: dict[str, list[str]] = {}
    for link in project.links:
        if link.predecessor_id in uid and link.successor_id in uid:
            incoming.setdefault(link.successor_id, []).append(
                "<PredecessorLink>"
                f"<PredecessorUID>{uid[link.predecessor_id]}</PredecessorUID>"
                f"<Type>{_LINK_CODES[link.type]}</Type><CrossProject>0</CrossProject>"
                f"<LinkLag>{link.lag * MINUTES_PER_DAY * 10}</LinkLag><LagFormat>7</LagFormat>"
                "</PredecessorLink>"
            )
    calendar = project.scheduler.calendar
    yield "<Tasks>\n"
    yield (
        f"<Task><UID>0</UID><ID>0</ID>{_text('Name', project.name)}<Type>1</Type>"
        "<IsNull>0</IsNull><OutlineNumber>0</OutlineNumber><OutlineLevel>0</OutlineLevel>"
        f"<Start>{_start(project.start)}</Start><Finish>{_finish(project.finish)}</Finish>"
        f"<Summary>1</Summary>{_text('Notes', project.brief) if project.brief else ''}</Task>\n"
    )
    for n, task in enumerate(project.tasks, 1):
        spec = task.spec
        if task.summary:
            days = calendar.working_days_between(task.start, task.finish) + 1
        else:
            days = 0 if spec.milestone else spec.duration
        parts = [
            f"<Task><UID>{n}</UID><ID>{n}</ID>",
            _text("Name", spec.name),
            "<Type>0</Type><IsNull>0</IsNull>",
            f"<OutlineNumber>{task.outline}</OutlineNumber>",
            f"<OutlineLevel>{task.level}</OutlineLevel>",
            f"<Start>{_start(task.start)}</Start>",
            f"<Finish>{_finish(task.finish)}</Finish>",
            f"<Duration>{_hours(max(days, 0))}</Duration><DurationFormat>7</DurationFormat>",
            f"<Milestone>{int(spec.milestone and not task.summary)}</Milestone>",
            f"<Summary>{int(task.summary)}</Summary>",
            f"<PercentComplete>{spec.progress}</PercentComplete>",
        ]
        if task.summary:
            parts.append("<ConstraintType>0</ConstraintType>")
        else:
            parts.append(
                "<ConstraintType>4</ConstraintType>"
                f"<ConstraintDate>{_start(spec.start)}</ConstraintDate>"
            )
        if task.notes:
            parts.append(_text("Notes", task.notes))
        parts.extend(incoming.get(spec.id, ()))
        parts.append("</Task>\n")
        yield "".join(parts)
    yield "</Tasks>\n"


def _resources(project: ExportProject) -> Iterator[str]:
    yield "<Resources>\n"
    for n, member in enumerate(project.members, 1):
        yield (
            f"<Resource><UID>{n}</UID><ID>{n}</ID>{_text('Name', member.name)}<Type>1</Type>"
            f"{_text('EmailAddress', member.email) if member.email else ''}"
            f"<CalendarUID>{100 + n}</CalendarUID></Resource>\n"
        )
    yield "</Resources>\n"


def _assignments(project: ExportProject) -> Iterator[str]:
    task_uid = {task.spec.id: n for n, task in enumerate(project.tasks, 1)}
    member_uid = {member.id: n for n, member in enumerate(project.members, 1)}
    yield "<Assignments>\n"
    for n, (task_id, member_id, hours) in enumerate(project.assignments, 1):
        units = hours * 60 / MINUTES_PER_DAY
        yield (
            f"<Assignment><UID>{n}</UID><TaskUID>{task_uid[task_id]}</TaskUID>"
            f"<ResourceUID>{member_uid[member_id]}</ResourceUID><Units>{units:g}</Units>"
            "</Assignment>\n"
        )
    yield "</Assignments>\n"
