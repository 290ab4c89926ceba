"""The queries the GUI used to write itself, as named functions of `db/` (`db.roster`,
`db.directory`, `db.integrity`), run on a real database without Qt."""

from __future__ import annotations

from datetime import date

from db.directory import (
    agency_is_empty,
    clients_by_name,
    clients_of_manager,
    first_client_id,
    project_of_task,
    row_count,
)
from db.integrity import integrity_problem
from db.models import Client, Closure, MemberRole, TeamMember, TimeOff
from db.roster import (
    active_members,
    closures_in_order,
    leave_of,
    member_choices,
    members_by_name,
    members_in_order,
)
from db.store import Store


def _add(store: Store, *rows: object) -> None:
    store.session.add_all(rows)
    store.session.commit()


def test_clients_in_name_order_and_an_account_managers_own(store: Store) -> None:
    assert agency_is_empty(store.session) and first_client_id(store.session) is None
    ann = TeamMember(name="Ann", role=MemberRole.ACCOUNT_MANAGER)
    _add(store, ann)
    assert not agency_is_empty(store.session)
    zest, acme = Client(name="zest", account_manager_id=ann.id), Client(name="Acme")
    _add(store, zest, acme)
    assert clients_by_name(store.session) == [(acme.id, "Acme"), (zest.id, "zest")]
    assert first_client_id(store.session) == acme.id
    assert clients_of_manager(store.session, ann.id) == {zest.id}
    assert row_count(store.session, Client) == 2


def test_members_leave_and_closures_in_the_order_shown(store: Store) -> None:
    bo = TeamMember(name="bo", role=MemberRole.PROJECT_MANAGER)
    ann = TeamMember(name="Ann", role=MemberRole.PROJECT_MANAGER)
    cy = TeamMember(name="Cy", role=MemberRole.ACCOUNT_MANAGER)
    old = TeamMember(name="Al", role=MemberRole.ACCOUNT_MANAGER, active=False)
    _add(store, bo, ann, cy, old)
    assert [n for _i, n in active_members(store.session)] == ["Ann", "bo", "Cy"]
    assert [n for _i, n in member_choices(store.session)] == ["Cy", "Ann", "bo"]
    assert [m.name for m in members_in_order(store.session)] == ["Ann", "bo", "Cy", "Al"]
    assert [n for _i, n in members_by_name(store.session)] == ["Al", "Ann", "bo", "Cy"]
    late = TimeOff(member_id=ann.id, start_date=date(2026, 8, 3), end_date=date(2026, 8, 7))
    early = TimeOff(member_id=ann.id, start_date=date(2026, 5, 4), end_date=date(2026, 5, 4))
    other = TimeOff(member_id=bo.id, start_date=date(2026, 5, 4), end_date=date(2026, 5, 4))
    shut = Closure(name="Retreat", start_date=date(2026, 4, 20), end_date=date(2026, 4, 21))
    xmas = Closure(name="Holidays", start_date=date(2026, 12, 24), end_date=date(2026, 12, 31))
    _add(store, late, early, other, xmas, shut)
    assert leave_of(store.session, ann.id) == [early, late]
    assert closures_in_order(store.session) == [shut, xmas]


def test_a_whole_database_has_no_integrity_problem(store: Store) -> None:
    _add(store, Client(name="Acme"))
    assert integrity_problem(store.session) is None


def test_the_project_of_a_task(store: Store) -> None:
    from db.models import Project, Task

    acme = Client(name="Acme")
    _add(store, acme)
    plan = Project(name="Rebrand", client_id=acme.id)
    _add(store, plan)
    logo = Task(name="Logo", project_id=plan.id, start_date=date(2026, 3, 2))
    _add(store, logo)
    assert project_of_task(store.session, logo.id) == plan.id
    assert project_of_task(store.session, "gone") is None
