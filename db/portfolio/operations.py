"""Moving a whole project in time from the portfolio: every task's "start no earlier than"
shifts by the same number of the agency's working days, as one edit; the engine then places
each task in its own calendar, as a summary drag does in the Gantt.

Refused, with the reason, when it would break a fixed date: work already under way (a task
with progress that has started) cannot move, and the project may not finish after its due
date (move the due date first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import NotFoundError, ValidationError
from db.models import Project, Task
from db.operations import Composite, Operation, Update
from db.scheduling.calendar import CalendarPool
from db.scheduling.schedules import schedules_for


def _days(n: int) -> str:
    return f"{abs(n)} working day{'s' if abs(n) != 1 else ''}"


@dataclass
class MoveProject(Composite):
    """Shift a project by `days` working days (negative: earlier)."""

    project_id: str
    days: int
    today: date | None = None

    def apply(self, session: Session) -> None:
        project = session.get(Project, self.project_id)
        if project is None:
            raise NotFoundError(f"Project {self.project_id} no longer exists")
        if self.days == 0:
            raise ValidationError("Move", f"'{project.name}' is already there")
        today = self.today or date.today()
        schedules = schedules_for(session)
        s = schedules.scheduler(project.id)
        span = s.project_span()
        if span is None:
            raise ValidationError("Move", f"'{project.name}' has no tasks to move yet")
        agency = schedules.calendars.calendar(schedules.agency, CalendarPool.origin(span[0]))
        for i, spec in enumerate(s.specs):
            if s.children[i] or not spec.progress:
                continue
            if s.start_o[i] <= today.toordinal():
                raise ValidationError(
                    "Move",
                    f"'{spec.name}' is under way ({spec.progress} %): its start is fixed "
                    f"on {s.start(spec.id):%a %d %b}",
                )
        finish = agency.add_working_days(span[1], self.days)
        if project.due_date is not None and self.days > 0 and finish > project.due_date:
            raise ValidationError(
                "Move",
                f"'{project.name}' would finish {finish:%a %d %b}, after its due date "
                f"{project.due_date:%a %d %b}; move the due date first",
            )
        starts: dict[str, date] = {
            tid: start
            for tid, start in session.execute(
                select(Task.id, Task.start_date).where(Task.project_id == project.id)
            )
        }
        steps: list[Operation] = []
        for i, spec in enumerate(s.specs):
            if s.children[i]:
                continue
            cal = s.cal[i]
            # From where the task is now, so one held back by a predecessor moves with it.
            now = s.start_o[i]
            moved = date.fromordinal(cal.day(cal.index(now) + self.days))
            if moved != starts.get(spec.id):
                steps.append(Update(Task, spec.id, {"start_date": moved}))
        way = "later" if self.days > 0 else "earlier"
        self.label = self.label or f"Move '{project.name}' {_days(self.days)} {way}"
        self.run_steps(session, steps)
