"""Deleting a whole tree set-based (`DeleteTree`): the contract of `DeleteRows` (one step, all
or nothing, everything hanging off the rows, put back exactly), a change set that names every
row with whose it was, and a session that never shows a row that is gone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from db.database import open_database
from db.errors import NotFoundError
from db.models import Client, CostEntry, Dependency, Project, Task
from db.operations import Create, DeleteRows, Update, composite
from db.store import Store
from db.tree_delete import DeleteTree
from tests.db.test_delete_rows import START, _plan, _rows


def test_deleting_a_project_is_one_step_that_reverts_exactly(store: Store) -> None:
    ids = _plan(store)
    before = _rows(store)
    op = DeleteTree([(Project, ids["project"])], "Delete project “Site”")
    changes = store.apply(op)
    tasks = {ids[k] for k in ("phase", "design", "sketch", "build", "launch")}
    assert changes.removed["Task"] == tasks
    assert changes.removed["Dependency"] == {ids["d1"], ids["d2"]}
    assert changes.removed["Assignment"] == {ids["a1"], ids["a2"]}
    assert changes.removed["CostEntry"] == {ids["cost"]}
    assert store.session.scalars(select(Task)).all() == []
    assert store.get(Project, ids["project"]) is None
    assert store.get(Client, ids["client"]) is not None

    changes = store.revert(op)
    assert changes.added["Task"] == tasks
    assert _rows(store) == before
    assert store.get(Project, ids["project"]) is not None
    store.apply(op)  # redo
    assert store.get(Task, ids["build"]) is None
    store.revert(op)
    assert _rows(store) == before


def test_every_row_it_names_says_whose_it_was(store: Store) -> None:
    ids = _plan(store)
    changes = store.apply(DeleteTree([(Project, ids["project"])]))
    assert changes.projects("Task", "Dependency", "Assignment") == {ids["project"]}
    assert changes.clients() == {ids["client"]}


def test_the_session_forgets_the_rows_and_the_lists_that_held_them(store: Store) -> None:
    ids = _plan(store)
    client = store.get(Client, ids["client"])
    assert client is not None
    assert [p.name for p in client.projects] == ["Site"]  # loaded before the delete
    build = store.get(Task, ids["build"])
    op = DeleteTree([(Project, ids["project"])])
    store.apply(op)
    assert build not in store.session
    assert client.projects == []
    store.revert(op)
    assert [p.name for p in client.projects] == ["Site"]
    assert {t.name for t in client.projects[0].tasks} >= {"Build", "Launch"}


def test_a_missing_row_refuses_the_whole_deletion(store: Store) -> None:
    ids = _plan(store)
    before = _rows(store)
    op = DeleteTree([(Project, ids["project"]), (Project, "no-such-project")])
    with pytest.raises(NotFoundError):
        store.apply(op)
    assert _rows(store) == before


def test_preview_counts_what_would_go_and_changes_nothing(store: Store) -> None:
    ids = _plan(store)
    before = _rows(store)
    target = [(Project, ids["project"])]
    assert DeleteTree(target).preview(store.session) == DeleteRows(target).preview(store.session)
    assert _rows(store) == before


def test_a_reference_from_a_row_that_stays_is_cleared_and_put_back(store: Store) -> None:
    ids = _plan(store)
    other = Create(Project, {"name": "Other", "client_id": ids["client"]})
    stray = Create(
        CostEntry,
        {
            "project_id": other.id,
            "spent_on": START,
            "amount_cents": 100,
            "task_id": ids["build"],
        },
    )
    store.apply(composite([other, stray]))
    op = DeleteTree([(Project, ids["project"])])
    changes = store.apply(op)
    assert changes.changed["CostEntry"] == {stray.id}
    kept = store.get(CostEntry, stray.id)
    assert kept is not None and kept.task_id is None
    store.revert(op)
    assert kept.task_id == ids["build"]


def test_a_step_before_it_in_one_edit_is_seen_and_undone_with_it(store: Store) -> None:
    ids = _plan(store)
    rename = Update(Task, ids["build"], {"name": "Build it"})
    op = composite([rename, DeleteTree([(Project, ids["project"])])], "Rename and delete")
    store.apply(op)
    assert store.get(Task, ids["build"]) is None
    store.revert(op)
    build = store.get(Task, ids["build"])
    assert build is not None and build.name == "Build"


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(open_database(tmp_path_factory.mktemp("tree") / "a.sqlite", create=True))
    yield store
    store.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parents=st.integers(1, 12).flatmap(
        lambda n: st.tuples(
            *(st.one_of(st.none(), st.integers(0, i - 1)) if i else st.none() for i in range(n))
        )
    ),
    data=st.data(),
)
def test_any_tree_goes_whole_and_comes_back_exactly(
    shared_store: Store, parents: tuple[int | None, ...], data: st.DataObject
) -> None:
    store = shared_store
    n = len(parents)
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] < p[1])
    links = data.draw(st.lists(pairs, max_size=n, unique=True))
    client = Create(Client, {"name": "Prop"})
    project = Create(Project, {"name": "Plan", "client_id": client.id})
    tasks: list[Create] = []
    for i, parent in enumerate(parents):
        values: dict[str, object] = {
            "project_id": project.id,
            "name": f"T{i}",
            "start_date": date(2026, 3, 2 + i),
            "sort_order": i,
        }
        if parent is not None:
            values["parent_id"] = tasks[parent].id
        tasks.append(Create(Task, values))
    deps = [
        Create(Dependency, {"predecessor_id": tasks[a].id, "successor_id": tasks[b].id})
        for a, b in links
    ]
    store.apply(composite([client, project, *tasks, *deps], "Plan"))
    before = _rows(store)
    op = DeleteTree([(Client, client.id)])
    assert op.preview(store.session) == {
        "Client": 1,
        "Project": 1,
        "Task": n,
        **({"Dependency": len(links)} if links else {}),
    }
    removed = store.apply(op).removed
    assert removed["Task"] == {t.id for t in tasks}
    assert _rows(store) == {"tasks": [], "links": [], "assignments": [], "costs": []}
    store.revert(op)
    assert _rows(store) == before
    store.apply(DeleteRows([(Client, client.id)]))


def test_what_was_added_after_the_question_goes_too(store: Store) -> None:
    """The question counts what goes; a task added before the answer (a sync, a colleague's
    edit pulled meanwhile) goes with the project all the same."""
    ids = _plan(store)
    op = DeleteTree([(Project, ids["project"])])
    assert op.preview(store.session)["Task"] == 5
    late = Create(Task, {"project_id": ids["project"], "name": "Late", "start_date": START})
    store.apply(late)
    changes = store.apply(op)
    assert late.id in changes.removed["Task"]
    assert store.get(Task, late.id) is None
    store.revert(op)
    assert store.get(Task, late.id) is not None


def test_answered_at_once_it_deletes_what_the_question_named(store: Store) -> None:
    ids = _plan(store)
    op = DeleteTree([(Project, ids["project"])])
    counts = op.preview(store.session)
    changes = store.apply(op)
    assert {entity: len(found) for entity, found in changes.removed.items()} == counts


def test_rows_the_session_had_expired_are_forgotten_without_reading_them(store: Store) -> None:
    ids = _plan(store)
    build = store.get(Task, ids["build"])
    store.session.expire_all()  # as after a rollback: every object must be read again
    op = DeleteTree([(Project, ids["project"])])
    store.apply(op)
    assert build not in store.session
    assert store.get(Task, ids["build"]) is None
    store.revert(op)
    again = store.get(Task, ids["build"])
    assert again is not None and again.name == "Build"
