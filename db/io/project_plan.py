"""Turning a project file into an import plan: the rows to add, what the preview shows, and
the report of every task whose dates in Agency Desk differ from the file's, with why.

Agency Desk keeps one date per task, "start no earlier than", and schedules the rest from
links, durations and its own calendar. So a task driven by links gets the project's start as
its own (the links place it, and moving a predecessor earlier brings it back), and a task
nothing drives keeps the file's start. Where the result differs from the file (another
calendar, a constraint Agency Desk cannot hold, a link that had to be mapped) the report says
so, and `keep_file_dates` pins each such task to the file's start.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.io.errors import ImportFileError
from db.io.operation import ImportOperation, Row
from db.io.project_file import Constraint, FileCalendar, FileLink, FileTask, ProjectFile
from db.io.summary import ImportSummary
from db.models import (
    Assignment,
    Client,
    Dependency,
    LeaveKind,
    Project,
    Task,
    TaskKind,
    TeamMember,
    TimeOff,
    new_id,
)
from db.scheduling.calendar import AgencyDays, WorkCalendar
from db.scheduling.engine import Scheduler
from db.scheduling.graph import CycleError
from db.scheduling.plan import LinkSpec, Plan, TaskSpec, agency_days
from db.validation import NAME_MAX, NOTES_MAX, optional_email

DEFAULT_CLIENT = "Imported projects"


def _new_ids(n: int) -> list[str]:
    """`n` random (version 4) UUIDs as `new_id` makes them, from one call for randomness:
    uuid4() asks the system for 16 bytes at a time, which costs a 10,000-task import 0.3 s."""
    hexes = os.urandom(16 * n).hex()
    found = []
    for k in range(0, 32 * n, 32):
        h = hexes[k : k + 32]
        # The version nibble is 4 and the variant's two high bits are 10, as uuid4() sets
        # them; formatted by hand, as uuid.UUID() costs a 50,000-row import 0.3 s.
        found.append(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}")
    return found


_VARIANT = {d: "89ab"[int(d, 16) & 3] for d in "0123456789abcdef"}


_EXACT = (Constraint.ASAP, Constraint.START_NO_EARLIER)


class Cause(StrEnum):
    CALENDAR = "calendar"
    CONSTRAINT = "constraint"
    LINK = "link type"


@dataclass(frozen=True)
class DateDifference:
    """One task whose dates in Agency Desk are not the file's."""

    key: str
    name: str
    file_start: date
    file_finish: date
    start: date
    finish: date
    cause: Cause
    reason: str

    def line(self) -> str:
        def span(a: date, b: date) -> str:
            return f"{a:%d %b %Y}" if a == b else f"{a:%d %b %Y} to {b:%d %b %Y}"

        return (
            f"{self.name}: file {span(self.file_start, self.file_finish)}, here "
            f"{span(self.start, self.finish)} ({self.cause.value}: {self.reason})"
        )


@dataclass
class ProjectImport:
    """A project import ready to preview and apply. Nothing is written until `operation` is
    applied through the store (or the workspace, which makes it one undo step)."""

    source: str
    file: ProjectFile
    project_id: str
    project_name: str
    client_name: str
    keep_file_dates: bool
    summary: ImportSummary
    differences: list[DateDifference]
    operation: ImportOperation

    def report_lines(self) -> list[str]:
        if not self.differences:
            return ["Every task has the file's dates."]
        return [d.line() for d in self.differences]


@dataclass
class _Draft:
    """Working state while a plan is built."""

    task_ids: dict[str, str] = field(default_factory=dict)
    member_ids: dict[str, str] = field(default_factory=dict)  # resource key -> member id
    creates: list[Row] = field(default_factory=list)
    summary: ImportSummary = field(default_factory=ImportSummary)


