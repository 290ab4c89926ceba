"""The Projects list's stored facts: one row per project (its client, status, own start, due
date, task count and work done) and a project's task tree in outline order. The dates the list
shows come from the schedule service (`db.scheduling.schedules`), not from here."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.core_reads import read
from db.models import Client, Project, ProjectStatus, Task, TaskKind


@dataclass(frozen=True, slots=True)
class ProjectListRow:
    id: str
    name: str
    client_id: str
    client: str
    status: ProjectStatus
    start: date | None  # the project's own stored start
    due: date | None
    task_count: int
    progress: int  # % of the work done, by working days of its tasks (not summaries)


def project_list_rows(session: Session, ids: Collection[str] | None = None) -> list[ProjectListRow]:
    """Every project (or those of `ids`), by client name then project name (any case)."""
    # Table columns: the Projects area reads its list before the first paint, which must not
    # configure the mappers (see `db.core_reads`).
    task, project, client = Task.__table__.c, Project.__table__.c, Client.__table__.c
    stats = (
        select(task.project_id.label("project_id"), func.count(task.id).label("n"))
        .group_by(task.project_id)
        .subquery()
    )
    query = (
        select(
            project.id,
            project.name,
            project.client_id,
            client.name,
            project.status,
            project.start_date,
            project.due_date,
            stats.c.n,
        )
        .join(Client.__table__, client.id == project.client_id)
        .outerjoin(stats, stats.c.project_id == project.id)
        .order_by(func.lower(client.name), func.lower(project.name))
    )
    if ids is not None:
        query = query.where(project.id.in_(ids))
    found = list(read(session, query))
    done = _work_done(session, ids)
    return [
        ProjectListRow(
            pid,
            name,
            client_id,
            client,
            ProjectStatus(status),
            start,
            due,
            n or 0,
            done.get(pid, 0),
        )
        for pid, name, client_id, client, status, start, due, n in found
    ]


def _work_done(session: Session, ids: Collection[str] | None) -> dict[str, int]:
    """Per project, the % of its leaf tasks' working days done."""
    task = Task.__table__.c
    parents = select(task.parent_id).where(task.parent_id.is_not(None))
    work = select(
        task.project_id,
        func.sum(task.duration_days * task.progress),
        func.sum(task.duration_days),
    ).where(task.id.not_in(parents))
    if ids is not None:
        work = work.where(task.project_id.in_(ids))
    return {
        pid: round(d / total) if total else 0
        for pid, d, total in read(session, work.group_by(task.project_id))
    }


@dataclass(frozen=True, slots=True)
class TaskListRow:
    id: str
    parent_id: str | None
    name: str
    progress: int
    kind: TaskKind


def project_task_rows(session: Session, project_id: str) -> list[TaskListRow]:
    """A project's tasks in the order the list shows siblings (sort order, then start)."""
    query = (
        select(Task.id, Task.parent_id, Task.name, Task.progress, Task.kind)
        .where(Task.project_id == project_id)
        .order_by(Task.sort_order, Task.start_date)
    )
    return [
        TaskListRow(id_, parent_id, name, progress, TaskKind(kind))
        for id_, parent_id, name, progress, kind in session.execute(query)
    ]


def task_counts(session: Session) -> dict[str, int]:
    """How many tasks each project with tasks has."""
    query = select(Task.project_id, func.count(Task.id)).group_by(Task.project_id)
    return {pid: n for pid, n in session.execute(query)}
