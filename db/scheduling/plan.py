"""Reading a schedule's inputs (`db.scheduling.specs`) from the database, and writing them.

The engine works on `Plan` rather than on ORM rows so the same code serves the Gantt view,
printing and import (which builds a `Plan` before anything is stored), and so a 10,000-task
plan loads with a few column queries instead of ten thousand objects.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, String, insert, select, type_coerce
from sqlalchemy.orm import Session

from db.core_reads import read
from db.models import (
    AgencySetting,
    Assignment,
    Closure,
    Dependency,
    DependencyType,
    Task,
    TaskConstraint,
    TaskKind,
    TimeOff,
)
from db.scheduling.calendar import AgencyDays
from db.scheduling.plan_rows import TASK_COLUMNS, agency_days_from_rows, plans_from_rows
from db.scheduling.specs import LinkSpec as LinkSpec
from db.scheduling.specs import Plan as Plan
from db.scheduling.specs import TaskSpec as TaskSpec


def constraint_of(spec: TaskSpec) -> TaskConstraint:
    if spec.fixed:
        return TaskConstraint.MUST_START_ON
    if spec.finish_by is not None:
        return TaskConstraint.FINISH_NO_LATER
    return TaskConstraint.START_NO_EARLIER


def held_by(kind: TaskConstraint, finish_by: date | None) -> dict[str, object]:
    """A task row's constraint as `TaskSpec` fields."""
    return {
        "fixed": kind == TaskConstraint.MUST_START_ON,
        "finish_by": finish_by if kind == TaskConstraint.FINISH_NO_LATER else None,
    }


def agency_days(session: Session) -> AgencyDays:
    # Table columns throughout this module's reads: a plan loads before the first paint,
    # which must not configure the mappers (see `db.core_reads`). Values are read as SQLite
    # holds them, for the builder both readers share (`db.scheduling.plan_rows`).
    setting_c, closure_c = AgencySetting.__table__.c, Closure.__table__.c
    return agency_days_from_rows(
        read(session, select(setting_c.key, _raw(setting_c.value))),
        read(session, select(_raw(closure_c.start_date), _raw(closure_c.end_date))),
    )


def _raw(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """The column's value as stored (ISO date text, enum value, JSON text)."""
    return type_coerce(column, String)


def load_plan(session: Session, project_id: str) -> Plan:
    """Everything the engine needs about one project, read with column queries."""
    return load_plans(session, [project_id])[project_id]


def load_plans(
    session: Session, project_ids: Collection[str], agency: AgencyDays | None = None
) -> dict[str, Plan]:
    """The plans of many projects at once: one query per kind of row for all of them, so
    scheduling every open project of an agency costs a handful of queries, not a handful
    per project. Every id asked for gets a plan (an empty one for a project without tasks)."""
    wanted = list(dict.fromkeys(project_ids))
    agency = agency_days(session) if agency is None else agency
    if not wanted:
        return {}
    task = Task.__table__.c
    in_projects = task.project_id.in_(wanted)
    assignment, dep, off = Assignment.__table__.c, Dependency.__table__.c, TimeOff.__table__.c
    assignments = read(
        session,
        select(assignment.task_id, assignment.member_id)
        .join(Task.__table__, task.id == assignment.task_id)
        .where(in_projects),
    )
    # Columns are read raw (ISO date text, enum text) and converted by the builder:
    # SQLAlchemy's per-value Date and Enum processing dominated loading a 10,000-task plan.
    tasks = read(
        session,
        select(*(_raw(task[c]) if c in _CONVERTED else task[c] for c in TASK_COLUMNS))
        .where(in_projects)
        .order_by(task.sort_order),
    )
    links = read(
        session,
        select(
            task.project_id,
            dep.id,
            dep.predecessor_id,
            dep.successor_id,
            _raw(dep.type),
            dep.lag_days,
        )
        .join(Task.__table__, task.id == dep.successor_id)
        .where(in_projects),
    )

    def leave_of(members: list[str]) -> Iterable[Sequence[Any]]:
        return read(
            session,
            select(off.member_id, _raw(off.start_date), _raw(off.end_date)).where(
                off.member_id.in_(members)
            ),
        )

    return plans_from_rows(wanted, agency, assignments, tasks, links, leave_of)


# The task columns read as stored, for the builder to convert.
_CONVERTED = frozenset({"start_date", "kind", "constraint_kind", "finish_by"})


def insert_plan(session: Session, project_id: str, plan: Plan) -> None:
    """Write a plan's tasks and links into an existing project with bulk inserts (import and
    generated benchmark projects; ids are kept). Parents go in before their children."""
    depth: dict[str, int] = {}
    by_id = {t.id: t for t in plan.tasks}

    def depth_of(task: TaskSpec) -> int:
        found = depth.get(task.id)
        if found is None:
            found = 0 if task.parent_id is None else depth_of(by_id[task.parent_id]) + 1
            depth[task.id] = found
        return found

    rows = [
        {
            "id": t.id,
            "project_id": project_id,
            "parent_id": t.parent_id,
            "name": t.name,
            "start_date": t.start,
            "duration_days": 0 if t.milestone else t.duration,
            "progress": t.progress,
            "kind": TaskKind.MILESTONE if t.milestone else TaskKind.TASK,
            "sort_order": t.sort_order,
            "constraint_kind": constraint_of(t),
            "finish_by": t.finish_by,
        }
        for t in sorted(plan.tasks, key=depth_of)
    ]
    if rows:
        session.execute(insert(Task), rows)
    links = [
        {
            "id": link.id or None,
            "predecessor_id": link.predecessor_id,
            "successor_id": link.successor_id,
            "type": DependencyType(link.type),
            "lag_days": link.lag,
        }
        for link in plan.links
    ]
    for row in links:
        if row["id"] is None:
            del row["id"]
    if links:
        session.execute(insert(Dependency), links)
