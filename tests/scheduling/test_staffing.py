"""Putting people on tasks: their leave then moves the task, and each edit undoes."""

from __future__ import annotations

from datetime import date

import pytest

from db.errors import ValidationError
from db.models import Assignment, Client, Project, TeamMember, TimeOff
from db.operations import Create, Update, composite
from db.scheduling.engine import Scheduler
from db.scheduling.plan import insert_plan, load_plan
from db.scheduling.staffing import Assign, SetHours, SetPeople, Unassign
from db.store import Store
from tests.scheduling.plans import MON, plan, task


@pytest.fixture
def project(store: Store) -> str:
    client = Create(Client, {"name": "Acme"})
    proj = Create(Project, {"name": "Relaunch", "client_id": client.id})
    store.apply(composite([client, proj]))
    insert_plan(store.session, proj.id, plan([task("design", 3)]))
    store.session.commit()
    return proj.id


def test_assigning_someone_on_leave_moves_the_task(store: Store, project: str) -> None:
    ana = Create(TeamMember, {"name": "Ana"})
    store.apply(ana)
    store.apply(Create(TimeOff, {"member_id": ana.id, "start_date": MON, "end_date": MON}))
    op = Assign("design", ana.id, 6)
    store.apply(op)
    assert op.label == "Assign Ana to “Design”"
    s = Scheduler(load_plan(store.session, project))
    assert s.start("design") == date(2026, 3, 3)
    store.apply(SetHours(op.id, 4))
    assert store.get(Assignment, op.id).hours_per_day == 4  # type: ignore[union-attr]
    off = Unassign(op.id)
    store.apply(off)
    assert Scheduler(load_plan(store.session, project)).start("design") == MON
    store.revert(off)
    assert store.get(Assignment, op.id) is not None


def test_refusals_name_the_person_and_the_field(store: Store, project: str) -> None:
    ana = Create(TeamMember, {"name": "Ana"})
    store.apply(ana)
    store.apply(Assign("design", ana.id))
    with pytest.raises(ValidationError, match="Ana is already on 'Design'"):
        store.apply(Assign("design", ana.id))
    with pytest.raises(ValidationError, match="Hours per day"):
        store.apply(Assign("design", ana.id, 0))
    store.apply(Update(TeamMember, ana.id, {"active": False}))
    with pytest.raises(ValidationError, match="Ana is archived"):
        store.apply(Assign("design", ana.id, 4))


def test_people_typed_by_name(store: Store, project: str) -> None:
    for name in ("Ana Lima", "Ben Okafor", "Bea Stone"):
        store.apply(Create(TeamMember, {"name": name}))
    op = SetPeople("design", ["ana", " Ben O"])
    store.apply(op)
    s = Scheduler(load_plan(store.session, project))
    assert len(s.spec("design").members) == 2
    store.apply(SetPeople("design", ["Ana Lima"]))
    assert len(Scheduler(load_plan(store.session, project)).spec("design").members) == 1
    with pytest.raises(ValidationError, match="'B' could be several people"):
        store.apply(SetPeople("design", ["B"]))
    with pytest.raises(ValidationError, match="nobody called 'Zed'"):
        store.apply(SetPeople("design", ["Zed"]))