def plan_project_import(
    session: Session,
    file: ProjectFile,
    source: str,
    *,
    client: str | None = None,
    keep_file_dates: bool = False,
) -> ProjectImport:
    """Plan importing `file` (read from `source`, the name messages use) as a new project of
    the client named `client` (default: the file's company, else "Imported projects"; made
    when no client has that name)."""
    if not file.tasks:
        raise ImportFileError(source, "holds no tasks to import")
    draft = _Draft()
    draft.summary.notices.extend(file.notices)
    client_id, client_name = _client(session, draft, client or file.company or DEFAULT_CLIENT)
    project_name = _clean_name(file.name, "Imported project")[0]
    if session.scalar(
        select(func.count()).select_from(Project).where(Project.name == project_name)
    ):
        draft.summary.notices.append(
            f"A project named {project_name!r} exists already; this adds another one"
        )
    project_id = new_id()
    tasks = file.tasks
    base = file.start or min(t.start for t in tasks)
    draft.creates.append(
        (
            Project,
            {
                "id": project_id,
                "client_id": client_id,
                "name": project_name,
                "brief": file.notes[:NOTES_MAX],
                "start_date": base,
            },
        )
    )
    for task, task_id in zip(tasks, _new_ids(len(tasks)), strict=True):
        draft.task_ids[task.key] = task_id
    by_key = {t.key: t for t in tasks}
    links = _links(file.links, by_key, draft)
    members = _people(session, file, draft)
    assigned = _assignments(file, draft)

    leave = _leave(session, draft, members)
    _add_leave(file, draft, leave)
    starts = _starts(tasks, links, by_key, base)
    agency = agency_days(session)
    differences = _differences(
        file.calendar, tasks, links, starts, assigned, leave, agency, draft, source
    )
    if keep_file_dates and differences:
        for diff in differences:
            starts[diff.key] = by_key[diff.key].start
        differences = _differences(
            file.calendar, tasks, links, starts, assigned, leave, agency, draft, source
        )

    task_rows: list[Row] = []
    for order, task in enumerate(tasks):
        name, overflow = _clean_name(task.name, f"Task {task.key}")
        notes = task.notes
        if overflow:
            notes = f"{task.name}\n\n{notes}".strip()
            draft.summary.notices.append(
                f"Task {task.key}: its name is longer than {NAME_MAX} characters; "
                "the full name is kept in its notes"
            )
        task_rows.append(
            (
                Task,
                {
                    "id": draft.task_ids[task.key],
                    "project_id": project_id,
                    "parent_id": draft.task_ids[task.parent_key] if task.parent_key else None,
                    "name": name,
                    "start_date": starts[task.key],
                    "duration_days": 0 if task.milestone else task.duration_days,
                    "progress": task.progress,
                    "kind": TaskKind.MILESTONE if task.milestone else TaskKind.TASK,
                    "sort_order": order,
                    "notes": notes[:NOTES_MAX],
                },
            )
        )
    # Assignments and links come after the tasks they name; people and leave before.
    rows = draft.creates + task_rows
    link_ids = _new_ids(len(links))
    rows += [
        (
            Dependency,
            {
                "id": link_ids[n],
                "predecessor_id": draft.task_ids[link.predecessor_key],
                "successor_id": draft.task_ids[link.successor_key],
                "type": link.type,
                "lag_days": link.lag_days,
            },
        )
        for n, link in enumerate(links)
    ]
    rows += [
        (
            Assignment,
            {"id": new_id(), "task_id": draft.task_ids[t], "member_id": m, "hours_per_day": h},
        )
        for (t, m), h in assigned.items()
    ]
    operation = ImportOperation(rows, label=f"Import {project_name}")
    draft.summary.added = dict(operation.counts())
    return ProjectImport(
        source=source,
        file=file,
        project_id=project_id,
        project_name=project_name,
        client_name=client_name,
        keep_file_dates=keep_file_dates,
        summary=draft.summary,
        differences=differences,
        operation=operation,
    )


def _clean_name(text: str, fallback: str) -> tuple[str, bool]:
    """A name that fits (one line, at most NAME_MAX characters) and whether it was cut."""
    name = " ".join(text.split()) or fallback
    if len(name) > NAME_MAX:
        return name[: NAME_MAX - 1] + "…", True
    return name, False


def _client(session: Session, draft: _Draft, wanted: str) -> tuple[str, str]:
    name = _clean_name(wanted, DEFAULT_CLIENT)[0]
    found = session.execute(
        select(Client.id, Client.name).where(func.lower(Client.name) == name.lower())
    ).first()
    if found is not None:
        return str(found[0]), str(found[1])
    client_id = new_id()
    draft.creates.append((Client, {"id": client_id, "name": name}))
    return client_id, name


