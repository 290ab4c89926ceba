"""Undoable edits made from the workload: give a task to someone else (or to nobody yet), move
it in time, or both in one drag — one undo step either way.

A move is refused, with the reason, before the first day the task's predecessors allow, as
in the Gantt; a new person's leave then moves the task through the same engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import NotFoundError, ValidationError
from db.models import Assignment, Task, TeamMember, new_id
from db.operations import Composite, Create, Delete, Operation, Update
from db.scheduling.operations import _task
from db.scheduling.schedules import schedules_for
from db.workload.load import UNASSIGNED, UNASSIGNED_HOURS


def _name(session: Session, member_id: str) -> str:
    if member_id == UNASSIGNED:
        return "nobody yet"
    member = session.get(TeamMember, member_id)
    if member is None:
        raise NotFoundError(f"Team member {member_id} no longer exists")
    return member.name


def _reassign_steps(
    session: Session, task: Task, from_id: str, to_id: str, new_id_: str
) -> list[Operation]:
    if from_id == to_id:
        return []
    # Who is on the task now, read once for every check below.
    on_task = list(session.scalars(select(Assignment).where(Assignment.task_id == task.id)))
    if to_id != UNASSIGNED:
        member = session.get(TeamMember, to_id)
        if member is None:
            raise NotFoundError(f"Team member {to_id} no longer exists")
        if not member.active:
            raise ValidationError("People", f"{member.name} is archived")
        if any(a.member_id == to_id for a in on_task):
            raise ValidationError("People", f"{member.name} is already on '{task.name}'")
    current = None
    if from_id != UNASSIGNED:
        current = next((a for a in on_task if a.member_id == from_id), None)
        if current is None:
            raise ValidationError("People", f"{_name(session, from_id)} is not on '{task.name}'")
    elif on_task:
        raise ValidationError("People", f"'{task.name}' already has people")
    if current is not None and to_id != UNASSIGNED:
        return [Update(Assignment, current.id, {"member_id": to_id})]
    if current is not None:
        return [Delete(Assignment, current.id)]
    values = {
        "id": new_id_,
        "task_id": task.id,
        "member_id": to_id,
        "hours_per_day": UNASSIGNED_HOURS,
    }
    return [Create(Assignment, values)]


def check_start(session: Session, task: Task, start: date) -> None:
    """Refuse a start before what the task's predecessors allow, naming the reason."""
    s = schedules_for(session).scheduler(task.project_id)
    if task.id not in s:
        return
    if s.is_summary(task.id):
        raise ValidationError("Start", "a summary follows its tasks; move the tasks under it")
    earliest, why = s.earliest_start(task.id)
    if earliest is not None and start < earliest:
        raise ValidationError("Start", f"Can't start before {earliest:%a %d %b}: {why}")


@dataclass
class MoveAndReassign(Composite):
    """Move a task to start on `start` (None: where it is) and give `from_id`'s part of it to
    `to_id` (UNASSIGNED for nobody yet; equal ids: nobody changes), as one edit."""

    task_id: str
    start: date | None = None
    from_id: str = UNASSIGNED
    to_id: str = UNASSIGNED
    id: str = field(default_factory=new_id)  # of a new assignment, kept for redo

    def apply(self, session: Session) -> None:
        task = _task(session, self.task_id)
        steps: list[Operation] = []
        if self.start is not None:
            s = schedules_for(session).scheduler(task.project_id)
            # Moving to where the engine already puts it changes nothing.
            now = s.start(task.id) if task.id in s else task.start_date
            if self.start != now:
                check_start(session, task, self.start)
                steps.append(Update(Task, task.id, {"start_date": self.start}))
        steps += _reassign_steps(session, task, self.from_id, self.to_id, self.id)
        if not steps:
            raise ValidationError("Move", f"'{task.name}' is already there")
        moved = any(isinstance(step, Update) and step.entity is Task for step in steps)
        given = len(steps) > moved
        to = _name(session, self.to_id)
        if moved and given:
            self.label = self.label or f"Move '{task.name}' and give it to {to}"
        elif given:
            self.label = self.label or f"Give '{task.name}' to {to}"
        else:
            self.label = self.label or f"Move '{task.name}'"
        self.run_steps(session, steps)
