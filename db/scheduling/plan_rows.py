"""The engine's inputs (`db.scheduling.specs.Plan`) built from a plan's rows as SQLite stores
them: dates as ISO text, enums as their values, settings as JSON text.

One builder for both readers of a plan, so the two cannot drift apart: the session's
(`db.scheduling.plan.load_plans`, which selects table columns uncoerced, because SQLAlchemy's
per-value Date and Enum processing dominated loading a 10,000-task plan) and the plain sqlite3
read of `agency-desk --project`'s first look (`db.fast_open.plan_read`, before SQLAlchemy is
imported). Like the engine, this imports neither SQLAlchemy nor the models.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from typing import Any

from db.scheduling.calendar import AgencyDays
from db.scheduling.specs import LinkSpec, Plan, TaskSpec, agency_days_of
from db.scheduling.vocabulary import DependencyType, TaskConstraint, TaskKind

# A task row: (project id, id, name, start date, duration in days, parent id, kind, sort
# order, progress, constraint kind, finish-by date), the columns `TASK_COLUMNS` names.
TaskRow = Sequence[Any]
TASK_COLUMNS = (
    "project_id",
    "id",
    "name",
    "start_date",
    "duration_days",
    "parent_id",
    "kind",
    "sort_order",
    "progress",
    "constraint_kind",
    "finish_by",
)
# A link row: (project id of the successor, id, predecessor id, successor id, type, lag).
LinkRow = Sequence[Any]
# A stretch of leave: (member id, first day, last day).
LeaveRow = Sequence[Any]

_TYPES = {t.value: t for t in DependencyType}
_MILESTONE = TaskKind.MILESTONE.value
_MUST_START_ON = TaskConstraint.MUST_START_ON.value
_FINISH_NO_LATER = TaskConstraint.FINISH_NO_LATER.value


def agency_days_from_rows(
    settings: Iterable[Sequence[Any]], closures: Iterable[Sequence[Any]]
) -> AgencyDays:
    """The agency's working days from its settings' (key, JSON text) rows and its closures'
    (first day, last day) rows."""
    return agency_days_of(
        {key: None if value is None else json.loads(value) for key, value in settings},
        [(date.fromisoformat(start), date.fromisoformat(end)) for start, end in closures],
    )


def plans_from_rows(
    project_ids: Collection[str],
    agency: AgencyDays,
    assignments: Iterable[Sequence[Any]],
    tasks: Iterable[TaskRow],
    links: Iterable[LinkRow],
    leave_of: Callable[[list[str]], Iterable[LeaveRow]],
) -> dict[str, Plan]:
    """The plan of each project in `project_ids` (an empty one for a project without tasks)
    from the rows of those projects: the (task id, member id) of their assignments, their
    tasks in sort order, their links; `leave_of(members)` gives the leave of the people on
    them. The rows are read in that order."""
    members: dict[str, set[str]] = defaultdict(set)
    for task_id, member_id in assignments:
        members[task_id].add(member_id)
    tasks_of: dict[str, list[TaskSpec]] = {pid: [] for pid in project_ids}
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
    ) in tasks:
        milestone = kind == _MILESTONE or duration == 0
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
    links_of: dict[str, list[LinkSpec]] = {pid: [] for pid in project_ids}
    for pid, did, pred, succ, kind, lag in links:
        links_of[pid].append(LinkSpec(pred, succ, _TYPES[kind], lag, did))
    leave: dict[str, list[tuple[date, date]]] = defaultdict(list)
    assigned = sorted(set().union(*members.values())) if members else []
    if assigned:
        for member_id, start, end in leave_of(assigned):
            leave[member_id].append((date.fromisoformat(start), date.fromisoformat(end)))
    plans = {}
    for pid in project_ids:
        people = {m for t in tasks_of[pid] for m in t.members}
        plans[pid] = Plan(
            tasks=tasks_of[pid],
            links=links_of[pid],
            agency=agency,
            leave={m: leave[m] for m in people if m in leave},
        )
    return plans