def _links(links: list[FileLink], by_key: dict[str, FileTask], draft: _Draft) -> list[FileLink]:
    """The file's links as they can be kept: one per pair of tasks, percent lags in days."""
    kept: dict[tuple[str, str], FileLink] = {}
    for link in links:
        pair = (link.predecessor_key, link.successor_key)
        if link.predecessor_key == link.successor_key:
            draft.summary.skipped.append(f"a link from task {pair[0]} to itself")
            continue
        if pair in kept or pair[::-1] in kept:
            draft.summary.skipped.append(
                f"a second link between tasks {pair[0]} and {pair[1]} (one is kept)"
            )
            continue
        if link.lag_percent is not None:
            pred = by_key[link.predecessor_key]
            days = round(pred.duration_days * link.lag_percent / 100)
            link = FileLink(
                link.predecessor_key,
                link.successor_key,
                link.type,
                days,
                mapped=f"a lag of {link.lag_percent:g}% of {pred.name!r}, "
                f"kept as {days} working days",
            )
        kept[pair] = link
    return list(kept.values())


def _people(session: Session, file: ProjectFile, draft: _Draft) -> dict[str, str]:
    """Resource key -> member id: an existing team member of the same name, or a new one."""
    existing = {
        str(name).casefold(): str(id_)
        for id_, name in session.execute(select(TeamMember.id, TeamMember.name))
    }
    made: dict[str, str] = {}
    reused = 0
    for resource in file.resources:
        name = _clean_name(resource.name, f"Resource {resource.key}")[0]
        folded = name.casefold()
        if folded in existing:
            draft.member_ids[resource.key] = existing[folded]
            reused += 1
            continue
        if folded in made:
            draft.member_ids[resource.key] = made[folded]
            continue
        email = resource.email.strip()
        if optional_email(email) is not None or len(email) > 320:
            draft.summary.notices.append(f"{name}: {email!r} is not an email address; left out")
            email = ""
        member_id = new_id()
        made[folded] = member_id
        draft.member_ids[resource.key] = member_id
        draft.creates.append((TeamMember, {"id": member_id, "name": name, "email": email}))
    if reused:
        draft.summary.notices.append(
            f"{reused} of the file's people are already on the team (same name) and are used"
        )
    return draft.member_ids


def _assignments(file: ProjectFile, draft: _Draft) -> dict[tuple[str, str], float]:
    """(task key, member id) -> hours per day, one per pair."""
    found: dict[tuple[str, str], float] = {}
    for assignment in file.assignments:
        member = draft.member_ids.get(assignment.resource_key)
        if member is None or assignment.task_key not in draft.task_ids:
            continue
        pair = (assignment.task_key, member)
        found[pair] = found.get(pair, 0.0) + assignment.hours_per_day
    return found


def _leave(
    session: Session, draft: _Draft, members: dict[str, str]
) -> dict[str, list[tuple[date, date]]]:
    """Every member's leave after the import, adding the file's periods not already held."""
    ids = set(members.values())
    leave: dict[str, list[tuple[date, date]]] = defaultdict(list)
    if ids:
        for member_id, start, end in session.execute(
            select(TimeOff.member_id, TimeOff.start_date, TimeOff.end_date).where(
                TimeOff.member_id.in_(ids)
            )
        ):
            leave[member_id].append((start, end))
    return leave


def _add_leave(file: ProjectFile, draft: _Draft, leave: dict[str, list[tuple[date, date]]]) -> None:
    for resource in file.resources:
        member_id = draft.member_ids.get(resource.key)
        if member_id is None:
            continue
        for start, end in resource.leave:
            if (start, end) in leave[member_id]:
                continue
            leave[member_id].append((start, end))
            draft.creates.append(
                (
                    TimeOff,
                    {
                        "id": new_id(),
                        "member_id": member_id,
                        "start_date": start,
                        "end_date": end,
                        "kind": LeaveKind.HOLIDAY,
                        "reason": f"Imported from {file.format}",
                    },
                )
            )


def _starts(
    tasks: list[FileTask], links: list[FileLink], by_key: dict[str, FileTask], base: date
) -> dict[str, date]:
    """Each task's "start no earlier than": the base for tasks links drive (the links place
    them), the file's date for the rest, the constraint's date where it is a start."""
    linked = {link.successor_key for link in links if not link.rubber}
    pinned = {link.successor_key for link in links if link.rubber}
    starts: dict[str, date] = {}
    for task in tasks:
        driven = False
        at: FileTask | None = task
        while at is not None:
            if at.key in linked:
                driven = True
                break
            at = by_key.get(at.parent_key) if at.parent_key else None
        if task.constraint in (Constraint.MUST_START_ON, Constraint.START_NO_EARLIER):
            starts[task.key] = task.constraint_date or task.start
        elif task.constraint in (Constraint.MUST_FINISH_ON, Constraint.FINISH_NO_EARLIER):
            starts[task.key] = task.start
        elif driven and task.key not in pinned:
            starts[task.key] = min(base, task.start)
        else:
            starts[task.key] = task.start
    return starts


