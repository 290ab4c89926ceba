"""Small plans for the engine tests, written the way a planner would describe them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from db.models import DependencyType
from db.scheduling.calendar import AgencyDays
from db.scheduling.plan import LinkSpec, Plan, TaskSpec

MON = date(2026, 3, 2)  # a Monday with no holiday around it


def task(
    id: str,
    duration: int = 1,
    start: date = MON,
    parent: str | None = None,
    members: tuple[str, ...] = (),
) -> TaskSpec:
    return TaskSpec(
        id=id,
        name=id.capitalize(),
        start=start,
        duration=duration,
        parent_id=parent,
        milestone=duration == 0,
        members=frozenset(members),
    )


def link(pred: str, succ: str, kind: str = "FS", lag: int = 0) -> LinkSpec:
    return LinkSpec(pred, succ, DependencyType(kind), lag, f"{pred}->{succ}")


def plan(
    tasks: list[TaskSpec],
    links: list[LinkSpec] = (),  # type: ignore[assignment]
    leave: dict[str, list[tuple[date, date]]] | None = None,
    agency: AgencyDays | None = None,
) -> Plan:
    ordered = [replace(t, sort_order=i) for i, t in enumerate(tasks)]
    return Plan(ordered, list(links), agency or AgencyDays(), leave or {})
