"""Reading GanttProject `.gan` files into a `ProjectFile`.

* Tasks nest as `<task>` inside `<task>`; `meeting="true"` is a milestone; `duration` is in
  working days and `complete` in percent.
* A `<depend id=… type=… difference=… hardness=…>` sits in the *predecessor* and names the
  successor: type 1 = SS, 2 = FS, 3 = FF, 4 = SF; `difference` is the lag in days. A "Rubber"
  link lets the successor sit later than it requires, so such a successor keeps the file's
  start as its "start no earlier than"; a "Strong" one places the successor exactly.
* `<resources>`, `<allocations>` (load in percent of a day) and `<vacations>`, which become
  leave; the calendar's `<default-week>` (1 = weekend) and `<date … type="HOLIDAY">`.
"""

from __future__ import annotations

from datetime import date
from xml.etree.ElementTree import Element

from db.io.errors import ImportFileError
from db.io.gantt_xml import project_root, read_allocations, resource_fields, week_day_types
from db.io.project_file import (
    FileCalendar,
    FileLink,
    FileResource,
    FileTask,
    ProjectFile,
)
from db.io.source import Source
from db.io.xml_fields import Fields
from db.models import DependencyType

LINK_TYPES = {
    1: DependencyType.SS,
    2: DependencyType.FS,
    3: DependencyType.FF,
    4: DependencyType.SF,
}


def read_gan(source: Source) -> ProjectFile:
    root, project = project_root(source, "GanttProject", "GanttProject")
    project.notes = (root.findtext("description") or "").strip()
    project.calendar = _calendar(source, root)
    tasks = root.find("tasks")
    if tasks is not None:
        seen: set[str] = set()
        # Depth first in file order, without recursion: nesting depth is the file's to choose.
        stack: list[tuple[Element, str | None]] = [
            (e, None) for e in reversed(tasks.findall("task"))
        ]
        while stack:
            element, parent = stack.pop()
            key = _task(source, element, parent, project, seen)
            stack.extend((child, key) for child in reversed(element.findall("task")))
    keys = {t.key for t in project.tasks}
    for link in project.links:
        if link.successor_key not in keys:
            raise ImportFileError(
                source.name,
                f"names task {link.successor_key} as a successor, which is no task of the file",
                f"task id {link.predecessor_key} / depend",
            )
    milestones = {t.key for t in project.tasks if t.milestone}
    for link in project.links:
        if link.successor_key in milestones and link.type in (DependencyType.FS, DependencyType.FF):
            # GanttProject puts such a milestone on the morning after the finish; Agency Desk
            # on the finishing day, whose end it marks.
            link.mapped = (
                "a milestone after a finish is dated the next morning in GanttProject, "
                "the finishing day here"
            )
    _resources(source, root, project)
    return project


def _calendar(source: Source, root: Element) -> FileCalendar:
    calendar = FileCalendar()
    week = root.find("calendars/day-types/default-week")
    if week is not None:
        types = week_day_types(source, week, "calendars")
        calendar.working_week = frozenset(n for n in range(7) if types.get(n, 0) == 0)
    for element in root.findall("calendars/date"):
        fields = Fields(source.name, element, "calendars / date")
        if (fields.attr("type") or "HOLIDAY").upper() not in ("HOLIDAY", "NEUTRAL", ""):
            continue
        year_text = fields.attr("year")
        month, day = fields.attr_int("month"), fields.attr_int("date")
        years = [int(year_text)] if year_text else []
        for year in years:  # a holiday without a year recurs: only dated ones are compared
            try:
                found = date(year, month, day)
            except ValueError:
                raise fields.fail("date", f"{year}-{month}-{day} is not a date") from None
            calendar.days_off.append((found, found))
    return calendar


def _task(
    source: Source, element: Element, parent: str | None, project: ProjectFile, seen: set[str]
) -> str:
    fields = Fields(source.name, element, f"task id {element.get('id', '?')}")
    key = str(fields.attr_int("id"))
    if key in seen:
        raise fields.fail("id", f"{key} is used by another task too")
    seen.add(key)
    start = fields.attr_date("start")
    milestone = (fields.attr("meeting") or "false").lower() == "true"
    duration = fields.attr_int("duration", 0 if milestone else 1)
    if duration < 0:
        raise fields.fail("duration", "must not be negative")
    milestone = milestone or duration == 0
    progress = fields.attr_int("complete", 0)
    if not 0 <= progress <= 100:
        raise fields.fail("complete", f"{progress} is not 0 to 100")
    finish = start if milestone else project.calendar.finish_of(start, duration)
    project.tasks.append(
        FileTask(
            key=key,
            name=fields.attr("name") or "",
            start=start,
            finish=finish,
            duration_days=0 if milestone else duration,
            parent_key=parent,
            milestone=milestone,
            progress=progress,
            notes=(element.findtext("notes") or "").strip(),
        )
    )
    for depend in element.findall("depend"):
        link_fields = Fields(source.name, depend, f"{fields.where} / depend")
        code = link_fields.attr_int("type", 2)
        if code not in LINK_TYPES:
            raise link_fields.fail("type", f"{code} is not 1 (SS), 2 (FS), 3 (FF) or 4 (SF)")
        hardness = (link_fields.attr("hardness") or "Strong").lower()
        project.links.append(
            FileLink(
                predecessor_key=key,
                successor_key=str(link_fields.attr_int("id")),
                type=LINK_TYPES[code],
                lag_days=link_fields.attr_int("difference", 0),
                rubber=hardness == "rubber",
            )
        )
    return key


def _resources(source: Source, root: Element, project: ProjectFile) -> None:
    by_key: dict[str, FileResource] = {}
    for element in root.findall("resources/resource"):
        fields, key, name = resource_fields(source, element)
        by_key[key] = FileResource(key, name, fields.attr("contacts") or "")
        project.resources.append(by_key[key])
    read_allocations(source, root, project, by_key, share="load")
    for element in root.findall("vacations/vacation"):
        fields = Fields(source.name, element, "vacations / vacation")
        resource = str(fields.attr_int("resourceid"))
        if resource not in by_key:
            raise fields.fail("resourceid", f"{resource} is no resource of the file")
        start, end = fields.attr_date("start"), fields.attr_date("end")
        if end < start:
            raise fields.fail("end", "is before the start")
        by_key[resource].leave.append((start, end))
