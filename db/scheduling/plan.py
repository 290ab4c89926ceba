"""Reading a schedule's inputs (`db.scheduling.specs`) from the database, and writing them.

The engine works on `Plan` rather than on ORM rows so the same code serves the Gantt view,
printing and import (which builds a `Plan` before anything is stored), and so a 10,000-task
plan loads with a few column queries instead of ten thousand objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import String, insert, select, type_coerce
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
from db.scheduling.specs import LinkSpec as LinkSpec
from db.scheduling.specs import Plan as Plan
from db.scheduling.specs import TaskSpec as TaskSpec
from db.scheduling.specs import agency_days_of


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
    # which must not configure the mappers (see `db.core_reads`).
    setting_c, closure_c = AgencySetting.__table__.c, Closure.__table__.c
    settings = {key: value for key, value in read(session, select(setting_c.key, setting_c.value))}
    closures = read(session, select(closure_c.start_date, closure_c.end_date))
    return agency_days_of(settings, [(start, end) for start, end in closures])


_DEPENDENCY_TYPES = {t.value: t for t in DependencyType}
_MUST_START_ON = TaskConstraint.MUST_START_ON.value
_FINISH_NO_LATER = TaskConstraint.FINISH_NO_LATER.value


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
    tasks_of: dict[str, list[TaskSpec]] = {pid: [] for pid in wanted}
    links_of: dict[str, list[LinkSpec]] = {pid: [] for pid in wanted}
    if not wanted:
        return {}
    task = Task.__table__.c
    in_projects = task.project_id.in_(wanted)
    assignment = Assignment.__table__.c
    members: dict[str, set[str]] = defaultdict(set)
    for task_id, member_id in read(
        session,
        select(assignment.task_id, assignment.member_id)
        .join(Task.__table__, task.id == assignment.task_id)
        .where(in_projects),
    ):
        members[task_id].add(member_id)
    # Columns are read raw (ISO date text, enum text) and converted here: SQLAlchemy's
    # per-value Date and Enum processing dominated loading a 10,000-task plan.
    milestone_kind = TaskKind.MILESTONE.value
    for (
        pid,
        tid,
        name,
        start,
        duration,
        parent_id,
        kind,
        sort_order,
        progress,
        held,
        finish_by,
    ) in read(
        session,
        select(
            task.project_id,
            task.id,
            task.name,
            type_coerce(task.start_date, String),
            task.duration_days,
            task.parent_id,
            type_coerce(task.kind, String),
            task.sort_order,
            task.progress,
            type_coerce(task.constraint_kind, String),
            type_coerce(task.finish_by, String),
        )
        .where(in_projects)
        .order_by(task.sort_order),
    ).all():
        milestone = kind == milestone_kind or duration == 0
        tasks_of[pid].append(
            TaskSpec(
                tid,
                name,
                date.fromisoformat(start),
                0 if milestone else duration,
                parent_id,
                milestone,
                frozenset(members[tid]) if tid in members else frozenset(),
                sort_order,
                progress,
                held == _MUST_START_ON,
                date.fromisoformat(finish_by) if held == _FINISH_NO_LATER and finish_by else None,
            )
        )
    dep = Dependency.__table__.c
    for pid, did, pred, succ, kind, lag in read(
        session,
        select(
            task.project_id,
            dep.id,
            dep.predecessor_id,
            dep.successor_id,
            type_coerce(dep.type, String),
            dep.lag_days,
        )
        .join(Task.__table__, task.id == dep.successor_id)
        .where(in_projects),
    ).all():
        links_of[pid].append(LinkSpec(pred, succ, _DEPENDENCY_TYPES[kind], lag, did))
    leave: dict[str, list[tuple[date, date]]] = defaultdict(list)
    assigned = set().union(*members.values()) if members else set()
    if assigned:
        off = TimeOff.__table__.c
        for member_id, start, end in read(
            session,
            select(off.member_id, off.start_date, off.end_date).where(off.member_id.in_(assigned)),
        ):
            leave[member_id].append((start, end))
    plans = {}
    for pid in wanted:
        people = {m for t in tasks_of[pid] for m in t.members}
        plans[pid] = Plan(
            tasks=tasks_of[pid],
            links=links_of[pid],
            agency=agency,
            leave={m: leave[m] for m in people if m in leave},
        )
    return plans


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
