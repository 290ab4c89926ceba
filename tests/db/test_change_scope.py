"""Change sets carry their scope: the client and project of every row they name, removed rows
included, resolved as the store records the change."""

from __future__ import annotations

from datetime import date

from db.changes import EVERYONE, ChangeSet, Scope
from db.models import (
    Client,
    Contact,
    FollowUp,
    ImportantDate,
    Interaction,
    InteractionKind,
    Project,
    Task,
    TeamMember,
)
from db.operations import Create, Delete, Update, composite
from db.store import Store


def _agency(store: Store) -> tuple[Create, Create, Create]:
    client = Create(Client, {"name": "Acme"})
    project = Create(Project, {"name": "Rebrand", "client_id": client.id})
    task = Create(Task, {"name": "Logo", "project_id": project.id, "start_date": date(2026, 3, 2)})
    store.apply(composite([client, project, task]))
    return client, project, task


def test_new_rows_know_their_client_and_project_in_the_same_flush(store: Store) -> None:
    client = Create(Client, {"name": "Acme"})
    project = Create(Project, {"name": "Rebrand", "client_id": client.id})
    task = Create(Task, {"name": "Logo", "project_id": project.id, "start_date": date(2026, 3, 2)})
    changes = store.apply(composite([client, project, task]))
    assert changes.scope[("Task", task.id)] == Scope(client.id, project.id)
    assert changes.clients() == {client.id}
    assert changes.projects("Task") == {project.id}


def test_a_deleted_project_says_whose_its_tasks_were(store: Store) -> None:
    client, project, task = _agency(store)
    store.session.expire_all()  # as after any commit: nothing loaded
    changes = store.apply(Delete(Project, project.id))
    assert task.id in changes.removed["Task"]
    assert changes.scope[("Task", task.id)] == Scope(client.id, project.id)
    assert changes.clients("Task", "Project") == {client.id}


def test_removed_rows_through_a_parent_and_rows_of_everyone(store: Store) -> None:
    client, _project, _task = _agency(store)
    jo = Create(Contact, {"client_id": client.id, "name": "Jo"})
    birthday = Create(
        ImportantDate, {"contact_id": jo.id, "label": "Birthday", "day": 1, "month": 2}
    )
    store.apply(composite([jo, birthday]))
    store.session.expire_all()
    changes = store.apply(Delete(Contact, jo.id))
    assert changes.clients("ImportantDate") == {client.id}
    member = store.apply(Create(TeamMember, {"name": "Ann"}))
    assert member.clients() is None  # a team member concerns every client
    assert next(iter(member.scope.values())).client == EVERYONE


def test_a_follow_up_of_a_project_only_belongs_to_the_projects_client(store: Store) -> None:
    client, project, _task = _agency(store)
    follow_up = Create(
        FollowUp, {"title": "Call", "project_id": project.id, "due_date": date(2026, 3, 9)}
    )
    changes = store.apply(follow_up)
    assert changes.scope[("FollowUp", follow_up.id)] == Scope(client.id, project.id)
    renamed = store.apply(Update(FollowUp, follow_up.id, {"title": "Call back"}))
    assert renamed.clients() == {client.id}


def test_a_change_set_from_outside_the_session_learns_its_scope(store: Store) -> None:
    client, _project, _task = _agency(store)
    call = Create(
        Interaction,
        {"client_id": client.id, "kind": InteractionKind.CALL, "occurred_at": date(2026, 3, 2)},
    )
    store.apply(call)
    seen: list[ChangeSet] = []
    store.subscribe(seen.append)
    pulled = ChangeSet()  # as sync builds it after writing rows with SQL
    pulled.add("changed", "Interaction", [call.id])
    pulled.add("removed", "Interaction", ["gone-before-anyone-looked"])
    store.notify(pulled)
    assert seen[0].scope == {}  # nothing looked up until a listener asks
    assert seen[0].clients("Interaction") is None  # the untraceable removal concerns everyone
    assert seen[0].scope[("Interaction", call.id)] == Scope(client.id)
    assert seen[0].concerns_client("any client", "Interaction")


def test_merging_keeps_every_rows_scope() -> None:
    first, second = ChangeSet(), ChangeSet()
    first.add("changed", "Contact", ["a"])
    first.scope[("Contact", "a")] = Scope("c1")
    second.add("removed", "Contact", ["b"])
    second.scope[("Contact", "b")] = Scope("c2")
    first.merge(second)
    assert first.clients() == {"c1", "c2"}
    assert not first.concerns_client("c3", "Contact")


def test_a_row_read_with_sql_knows_its_scope_through_its_parents(store: Store) -> None:
    """What sync reads of a row it is about to delete: its client and project, through the
    task it hangs from; a leave names its member."""
    import sqlite3

    from db.change_scope import row_scope
    from db.models import Dependency, TimeOff

    client, project, task = _agency(store)
    later = Create(
        Task, {"name": "Print", "project_id": project.id, "start_date": date(2026, 3, 9)}
    )
    link = Create(Dependency, {"predecessor_id": task.id, "successor_id": later.id})
    ann = Create(TeamMember, {"name": "Ann"})
    leave = Create(
        TimeOff,
        {"member_id": ann.id, "start_date": date(2026, 3, 2), "end_date": date(2026, 3, 3)},
    )
    store.apply(composite([later, link, ann, leave]))
    path = store.engine.url.database
    assert path
    conn = sqlite3.connect(path)
    try:
        row = {"id": link.id, "predecessor_id": task.id, "successor_id": later.id}
        assert row_scope(conn, "Dependency", row, {}) == Scope(client.id, project.id)
        away = {"id": leave.id, "member_id": ann.id}
        assert row_scope(conn, "TimeOff", away, {}) == Scope(EVERYONE, member=ann.id)
        orphan = {"id": "x", "task_id": "a task already gone", "member_id": ann.id}
        assert row_scope(conn, "Assignment", orphan, {}) is None
    finally:
        conn.close()
    changes = store.apply(Delete(TimeOff, leave.id))
    assert changes.members("TimeOff") == {ann.id}
