"""Undoable edits of who works on a task: assign a team member for some hours a day, change
those hours, take someone off. A task's people decide its calendar (their leave moves it),
so the Gantt reschedules after each of these."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import NotFoundError, ValidationError
from db.labels import quoted
from db.models import Assignment, TeamMember, new_id
from db.operations import Composite, Create, Delete, Operation, Update
from db.scheduling.operations import _task
from db.scheduling.rules import FixedDates

MAX_HOURS_PER_DAY = 24.0


def _check_hours(hours: float) -> None:
    if not 0 < hours <= MAX_HOURS_PER_DAY:
        raise ValidationError("Hours per day", "must be more than 0 and at most 24")


@dataclass
class Assign(Composite):
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
        self.label = self.label or f"Assign {member.name} to {quoted(task.name)}"
        values = {
            "id": self.id,
            "task_id": task.id,
            "member_id": member.id,
            "hours_per_day": float(self.hours),
        }
        fixed = FixedDates(session, task.project_id)  # their leave may push the task
        self.run_steps(session, [Create(Assignment, values)])
        fixed.check("People")


@dataclass
class SetHours(Composite):
    assignment_id: str
    hours: float

    def apply(self, session: Session) -> None:
        if session.get(Assignment, self.assignment_id) is None:
            raise NotFoundError(f"Assignment {self.assignment_id} no longer exists")
        _check_hours(self.hours)
        self.label = self.label or "Change hours per day"
        values = {"hours_per_day": float(self.hours)}
        self.run_steps(session, [Update(Assignment, self.assignment_id, values)])


@dataclass
class Unassign(Composite):
    assignment_id: str

    def apply(self, session: Session) -> None:
        assignment = session.get(Assignment, self.assignment_id)
        if assignment is None:
            raise NotFoundError(f"Assignment {self.assignment_id} no longer exists")
        self.label = (
            self.label or f"Take {assignment.member.name} off {quoted(assignment.task.name)}"
        )
        self.run_steps(session, [Delete(Assignment, self.assignment_id)])


@dataclass
class SetPeople(Composite):
    """Make exactly these people (by name, as typed in the People column: "Ana, ben o") the
    task's: each name matches an active member, whole or by a unique start, ignoring case.
    Newcomers get `hours` a day; people who stay keep theirs."""

    task_id: str
    names: list[str]
    hours: float = 8.0
    ids: dict[str, str] = field(default_factory=dict)  # member -> new assignment id, for redo

    def apply(self, session: Session) -> None:
        task = _task(session, self.task_id)
        members = session.execute(
            select(TeamMember.id, TeamMember.name).where(TeamMember.active.is_(True))
        ).all()
        wanted: list[str] = []
        for typed in (n.strip() for n in self.names):
            if not typed:
                continue
            key = typed.casefold()
            exact = [m for m, name in members if name.casefold() == key]
            starts = [m for m, name in members if name.casefold().startswith(key)]
            found = exact or starts
            if not found:
                raise ValidationError("People", f"nobody called '{typed}' in the team")
            if len(found) > 1:
                raise ValidationError("People", f"'{typed}' could be several people; type more")
            if found[0] not in wanted:
                wanted.append(found[0])
        current = dict(
            session.execute(
                select(Assignment.member_id, Assignment.id).where(Assignment.task_id == task.id)
            ).all()
        )
        self.label = self.label or f"Change people on {quoted(task.name)}"
        steps: list[Operation] = [
            Delete(Assignment, assignment_id)
            for member_id, assignment_id in current.items()
            if member_id not in wanted
        ]
        for member_id in wanted:
            if member_id not in current:
                values = {
                    "id": self.ids.setdefault(member_id, new_id()),
                    "task_id": task.id,
                    "member_id": member_id,
                    "hours_per_day": float(self.hours),
                }
                steps.append(Create(Assignment, values))
        fixed = FixedDates(session, task.project_id)  # their leave may push the task
        self.run_steps(session, steps)
        fixed.check("People")
