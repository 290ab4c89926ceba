"""A project as a file describes it, before it meets the database: what every project reader
(MSPDI, GanttProject, Planner) produces and what `db.io.project_plan` turns into rows.

Keys are the file's own task and resource identifiers (MSPDI UIDs, .gan ids), so links and
assignments can be checked against them and messages can name them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from db.models import DependencyType


class Constraint(StrEnum):
    """What a file may pin a task to. Agency Desk keeps only "start no earlier than" (a task's
    start date); the others are mapped to it and reported."""

    ASAP = "as soon as possible"
    ALAP = "as late as possible"
    MUST_START_ON = "must start on"
    MUST_FINISH_ON = "must finish on"
    START_NO_EARLIER = "start no earlier than"
    START_NO_LATER = "start no later than"
    FINISH_NO_EARLIER = "finish no earlier than"
    FINISH_NO_LATER = "finish no later than"


@dataclass
class FileTask:
    key: str
    name: str
    start: date
    finish: date
    duration_days: int
    parent_key: str | None = None
    milestone: bool = False
    progress: int = 0
    notes: str = ""
    constraint: Constraint = Constraint.ASAP
    constraint_date: date | None = None


@dataclass
class FileLink:
    predecessor_key: str
    successor_key: str
    type: DependencyType
    lag_days: int = 0
    # Why the link is not exactly what the file says (a percent or elapsed lag, a rubber
    # link), for the date report; empty when it maps as it is.
    mapped: str = ""
    # A lag given as a share of the predecessor's length (MSPDI percent lags): the plan turns
    # it into days once it knows that length.
    lag_percent: float | None = None
    # A GanttProject "rubber" link: the successor may sit later than the link requires, so
    # its own start in the file is a "start no earlier than".
    rubber: bool = False


@dataclass
class FileResource:
    key: str
    name: str
    email: str = ""
    # Days off from the resource's own calendar or vacations, inclusive.
    leave: list[tuple[date, date]] = field(default_factory=list)


@dataclass
class FileAssignment:
    task_key: str
    resource_key: str
    hours_per_day: float = 8.0


@dataclass
class FileCalendar:
    """The project's base calendar as far as Agency Desk can compare it with its own."""

    working_week: frozenset[int] | None = None  # Monday = 0; None: the file does not say
    days_off: list[tuple[date, date]] = field(default_factory=list)

    def works(self, day: date) -> bool:
        """Whether the file's calendar works on `day` (Monday to Friday when it does not say)."""
        week = self.working_week if self.working_week else frozenset(range(5))
        if day.weekday() not in week:
            return False
        return not any(start <= day <= end for start, end in self.days_off)

    def finish_of(self, start: date, days: int) -> date:
        """The last working day of `days` working days from `start` (a milestone: `start`)."""
        day, left = start, max(days, 1)
        for _ in range(20 * 366):  # a guard: a calendar with no working day at all
            if self.works(day):
                left -= 1
                if left == 0:
                    return day
            day += timedelta(days=1)
        return start

    def working_days(self, start: date, finish: date) -> int:
        """Working days from `start` to `finish`, both included (at least 1)."""
        count, day = 0, start
        while day <= finish and count < 20 * 366:
            count += self.works(day)
            day += timedelta(days=1)
        return max(count, 1)


@dataclass
class ProjectFile:
    """Everything a project file holds that Agency Desk imports."""

    format: str  # "MSPDI", "GanttProject", "Planner"
    name: str
    start: date | None = None
    company: str = ""
    notes: str = ""
    tasks: list[FileTask] = field(default_factory=list)
    links: list[FileLink] = field(default_factory=list)
    resources: list[FileResource] = field(default_factory=list)
    assignments: list[FileAssignment] = field(default_factory=list)
    calendar: FileCalendar = field(default_factory=FileCalendar)
    # What the reader could not carry over, in words, for the preview.
    notices: list[str] = field(default_factory=list)
