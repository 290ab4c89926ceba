"""Small plans for the engine tests, written the way a planner would describe them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from db.models import Client, DependencyType, Project
from db.operations import Create, composite
from db.scheduling.calendar import AgencyDays
from db.scheduling.plan import LinkSpec, Plan, TaskSpec, insert_plan
from db.store import Store

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


def insert_relaunch(store: Store, links: list[LinkSpec]) -> str:
    """Acme's Relaunch, stored: Design (3 d), Review (1 d), Build (5 d), Other (2 d), and a
    Launch phase over Press (2 d) and Party (1 d), all from Monday 2 March 2026, linked as
    `links` say. Its id."""
    client = Create(Client, {"name": "Acme"})
    proj = Create(Project, {"name": "Relaunch", "client_id": client.id})
    store.apply(composite([client, proj]))
    tasks = [
        task("design", 3),
        task("review", 1),
        task("build", 5),
        task("other", 2),
        task("launch", 1),
        task("press", 2, parent="launch"),
        task("party", 1, parent="launch"),
    ]
    insert_plan(store.session, proj.id, plan(tasks, links))
    store.session.commit()
    return proj.id
