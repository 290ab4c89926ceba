"""The rules an edit of a task's dates must keep, each with the one message a user sees,
whichever way the edit comes: a drag on the chart, a key, a cell of the Gantt or of the
Projects list, the task details dialog.

The plan operations (`db.scheduling.operations`) enforce them; a view may ask them first to
stop a drag at the limit, and shows the same words.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.models import Task, TaskConstraint
from db.scheduling.engine import Scheduler
from db.scheduling.schedules import schedules_for

MAX_DURATION = 9_999  # working days, some forty years: beyond it, a typo rather than a plan


def start_limit(s: Scheduler, task_id: str, day: date) -> tuple[date, str] | None:
    """When a task may not start on `day` because of its predecessors: the first day they
    allow, and the refusal naming the task, that day and the link that holds it. None when
    `day` is allowed."""
    earliest, why = s.earliest_start(task_id)
    if earliest is None or s.calendar_of(task_id).next_working_day(day) >= earliest:
        return None
    name = s.spec(task_id).name
    return earliest, f"'{name}' can't start before {earliest:%a %d %b %Y}: {why}"


def summary_refusal(name: str) -> str:
    return f"'{name}' is a summary: it starts with its first task; move the tasks under it"


def check_starts(session: Session, project_id: str, task_ids: list[str]) -> None:
    """Refuse (ValidationError on "Start") a task whose "start no earlier than" is before
    what its predecessors allow, or a start given to a summary. Run after the new starts
    are flushed: the shared schedule then holds them (see `Schedules._reschedule`)."""
    s = schedules_for(session).scheduler(project_id)
    for task_id in task_ids:
        if task_id not in s:
            continue
        if s.is_summary(task_id):
            raise ValidationError("Start", summary_refusal(s.spec(task_id).name))
        limit = start_limit(s, task_id, s.spec(task_id).start)
        if limit is not None:
            raise ValidationError("Start", limit[1])


def check_duration(session: Session, task: Task, days: int) -> None:
    """A task lasts 0 (a milestone) to `MAX_DURATION` working days; a summary lasts as long
    as its tasks, so it is given none."""
    if days < 0:
        raise ValidationError("Duration", "cannot be negative; 0 makes a milestone")
    if days > MAX_DURATION:
        raise ValidationError("Duration", f"at most {MAX_DURATION:,} working days")
    if session.scalar(select(Task.id).where(Task.parent_id == task.id).limit(1)):
        raise ValidationError(
            "Duration", f"'{task.name}' is a summary: it lasts as long as the tasks under it"
        )


class FixedDates:
    """The fixed dates ("must start on", "finish no later than") a plan edit must not break.
    Made before the edit writes anything, it notes the conflicts the plan already has (a
    sync or a colleague's leave may have made some); `check`, after the edit's flush,
    refuses the edit when it made a new one, naming the task and the reason. Projects with
    no fixed date cost one small query."""

    def __init__(self, session: Session, project_id: str) -> None:
        self.session = session
        self.project_id = project_id
        self.before: dict[str, str] = {}
        if self._held():
            self.before = schedules_for(session).scheduler(project_id).date_conflicts()

    def _held(self) -> bool:
        return (
            self.session.scalar(
                select(Task.id)
                .where(
                    Task.project_id == self.project_id,
                    Task.constraint_kind != TaskConstraint.START_NO_EARLIER,
                )
                .limit(1)
            )
            is not None
        )

    def check(self, field: str) -> None:
        if not self._held():
            return
        after = schedules_for(self.session).scheduler(self.project_id).date_conflicts()
        for task_id, reason in after.items():
            if task_id not in self.before:
                raise ValidationError(field, reason)


class FixedDateWatch:
    """The fixed dates a live edit of some tasks (a drag on the chart) can reach: the
    tasks' own and those of everything downstream of them. `broken()` after each step of
    the edit gives the refusal `FixedDates.check` would give on release (the engine's
    words), so the edit can stop at the last step that keeps them. Conflicts the plan had
    before are not the edit's doing and are let be."""

    def __init__(self, s: Scheduler, task_ids: Iterable[str]) -> None:
        self._s = s
        reach: set[str] = set()
        for task_id in task_ids:
            reach.add(task_id)
            reach |= s.downstream(task_id)
        self.watched = [
            t for t in reach if (s.spec(t).fixed or s.spec(t).finish_by) and not s.is_summary(t)
        ]
        self._before = s.date_conflicts(self.watched) if self.watched else {}

    def broken(self) -> tuple[str, str] | None:
        """(task id, refusal) for the first fixed date the plan as it now stands breaks
        anew; None while it keeps them all."""
        if not self.watched:
            return None
        for task_id, reason in self._s.date_conflicts(self.watched).items():
            if task_id not in self._before:
                return task_id, reason
        return None
