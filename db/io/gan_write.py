"""Writing a project as a GanttProject `.gan` file.

Tasks nest as the outline does; a link is written in its predecessor (`<depend>`, type 1 =
SS, 2 = FS, 3 = FF, 4 = SF, `difference` the lag in days). A link whose successor sits later
than the link alone would put it (its own "start no earlier than" holds it there) is
"Rubber"; the others are "Strong". People become resources with their allocations, their
leave `<vacations>`, and the agency's closures and public holidays calendar dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy.orm import Session

from db.io.project_export import ExportProject, ExportTask, read_project
from db.models import DependencyType

_LINK_CODES = {
    DependencyType.SS: 1,
    DependencyType.FS: 2,
    DependencyType.FF: 3,
    DependencyType.SF: 4,
}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def write_gan(session: Session, project_id: str) -> bytes:
    return "".join(_document(read_project(session, project_id))).encode("utf-8")


def _document(project: ExportProject) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        f"<project name={quoteattr(project.name)} company={quoteattr(project.company)} "
        'webLink="" view-date="' + project.start.isoformat() + '" view-index="0" '
        'version="3.2" locale="en">\n'
    )
    yield f"<description>{escape(project.brief)}</description>\n"
    yield from _calendars(project)
    yield from _tasks(project)
    yield from _resources(project)
    yield "</project>\n"


def _calendars(project: ExportProject) -> Iterator[str]:
    week = " ".join(
        f'{name}="{0 if n in project.agency.working_week else 1}"'
        for n, name in enumerate(_WEEKDAYS)
    )
    yield "<calendars>\n<day-types>"
    yield '<day-type id="0"/><day-type id="1"/>'
    yield f'<default-week id="1" name="default" {week}/>'
    yield '<only-show-weekends value="false"/><overriden-day-types/><days/>'
    yield "</day-types>\n"
    for first, last in project.days_off():
        day = first
        while day <= last:
            yield (
                f'<date year="{day.year}" month="{day.month}" date="{day.day}" type="HOLIDAY"/>\n'
            )
            day += timedelta(days=1)
    yield "</calendars>\n"


def _depends(project: ExportProject) -> dict[str, list[str]]:
    """`<depend>` elements by predecessor id."""
    ids = {task.spec.id: n for n, task in enumerate(project.tasks)}
    found: dict[str, list[str]] = {}
    scheduler = project.scheduler
    for link in project.links:
        if link.predecessor_id not in ids or link.successor_id not in ids:
            continue
        # Held later than the links require by its own start: GanttProject's "Rubber".
        earliest = scheduler.earliest_start(link.successor_id)[0]
        held = earliest is not None and earliest < scheduler.start(link.successor_id)
        found.setdefault(link.predecessor_id, []).append(
            f'<depend id="{ids[link.successor_id]}" type="{_LINK_CODES[link.type]}" '
            f'difference="{link.lag}" hardness="{"Rubber" if held else "Strong"}"/>'
        )
    return found


def _tasks(project: ExportProject) -> Iterator[str]:
    depends = _depends(project)
    yield '<tasks empty-milestones="true">\n'
    open_levels: list[int] = []
    for n, task in enumerate(project.tasks):
        while open_levels and open_levels[-1] >= task.level:
            open_levels.pop()
            yield "</task>\n"
        yield _task_start(n, task, project)
        if task.notes:
            yield f"<notes>{escape(task.notes)}</notes>\n"
        yield from depends.get(task.spec.id, ())
        open_levels.append(task.level)
    while open_levels:
        open_levels.pop()
        yield "</task>\n"
    yield "</tasks>\n"


def _task_start(n: int, task: ExportTask, project: ExportProject) -> str:
    spec = task.spec
    milestone = spec.milestone and not task.summary
    if task.summary:
        calendar = project.scheduler.calendar
        duration = max(calendar.working_days_between(task.start, task.finish) + 1, 1)
    else:
        duration = 0 if milestone else spec.duration
    start: date = task.start
    return (
        f"<task id={quoteattr(str(n))} name={quoteattr(spec.name)} "
        f'meeting="{"true" if milestone else "false"}" start="{start.isoformat()}" '
        f'duration="{duration}" complete="{spec.progress}" expand="true">\n'
    )


def _resources(project: ExportProject) -> Iterator[str]:
    ids = {task.spec.id: n for n, task in enumerate(project.tasks)}
    members = {member.id: n for n, member in enumerate(project.members)}
    yield "<resources>\n"
    for n, member in enumerate(project.members):
        yield (
            f'<resource id="{n}" name={quoteattr(member.name)} function="Default:0" '
            f'contacts={quoteattr(member.email)} phone=""/>\n'
        )
    yield "</resources>\n<allocations>\n"
    for task_id, member_id, hours in project.assignments:
        yield (
            f'<allocation task-id="{ids[task_id]}" resource-id="{members[member_id]}" '
            f'function="Default:0" responsible="true" load="{hours / 8 * 100:g}"/>\n'
        )
    yield "</allocations>\n<vacations>\n"
    for n, member in enumerate(project.members):
        for first, last in member.leave:
            yield (
                f'<vacation start="{first.isoformat()}" end="{last.isoformat()}" '
                f'resourceid="{n}"/>\n'
            )
    yield "</vacations>\n"
