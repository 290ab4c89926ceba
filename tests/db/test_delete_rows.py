"""Deleting a selection: several rows as one step, all or nothing, with everything hanging
off them, and put back exactly (links, assignments, subtasks) by one revert."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.database import open_database
from db.errors import NotFoundError
from db.models import (
    Assignment,
    Client,
    CostEntry,
    Dependency,
    Entity,
    Project,
    Task,
    TeamMember,
)
from db.operations import Create, DeleteRows, composite
from db.store import Store

START = date(2026, 3, 2)


def _count(store: Store, entity: type[Entity]) -> int:
    return store.session.scalar(select(func.count()).select_from(entity)) or 0


def _plan(store: Store) -> dict[str, str]:
    """Phase > (Design > Sketch), Build, Launch; Design → Build → Launch; Bea on Sketch and
    Build; a cost booked on the project."""
    ids: dict[str, str] = {}
    steps = []

    def add(key: str, entity: type[Entity], **values: object) -> None:
        op = Create(entity, values)
        ids[key] = op.id
        steps.append(op)

    add("bea", TeamMember, name="Bea")
    add("client", Client, name="Acme")
    add("project", Project, name="Site", client_id=ids["client"])
    task = {"project_id": ids["project"], "start_date": START, "duration_days": 2}
    add("phase", Task, name="Phase", sort_order=1, **task)
    add("design", Task, name="Design", parent_id=ids["phase"], sort_order=2, **task)
    add("sketch", Task, name="Sketch", parent_id=ids["design"], sort_order=3, **task)
    add("build", Task, name="Build", sort_order=4, **task)
    add("launch", Task, name="Launch", sort_order=5, **task)
    add("d1", Dependency, predecessor_id=ids["design"], successor_id=ids["build"])
    add("d2", Dependency, predecessor_id=ids["build"], successor_id=ids["launch"])
    add("a1", Assignment, task_id=ids["sketch"], member_id=ids["bea"], hours_per_day=4)
    add("a2", Assignment, task_id=ids["build"], member_id=ids["bea"], hours_per_day=8)
    add("cost", CostEntry, project_id=ids["project"], spent_on=START, amount_cents=900)
    store.apply(composite(steps, "Plan"))
    return ids


def _rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    s = store.session
    s.expire_all()
    return {
        "tasks": sorted(s.execute(select(Task.id, Task.parent_id, Task.name)).all()),
        "links": sorted(s.execute(select(Dependency.predecessor_id, Dependency.successor_id))),
        "assignments": sorted(s.execute(select(Assignment.task_id, Assignment.hours_per_day))),
        "costs": sorted(s.execute(select(CostEntry.id, CostEntry.amount_cents))),
    }


def test_deleting_several_tasks_is_one_step_that_reverts_exactly(store: Store) -> None:
    ids = _plan(store)
    before = _rows(store)
    # The child first, its ancestor after: the subtask must be taken once, not twice.
    op = DeleteRows([(Task, ids["sketch"]), (Task, ids["phase"]), (Task, ids["build"])], "Del")
    changes = store.apply(op)
    assert changes.removed["Task"] == {ids[k] for k in ("phase", "design", "sketch", "build")}
    assert changes.removed["Dependency"] == {ids["d1"], ids["d2"]}
    assert changes.removed["Assignment"] == {ids["a1"], ids["a2"]}
    assert [t.name for t in store.session.scalars(select(Task))] == ["Launch"]
    assert store.get(Project, ids["project"]) is not None
    assert store.get(CostEntry, ids["cost"]) is not None
    store.revert(op)
    assert _rows(store) == before
    store.apply(op)  # redo
    assert _count(store, Task) == 1
    store.revert(op)
    assert _rows(store) == before


def test_a_missing_row_refuses_the_whole_deletion(store: Store) -> None:
    ids = _plan(store)
    before = _rows(store)
    op = DeleteRows([(Task, ids["build"]), (Task, "no-such-task")])
    with pytest.raises(NotFoundError):
        store.apply(op)
    assert _rows(store) == before


def test_preview_counts_what_would_go_and_changes_nothing(store: Store) -> None:
    ids = _plan(store)
    before = _rows(store)
    found = DeleteRows([(Project, ids["project"])]).preview(store.session)
    assert found == {
        "Project": 1,
        "Task": 5,
        "Dependency": 2,
        "Assignment": 2,
        "CostEntry": 1,
    }
    assert DeleteRows([(Task, ids["design"]), (Task, ids["sketch"])]).preview(store.session) == {
        "Task": 2,
        "Dependency": 1,
        "Assignment": 1,
    }
    assert _rows(store) == before
    assert not store.session.new and not store.session.dirty and not store.session.deleted


@st.composite
def plans_and_selections(
    draw: st.DrawFn,
) -> tuple[list[int | None], list[tuple[int, int]], list[int]]:
    """A task tree (each task's parent is an earlier task or none), links between tasks and
    a selection of tasks in any order, ancestors and descendants mixed."""
    n = draw(st.integers(1, 12))
    parents = [draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None for i in range(n)]
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] < p[1])
    links = draw(st.lists(pairs, max_size=n, unique=True))
    chosen = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    return parents, links, chosen


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(open_database(tmp_path_factory.mktemp("delete") / "a.sqlite", create=True))
    yield store
    store.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=plans_and_selections())
def test_any_selection_goes_with_its_subtrees_and_comes_back_exactly(
    shared_store: Store, case: tuple[list[int | None], list[tuple[int, int]], list[int]]
) -> None:
    parents, links, chosen = case
    store = shared_store
    client = Create(Client, {"name": "Prop"})
    project = Create(Project, {"name": "Plan", "client_id": client.id})
    tasks: list[Create] = []
    for i, parent in enumerate(parents):
        values: dict[str, object] = {
            "project_id": project.id,
            "name": f"T{i}",
            "start_date": START,
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

    gone: set[int] = set()
    for i in chosen:
        gone |= {i}
        changed = True
        while changed:
            changed = False
            for j, parent in enumerate(parents):
                if parent in gone and j not in gone:
                    gone.add(j)
                    changed = True
    op = DeleteRows([(Task, tasks[i].id) for i in chosen])
    assert op.preview(store.session).get("Task") == len(gone)
    removed = store.apply(op).removed
    assert removed["Task"] == {tasks[i].id for i in gone}
    left = {name for (name,) in store.session.execute(select(Task.name)).all()}
    assert left == {f"T{i}" for i in range(len(parents)) if i not in gone}
    store.revert(op)
    assert _rows(store) == before
    store.apply(DeleteRows([(Client, client.id)]))
