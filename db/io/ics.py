"""Dates for calendar programs (icalendar): milestones, deliverables' due dates, open
follow-ups and contacts' important dates as all-day events in one `.ics`.

`for_member` narrows it to one person's items: milestones and deliverables of the projects
they manage or tasks they work on, the follow-ups they own, and the important dates of the
contacts at clients they look after. `write_member_calendars` keeps one such file per person
in a folder (the shared one), for calendar programs to subscribe to; the app keeps them current
after every change (`desktop/io/live_calendars.py`), rewriting only the files whose events
changed, and removes the file of someone renamed, made inactive or deleted: a member's calendar
carries `X-AGENCY-DESK-MEMBER` (their id), so only files the app made for a person are ever
removed, never anything else kept in that folder. An event carries a title and a date, never
notes: rapport text and internal notes stay in Agency Desk.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import date, timedelta
from pathlib import Path

import icalendar
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.am.occasions import dates_with_people
from db.models import (
    Assignment,
    Client,
    FollowUp,
    Project,
    ProjectStatus,
    Task,
    TaskKind,
    TeamMember,
    utcnow,
)
from db.scheduling.schedules import schedules_for

PRODUCT = "-//Agency Desk//Agency Desk//EN"
MEMBER_PROPERTY = "X-AGENCY-DESK-MEMBER"


def _event(
    uid: str, summary: str, day: date, category: str, yearly: bool = False
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@agency-desk")
    event.add("dtstamp", utcnow())
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("categories", [category])
    event.add("transp", "TRANSPARENT")
    if yearly:
        event.add("rrule", {"freq": "yearly"})
    return event


def calendar_ics(
    session: Session, *, member_id: str | None = None, project_id: str | None = None
) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _title(session, member_id, project_id))
    if member_id is not None:
        cal.add(MEMBER_PROPERTY, member_id)
    for event in _task_events(session, member_id, project_id):
        cal.add_component(event)
    if project_id is None:
        for event in _follow_up_events(session, member_id):
            cal.add_component(event)
        for event in _date_events(session, member_id):
            cal.add_component(event)
    return bytes(cal.to_ical())


def _title(session: Session, member_id: str | None, project_id: str | None) -> str:
    if project_id is not None:
        return f"{session.get(Project, project_id).name} (Agency Desk)"  # type: ignore[union-attr]
    if member_id is not None:
        return f"{session.get(TeamMember, member_id).name} (Agency Desk)"  # type: ignore[union-attr]
    return "Agency Desk"


def _task_events(
    session: Session, member_id: str | None, project_id: str | None
) -> list[icalendar.Event]:
    open_states = (ProjectStatus.PLANNED, ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD)
    query = (
        select(Task.id, Task.name, Task.kind, Task.project_id, Project.name)
        .join(Project, Project.id == Task.project_id)
        .where(Task.kind.in_([TaskKind.MILESTONE, TaskKind.DELIVERABLE]))
        .where(Project.status.in_(open_states))
    )
    if project_id is not None:
        query = query.where(Task.project_id == project_id)
    if member_id is not None:
        mine = select(Assignment.task_id).where(Assignment.member_id == member_id)
        query = query.where(or_(Project.project_manager_id == member_id, Task.id.in_(mine)))
    rows = session.execute(query).all()
    schedules = schedules_for(session)
    found = []
    for task_id, name, kind, pid, project in rows:
        done = schedules.scheduler(pid).scheduled(task_id)
        if kind is TaskKind.MILESTONE:
            found.append(_event(task_id, f"{project}: {name}", done.finish, "Milestone"))
        else:
            found.append(_event(task_id, f"Due: {name} ({project})", done.finish, "Deliverable"))
    return found


def _follow_up_events(session: Session, member_id: str | None) -> list[icalendar.Event]:
    query = (
        select(FollowUp.id, FollowUp.title, FollowUp.due_date, Client.name)
        .outerjoin(Client, Client.id == FollowUp.client_id)
        .where(FollowUp.done_at.is_(None))
    )
    if member_id is not None:
        query = query.where(FollowUp.owner_id == member_id)
    return [
        _event(id_, f"Follow up: {title}" + (f" ({client})" if client else ""), due, "Follow-up")
        for id_, title, due, client in session.execute(query)
    ]


def _date_events(session: Session, member_id: str | None) -> list[icalendar.Event]:
    query = dates_with_people()
    if member_id is not None:
        query = query.where(Client.account_manager_id == member_id)
    found = []
    for id_, label, day, month, year, _, contact, _, client in session.execute(query):
        # Without a year, a leap year: a 29 February birthday still has a day.
        first = date(year or 2000, month, day)
        found.append(_event(id_, f"{label}: {contact} ({client})", first, "Important date", True))
    return found


def _file_name(name: str) -> str:
    return re.sub(r"[^\w .-]+", "_", name).strip() or "member"


def member_calendars(session: Session) -> dict[str, bytes]:
    """`<name>.ics` -> that active team member's calendar, for every active member."""
    return {
        f"{_file_name(name)}.ics": calendar_ics(session, member_id=member_id)
        for member_id, name in session.execute(
            select(TeamMember.id, TeamMember.name)
            .where(TeamMember.active.is_(True))
            .order_by(TeamMember.name)
        )
    }


def write_calendars(folder: Path, calendars: dict[str, bytes]) -> list[Path]:
    """Write each calendar into `folder` whose events differ from the file there, each whole
    (written beside it, then moved into place: a calendar program reading it mid-write sees
    the old one). A file whose events are the same is left alone, so a subscriber is not
    told of a change that is only a new time stamp. A member's calendar in `folder` that is
    not among `calendars` any more (renamed, inactive, deleted) is removed. Plain file work:
    fit for a worker thread."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in calendars.items():
        path = folder / name
        try:
            if _without_stamps(path.read_bytes()) == _without_stamps(data):
                continue
        except FileNotFoundError:
            pass
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        finally:
            Path(temp).unlink(missing_ok=True)
        written.append(path)
    _remove_former_members(folder, calendars)
    return written


def _remove_former_members(folder: Path, calendars: dict[str, bytes]) -> None:
    # Compared without case: on a case-insensitive disk "ana ruiz.ics" is Ana Ruiz's file.
    current = {name.casefold() for name in calendars}
    mark = f"\n{MEMBER_PROPERTY}:".encode()
    for path in folder.glob("*.ics"):
        if path.name.casefold() in current:
            continue
        try:
            header = path.read_bytes().split(b"BEGIN:VEVENT", 1)[0]
        except OSError:  # gone meanwhile (another station), or not a file this app wrote
            continue
        if mark in header:
            path.unlink(missing_ok=True)


def _without_stamps(data: bytes) -> bytes:
    """The calendar without its DTSTAMP lines (the time it was written, not what it says)."""
    return b"\n".join(line for line in data.splitlines() if not line.startswith(b"DTSTAMP"))


def write_member_calendars(session: Session, folder: Path) -> list[Path]:
    """One `<name>.ics` per active team member in `folder` (see `write_calendars`); the
    files written."""
    return write_calendars(folder, member_calendars(session))
