"""Properties of the engine over random plans: constraints hold, re-running is stable,
incremental equals full, edits move only what depends on them, float is sane, undo restores."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from db.scheduling.engine import Scheduler
from db.scheduling.graph import CycleError
from db.scheduling.plan import LinkSpec, Plan, TaskSpec
from tests.scheduling.plans import MON, link, plan, task

KINDS = ("FS", "SS", "FF", "SF")


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    n = draw(st.integers(2, 18))
    tasks: list[TaskSpec] = []
    for i in range(n):
        parent = None
        if i and draw(st.booleans()) and draw(st.booleans()):
            parent = f"t{draw(st.integers(0, i - 1))}"
        tasks.append(
            task(
                f"t{i}",
                draw(st.integers(0, 5)),
                start=MON + timedelta(days=draw(st.integers(-3, 25))),
                parent=parent,
                members=tuple(draw(st.sets(st.sampled_from(["ana", "ben"]), max_size=2))),
            )
        )
    links: list[LinkSpec] = []
    for _ in range(draw(st.integers(0, n * 2))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a < b and not any(
            x.predecessor_id == f"t{a}" and x.successor_id == f"t{b}" for x in links
        ):
            links.append(
                link(f"t{a}", f"t{b}", draw(st.sampled_from(KINDS)), draw(st.integers(-2, 3)))
            )
    leave = {
        "ana": [(MON + timedelta(days=3), MON + timedelta(days=6))],
        "ben": [(MON + timedelta(days=10), MON + timedelta(days=10))],
    }
    return plan(tasks, links, leave=leave)


def scheduled(p: Plan) -> Scheduler:
    try:
        return Scheduler(p)
    except CycleError:
        assume(False)
        raise


def dates(s: Scheduler) -> dict[str, tuple[date, date]]:
    return {i: (s.start(i), s.finish(i)) for i in s.ids}


def leaf_ids(s: Scheduler) -> list[str]:
    return [i for i in s.ids if not s.is_summary(i)]


@settings(max_examples=150, deadline=None)
@given(plans())
def test_no_task_starts_before_its_constraints_allow(p: Plan) -> None:
    s = scheduled(p)
    for tid in leaf_ids(s):
        cal = s.calendar_of(tid)
        assert s.start(tid) >= cal.next_working_day(s.spec(tid).start)
        assert cal.is_working_day(s.start(tid)) and cal.is_working_day(s.finish(tid))
        earliest, _ = s.earliest_start(tid)
        if earliest is not None:
            assert s.start(tid) >= earliest
        # As early as allowed: the later of its own date and what predecessors allow.
        own = cal.next_working_day(s.spec(tid).start)
        assert s.start(tid) == max(own, earliest or own)
    for lk in p.links:
        pred, succ = lk.predecessor_id, lk.successor_id
        for leaf in (
            [succ] if not s.is_summary(succ) else [t for t in leaf_ids(s) if _under(s, t, succ)]
        ):
            if lk.lag < 0:
                continue
            if lk.type == "FS":
                if s.scheduled(leaf).milestone:
                    assert s.start(leaf) >= s.finish(pred)
                else:
                    assert s.start(leaf) > s.finish(pred)
            if lk.type == "SS":
                assert s.start(leaf) >= s.start(pred)
            if lk.type == "FF":
                assert s.finish(leaf) >= s.finish(pred)
    for tid in s.ids:
        if s.is_summary(tid):
            kids = [t for t in s.ids if s.spec(t).parent_id == tid]
            assert s.start(tid) == min(s.start(k) for k in kids)
            assert s.finish(tid) == max(s.finish(k) for k in kids)


def _under(s: Scheduler, tid: str, ancestor: str) -> bool:
    parent = s.spec(tid).parent_id
    while parent is not None:
        if parent == ancestor:
            return True
        parent = s.spec(parent).parent_id
    return False


@settings(max_examples=150, deadline=None)
@given(plans())
def test_rescheduling_is_stable(p: Plan) -> None:
    s = scheduled(p)
    first = dates(s)
    assert s.rebuild(p) == set()
    assert dates(s) == first == dates(Scheduler(p))


@settings(max_examples=200, deadline=None)
@given(plans(), st.data())
def test_incremental_equals_full_and_moves_only_dependents(p: Plan, data: st.DataObject) -> None:
    s = scheduled(p)
    before = dates(s)
    tid = data.draw(st.sampled_from(leaf_ids(s)))
    old = s.spec(tid)
    new = replace(
        old,
        start=old.start + timedelta(days=data.draw(st.integers(-10, 10))),
        duration=old.duration if old.milestone else data.draw(st.integers(1, 6)),
    )
    changed = s.update([new])
    full = Scheduler(Plan([new if t.id == tid else t for t in p.tasks], p.links, p.agency, p.leave))
    after = dates(s)
    assert after == dates(full)
    assert changed == {i for i in s.ids if before[i] != after[i]}
    allowed = s.downstream(tid) | {tid}
    assert all(before[i] == after[i] for i in s.ids if i not in allowed)
    # Undo: putting the old inputs back restores every task the edit moved.
    s.update([old])
    assert dates(s) == before


@settings(max_examples=150, deadline=None)
@given(plans())
def test_float_is_never_negative_and_the_critical_path_ends_the_project(p: Plan) -> None:
    s = scheduled(p)
    floats = {i: s.total_float(i) for i in s.ids}
    assert all(f >= 0 for f in floats.values())
    critical = s.critical_ids()
    assert critical == {i for i, f in floats.items() if f == 0}
    last = max(s.finish(i) for i in s.ids)
    assert any(s.finish(i) == last for i in critical)


@settings(max_examples=150, deadline=None)
@given(plans(), st.data())
def test_adding_a_task_in_place_equals_scheduling_again(p: Plan, data: st.DataObject) -> None:
    """An inserted row (no links or people of its own) joins the schedule incrementally with
    the dates, summaries and float a full run gives, links into its summaries included."""
    s = scheduled(p)
    summaries = [i for i in s.ids if s.is_summary(i)]
    parent = data.draw(st.sampled_from([None, *summaries]))
    new = task(
        "new",
        data.draw(st.integers(0, 4)),
        start=MON + timedelta(days=data.draw(st.integers(-3, 25))),
        parent=parent,
    )
    new = replace(new, sort_order=data.draw(st.integers(-1, 20)))
    assert s.can_add(new)
    changed = s.add_task(new)
    assert changed is not None and "new" in changed
    fresh = Scheduler(Plan([*p.tasks, new], p.links, p.agency, p.leave))
    assert dates(s) == dates(fresh)
    assert {i: s.total_float(i) for i in s.ids} == {i: fresh.total_float(i) for i in s.ids}
    if parent is not None:
        kids = [s.ids[k] for k in s.children[s.pos[parent]]]
        assert sorted(kids, key=lambda i: s.spec(i).sort_order) == kids


def test_a_task_under_a_plain_task_needs_a_rebuild() -> None:
    s = Scheduler(plan([task("a", 2)]))
    under = task("b", 1, parent="a")
    assert not s.can_add(under)
    assert s.add_task(under) is None
    assert "b" not in s


@settings(max_examples=150, deadline=None)
@given(plans(), st.data())
def test_removing_tasks_in_place_equals_scheduling_what_is_left(
    p: Plan, data: st.DataObject
) -> None:
    s = scheduled(p)
    picked = data.draw(st.sets(st.sampled_from(s.ids), min_size=1, max_size=3))
    before = dates(s)
    changed = s.remove_tasks(picked)
    gone = set(picked)
    for t in p.tasks:  # parents come before their children in these plans
        if t.parent_id in gone:
            gone.add(t.id)
    rest = Plan(
        [t for t in p.tasks if t.id not in gone],
        [x for x in p.links if x.predecessor_id not in gone and x.successor_id not in gone],
        p.agency,
        p.leave,
    )
    full = Scheduler(rest)
    if changed is None:  # a summary left without tasks: only a rebuild can say
        assert any(
            full.spec(t.parent_id).id == t.parent_id and not full.is_summary(t.parent_id)
            for t in p.tasks
            if t.id in gone and t.parent_id is not None and t.parent_id not in gone
        )
        return
    assert s.ids == full.ids
    assert dates(s) == dates(full)
    assert changed == {i for i in full.ids if before[i] != dates(full)[i]}
    assert {i: s.total_float(i) for i in s.ids} == {i: full.total_float(i) for i in full.ids}
    assert [s.parent[s.pos[i]] for i in s.ids] == [full.parent[full.pos[i]] for i in full.ids]


@settings(max_examples=150, deadline=None)
@given(plans(), st.data())
def test_tasks_put_back_in_place_schedule_as_before(p: Plan, data: st.DataObject) -> None:
    """An undone deletion: tasks taken out, then added back with their links."""
    s = scheduled(p)
    picked = data.draw(st.sets(st.sampled_from(s.ids), min_size=1, max_size=3))
    before = dates(s)
    floats = {i: s.total_float(i) for i in s.ids}
    if s.remove_tasks(picked) is None:
        return
    back = [t for t in p.tasks if t.id not in s.pos]
    links = [x for x in p.links if x.predecessor_id not in s.pos or x.successor_id not in s.pos]
    added = s.add_tasks(back, links)
    assert added is not None
    assert dates(s) == before
    assert {i: s.total_float(i) for i in s.ids} == floats
    assert added >= {t.id for t in back}
    for i in s.ids:  # the outline as a fresh schedule has it
        full = scheduled(p)
        assert [s.ids[c] for c in s.children[s.pos[i]]] == [
            full.ids[c] for c in full.children[full.pos[i]]
        ]


@settings(max_examples=200, deadline=None)
@given(plans(), st.data())
def test_a_task_given_a_new_parent_in_place_schedules_as_a_fresh_build(
    p: Plan, data: st.DataObject
) -> None:
    """An indent or an outdent: one task (with everything under it) goes under another
    parent, or to the top level, at some place among its new siblings. `reparent` keeps the
    node numbers and reschedules only what that touches; a fresh build of the new plan must
    agree on every date, float and outline."""
    s = scheduled(p)
    moved = data.draw(st.sampled_from(s.ids))
    under = {moved} | {s.ids[j] for j in _below(s, s.pos[moved])}
    new_parent = data.draw(st.one_of(st.none(), st.sampled_from(s.ids)))
    assume(new_parent not in under)
    spec = replace(
        s.spec(moved), parent_id=new_parent, sort_order=data.draw(st.integers(-1, len(s.ids)))
    )
    tasks = sorted(
        (spec if t.id == moved else t for t in p.tasks), key=lambda t: t.sort_order
    )  # a fresh build takes each parent's tasks in the order given: by sort order
    new = Plan(tasks, p.links, p.agency, p.leave)
    try:
        full = Scheduler(new)
    except CycleError:
        return  # an edit the plan's rules refuse before the engine ever sees it
    before = dates(s)
    changed = s.reparent([spec])
    assert changed is not None
    assert dates(s) == dates(full)
    assert changed == {i for i in full.ids if before[i] != dates(full)[i]}
    assert {i: s.total_float(i) for i in s.ids} == {i: full.total_float(i) for i in full.ids}
    for i in s.ids:
        assert [s.ids[c] for c in s.children[s.pos[i]]] == [
            full.ids[c] for c in full.children[full.pos[i]]
        ]
    # Still incremental afterwards: moving a task again follows the new outline.
    leaf = data.draw(st.sampled_from(s.ids))
    if not s.is_summary(leaf):
        later = replace(s.spec(leaf), start=s.spec(leaf).start + timedelta(days=2))
        s.update([later])
        again = Scheduler(
            Plan([later if t.id == leaf else t for t in new.tasks], p.links, p.agency, p.leave)
        )
        assert dates(s) == dates(again)


def _below(s: Scheduler, node: int) -> list[int]:
    found, stack = [], list(s.children[node])
    while stack:
        j = stack.pop()
        found.append(j)
        stack.extend(s.children[j])
    return found
