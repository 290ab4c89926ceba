"""What a project's plan screens read besides the computed schedule: who is on each task, which
tasks are deliverables, the current inputs of edited tasks, one task's people and links, and
the team's names for the People column. Named queries, so the Gantt builds no SQL and each
read is tested without a display."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.core_reads import read
from db.models import (
    Assignment,
    Dependency,
    DependencyType,
    Task,
    TaskConstraint,
    TaskKind,
    TeamMember,
)
from db.scheduling.plan import LinkSpec, TaskSpec


class TaskRow(NamedTuple):
    """A task's stored inputs, as the schedule needs them after an edit."""

    id: str
    project_id: str
    name: str
    start_date: date
    duration_days: int
    parent_id: str | None
    kind: TaskKind
    sort_order: int
    progress: int
    constraint_kind: TaskConstraint
    finish_by: date | None

    def spec(self, members: frozenset[str] = frozenset()) -> TaskSpec:
        """The row as the engine's input (people come from the schedule: a row does not
        hold them)."""
        milestone = self.kind == TaskKind.MILESTONE or self.duration_days == 0
        return TaskSpec(
            id=self.id,
            name=self.name,
            start=self.start_date,
            duration=0 if milestone else self.duration_days,
            parent_id=self.parent_id,
            milestone=milestone,
            members=members,
            sort_order=self.sort_order,
            progress=self.progress,
            fixed=self.constraint_kind == TaskConstraint.MUST_START_ON,
            finish_by=(
                self.finish_by if self.constraint_kind == TaskConstraint.FINISH_NO_LATER else None
            ),
        )


def task_rows(session: Session, task_ids: Collection[str]) -> dict[str, TaskRow]:
    """The stored inputs of these tasks, by id (tasks that no longer exist are left out)."""
    if not task_ids:
        return {}
    query = select(
        Task.id,
        Task.project_id,
        Task.name,
        Task.start_date,
        Task.duration_days,
        Task.parent_id,
        Task.kind,
        Task.sort_order,
        Task.progress,
        Task.constraint_kind,
        Task.finish_by,
    ).where(Task.id.in_(list(task_ids)))
    return {row.id: TaskRow(*row) for row in session.execute(query)}


def people_on_tasks(
    session: Session, project_id: str, task_ids: Collection[str] | None = None
) -> list[tuple[str, str, str]]:
    """(task id, person's name, person's colour) for every assignment in a project (or on
    the given tasks of it), each task's people in name order."""
    # Table columns: the Gantt reads this before the first paint (see `db.core_reads`).
    assignment, member, task = Assignment.__table__.c, TeamMember.__table__.c, Task.__table__.c
    query = (
        select(assignment.task_id, member.name, member.colour)
        .join(TeamMember.__table__, member.id == assignment.member_id)
        .join(Task.__table__, task.id == assignment.task_id)
        .where(task.project_id == project_id)
        .order_by(member.name)
    )
    if task_ids is not None:
        query = query.where(assignment.task_id.in_(list(task_ids)))
    return [(task_id, name, colour) for task_id, name, colour in read(session, query)]


def deliverable_ids(session: Session, project_id: str) -> set[str]:
    """The project's tasks of kind deliverable."""
    task = Task.__table__.c  # read before the first paint (see `db.core_reads`)
    query = select(task.id).where(task.project_id == project_id, task.kind == TaskKind.DELIVERABLE)
    return set(read(session, query).scalars())


def people_on_task(session: Session, task_id: str) -> list[tuple[str, str, str, float]]:
    """(assignment id, member id, name, hours a day) of the people on one task, by name."""
    query = (
        select(Assignment.id, TeamMember.id, TeamMember.name, Assignment.hours_per_day)
        .join(TeamMember, TeamMember.id == Assignment.member_id)
        .where(Assignment.task_id == task_id)
        .order_by(TeamMember.name)
    )
    return [(a, m, name, hours) for a, m, name, hours in read(session, query)]


def links_of_task(session: Session, task_id: str) -> list[Dependency]:
    """The dependencies into and out of one task."""
    query = select(Dependency).where(
        (Dependency.successor_id == task_id) | (Dependency.predecessor_id == task_id)
    )
    return list(session.scalars(query))


def link_between(session: Session, predecessor_id: str, successor_id: str) -> str | None:
    """The id of the dependency from one task to another, None when there is none."""
    query = select(Dependency.id).where(
        Dependency.predecessor_id == predecessor_id, Dependency.successor_id == successor_id
    )
    return session.scalar(query)


def active_member_names(session: Session) -> list[str]:
    """The names the People column completes from: active members, by name (any case)."""
    query = (
        select(TeamMember.name)
        .where(TeamMember.active.is_(True))
        .order_by(func.lower(TeamMember.name))
    )
    return list(session.scalars(query))


def members_of_tasks(session: Session, task_ids: Collection[str]) -> dict[str, frozenset[str]]:
    """The ids of the people on each of these tasks (tasks without people left out)."""
    found: dict[str, set[str]] = {}
    query = select(Assignment.task_id, Assignment.member_id).where(
        Assignment.task_id.in_(list(task_ids))
    )
    for task_id, member_id in read(session, query):
        found.setdefault(task_id, set()).add(member_id)
    return {task_id: frozenset(members) for task_id, members in found.items()}


def links_by_id(session: Session, dependency_ids: Collection[str]) -> list[LinkSpec]:
    """These dependencies as the engine takes them (ones that no longer exist left out)."""
    query = select(
        Dependency.id,
        Dependency.predecessor_id,
        Dependency.successor_id,
        Dependency.type,
        Dependency.lag_days,
    ).where(Dependency.id.in_(list(dependency_ids)))
    return [
        LinkSpec(pred, succ, DependencyType(kind), lag, dep_id)
        for dep_id, pred, succ, kind, lag in session.execute(query)
    ]


def tasks_of_assignments(session: Session, assignment_ids: Collection[str]) -> set[str]:
    """The tasks these assignments put people on."""
    query = select(Assignment.task_id).where(Assignment.id.in_(list(assignment_ids)))
    return set(session.scalars(query))
