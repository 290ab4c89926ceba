"""A small agency built through the same operations the app uses, for workload tests."""

from __future__ import annotations

from datetime import date, timedelta

from db.models import Client, Project, Task, TaskKind
from db.operations import Create
from db.scheduling.staffing import Assign
from db.store import Store
from db.team import AddMember

MON = date(2027, 3, 1)  # a Monday


def next_monday() -> date:
    """The Monday after today: the views show work from this week on."""
    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def member(
    store: Store, name: str, hours: float = 40.0, days: str = "01234", *, placeholder: bool = False
) -> str:
    op = AddMember(name, placeholder=placeholder)
    store.apply(op)
    if hours != 40.0 or days != "01234":
        from db.team import EditMember

        store.apply(EditMember(op.id, {"weekly_capacity_hours": hours, "working_days": days}))
    return op.id


def project(
    store: Store, name: str = "Launch", client: str = "Acme", due: date | None = None
) -> str:
    c = Create(Client, {"name": client})
    store.apply(c)
    p = Create(Project, {"name": name, "client_id": c.id, "due_date": due})
    store.apply(p)
    return p.id


def task(
    store: Store,
    project_id: str,
    name: str,
    start: date,
    days: int,
    people: dict[str, float] | None = None,
    *,
    milestone: bool = False,
) -> str:
    t = Create(
        Task,
        {
            "project_id": project_id,
            "name": name,
            "start_date": start,
            "duration_days": 0 if milestone else days,
            "kind": TaskKind.MILESTONE if milestone else TaskKind.TASK,
        },
    )
    store.apply(t)
    for member_id, hours in (people or {}).items():
        store.apply(Assign(t.id, member_id, hours))
    return t.id
