"""Undoable edits of who works on a task: assign a team member for some hours a day, change
those hours, take someone off. A task's people decide its calendar (their leave moves it),
so the Gantt reschedules after each of these."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import NotFoundError, ValidationError
from db.models import Assignment, TeamMember, new_id
from db.operations import Create, Delete, Update
from db.scheduling.operations import _Steps, _task

MAX_HOURS_PER_DAY = 24.0


def _check_hours(hours: float) -> None:
    if not 0 < hours <= MAX_HOURS_PER_DAY:
        raise ValidationError("Hours per day", "must be more than 0 and at most 24")


@dataclass
class Assign(_Steps):
    """Put a team member on a task for `hours` a day. Refused for an archived member or one
    already on the task."""

    task_id: str
    member_id: str
    hours: float = 8.0
    id: str = field(default_factory=new_id)

    def apply(self, session: Session) -> None:
        task = _task(session, self.task_id)
        member = session.get(TeamMember, self.member_id)
        if member is None:
            raise NotFoundError(f"Team member {self.member_id} no longer exists")
        if not member.active:
            raise ValidationError("People", f"{member.name} is archived")
        _check_hours(self.hours)
        already = session.scalar(
            select(Assignment.id).where(
                Assignment.task_id == task.id, Assignment.member_id == member.id
            )
        )
        if already is not None:
            raise ValidationError("People", f"{member.name} is already on '{task.name}'")
        self.label = self.label or f"Assign {member.name} to '{task.name}'"
        values = {
            "id": self.id,
            "task_id": task.id,
            "member_id": member.id,
            "hours_per_day": float(self.hours),
        }
        self._run(session, [Create(Assignment, values)])


@dataclass
class SetHours(_Steps):
    assignment_id: str
    hours: float

    def apply(self, session: Session) -> None:
        if session.get(Assignment, self.assignment_id) is None:
            raise NotFoundError(f"Assignment {self.assignment_id} no longer exists")
        _check_hours(self.hours)
        self.label = self.label or "Change hours per day"
        values = {"hours_per_day": float(self.hours)}
        self._run(session, [Update(Assignment, self.assignment_id, values)])


@dataclass
class Unassign(_Steps):
    assignment_id: str

    def apply(self, session: Session) -> None:
        assignment = session.get(Assignment, self.assignment_id)
        if assignment is None:
            raise NotFoundError(f"Assignment {self.assignment_id} no longer exists")
        self.label = self.label or f"Take {assignment.member.name} off '{assignment.task.name}'"
        self._run(session, [Delete(Assignment, self.assignment_id)])
