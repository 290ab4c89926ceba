"""The client page's and the Projects list's reads as named `db` functions (`db.am.client_picks`,
`db.project_list`, `db.reports.lookup.find_member`), run on a real database without Qt."""

from __future__ import annotations

from datetime import date

import pytest

from db.am.client_picks import (
    account_manager_of,
    client_header,
    contacts_by_name,
    projects_by_name,
)
from db.models import (
    Client,
    ClientStatus,
    Contact,
    MemberRole,
    Project,
    ProjectStatus,
    Task,
    TaskKind,
    TeamMember,
)
from db.project_list import project_list_rows, project_task_rows, task_counts
from db.reports.lookup import NoMatch, find_member
from db.store import Store


def _add(store: Store, *rows: object) -> None:
    store.session.add_all(rows)
    store.session.commit()


def test_a_clients_contacts_projects_and_header(store: Store) -> None:
    ann = TeamMember(name="Ann", role=MemberRole.ACCOUNT_MANAGER)
    _add(store, ann)
    acme = Client(
        name="Acme",
        account_manager_id=ann.id,
        client_since=date(2024, 5, 1),
        industry="Food",
        tags=["retail"],
        status=ClientStatus.ACTIVE,
    )
    other = Client(name="Other")
    _add(store, acme, other)
    _add(
        store,
        Contact(client_id=acme.id, name="Zoe"),
        Contact(client_id=acme.id, name="Bea"),
        Contact(client_id=other.id, name="Al"),
        Project(client_id=acme.id, name="Website"),
        Project(client_id=acme.id, name="Brochure"),
        Project(client_id=other.id, name="Elsewhere"),
    )
    assert [n for _i, n in contacts_by_name(store.session, acme.id)] == ["Bea", "Zoe"]
    assert [n for _i, n in projects_by_name(store.session, acme.id)] == ["Brochure", "Website"]
    assert account_manager_of(store.session, acme.id) == ann.id
    assert account_manager_of(store.session, other.id) is None
    header = client_header(store.session, acme.id)
    assert header is not None
    assert (header.name, header.status, header.manager) == ("Acme", ClientStatus.ACTIVE, "Ann")
    assert (header.since, header.industry, header.tags) == (date(2024, 5, 1), "Food", ["retail"])
    bare = client_header(store.session, other.id)
    assert bare is not None and bare.manager is None and bare.tags == []
    assert client_header(store.session, "gone") is None


def test_the_projects_list_rows_count_tasks_and_work_done(store: Store) -> None:
    zed, acme = Client(name="zed"), Client(name="Acme")
    _add(store, zed, acme)
    late = Project(client_id=zed.id, name="Late", status=ProjectStatus.ACTIVE)
    site = Project(client_id=acme.id, name="site", start_date=date(2026, 3, 2))
    brand = Project(client_id=acme.id, name="Brand")
    _add(store, late, site, brand)
    phase = Task(project_id=site.id, name="Phase", start_date=date(2026, 3, 2), sort_order=0)
    _add(store, phase)
    _add(
        store,
        Task(project_id=site.id, name="Design", start_date=date(2026, 3, 2), duration_days=3,
             progress=100, parent_id=phase.id, sort_order=1),
        Task(project_id=site.id, name="Build", start_date=date(2026, 3, 2), duration_days=1,
             progress=0, parent_id=phase.id, sort_order=2),
        Task(project_id=site.id, name="Launch", start_date=date(2026, 3, 9),
             kind=TaskKind.MILESTONE, duration_days=0, sort_order=3),
    )  # fmt: skip
    rows = project_list_rows(store.session)
    assert [(r.client, r.name) for r in rows] == [
        ("Acme", "Brand"),
        ("Acme", "site"),
        ("zed", "Late"),
    ]
    by_name = {r.name: r for r in rows}
    assert by_name["site"].task_count == 4 and by_name["Brand"].task_count == 0
    assert by_name["site"].progress == 75  # 3 of 4 working days of the leaves done
    assert (
        by_name["site"].start == date(2026, 3, 2) and by_name["Late"].status == ProjectStatus.ACTIVE
    )
    assert [r.name for r in project_list_rows(store.session, {brand.id})] == ["Brand"]
    tasks = project_task_rows(store.session, site.id)
    assert [t.name for t in tasks] == ["Phase", "Design", "Build", "Launch"]
    assert tasks[1].parent_id == phase.id and tasks[3].kind == TaskKind.MILESTONE
    assert task_counts(store.session) == {site.id: 4}


def test_a_member_is_found_by_id_or_whole_name(store: Store) -> None:
    ann = TeamMember(name="Ann Lee", role=MemberRole.PROJECT_MANAGER)
    twin_a = TeamMember(name="Bo", role=MemberRole.PROJECT_MANAGER)
    twin_b = TeamMember(name="bo", role=MemberRole.PROJECT_MANAGER)
    _add(store, ann, twin_a, twin_b)
    assert find_member(store.session, " ann lee ") == ann.id
    assert find_member(store.session, ann.id) == ann.id
    with pytest.raises(NoMatch, match="'Ann' names no one on the team"):
        find_member(store.session, "Ann")
    with pytest.raises(NoMatch):
        find_member(store.session, "Bo")  # two of them
