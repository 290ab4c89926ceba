"""Reading GNOME Planner `.planner` files into a `ProjectFile`.

* Dates are written `yyyyMMddTHHmmssZ` (UTC); a task's `end` at midnight ends the day before.
* `work`, `duration` and a link's `lag` are in seconds; a day of work is 8 hours, so a lag of
  28800 is one working day.
* Predecessor types are named FS, SS, FF and SF; links sit in the successor.
* A calendar's day types are 0 = working, 1 = non-working and 2 = as the base calendar; a
  calendar nested in another has that one as its base. A resource's calendar days off beyond
  the project calendar's are that person's leave.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from xml.etree.ElementTree import Element

from db.io.errors import ImportFileError
from db.io.gantt_xml import project_root, read_allocations, resource_fields, week_day_types
from db.io.project_file import (
    Constraint,
    FileCalendar,
    FileLink,
    FileResource,
    FileTask,
    ProjectFile,
)
from db.io.source import Source
from db.io.xml_fields import Fields
from db.models import DependencyType

WORKING, NONWORKING, USE_BASE = 0, 1, 2
SECONDS_PER_DAY = 8 * 3600
CONSTRAINTS = {
    "must-start-on": Constraint.MUST_START_ON,
    "start-no-earlier-than": Constraint.START_NO_EARLIER,
}


def planner_time(text: str) -> datetime:
    """A `yyyyMMddTHHmmssZ` time."""
    if len(text) != 16 or text[8] != "T" or text[15] != "Z":
        raise ValueError(text)
    found = datetime.strptime(text, "%Y%m%dT%H%M%SZ")
    if not 1900 <= found.year <= 2200:
        raise ValueError(text)
    return found


def planner_day(text: str) -> date:
    return planner_time(text).date()


@dataclass
class _Calendar:
    base: _Calendar | None
    week: dict[int, int] = field(default_factory=dict)  # weekday -> day type
    days: dict[date, int] = field(default_factory=dict)
    working_types: frozenset[int] = frozenset({WORKING})

    def day_type(self, day: date) -> int:
        found = self.days.get(day, self.week.get(day.weekday(), USE_BASE))
        if found == USE_BASE:
            if self.base is None:
                return WORKING if day.weekday() < 5 else NONWORKING
            return self.base.day_type(day)
        return found

    def works(self, day: date) -> bool:
        return self.day_type(day) in self.working_types


def read_planner(source: Source) -> ProjectFile:
    root, project = project_root(source, "Planner", "Planner")
    top = Fields(source.name, root, "project")
    if top.attr("project-start"):
        project.start = top.attr_date("project-start", planner_day)
    calendars = _calendars(source, root)
    base = calendars.get(top.attr("calendar") or "")
    if base is None and calendars:
        base = next(iter(calendars.values()))
    if base is not None:
        project.calendar = _flatten(base)
    _tasks(source, root, project)
    _resources(source, root, project, calendars, base)
    return project


def _calendars(source: Source, root: Element) -> dict[str, _Calendar]:
    working = {WORKING}
    for element in root.findall("calendars/day-types/day-type"):
        fields = Fields(source.name, element, "calendars / day-type")
        type_id = fields.attr_int("id")
        if type_id > USE_BASE:
            working.add(type_id)  # a custom day type is a day with other hours, still worked
    found: dict[str, _Calendar] = {}
    stack: list[tuple[Element, _Calendar | None]] = [
        (e, None) for e in reversed(root.findall("calendars/calendar"))
    ]
    while stack:
        element, base = stack.pop()
        fields = Fields(source.name, element, f"calendar id {element.get('id', '?')}")
        calendar = _Calendar(base, working_types=frozenset(working))
        week = element.find("default-week")
        if week is not None:
            calendar.week = week_day_types(source, week, fields.where)
        for day in element.findall("days/day"):
            day_fields = Fields(source.name, day, f"{fields.where} / day")
            if (day_fields.attr("type") or "day-type") != "day-type":
                continue
            calendar.days[day_fields.attr_date("date", _compact_day)] = day_fields.attr_int("id")
        found[str(fields.attr_int("id"))] = calendar
        stack.extend((child, calendar) for child in reversed(element.findall("calendar")))
    return found


def _compact_day(text: str) -> date:
    found = datetime.strptime(text, "%Y%m%d").date()
    if not 1900 <= found.year <= 2200:
        raise ValueError(text)
    return found


def _flatten(calendar: _Calendar) -> FileCalendar:
    """The week and the days off a calendar (with its bases) lays down."""
    monday = date(2024, 1, 1)
    week = frozenset(n for n in range(7) if calendar.works(monday + timedelta(days=n)))
    days: set[date] = set()
    at: _Calendar | None = calendar
    while at is not None:
        days.update(d for d in at.days if not calendar.works(d))
        at = at.base
    return FileCalendar(week, [(d, d) for d in sorted(days)])


def _tasks(source: Source, root: Element, project: ProjectFile) -> None:
    tasks = root.find("tasks")
    if tasks is None:
        return
    seen: set[str] = set()
    stack: list[tuple[Element, str | None]] = [(e, None) for e in reversed(tasks.findall("task"))]
    while stack:
        element, parent = stack.pop()
        fields = Fields(source.name, element, f"task id {element.get('id', '?')}")
        key = str(fields.attr_int("id"))
        if key in seen:
            raise fields.fail("id", f"{key} is used by another task too")
        seen.add(key)
        project.tasks.append(_task(fields, key, parent, project.calendar))
        for predecessor in element.findall("predecessors/predecessor"):
            project.links.append(_link(source, predecessor, fields.where, key))
        stack.extend((child, key) for child in reversed(element.findall("task")))
    for link in project.links:
        if link.predecessor_key not in seen:
            raise ImportFileError(
                source.name,
                f"names predecessor {link.predecessor_key}, which is no task of the file",
                f"task id {link.successor_key} / predecessor",
            )


def _task(fields: Fields, key: str, parent: str | None, calendar: FileCalendar) -> FileTask:
    start_time = fields.attr_parsed("start", "a date", planner_time)
    start = start_time.date()
    end_text = fields.attr("end")
    milestone = (fields.attr("type") or "normal") == "milestone"
    if end_text:
        end_time = fields.attr_parsed("end", "a date", planner_time)
        if end_time < start_time:
            raise fields.fail("end", "is before the start")
        # An end at midnight is the end of the day before.
        finish = (end_time - timedelta(seconds=1)).date() if end_time > start_time else start
        days = calendar.working_days(start, finish)
    else:
        work = fields.attr_int("work", SECONDS_PER_DAY)
        days = max(1, -(-work // SECONDS_PER_DAY))
        finish = calendar.finish_of(start, days)
    constraint, constraint_date = Constraint.ASAP, None
    found = fields.element.find("constraint")
    if found is not None:
        c_fields = Fields(fields.file, found, f"{fields.where} / constraint")
        kind = c_fields.attr("type") or ""
        if kind not in CONSTRAINTS:
            raise c_fields.fail("type", f"{kind!r} is not must-start-on or start-no-earlier-than")
        constraint = CONSTRAINTS[kind]
        constraint_date = c_fields.attr_date("time", planner_day)
    progress = fields.attr_int("percent-complete", 0)
    if not 0 <= progress <= 100:
        raise fields.fail("percent-complete", f"{progress} is not 0 to 100")
    return FileTask(
        key=key,
        name=fields.attr("name") or "",
        start=start,
        finish=start if milestone else finish,
        duration_days=0 if milestone else days,
        parent_key=parent,
        milestone=milestone,
        progress=progress,
        notes=fields.attr("note") or "",
        constraint=constraint,
        constraint_date=constraint_date,
    )


_LINK_TYPES = {t.value: t for t in DependencyType}


def _link(source: Source, element: Element, where: str, successor: str) -> FileLink:
    fields = Fields(source.name, element, f"{where} / predecessor")
    kind = (fields.attr("type") or "FS").upper()
    if kind not in _LINK_TYPES:
        raise fields.fail("type", f"{kind!r} is not FS, SS, FF or SF")
    lag = fields.attr_int("lag", 0)
    exact = lag / SECONDS_PER_DAY
    days = round(exact)
    mapped = (
        "" if abs(exact - days) < 1e-9 else f"a lag of {exact:g} working days, rounded to {days}"
    )
    return FileLink(
        str(fields.attr_int("predecessor-id")), successor, _LINK_TYPES[kind], days, mapped
    )


def _resources(
    source: Source,
    root: Element,
    project: ProjectFile,
    calendars: dict[str, _Calendar],
    base: _Calendar | None,
) -> None:
    by_key: dict[str, FileResource] = {}
    material: set[str] = set()
    for element in root.findall("resources/resource"):
        fields, key, name = resource_fields(source, element)
        if fields.attr_int("type", 1) != 1:
            project.notices.append(f"Resource {name}: material resources are not people")
            material.add(key)
            continue
        resource = FileResource(key, name, fields.attr("email") or "")
        own = calendars.get(fields.attr("calendar") or "")
        if own is not None and own is not base:
            off = sorted(
                d for d in own.days if not own.works(d) and (base is None or base.works(d))
            )
            resource.leave = _periods(off)
        by_key[key] = resource
        project.resources.append(resource)
    read_allocations(source, root, project, by_key, share="units", not_people=material)


def _periods(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) periods."""
    found: list[tuple[date, date]] = []
    for day in days:
        if found and found[-1][1] + timedelta(days=1) == day:
            found[-1] = (found[-1][0], day)
        else:
            found.append((day, day))
    return found
