"""The schedule's read API: what the Gantt, printing and the Projects list read instead of
the engine's arrays. It answers what the engine computed, by node and by task id, and stays
current as the scheduler is edited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from db.models import DependencyType
from db.scheduling.engine import Scheduler
from db.scheduling.schedule_view import ScheduleView
from tests.scheduling.plans import MON, link, plan, task


def d(day: int) -> date:
    return date(2026, 3, day)


def _view() -> tuple[Scheduler, ScheduleView]:
    s = Scheduler(
        plan(
            [
                task("design", 3),
                task("launch", 1),
                task("press", 2, parent="launch"),
                task("party", 1, parent="launch"),
                task("done", 0),
            ],
            [link("design", "launch"), link("press", "done", "SS", 1)],
            leave={"ana": [(d(20), d(24))]},
        )
    )
    return s, ScheduleView(s)


def test_dates_by_id_and_by_node_are_the_engines() -> None:
    s, v = _view()
    for task_id in s.ids:
        node = v.node(task_id)
        assert v.task_id(node) == task_id
        assert v.start(task_id) == s.start(task_id)
        assert v.finish(task_id) == s.finish(task_id)
        assert v.start_ordinal(node) == s.start(task_id).toordinal()
        assert v.finish_ordinal(node) == s.finish(task_id).toordinal()
        assert v.duration(node) == s.duration(task_id)
        assert v.total_float(node) == s.total_float(task_id)
        assert v.is_critical(node) == s.critical(task_id)
    assert v.span() == (d(2), d(6))
    assert "design" in v and "nothing" not in v and len(v) == 5


def test_outline_links_and_kinds() -> None:
    _s, v = _view()
    n = v.node
    assert [v.task_id(i) for i in v.roots()] == ["design", "launch", "done"]
    assert [v.task_id(i) for i in v.outline()] == ["design", "launch", "press", "party", "done"]
    assert list(v.children(n("launch"))) == [n("press"), n("party")]
    assert v.parent(n("press")) == n("launch") and v.parent(n("launch")) == -1
    assert v.depth(n("party")) == 1 and v.is_under(n("party"), n("launch"))
    assert v.is_summary(n("launch")) and not v.is_milestone(n("launch"))
    assert v.is_milestone(n("done"))
    # A link into a summary names the summary; each link shows at both its ends.
    (into,) = v.links_of(n("launch"))
    assert (into.predecessor, into.successor) == (n("design"), n("launch"))
    assert into.leaves_finish and into.enters_start
    (ss,) = v.links_of(n("done"))
    assert ss.type == DependencyType.SS and ss.lag == 1 and not ss.leaves_finish
    assert v.linked(n("design"), n("launch")) and not v.linked(n("launch"), n("design"))
    assert v.wait_path("party", "design") is None
    path = v.wait_path("design", "party")
    assert path is not None and path[0] == "design" and path[-1] == "party"
    assert list(v.leave("ana")) == [(d(20), d(24))] and list(v.leave("ben")) == []


def test_the_view_follows_a_live_edit() -> None:
    s, v = _view()
    design = v.node("design")
    s.update([replace(v.spec(design), start=d(9))])
    assert v.start("design") == d(9)
    assert v.start("press") == d(12)  # through the summary it is linked to


def test_per_node_reads_allocate_nothing() -> None:
    """A paint loop reads these for every visible row at 60 frames a second: each returns
    an object that already exists."""
    _s, v = _view()
    node = v.node("press")
    assert v.spec(node) is v.spec(node)
    assert v.children(node) is v.children(node)
    assert v.links_of(node) is v.links_of(node)
    assert v.name(node) is v.name(node)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=12), st.data())
def test_every_task_reads_the_same_by_node_and_by_id(
    durations: list[int], data: st.DataObject
) -> None:
    tasks = [task(f"t{i}", n, start=MON) for i, n in enumerate(durations)]
    links = [
        link(f"t{i}", f"t{j}", data.draw(st.sampled_from(["FS", "SS", "FF", "SF"])))
        for i in range(len(tasks))
        for j in range(i + 1, len(tasks))
        if data.draw(st.booleans())
    ]
    s = Scheduler(plan(tasks, links))
    v = ScheduleView(s)
    for node, task_id in enumerate(v.task_ids()):
        assert date.fromordinal(v.start_ordinal(node)) == s.start(task_id)
        assert date.fromordinal(v.finish_ordinal(node)) == s.finish(task_id)
    assert sum(len(v.links_of(i)) for i in range(len(v))) == 2 * len(links)
