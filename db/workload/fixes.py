"""Levelling that explains instead of acting: for an over-allocated person, concrete proposals
to pick from — delay a task within its float, give a task to someone with the free hours, or
accept the overtime. Nothing changes until the user picks one; each is one undoable edit, and
each clears the first over-allocated day it is proposed for (a proposal that only helps is
not made: the list stays short and every entry keeps its word).

A delay beyond a task's float moves its project's finish, and a proposal says so, naming the
due date when the new finish passes it: no proposal pushes a project late without saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from db.operations import Operation
from db.team import AddOvertime
from db.workload.load import EPS, UNASSIGNED, Booking, Workload
from db.workload.operations import MoveAndReassign

# A suggestion never asks anyone to work more hours than a day has.
HOURS_IN_DAY = 24.0

MAX_DELAY = 20  # working days a delay may look ahead for a free slot
PER_TASK_GIVE = 2  # people proposed per task


class FixKind(StrEnum):
    DELAY = "delay"
    GIVE = "give"
    OVERTIME = "overtime"


@dataclass(frozen=True)
class Fix:
    """One proposal. `text` says what it does; `warning` what it costs (a project's finish
    moving, or passing its due date), empty when nothing; `operation()` makes the edit."""

    kind: FixKind
    text: str
    warning: str
    member_id: str
    task_id: str = ""
    start: date | None = None
    to_id: str = ""
    first: date | None = None
    last: date | None = None
    hours: float = 0.0

    def operation(self) -> Operation:
        if self.kind == FixKind.OVERTIME:
            assert self.first is not None and self.last is not None
            return AddOvertime(self.member_id, self.first, self.last, self.hours, note=self.text)
        if self.kind == FixKind.DELAY:
            return MoveAndReassign(
                self.task_id, self.start, self.member_id, self.member_id, label=self.text
            )
        return MoveAndReassign(self.task_id, None, self.member_id, self.to_id, label=self.text)


def _h(hours: float) -> str:
    return f"{hours:.1f}".rstrip("0").rstrip(".") + " h"


def _days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def _day(o: int) -> str:
    return f"{date.fromordinal(o):%a %d %b}"


def first_overload(workload: Workload, member_id: str, as_of: date) -> list[int]:
    """The first run of over-allocated days on or after `as_of`: from the first such day up
    to the next day the person works without being over (days off don't break the run)."""
    run: list[int] = []
    for o in [*workload.busy_days(member_id), 1 << 30]:
        if o < as_of.toordinal():
            continue
        if o < (1 << 30) and workload.overload(member_id, o):
            if run and any(
                workload.available(member_id, d) and not workload.overload(member_id, d)
                for d in range(run[-1] + 1, o)
            ):
                break
            run.append(o)
        elif run:
            break
    return run


def suggest_fixes(workload: Workload, member_id: str, as_of: date | None = None) -> list[Fix]:
    """Proposals for the person's first over-allocated stretch on or after `as_of` (today):
    delays within float first (shortest first), then giving a task to someone who has the
    hours, then delays that move a project's finish (saying so), then the overtime."""
    as_of = as_of or date.today()
    if member_id == UNASSIGNED:
        return []
    run = first_overload(workload, member_id, as_of)
    if not run:
        return []
    person = workload.person(member_id)
    name = person.name if person is not None else "They"
    day = run[0]
    causes = workload.causes(member_id, day)
    within: list[tuple[int, Fix]] = []
    beyond: list[tuple[int, Fix]] = []
    gives: list[tuple[float, Fix]] = []
    for booking in causes:
        project = workload.projects.get(booking.project_id)
        where = f" ({project.name})" if project is not None else ""
        if booking.start >= as_of:
            delay = _delay(workload, booking, day, where)
            if delay is not None:
                days, fix = delay
                (within if not fix.warning else beyond).append((days, fix))
        for free, fix in _gives(workload, booking, day, where):
            gives.append((free, fix))
    fixes = [f for _d, f in sorted(within, key=lambda x: x[0])]
    fixes += [f for _free, f in sorted(gives, key=lambda x: -x[0])]
    fixes += [f for _d, f in sorted(beyond, key=lambda x: x[0])]
    extra = max(workload.overload(member_id, o) for o in run)
    if any(workload.capacity(member_id, o) + extra > HOURS_IN_DAY + EPS for o in run):
        # Nobody works more than a day has hours: overtime is no fix for this overload
        # (and the Overtime row it would write is refused by validation).
        return fixes
    first, last = run[0], run[-1]
    span = _day(first) if first == last else f"{_day(first)} to {_day(last)}"
    fixes.append(
        Fix(
            FixKind.OVERTIME,
            f"Accept the overtime: {name} works {_h(extra)} a day more, {span}",
            "",
            member_id,
            first=date.fromordinal(first),
            last=date.fromordinal(last),
            hours=round(extra, 2),
        )
    )
    return fixes


def _fits(
    workload: Workload, member_id: str, days: tuple[int, ...], hours: float, leaving: Booking | None
) -> bool:
    """Could the person take `hours` on each of `days` (less what `leaving` frees)?"""
    gone = set(leaving.days) if leaving is not None else set()
    freed = leaving.hours_per_day if leaving is not None else 0.0
    for o in days:
        booked = workload.assigned(member_id, o) - (freed if o in gone else 0.0)
        if booked + hours > workload.capacity(member_id, o) + EPS:
            return False
    return True


def _delay(workload: Workload, booking: Booking, day: int, where: str) -> tuple[int, Fix] | None:
    """The shortest delay after which the task no longer overloads its person, on `day` or
    on any day it then works."""
    m = booking.member_id
    if workload.assigned(m, day) - booking.hours_per_day > workload.capacity(m, day) + EPS:
        return None  # the day stays over without this task: delaying it alone fixes nothing
    s = workload.scheduler(booking.project_id)
    if booking.task_id not in s:
        return None
    cal = s.calendar_of(booking.task_id)
    slack = s.total_float(booking.task_id)
    base = cal.index(booking.days[0])
    n = len(booking.days)
    for d in range(1, MAX_DELAY + 1):
        moved = tuple(cal.day(base + d + k) for k in range(n))
        if not _fits(workload, m, moved, booking.hours_per_day, booking):
            continue
        start = date.fromordinal(moved[0])
        text = f"Delay '{booking.task_name}'{where} by {_days(d)}, to {start:%a %d %b}"
        warning = ""
        if d <= slack:
            text += f", within its float of {slack} day{'s' if slack != 1 else ''}"
        else:
            warning = _late_warning(workload, booking, d - max(slack, 0))
        return d, Fix(FixKind.DELAY, text, warning, m, booking.task_id, start=start)
    return None


def _late_warning(workload: Workload, booking: Booking, slip: int) -> str:
    project = workload.projects.get(booking.project_id)
    span = workload.schedules.span(booking.project_id)
    if project is None or span is None:
        return f"moves the project's finish by {_days(slip)}"
    finish = workload.agency.add_working_days(span[1], slip)
    text = f"moves '{project.name}' finish to {finish:%a %d %b} ({_days(slip)} later)"
    if project.due is not None and finish > project.due:
        text += f", past its due date of {project.due:%a %d %b}"
    return text


def _gives(workload: Workload, booking: Booking, day: int, where: str) -> list[tuple[float, Fix]]:
    """People who have the task's hours free on each of its days, most free first; only when
    handing it over clears `day` (a proposal always fixes what it is shown for)."""
    found: list[tuple[float, Fix]] = []
    m = booking.member_id
    if workload.assigned(m, day) - booking.hours_per_day > workload.capacity(m, day) + EPS:
        return found
    taken = {
        b.member_id
        for b in workload.causes(booking.member_id, booking.days[0])
        if b.task_id == booking.task_id
    }
    on_task = {
        p.id for p in workload.people if workload.booking(booking.task_id, p.id) is not None
    } | taken
    for person in workload.people:
        if person.id in on_task or person.id == booking.member_id:
            continue
        if not _fits(workload, person.id, booking.days, booking.hours_per_day, None):
            continue
        free = sum(workload.free(person.id, o) for o in booking.days)
        text = f"Give '{booking.task_name}'{where} to {person.name}, who has {_h(free)} free then"
        found.append(
            (
                free - (1000.0 if person.placeholder else 0.0),
                Fix(FixKind.GIVE, text, "", booking.member_id, booking.task_id, to_id=person.id),
            )
        )
    found.sort(key=lambda x: -x[0])
    return found[:PER_TASK_GIVE]
