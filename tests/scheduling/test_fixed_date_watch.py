"""A live edit watches the fixed dates it can reach (`rules.FixedDateWatch`): the task's own
and those downstream of it; a conflict the plan already had is not the edit's doing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from db.scheduling.engine import Scheduler
from db.scheduling.rules import FixedDateWatch
from tests.scheduling.plans import link, plan, task


def d(day: int) -> date:
    return date(2026, 3, day)


def _plan() -> Scheduler:
    """A (3 d) → B (1 d) → C, which must start on Wed 11 Mar; D finishes by Thu 5 Mar."""
    c = replace(task("c", 2, start=d(11)), fixed=True)
    dd = replace(task("d", 2), finish_by=d(5))
    return Scheduler(plan([task("a", 3), task("b", 1), c, dd], [link("a", "b"), link("b", "c")]))


def test_a_move_upstream_of_a_fixed_start_is_stopped_with_the_engines_words() -> None:
    s = _plan()
    watch = FixedDateWatch(s, ["a"])
    assert sorted(watch.watched) == ["c"]  # D is not downstream of A
    s.update([replace(s.spec("a"), start=d(5))])  # B then ends Tue 10: still fine
    assert watch.broken() is None
    s.update([replace(s.spec("a"), start=d(6))])
    broken = watch.broken()
    assert broken is not None and broken[0] == "c"
    assert broken[1].startswith("'C' must start on Wed 11 Mar 2026, but 'B' must finish first")


def test_a_finish_by_date_is_watched_on_the_task_itself() -> None:
    s = _plan()
    watch = FixedDateWatch(s, ["d"])
    s.update([replace(s.spec("d"), duration=4)])  # Mon 2 to Thu 5
    assert watch.broken() is None
    s.update([replace(s.spec("d"), duration=5)])
    assert watch.broken() == ("d", s.date_conflicts(["d"])["d"])
    assert "must finish by Thu 05 Mar 2026" in s.date_conflicts()["d"]


def test_a_conflict_the_plan_already_had_is_let_be() -> None:
    s = _plan()
    s.update([replace(s.spec("d"), duration=6)])
    assert "d" in s.date_conflicts()
    watch = FixedDateWatch(s, ["d"])
    s.update([replace(s.spec("d"), duration=7)])
    assert watch.broken() is None
    assert FixedDateWatch(s, ["b"]).watched == ["c"]
