"""Reading Microsoft Project XML (MSPDI) into a `ProjectFile`.

The format's traps, each handled here:
* links name their predecessor by `PredecessorUID`; `ID` is only the row number;
* the task with UID 0 (outline level 0) is the project's summary, not a task;
* link `Type`: 0 = FF, 1 = FS, 2 = SF, 3 = SS;
* `LinkLag` is in tenths of a minute of the `LagFormat` unit: working time (4800 = one
  8-hour day), elapsed time (round the clock), or a percent of the predecessor;
* durations are working time written `PT…H…M…S`;
* the hierarchy comes from `OutlineLevel`, read in `ID` order;
* calendar exceptions come in the old `WeekDay` (DayType 0) form and the 2007+ `Exceptions`
  form, often both;
* `ConstraintType` 0 to 7 with a `ConstraintDate`.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from xml.etree.ElementTree import Element

from db.io.errors import ImportFileError
from db.io.project_file import (
    Constraint,
    FileAssignment,
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
    0: DependencyType.FF,
    1: DependencyType.FS,
    2: DependencyType.SF,
    3: DependencyType.SS,
}
CONSTRAINTS = {
    0: Constraint.ASAP,
    1: Constraint.ALAP,
    2: Constraint.MUST_START_ON,
    3: Constraint.MUST_FINISH_ON,
    4: Constraint.START_NO_EARLIER,
    5: Constraint.START_NO_LATER,
    6: Constraint.FINISH_NO_EARLIER,
    7: Constraint.FINISH_NO_LATER,
}
# LagFormat codes (the same as DurationFormat); the "?" (estimated) variants are 32 higher.
_DAYS, _PERCENT = 7, 19
_ELAPSED = {4, 6, 8, 10, 12, 20}
_UNIT_NAMES = {3: "minutes", 5: "hours", 7: "days", 9: "weeks", 11: "months", 19: "percent"}
UNASSIGNED_RESOURCE = -65535

_DURATION = re.compile(
    r"^-?P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<w>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def duration_minutes(text: str, minutes_per_day: int) -> float:
    """Working minutes of an ISO duration as MSPDI writes it (`PT16H0M0S`); a `D` counts a
    working day, not 24 hours."""
    match = _DURATION.match(text)
    if match is None or text in ("P", "PT", "-P"):
        raise ValueError(text)
    parts = {k: float(v) for k, v in match.groupdict().items() if v}
    days = parts.get("d", 0.0) + 5 * parts.get("w", 0.0) + 20 * parts.get("mo", 0.0)
    days += 240 * parts.get("y", 0.0)
    minutes = days * minutes_per_day + 60 * parts.get("h", 0.0) + parts.get("mi", 0.0)
    minutes += parts.get("s", 0.0) / 60
    return -minutes if text.startswith("-") else minutes


def working_days(minutes: float, minutes_per_day: int) -> int:
    """Whole working days for a task of `minutes`: part of a day takes the day."""
    return max(0, math.ceil(minutes / minutes_per_day - 1e-6))


def read_mspdi(source: Source) -> ProjectFile:
    root = source.xml()
    if root.tag != "Project":
        raise ImportFileError(
            source.name, f"is not Microsoft Project XML (its root is <{root.tag}>)"
        )
    top = Fields(source.name, root, "Project")
    minutes_per_day = top.child_int("MinutesPerDay", 480)
    if minutes_per_day <= 0:
        raise top.fail("MinutesPerDay", "must be more than 0")
    name = top.child("Title") or top.child("Name") or ""
    project = ProjectFile(
        format="MSPDI",
        name=name,
        start=top.child_date("StartDate") if top.child("StartDate") else None,
        company=top.child("Company") or "",
    )
    calendars = _read_calendars(source, root)
    base_uid = top.child("CalendarUID") or ""
    if base_uid in calendars:
        project.calendar = calendars[base_uid][0]
    elif calendars:
        project.calendar = next(iter(calendars.values()))[0]
    _read_tasks(source, root, project, minutes_per_day)
    _read_resources(source, root, project, calendars)
    _read_assignments(source, root, project, minutes_per_day)
    return project


def _read_calendars(source: Source, root: Element) -> dict[str, tuple[FileCalendar, str]]:
    """Calendars by UID: (week and days off, base calendar UID)."""
    found: dict[str, tuple[FileCalendar, str]] = {}
    for element in root.findall("Calendars/Calendar"):
        uid = (element.findtext("UID") or "").strip()
        fields = Fields(source.name, element, f"Calendar UID {uid or '?'}")
        week: set[int] = set()
        said = False
        days_off: list[tuple[date, date]] = []
        for day in element.findall("WeekDays/WeekDay"):
            day_fields = Fields(source.name, day, f"{fields.where} / WeekDay")
            day_type = day_fields.child_int("DayType")
            working = day_fields.child_flag("DayWorking")
            if day_type == 0:  # the old form of an exception
                if not working:
                    days_off.append(_period(source, day, day_fields.where))
            elif 1 <= day_type <= 7:
                said = True
                if working:
                    week.add((day_type + 5) % 7)  # 1 = Sunday -> 6, 2 = Monday -> 0
            else:
                raise day_fields.fail("DayType", f"{day_type} is not 0 to 7")
        for exception in element.findall("Exceptions/Exception"):
            ex_fields = Fields(source.name, exception, f"{fields.where} / Exception")
            if ex_fields.child_flag("DayWorking"):
                continue
            # Type 1 is "daily": every day of the period. Other recurrences are expanded only
            # when they cover a plain period too.
            days_off.append(_period(source, exception, ex_fields.where))
        base = (element.findtext("BaseCalendarUID") or "").strip()
        unique = sorted(set(days_off))
        found[uid] = (FileCalendar(frozenset(week) if said else None, unique), base)
    return found


def _period(source: Source, element: Element, where: str) -> tuple[date, date]:
    period = element.find("TimePeriod")
    if period is None:
        raise ImportFileError(source.name, "has no TimePeriod", where)
    fields = Fields(source.name, period, f"{where} / TimePeriod")
    start, end = fields.child_date("FromDate"), fields.child_date("ToDate")
    if end < start:
        raise fields.fail("ToDate", "is before FromDate")
    if end - start > timedelta(days=3660):
        raise fields.fail("ToDate", "makes the period longer than ten years")
    return start, end


def _read_tasks(source: Source, root: Element, project: ProjectFile, minutes_per_day: int) -> None:
    rows: list[tuple[int, int, Element, Fields]] = []
    uids: set[str] = set()
    for n, element in enumerate(root.findall("Tasks/Task")):
        uid = (element.findtext("UID") or "").strip()
        fields = Fields(source.name, element, f"Task UID {uid}" if uid else f"Task {n + 1}")
        uid_value = fields.child_int("UID")
        if str(uid_value) in uids:
            raise fields.fail("UID", f"{uid_value} is used by another task too")
        uids.add(str(uid_value))
        if fields.child_flag("IsNull"):
            continue  # a blank row of the sheet
        row_id = fields.child_int("ID", n)
        rows.append((row_id, n, element, fields))
    rows.sort(key=lambda row: (row[0], row[1]))

    # The outline: each task's parent is the nearest earlier task one level up.
    stack: list[tuple[int, str]] = []
    for _row_id, _n, element, fields in rows:
        uid = str(fields.child_int("UID"))
        level = fields.child_int("OutlineLevel", 1)
        name = fields.child("Name") or ""
        if uid == "0" or level == 0:
            project.name = project.name or name
            if project.start is None and fields.child("Start"):
                project.start = fields.child_date("Start")
            project.notes = fields.child("Notes") or ""
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack and level > stack[-1][0] + 1:
            raise fields.fail("OutlineLevel", f"{level} skips a level below its parent")
        if not stack and level != 1:
            raise fields.fail("OutlineLevel", f"{level}: the first task must be on level 1")
        parent = stack[-1][1] if stack else None
        stack.append((level, uid))
        project.tasks.append(_task(fields, uid, name, parent, minutes_per_day))
        _read_links(source, element, fields, uid, project, minutes_per_day)
    known = {task.key for task in project.tasks}
    for link in project.links:
        if link.predecessor_key not in known:
            raise ImportFileError(
                source.name,
                f"names predecessor UID {link.predecessor_key}, which is no task of the file",
                f"Task UID {link.successor_key} / PredecessorLink",
            )


def _task(fields: Fields, uid: str, name: str, parent: str | None, per_day: int) -> FileTask:
    start = fields.child_date("Start")
    finish = fields.child_date("Finish", start)
    if finish < start:
        raise fields.fail("Finish", f"{finish} is before the start {start}")
    minutes = 0.0
    text = fields.child("Duration")
    if text:
        try:
            minutes = duration_minutes(text, per_day)
        except ValueError:
            raise fields.fail("Duration", f"{text!r} is not a duration like PT16H0M0S") from None
        if minutes < 0:
            raise fields.fail("Duration", "must not be negative")
    milestone = fields.child_flag("Milestone") or (text is not None and minutes == 0)
    days = working_days(minutes, per_day) if text else (finish - start).days + 1
    progress = fields.child_int("PercentComplete", 0)
    if not 0 <= progress <= 100:
        raise fields.fail("PercentComplete", f"{progress} is not 0 to 100")
    code = fields.child_int("ConstraintType", 0)
    if code not in CONSTRAINTS:
        raise fields.fail("ConstraintType", f"{code} is not 0 to 7")
    constraint = CONSTRAINTS[code]
    constraint_date = None
    if constraint not in (Constraint.ASAP, Constraint.ALAP):
        constraint_date = fields.child_date("ConstraintDate")
    return FileTask(
        key=uid,
        name=name,
        start=start,
        finish=finish,
        duration_days=0 if milestone else max(days, 1),
        parent_key=parent,
        milestone=milestone,
        progress=progress,
        notes=fields.child("Notes") or "",
        constraint=constraint,
        constraint_date=constraint_date,
    )


def _read_links(
    source: Source,
    element: Element,
    task_fields: Fields,
    uid: str,
    project: ProjectFile,
    minutes_per_day: int,
) -> None:
    for link in element.findall("PredecessorLink"):
        fields = Fields(source.name, link, f"{task_fields.where} / PredecessorLink")
        pred = str(fields.child_int("PredecessorUID"))
        if fields.child_flag("CrossProject"):
            project.notices.append(
                f"Task UID {uid}: a link from another project ({fields.child('CrossProjectName')})"
                " is not imported"
            )
            continue
        code = fields.child_int("Type", 1)
        if code not in LINK_TYPES:
            raise fields.fail("Type", f"{code} is not 0 (FF), 1 (FS), 2 (SF) or 3 (SS)")
        lag = fields.child_int("LinkLag", 0)
        lag_format = fields.child_int("LagFormat", _DAYS)
        unit = lag_format - 32 if lag_format >= 35 else lag_format
        if unit in (_PERCENT, _PERCENT + 1):
            # A share of the predecessor's length, which the plan knows once tasks are read.
            kept = FileLink(pred, uid, LINK_TYPES[code], lag_percent=lag / 10)
        else:
            lag_days, mapped = _lag_days(lag, unit, minutes_per_day, fields)
            kept = FileLink(pred, uid, LINK_TYPES[code], lag_days, mapped)
        project.links.append(kept)


def _lag_days(lag: int, unit: int, minutes_per_day: int, fields: Fields) -> tuple[int, str]:
    """A link's lag in working days, and how it was mapped when not exactly."""
    if unit not in _UNIT_NAMES and unit - 1 not in _UNIT_NAMES:
        raise fields.fail("LagFormat", f"{unit} is no lag unit MS Project writes")
    minutes = lag / 10
    if unit in _ELAPSED:
        calendar_days = minutes / (24 * 60)
        days = round(calendar_days * 5 / 7)
        return (
            days,
            f"an elapsed lag of {calendar_days:g} calendar days, kept as {days} working days",
        )
    exact = minutes / minutes_per_day
    days = round(exact)
    if abs(exact - days) > 1e-6:
        return days, f"a lag of {exact:g} working days, rounded to {days}"
    return days, ""


