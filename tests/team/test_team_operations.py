"""The agency's people and time as operations: members, archiving, leave and closures; leave
and closures move the tasks of the plan through the same engine."""

from __future__ import annotations

from datetime import date

import pytest

from db.errors import ValidationError
from db.models import Client, Closure, LeaveKind, Project, TeamMember, TimeOff
from db.operations import Create, composite
from db.scheduling.engine import Scheduler
from db.scheduling.plan import insert_plan, load_plan
from db.scheduling.staffing import Assign
from db.store import Store
from db.team import (
    MEMBER_COLOURS,
    AddClosure,
    AddLeave,
    AddMember,
    ArchiveMember,
    EditClosure,
    EditLeave,
    EditMember,
    RemoveMember,
)
from tests.scheduling.plans import MON, plan, task


def test_an_empty_agency_adds_members_with_their_own_colours(store: Store) -> None:
    ana, ben = AddMember("Ana"), AddMember("Ben")
    store.apply(ana)
    store.apply(ben)
    assert store.get(TeamMember, ana.id).colour == MEMBER_COLOURS[0]  # type: ignore[union-attr]
    assert store.get(TeamMember, ben.id).colour == MEMBER_COLOURS[1]  # type: ignore[union-attr]
    store.apply(EditMember(ana.id, {"role": "account_manager", "weekly_capacity_hours": 32}))
    member = store.get(TeamMember, ana.id)
    assert member is not None and member.role == "account_manager"
    with pytest.raises(ValidationError, match="email"):
        store.apply(EditMember(ana.id, {"email": "not an address"}))


def test_a_member_with_history_is_archived_not_deleted(store: Store) -> None:
    ana, ben = AddMember("Ana"), AddMember("Ben")
    store.apply(ana)
    store.apply(ben)
    client = Create(Client, {"name": "Acme", "account_manager_id": ana.id})
    store.apply(client)
    op = RemoveMember(ana.id)
    store.apply(op)
    assert op.label == "Archive Ana"
    assert store.get(TeamMember, ana.id).active is False  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="stays archived"):
        store.apply(RemoveMember(ana.id))
    store.apply(ArchiveMember(ana.id, archived=False))
    assert store.get(TeamMember, ana.id).active is True  # type: ignore[union-attr]
    gone = RemoveMember(ben.id)  # no history: really deleted, and undo brings Ben back
    store.apply(gone)
    assert gone.label == "Delete Ben" and store.get(TeamMember, ben.id) is None
    store.revert(gone)
    assert store.get(TeamMember, ben.id) is not None


def test_leave_and_closures_move_the_plan(store: Store) -> None:
    client = Create(Client, {"name": "Acme"})
    proj = Create(Project, {"name": "Relaunch", "client_id": client.id})
    store.apply(composite([client, proj]))
    insert_plan(store.session, proj.id, plan([task("design", 3), task("alone", 2)]))
    store.session.commit()
    ana = AddMember("Ana")
    store.apply(ana)
    store.apply(Assign("design", ana.id))
    leave = AddLeave(ana.id, MON, date(2026, 3, 3), LeaveKind.TRAINING, "Course")
    store.apply(leave)
    assert store.get(TimeOff, leave.id).kind == LeaveKind.TRAINING  # type: ignore[union-attr]
    s = Scheduler(load_plan(store.session, proj.id))
    assert s.start("design") == date(2026, 3, 4)  # after her two days away
    assert s.start("alone") == MON  # nobody's leave holds it
    store.apply(EditLeave(leave.id, {"end_date": MON}))
    assert Scheduler(load_plan(store.session, proj.id)).start("design") == date(2026, 3, 3)
    with pytest.raises(ValidationError, match="Leave end: cannot be before the start"):
        store.apply(EditLeave(leave.id, {"end_date": date(2026, 2, 27)}))
    closure = AddClosure("Team day", MON, MON)
    store.apply(closure)
    assert Scheduler(load_plan(store.session, proj.id)).start("alone") == date(2026, 3, 3)
    with pytest.raises(ValidationError, match="Closure end"):
        store.apply(EditClosure(closure.id, {"end_date": date(2026, 2, 27)}))
    later = EditClosure(closure.id, {"start_date": date(2026, 3, 9)})  # the end follows
    store.apply(later)
    assert store.get(Closure, closure.id).end_date == date(2026, 3, 9)  # type: ignore[union-attr]
    store.revert(later)
    store.revert(closure)
    assert Scheduler(load_plan(store.session, proj.id)).start("alone") == MON
