"""Outline edits through the store, as a project manager builds a plan: insert tasks,
subtasks, milestones and deliverables; duplicate; move rows up, down and under other tasks;
indent and outdent many at once. Each is one operation, all-or-nothing, and reverts exactly."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from db.database import open_database
from db.errors import AgencyDeskError, ValidationError
from db.models import Assignment, Dependency, Task, TaskKind, TeamMember
from db.operations import Create
from db.scheduling.engine import Scheduler
from db.scheduling.operations import ResizeTask, SetKind
from db.scheduling.outline import (
    DuplicateTasks,
    IndentTasks,
    InsertTask,
    MoveRows,
    MoveTasksTo,
    OutdentTasks,
)
from db.scheduling.plan import load_plan
from db.store import Store
from tests.scheduling.plans import insert_relaunch, link


def make_project(store: Store) -> str:
    """Design → Review → Build; Other alone; Launch over Press and Party."""
    return insert_relaunch(store, [link("design", "review"), link("review", "build")])


@pytest.fixture
def project(store: Store) -> str:
    return make_project(store)


def outline(store: Store, project_id: str) -> list[tuple[int, str]]:
    """(depth, name) in tree order: what the task tree shows."""
    s = Scheduler(load_plan(store.session, project_id))
    rows: list[tuple[int, str]] = []

    def walk(nodes: list[int], depth: int) -> None:
        for n in nodes:
            rows.append((depth, s.specs[n].name))
            walk(s.children[n], depth + 1)

    walk([i for i in range(len(s.ids)) if s.parent[i] < 0], 0)
    return rows


def names(store: Store, project_id: str) -> list[str]:
    return [("  " * depth) + name for depth, name in outline(store, project_id)]


def test_insert_below_the_selection_at_its_level(store: Store, project: str) -> None:
    op = InsertTask(project, "review")
    store.apply(op)
    assert names(store, project)[:4] == ["Design", "Review", "New task", "Build"]
    new = store.get(Task, op.id)
    assert new is not None and new.kind == TaskKind.TASK and new.duration_days == 1
    assert op.label == "New task"
    store.revert(op)
    assert "New task" not in names(store, project)
    store.apply(op)  # redo makes the same row
    assert store.get(Task, op.id) is not None


def test_insert_inside_a_summary_and_at_the_end(store: Store, project: str) -> None:
    store.apply(InsertTask(project, "press", name="Photos"))
    store.apply(InsertTask(project, None, name="Wrap-up"))
    assert names(store, project)[-4:] == ["  Press", "  Photos", "  Party", "Wrap-up"]


def test_subtask_milestone_and_deliverable(store: Store, project: str) -> None:
    sub = InsertTask(project, "other", as_child=True, name="Shoot")
    store.apply(sub)
    assert sub.label == "New subtask"
    assert names(store, project)[3:5] == ["Other", "  Shoot"]
    ms = InsertTask(project, "build", TaskKind.MILESTONE)
    store.apply(ms)
    milestone = store.get(Task, ms.id)
    assert milestone is not None and milestone.duration_days == 0
    assert ms.label == "New milestone"
    s = Scheduler(load_plan(store.session, project))
    assert s.spec(ms.id).milestone
    dl = InsertTask(project, "design", TaskKind.DELIVERABLE)
    store.apply(dl)
    assert dl.label == "New deliverable"
    assert store.get(Task, dl.id).kind == TaskKind.DELIVERABLE  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="milestone has no subtasks"):
        store.apply(InsertTask(project, ms.id, as_child=True))


def test_duration_zero_makes_a_milestone_and_back(store: Store, project: str) -> None:
    store.apply(ResizeTask("review", 0))
    review = store.get(Task, "review")
    assert review is not None and review.kind == TaskKind.MILESTONE
    s = Scheduler(load_plan(store.session, project))
    assert s.spec("review").milestone and s.duration("review") == 0
    store.apply(ResizeTask("review", 2))
    assert review.kind == TaskKind.TASK and review.duration_days == 2
    with pytest.raises(ValidationError, match="negative"):
        store.apply(ResizeTask("review", -1))
    op = SetKind("other", TaskKind.MILESTONE)
    store.apply(op)
    assert store.get(Task, "other").duration_days == 0  # type: ignore[union-attr]
    store.revert(op)
    assert store.get(Task, "other").duration_days == 2  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="tasks under it"):
        store.apply(SetKind("launch", TaskKind.MILESTONE))


def test_duplicate_copies_subtasks_links_and_people(store: Store, project: str) -> None:
    ana = Create(TeamMember, {"name": "Ana"})
    store.apply(ana)
    store.apply(Create(Assignment, {"task_id": "press", "member_id": ana.id}))
    store.apply(Create(Dependency, {"predecessor_id": "press", "successor_id": "party"}))
    op = DuplicateTasks(["launch", "press"])  # Press goes with Launch, not twice
    store.apply(op)
    assert op.label == "Duplicate “Launch”"
    assert names(store, project)[4:] == [
        "Launch",
        "  Press",
        "  Party",
        "Launch",
        "  Press",
        "  Party",
    ]
    copies = set(op.copies.values())
    links = store.session.scalars(
        select(Dependency).where(Dependency.successor_id.in_(copies))
    ).all()
    assert len(links) == 1 and links[0].predecessor_id in copies
    people = store.session.scalars(select(Assignment).where(Assignment.task_id.in_(copies)))
    assert [a.member_id for a in people] == [ana.id]
    store.revert(op)
    assert len(names(store, project)) == 7
    store.apply(op)  # redo: the same ids again
    assert set(op.copies.values()) == copies
    assert all(store.get(Task, i) is not None for i in op.ids)


def test_duplicate_two_siblings_puts_each_copy_below_its_original(
    store: Store, project: str
) -> None:
    store.apply(DuplicateTasks(["design", "review"]))
    assert names(store, project)[:5] == ["Design", "Design", "Review", "Review", "Build"]


def test_move_rows_up_and_down(store: Store, project: str) -> None:
    op = MoveRows(["build"], -1)
    store.apply(op)
    assert op.label == "Move “Build” up"
    assert names(store, project)[:3] == ["Design", "Build", "Review"]
    store.revert(op)
    assert names(store, project)[:3] == ["Design", "Review", "Build"]
    store.apply(MoveRows(["review", "build"], -1))  # a block moves together
    assert names(store, project)[:4] == ["Review", "Build", "Design", "Other"]
    store.apply(MoveRows(["party"], -1))
    assert names(store, project)[-2:] == ["  Party", "  Press"]


def test_move_past_the_edge_refuses_the_whole_move(store: Store, project: str) -> None:
    before = names(store, project)
    with pytest.raises(ValidationError, match="already the first"):
        store.apply(MoveRows(["build", "design"], -1))
    with pytest.raises(ValidationError, match="already the last"):
        store.apply(MoveRows(["launch"], 1))
    assert names(store, project) == before


def test_move_tasks_under_another_one(store: Store, project: str) -> None:
    op = MoveTasksTo(["other", "design"], "launch", "party")
    store.apply(op)
    assert names(store, project) == [
        "Review",
        "Build",
        "Launch",
        "  Press",
        "  Design",
        "  Other",
        "  Party",
    ]
    store.revert(op)
    assert names(store, project)[0] == "Design"
    with pytest.raises(ValidationError, match="under itself"):
        store.apply(MoveTasksTo(["launch"], "press"))


def test_move_refuses_a_loop_through_a_summary(store: Store, project: str) -> None:
    # Press waits for Build; putting Build under Launch would make Build wait on itself.
    store.apply(Create(Dependency, {"predecessor_id": "launch", "successor_id": "other"}))
    store.apply(Create(Dependency, {"predecessor_id": "other", "successor_id": "build"}))
    with pytest.raises(AgencyDeskError, match="forever"):
        store.apply(MoveTasksTo(["build"], "launch"))
    assert names(store, project)[2] == "Build"


def test_indent_and_outdent_many_as_one_edit(store: Store, project: str) -> None:
    op = IndentTasks(["launch", "other"])
    store.apply(op)
    assert op.label == "Indent 2 tasks"
    assert names(store, project)[2:] == [
        "Build",
        "  Other",
        "  Launch",
        "    Press",
        "    Party",
    ]
    out = OutdentTasks(["other", "launch"])
    store.apply(out)
    assert names(store, project)[2:5] == ["Build", "Other", "Launch"]
    store.revert(out)
    store.revert(op)
    assert names(store, project)[2:5] == ["Build", "Other", "Launch"]
    with pytest.raises(AgencyDeskError, match="Design → Review → Design"):
        store.apply(IndentTasks(["review"]))  # Review would wait on its own summary
    before = names(store, project)
    with pytest.raises(ValidationError, match="no task above"):
        store.apply(IndentTasks(["build", "design"]))  # Design cannot go: nothing moves
    assert names(store, project) == before


# -- properties ------------------------------------------------------------------------------

IDS = ["design", "review", "build", "other", "launch", "press", "party"]
edits = st.lists(
    st.one_of(
        st.builds(
            lambda ids, step: ("rows", ids, step),
            st.sets(st.sampled_from(IDS), min_size=1),
            st.sampled_from([-1, 1]),
        ),
        st.builds(lambda ids: ("indent", ids), st.sets(st.sampled_from(IDS), min_size=1)),
        st.builds(lambda ids: ("outdent", ids), st.sets(st.sampled_from(IDS), min_size=1)),
        st.builds(
            lambda ids, parent, before: ("to", ids, parent, before),
            st.sets(st.sampled_from(IDS), min_size=1, max_size=3),
            st.one_of(st.none(), st.sampled_from(IDS)),
            st.one_of(st.none(), st.sampled_from(IDS)),
        ),
        st.builds(lambda ids: ("dup", ids), st.sets(st.sampled_from(IDS), min_size=1, max_size=2)),
        st.builds(
            lambda after, child: ("insert", after, child),
            st.sampled_from(IDS),
            st.booleans(),
        ),
    ),
    max_size=6,
)


def build(kind: tuple[object, ...], project_id: str) -> object:
    name = kind[0]
    if name == "rows":
        return MoveRows(sorted(kind[1]), kind[2])  # type: ignore[arg-type]
    if name == "indent":
        return IndentTasks(sorted(kind[1]))  # type: ignore[arg-type]
    if name == "outdent":
        return OutdentTasks(sorted(kind[1]))  # type: ignore[arg-type]
    if name == "to":
        return MoveTasksTo(sorted(kind[1]), kind[2], kind[3])  # type: ignore[arg-type]
    if name == "dup":
        return DuplicateTasks(sorted(kind[1]))  # type: ignore[arg-type]
    return InsertTask(project_id, kind[1], as_child=bool(kind[2]))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def shared() -> Iterator[tuple[Store, str]]:
    with tempfile.TemporaryDirectory() as folder:
        s = Store(open_database(Path(folder) / "agency.sqlite", create=True))
        yield s, make_project(s)
        s.close()


def tree_is_valid(store: Store, project_id: str) -> None:
    rows = store.session.execute(
        select(Task.id, Task.parent_id, Task.sort_order).where(Task.project_id == project_id)
    ).all()
    parent = {i: p for i, p, _ in rows}
    for task_id in parent:
        seen = {task_id}
        up = parent[task_id]
        while up is not None:
            assert up in parent, "a parent outside the project"
            assert up not in seen, "a task under itself"
            seen.add(up)
            up = parent[up]
    orders: dict[str | None, list[int]] = {}
    for _i, p, order in rows:
        orders.setdefault(p, []).append(order)
    for numbers in orders.values():
        assert len(set(numbers)) == len(numbers), "two siblings share a place"
    Scheduler(load_plan(store.session, project_id))  # schedules: no loop


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits)
def test_outline_edits_keep_the_tree_valid_and_undo_restores_it(
    shared: tuple[Store, str], script: list[tuple[object, ...]]
) -> None:
    store, project_id = shared
    start = outline(store, project_id)
    done = []
    for kind in script:
        op = build(kind, project_id)
        before = outline(store, project_id)
        try:
            store.apply(op)  # type: ignore[arg-type]
        except AgencyDeskError:
            assert outline(store, project_id) == before  # refused: nothing half-done
            continue
        done.append(op)
        tree_is_valid(store, project_id)
    for op in reversed(done):
        store.revert(op)  # type: ignore[arg-type]
    assert outline(store, project_id) == start
    tree_is_valid(store, project_id)


def test_new_task_starts_beside_the_task_above(store: Store, project: str) -> None:
    op = InsertTask(project, "build", start=date(2026, 3, 6))
    store.apply(op)
    assert store.get(Task, op.id).start_date == date(2026, 3, 6)  # type: ignore[union-attr]