def _differences(
    file_calendar: FileCalendar,
    tasks: list[FileTask],
    links: list[FileLink],
    starts: dict[str, date],
    assigned: dict[tuple[str, str], float],
    leave: dict[str, list[tuple[date, date]]],
    agency: AgencyDays,
    draft: _Draft,
    source: str,
) -> list[DateDifference]:
    """Schedule the plan as Agency Desk will and list the tasks whose dates are not the
    file's, leaf tasks and milestones only (a summary follows its children)."""
    members: dict[str, set[str]] = defaultdict(set)
    for task_key, member_id in assigned:
        members[draft.task_ids[task_key]].add(member_id)
    ids = draft.task_ids
    specs = [
        TaskSpec(
            ids[t.key],
            t.name,
            starts[t.key],
            0 if t.milestone else t.duration_days,
            ids[t.parent_key] if t.parent_key else None,
            t.milestone,
            frozenset(members.get(ids[t.key], ())),
            n,
            t.progress,
        )
        for n, t in enumerate(tasks)
    ]
    link_specs = [
        LinkSpec(ids[link.predecessor_key], ids[link.successor_key], link.type, link.lag_days)
        for n, link in enumerate(links)
    ]
    used = {m for group in members.values() for m in group}
    plan = Plan(specs, link_specs, agency, {m: leave[m] for m in used if leave.get(m)})
    try:
        scheduler = Scheduler(plan)
    except CycleError as exc:
        raise ImportFileError(source, f"its links make a loop: {exc}") from None
    parents = {t.parent_key for t in tasks if t.parent_key}
    incoming: dict[str, list[FileLink]] = defaultdict(list)
    for link in links:
        incoming[link.successor_key].append(link)
    found: dict[str, DateDifference] = {}
    for task in tasks:  # file order: predecessors usually come first
        if task.key in parents:
            continue
        done = scheduler.scheduled(ids[task.key])
        start, finish = done.start, done.finish
        if task.milestone:
            same = start == task.start or finish == task.finish
        else:
            same = start == task.start and finish == task.finish
        if same:
            continue
        calendar = scheduler.calendar_of(ids[task.key])
        cause, reason = _why(task, start, incoming[task.key], found, calendar, file_calendar)
        found[task.key] = DateDifference(
            task.key, task.name, task.start, task.finish, start, finish, cause, reason
        )
    return list(found.values())


def _why(
    task: FileTask,
    start: date,
    incoming: list[FileLink],
    found: dict[str, DateDifference],
    calendar: WorkCalendar,
    file_calendar: FileCalendar,
) -> tuple[Cause, str]:
    for link in incoming:
        if link.mapped:
            return Cause.LINK, link.mapped
    if task.constraint not in _EXACT:
        day = task.constraint_date or task.start
        return Cause.CONSTRAINT, (
            f"'{task.constraint.value} {day:%d %b %Y}' is kept as start no earlier than"
        )
    if start != task.start:
        for link in incoming:
            moved = found.get(link.predecessor_key)
            if moved is not None:
                origin = moved.reason.split("; ", 1)[-1]
                return moved.cause, f"follows {moved.name!r}; {origin}"
    last = max(task.finish, task.start)
    day = task.start
    while day <= last:
        here = calendar.is_working_day(day)
        there = file_calendar.works(day)  # Monday to Friday where the file does not say
        if not here and day.toordinal() in calendar.days_off:
            return Cause.CALENDAR, f"someone assigned is on leave on {day:%a %d %b %Y}"
        if here != there:
            if here:
                return Cause.CALENDAR, f"{day:%a %d %b %Y} is a working day here, not in the file"
            return Cause.CALENDAR, f"{day:%a %d %b %Y} is a working day in the file, not here"
        day += timedelta(days=1)
    return Cause.CALENDAR, "Agency Desk's calendar (working week, holidays, leave) differs"
