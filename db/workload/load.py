"""Who works how many hours on which day, across every open project: the workload snapshot the
Team workload view, "who is free?" and the levelling suggestions read.

Each leaf task of an open project (planned, active or on hold) books, on each day its
calendar lets it work (from the schedule service: the agency's days less its people's leave),
each assignee's hours per day. A task nobody is on books the Unassigned row at a full day
(`UNASSIGNED_HOURS`), so work not yet staffed is seen.

A person is over-allocated on a day when what is booked is more than that day's capacity
(`db.workload.capacity`).

`refresh(changes)` brings the snapshot up to date after an edit by rebuilding only the
projects whose schedule the change dropped (the schedule service's stamps tell which), so a
drag on a 15,000-task agency repaints in milliseconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.changes import ChangeSet
from db.collector_paused import collector_paused
from db.models import Assignment, Client, Project, ProjectStatus, Task, TeamMember
from db.scheduling.calendar import AgencyDays, CalendarPool, WorkCalendar
from db.scheduling.engine import Scheduler
from db.scheduling.schedules import Schedules, schedules_for
from db.workload.capacity import PersonCapacity, load_capacities

UNASSIGNED = ""  # the row of work nobody is on yet
UNASSIGNED_HOURS = 8.0
OPEN_STATUSES = (ProjectStatus.PLANNED, ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD)
EPS = 1e-6  # hours: sums of floats below this are equal
# Entities whose change alters capacity (not any project's schedule).
_CAPACITY = ("TeamMember", "MemberCapacity", "TimeOff", "Overtime", "Closure", "AgencySetting")


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    colour: str
    placeholder: bool


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    id: str
    name: str
    client_id: str
    client_name: str
    due: date | None


@dataclass(frozen=True, slots=True, eq=False)  # compared by identity: removal stays cheap
class Booking:
    """One person's share of one task: `hours_per_day` on each of `days` (ordinals).
    `member_id` is UNASSIGNED and `assignment_id` None for a task nobody is on."""

    task_id: str
    project_id: str
    member_id: str
    assignment_id: str | None
    task_name: str
    hours_per_day: float
    start: date
    finish: date
    days: tuple[int, ...]

    @property
    def hours(self) -> float:
        return self.hours_per_day * len(self.days)


def _key(b: Booking) -> tuple[object, ...]:
    return (
        b.task_id,
        b.project_id,
        b.member_id,
        b.assignment_id,
        b.task_name,
        b.hours_per_day,
        b.days,
    )


def task_days(cal: WorkCalendar, start_o: int, finish_o: int) -> tuple[int, ...]:
    """The ordinals a task from `start_o` to `finish_o` (inclusive) works in its calendar."""
    first, last = cal.index(start_o), cal.index(finish_o + 1)
    if last <= first:
        return ()
    cal.day(last - 1)  # grows the calendar's table of days to cover the task
    # The table itself, sliced: the hot path of opening the workload on 15,000 tasks.
    return tuple(cal._days[first:last])


class Workload:
    """The agency's workload. Read with `people`, `capacity(m, o)`, `assigned(m, o)`,
    `free(m, o)`, `overload(m, o)`, `causes(m, o)`, `bookings_of(m)`; keep current with
    `refresh(changes)`. Days are ordinals (`date.toordinal()`)."""

    def __init__(self, session: Session, schedules: Schedules | None = None) -> None:
        self.session = session
        self.schedules = schedules if schedules is not None else schedules_for(session)
        self.people: list[Person] = []
        self.projects: dict[str, ProjectInfo] = {}
        self._capacity: dict[str, PersonCapacity] = {}
        self._cap_cache: dict[tuple[str, int], float] = {}
        self._bookings: dict[str, list[Booking]] = {}  # project -> its bookings
        self._stamps: dict[str, tuple[int, int]] = {}
        self._hours: defaultdict[str, defaultdict[int, float]] = defaultdict(
            lambda: defaultdict(float)
        )
        self._of: dict[str, list[Booking]] = defaultdict(list)
        self._earliest = date.today().toordinal()  # the first day anything is booked
        self._agency_cal: tuple[AgencyDays, int, WorkCalendar] | None = None
        self.version = 0  # bumped by every refresh that changed something
        # Whose bookings the last refresh changed (None: anyone's, or capacities changed),
        # and whether it read the projects' names again (every bar's label may differ).
        self.touched: set[str] | None = None
        self.projects_reread = False
        self._load_people()
        self._load_projects()
        self._sync_projects(list(self.projects))

    # -- reading ------------------------------------------------------------------------------

    @property
    def agency(self) -> WorkCalendar:
        """The agency's working days, from far enough back to cover every booking."""
        days = self.schedules.agency
        cached = self._agency_cal
        if cached is None or cached[0] is not days or cached[1] != self._earliest:
            first = date.fromordinal(self._earliest)
            calendar = self.schedules.calendars.calendar(days, CalendarPool.origin(first))
            cached = self._agency_cal = (days, self._earliest, calendar)
        return cached[2]

    def person(self, member_id: str) -> Person | None:
        return next((p for p in self.people if p.id == member_id), None)

    def capacity(self, member_id: str, ordinal: int) -> float:
        if member_id == UNASSIGNED:
            return 0.0
        key = (member_id, ordinal)
        found = self._cap_cache.get(key)
        if found is None:
            rules = self._capacity.get(member_id)
            found = rules.hours(ordinal, self.agency) if rules is not None else 0.0
            self._cap_cache[key] = found
        return found

    def available(self, member_id: str, ordinal: int) -> bool:
        """Does the person work that day at all (not on leave, one of their days)?"""
        return self.capacity(member_id, ordinal) > EPS

    def assigned(self, member_id: str, ordinal: int) -> float:
        hours = self._hours.get(member_id)
        return hours.get(ordinal, 0.0) if hours is not None else 0.0

    def free(self, member_id: str, ordinal: int) -> float:
        return max(0.0, self.capacity(member_id, ordinal) - self.assigned(member_id, ordinal))

    def overload(self, member_id: str, ordinal: int) -> float:
        """Hours booked beyond the day's capacity (0 when within it; none for Unassigned)."""
        if member_id == UNASSIGNED:
            return 0.0
        over = self.assigned(member_id, ordinal) - self.capacity(member_id, ordinal)
        return over if over > EPS else 0.0

    def causes(self, member_id: str, ordinal: int) -> list[Booking]:
        """The bookings that make up a person's day, largest first."""
        found = [b for b in self._of.get(member_id, ()) if ordinal in b.days]
        return sorted(found, key=lambda b: (-b.hours_per_day, b.task_name))

    def bookings_of(self, member_id: str) -> list[Booking]:
        return self._of.get(member_id, [])

    def booking(self, task_id: str, member_id: str) -> Booking | None:
        return next((b for b in self.bookings_of(member_id) if b.task_id == task_id), None)

    def busy_days(self, member_id: str) -> list[int]:
        hours = self._hours.get(member_id)
        return sorted(o for o, h in hours.items() if h > EPS) if hours is not None else []

    def over_days(self, member_id: str, first: int, last: int) -> list[int]:
        return [
            o
            for o in self.busy_days(member_id)
            if first <= o <= last and self.overload(member_id, o)
        ]

    def scheduler(self, project_id: str) -> Scheduler:
        return self.schedules.scheduler(project_id)

    # -- loading ------------------------------------------------------------------------------

    def _load_people(self) -> None:
        rows = self.session.execute(
            select(TeamMember.id, TeamMember.name, TeamMember.colour, TeamMember.placeholder)
            .where(TeamMember.active.is_(True))
            .order_by(TeamMember.placeholder, func.lower(TeamMember.name))
        ).all()
        self.people = [Person(mid, name, colour, bool(ph)) for mid, name, colour, ph in rows]
        self._capacity = load_capacities(self.session, [p.id for p in self.people])
        self._cap_cache.clear()

    def _load_projects(self) -> None:
        rows = self.session.execute(
            select(Project.id, Project.name, Client.id, Client.name, Project.due_date)
            .join(Client, Client.id == Project.client_id)
            .where(Project.status.in_(OPEN_STATUSES))
        ).all()
        self.projects = {pid: ProjectInfo(pid, n, cid, cn, due) for pid, n, cid, cn, due in rows}

    def _sync_projects(self, project_ids: list[str]) -> None:
        """Rebuild the bookings of these projects (dropping those no longer open)."""
        # Thousands of small objects that all live on: cyclic GC passes over them would cost
        # more than the work and find nothing to free (as in the engine's rebuild).
        with collector_paused():
            self._resync(project_ids)

    def _resync(self, project_ids: list[str]) -> None:
        # What the projects booked before: a booking that comes out the same is kept as it
        # is, so an edit touches (and repaints) only the people whose days really changed.
        old: dict[tuple[object, ...], Booking] = {}
        for pid in project_ids:
            for b in self._bookings.pop(pid, ()):
                old[_key(b)] = b
            self._stamps.pop(pid, None)
        wanted = [pid for pid in project_ids if pid in self.projects]
        if not wanted:
            for b in old.values():
                self._remove(b)
            return
        schedulers = self.schedules.schedulers(wanted)
        assignments: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
        a, t = Assignment.__table__.c, Task.__table__.c
        query = select(a.task_id, a.id, a.member_id, a.hours_per_day)
        if len(wanted) == len(self.projects):
            chunks = [query]  # every open project: reading the whole table is quickest
        else:
            joined = query.join(Task.__table__, t.id == a.task_id)
            chunks = [
                joined.where(t.project_id.in_(wanted[first : first + 500]))
                for first in range(0, len(wanted), 500)
            ]
        for chunk in chunks:
            for tid, aid, mid, hours in self.session.execute(chunk):
                assignments[tid].append((aid, mid, hours))
        active = {p.id for p in self.people}
        for pid in wanted:
            s = schedulers[pid]
            found: list[Booking] = []
            for i, tid in enumerate(s.ids):
                spec = s.specs[i]
                if s.children[i] or spec.milestone:
                    continue
                start_o, finish_o = s.start_o[i], s.finish_o[i]
                days = task_days(s.cal[i], start_o, finish_o)
                start, finish = date.fromordinal(start_o), date.fromordinal(finish_o)
                people = [a for a in assignments.get(tid, ()) if a[1] in active]
                if not people:
                    if not assignments.get(tid):
                        found.append(
                            Booking(
                                tid,
                                pid,
                                UNASSIGNED,
                                None,
                                spec.name,
                                UNASSIGNED_HOURS,
                                start,
                                finish,
                                days,
                            )
                        )
                    continue
                for aid, mid, hours in people:
                    found.append(Booking(tid, pid, mid, aid, spec.name, hours, start, finish, days))
            kept = []
            for b in found:
                same = old.pop(_key(b), None)
                if same is None:
                    self._add(b)
                    kept.append(b)
                else:
                    kept.append(same)
            self._bookings[pid] = kept
            self._stamps[pid] = self.schedules.stamp(pid)
        for b in old.values():
            self._remove(b)

    def _add(self, b: Booking) -> None:
        if self.touched is not None:
            self.touched.add(b.member_id)
        if b.days and b.days[0] < self._earliest:
            self._earliest = b.days[0]
            self._cap_cache.clear()
        hours = self._hours[b.member_id]
        h = b.hours_per_day
        for o in b.days:
            hours[o] += h
        self._of[b.member_id].append(b)

    def _remove(self, b: Booking) -> None:
        if self.touched is not None:
            self.touched.add(b.member_id)
        hours = self._hours[b.member_id]
        for o in b.days:
            left = hours[o] - b.hours_per_day
            if left > EPS:
                hours[o] = left
            else:
                del hours[o]
        self._of[b.member_id].remove(b)

    # -- keeping current ----------------------------------------------------------------------

    def refresh(self, changes: ChangeSet | None = None) -> bool:
        """Catch up with the database after `changes` (None: check everything). Returns
        True when anything the workload shows may have changed."""
        touched = False
        self.touched = set()
        self.projects_reread = False
        if changes is None or changes.touches(*_CAPACITY):
            self.touched = None
            self._load_people()
            touched = True
            if changes is None or changes.touches("TeamMember"):
                # An archived member's bookings leave the chart; a restored one's come back.
                self._sync_projects(list({*self._bookings, *self.projects}))
        if changes is None or changes.touches("Project", "Client"):
            self._load_projects()
            self.projects_reread = touched = True
        stale = [
            pid
            for pid in {*self._bookings, *self.projects}
            if pid not in self.projects
            or pid not in self._stamps
            or self._stamps[pid] != self.schedules.stamp(pid)
        ]
        if stale:
            self._sync_projects(stale)
            touched = True
        if touched:
            self.version += 1
        return touched

    def all_project_ids(self) -> Iterable[str]:
        return self.projects.keys()
