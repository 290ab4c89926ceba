"""Deleting tasks in a plan takes their rows out in place: the table loses just those rows
(no reset, which on a 10,000-task plan means reading and scheduling everything again), the
engine reschedules only what waited on them, and the plan is then what opening it shows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel

from db.models import MemberRole, Task, TeamMember
from db.operations import DeleteRows
from db.scheduling.staffing import Assign
from db.store import Store
from desktop.gantt import GanttView
from tests.gantt.conftest import dates

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def names(view: GanttView) -> list[str]:
    v = view.document.schedule
    return [v.name(n) for n in view.document.rows]


def as_opened(view: GanttView) -> GanttView:
    fresh = GanttView(view.workspace, view.project_id)
    for node in view.document.collapsed:
        task_id = view.document.schedule.task_id(node)
        fresh.tree.collapse(fresh.model.index_of(fresh.document.node(task_id)))
    return fresh


def same_plan(view: GanttView, store: Store) -> None:
    fresh = as_opened(view)
    s = view.document.scheduler
    assert names(view) == names(fresh)
    assert [view.document.wbs[n] for n in view.document.rows] == [
        fresh.document.wbs[n] for n in fresh.document.rows
    ]
    assert {i: (s.start(i), s.finish(i)) for i in s.ids} == dates(store, view.project_id)
    assert {i: s.total_float(i) for i in s.ids} == {
        i: fresh.document.scheduler.total_float(i) for i in fresh.document.scheduler.ids
    }
    assert view.document.people == fresh.document.people
    assert view.document.row_of == {n: r for r, n in enumerate(view.document.rows)}
    fresh.deleteLater()


def test_a_linked_and_staffed_task_leaves_in_place_and_comes_back(
    view: GanttView, store: Store, qtmodeltester: object
) -> None:
    ana = TeamMember(name="Ana", role=MemberRole.PROJECT_MANAGER, colour="#aa3366")
    store.session.add(ana)
    store.session.commit()
    assert view.run(Assign("review", ana.id))
    resets: list[bool] = []
    removed: list[tuple[int, int]] = []
    view.model.modelReset.connect(lambda: resets.append(True))
    view.model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    view.select_task("review")
    assert view.delete_selected()  # Edit > Delete on Review: Design → Review → Build
    assert resets == [] and removed == [(1, 1)]
    assert names(view) == ["Design", "Build", "Other", "Launch", "Press", "Party"]
    assert view.selected_ids() == ["build"]  # the task now on its row
    assert view.chart.selected == {view.document.node("build")}
    same_plan(view, store)
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]

    inserted: list[tuple[int, int]] = []
    view.model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    view.workspace.undo_stack.undo()  # back with its links and its person, in place too
    assert resets == [] and inserted == [(1, 1)]
    assert names(view)[:3] == ["Design", "Review", "Build"]
    assert view.document.people["review"] == "Ana"
    same_plan(view, store)
    removed.clear()
    view.workspace.undo_stack.redo()
    assert resets == [] and removed == [(1, 1)]
    same_plan(view, store)


def test_a_summary_goes_with_its_tasks_and_the_rest_keep_their_selection(
    view: GanttView, store: Store
) -> None:
    resets: list[bool] = []
    view.model.modelReset.connect(lambda: resets.append(True))
    view.select_task("other")
    selection = view.tree.selectionModel()
    flags = QItemSelectionModel.SelectionFlag
    selection.select(view.model.index_of(view.document.node("design")), flags.Select | flags.Rows)
    launch = view.document.node("launch")
    view.tree.collapse(view.model.index_of(launch))
    assert view.run(DeleteRows([(Task, "launch")]))
    assert resets == []
    assert names(view) == ["Design", "Review", "Build", "Other"]
    assert sorted(view.selected_ids()) == ["design", "other"]
    same_plan(view, store)
    view.workspace.undo_stack.undo()
    assert resets == [] and names(view)[4:] == ["Launch", "Press", "Party"]
    same_plan(view, store)


def test_a_duplicated_summary_and_its_undo_stay_in_place(view: GanttView, store: Store) -> None:
    resets: list[bool] = []
    view.model.modelReset.connect(lambda: resets.append(True))
    view.select_task("launch")
    view.duplicate_selected()
    assert resets == []
    assert names(view)[4:] == ["Launch", "Press", "Party", "Launch", "Press", "Party"]
    same_plan(view, store)
    view.workspace.undo_stack.undo()
    assert resets == [] and len(names(view)) == 7
    same_plan(view, store)
    view.workspace.undo_stack.redo()
    assert resets == [] and len(names(view)) == 10
    same_plan(view, store)


def test_the_last_task_under_a_summary_makes_it_a_task_again(view: GanttView, store: Store) -> None:
    assert view.run(DeleteRows([(Task, "press"), (Task, "party")]))
    assert names(view) == ["Design", "Review", "Build", "Other", "Launch"]
    assert not view.document.schedule.is_summary(view.document.node("launch"))
    same_plan(view, store)