def _read_resources(
    source: Source,
    root: Element,
    project: ProjectFile,
    calendars: dict[str, tuple[FileCalendar, str]],
) -> None:
    base_off = set(project.calendar.days_off)
    for element in root.findall("Resources/Resource"):
        uid = (element.findtext("UID") or "").strip()
        fields = Fields(source.name, element, f"Resource UID {uid}")
        name = fields.child("Name") or ""
        if uid == "0" and not name:
            continue  # MS Project's placeholder for "unassigned"
        if fields.child_int("Type", 1) != 1:
            project.notices.append(
                f"Resource {name or uid}: material and cost resources are not people"
            )
            continue
        if not name:
            raise fields.fail("Name", "is missing")
        cal_uid = fields.child("CalendarUID") or ""
        leave: list[tuple[date, date]] = []
        if cal_uid in calendars:
            # A resource calendar inherits its base calendar's exceptions: only its own are leave.
            leave = [p for p in calendars[cal_uid][0].days_off if p not in base_off]
        project.resources.append(
            FileResource(
                str(fields.child_int("UID")), name, fields.child("EmailAddress") or "", leave
            )
        )


def _read_assignments(
    source: Source, root: Element, project: ProjectFile, minutes_per_day: int
) -> None:
    people = {r.key for r in project.resources}
    tasks = {t.key for t in project.tasks}
    for element in root.findall("Assignments/Assignment"):
        uid = (element.findtext("UID") or "").strip()
        fields = Fields(source.name, element, f"Assignment UID {uid}")
        resource = str(fields.child_int("ResourceUID"))
        task = str(fields.child_int("TaskUID"))
        if resource == str(UNASSIGNED_RESOURCE) or resource not in people or task not in tasks:
            continue  # unassigned, a material resource, or the project summary
        units = fields.child_float("Units", 1.0)
        if units < 0:
            raise fields.fail("Units", "must not be negative")
        hours = round(units * minutes_per_day / 60, 2)
        project.assignments.append(FileAssignment(task, resource, hours))
