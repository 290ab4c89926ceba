"""The engine on small plans whose right answer a planner can check by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from db.scheduling.engine import Scheduler
from db.scheduling.graph import CycleError
from tests.scheduling.plans import MON, link, plan, task


def d(day: int) -> date:
    return date(2026, 3, day)


def test_finish_to_start_skips_the_weekend() -> None:
    s = Scheduler(plan([task("design", 3), task("build", 2)], [link("design", "build")]))
    assert (s.start("design"), s.finish("design")) == (MON, d(4))
    assert (s.start("build"), s.finish("build")) == (d(5), d(6))


def test_start_on_a_weekend_moves_to_monday() -> None:
    s = Scheduler(plan([task("a", 2, start=d(7))]))
    assert (s.start("a"), s.finish("a")) == (d(9), d(10))


@pytest.mark.parametrize(
    ("kind", "lag", "start", "finish"),
    [
        ("FS", 0, d(5), d(6)),
        ("FS", 2, d(9), d(10)),
        ("FS", -1, d(4), d(5)),  # a lead
        ("SS", 0, d(2), d(3)),
        ("SS", 1, d(3), d(4)),
        ("FF", 0, d(3), d(4)),
        ("SF", 0, d(2), d(3)),  # finishing no earlier than a's start: its own start binds
        ("SF", 3, d(3), d(4)),  # finishes by the end of the 3rd working day after a starts
    ],
)
def test_dependency_types_and_lags(kind: str, lag: int, start: date, finish: date) -> None:
    s = Scheduler(plan([task("a", 3), task("b", 2)], [link("a", "b", kind, lag)]))
    assert (s.start("b"), s.finish("b")) == (start, finish)


def test_own_start_date_is_start_no_earlier_than() -> None:
    s = Scheduler(plan([task("a", 1), task("b", 1, start=d(16))], [link("a", "b")]))
    assert s.start("b") == d(16)
    changed = s.update([replace(s.spec("a"), duration=15)])
    assert s.start("b") == d(23) and changed == {"a", "b"}
    s.update([replace(s.spec("a"), duration=1)])
    assert s.start("b") == d(16)  # came back, but not before its own date


def test_milestones_sit_on_the_finish_of_their_predecessor() -> None:
    s = Scheduler(
        plan([task("a", 3), task("gate", 0), task("b", 1)], [link("a", "gate"), link("gate", "b")])
    )
    assert s.start("gate") == s.finish("gate") == d(4)
    assert s.start("b") == d(5)
    assert s.scheduled("gate").milestone
    assert s.duration("gate") == 0


def test_summary_spans_its_children_and_passes_links_down() -> None:
    tasks = [
        task("kickoff", 2),
        task("phase", 1, start=d(20)),
        task("x", 2, parent="phase"),
        task("y", 4, parent="phase"),
        task("after", 1),
    ]
    s = Scheduler(plan(tasks, [link("kickoff", "phase"), link("phase", "after")]))
    assert s.start("x") == s.start("y") == d(4)
    assert (s.start("phase"), s.finish("phase")) == (d(4), d(9))
    assert s.start("after") == d(10)
    assert s.is_summary("phase") and s.duration("phase") == 4


def test_leave_moves_a_task_past_it_and_stretches_one_across_it() -> None:
    leave = {"ana": [(d(3), d(4))]}
    tasks = [
        task("starts_in_leave", 2, start=d(3), members=("ana",)),
        task("spans_leave", 3, members=("ana",)),
        task("nobody", 3),
    ]
    s = Scheduler(plan(tasks, leave=leave))
    assert (s.start("starts_in_leave"), s.finish("starts_in_leave")) == (d(5), d(6))
    assert (s.start("spans_leave"), s.finish("spans_leave")) == (d(2), d(6))
    assert (s.start("nobody"), s.finish("nobody")) == (d(2), d(4))


def test_cycle_is_refused_with_the_loop_named() -> None:
    tasks = [task("design"), task("review"), task("ship")]
    links = [link("design", "review"), link("review", "ship"), link("ship", "design")]
    with pytest.raises(CycleError) as info:
        Scheduler(plan(tasks, links))
    message = str(info.value)
    assert "→" in message
    for name in ("Design", "Review", "Ship"):
        assert name in message
    assert info.value.loop[0] == info.value.loop[-1]


def test_link_from_a_child_to_its_own_summary_is_a_cycle() -> None:
    with pytest.raises(CycleError, match="Phase"):
        Scheduler(plan([task("phase"), task("x", parent="phase")], [link("x", "phase")]))


def test_critical_path_and_float() -> None:
    tasks = [task("a", 2), task("long", 5), task("short", 1), task("end", 1)]
    links = [link("a", "long"), link("a", "short"), link("long", "end"), link("short", "end")]
    s = Scheduler(plan(tasks, links))
    assert s.critical_ids() == {"a", "long", "end"}
    assert s.total_float("short") == 4
    assert s.total_float("a") == 0


def test_earliest_start_names_the_predecessor() -> None:
    s = Scheduler(plan([task("design", 3), task("build", 2)], [link("design", "build")]))
    day, reason = s.earliest_start("build")
    assert day == d(5)
    assert "'Design' must finish first" in reason
    assert s.earliest_start("design") == (None, "")


def test_update_touches_only_the_downstream_closure() -> None:
    tasks = [task("a", 1), task("b", 1), task("c", 1), task("other", 1)]
    s = Scheduler(plan(tasks, [link("a", "b"), link("b", "c")]))
    changed = s.update([replace(s.spec("a"), start=d(9))])
    assert changed == {"a", "b", "c"}
    assert s.start("other") == MON
    assert s.downstream("a") == {"b", "c"}


def test_a_milestone_whose_day_falls_in_its_owners_leave_waits_for_their_return() -> None:
    # Design ends on Thursday 5 March; Ana, who signs off, is away Thursday to Sunday.
    p = plan(
        [task("design", 4), task("signoff", 0, members=("ana",))],
        [link("design", "signoff")],
        leave={"ana": [(date(2026, 3, 5), date(2026, 3, 8))]},
    )
    s = Scheduler(p)
    assert s.finish("design") == date(2026, 3, 5)
    assert s.start("signoff") == date(2026, 3, 9)  # never back to Wednesday, before Design ends
