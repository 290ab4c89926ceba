"""Team workload benchmarks on the generated agency (`bench.agency`: 40 people, 150 projects,
15,000 tasks over two years). GANTT_BENCH_CLOCK=cpu counts CPU time instead of wall time
(see `bench.gantt`), for a machine shared with other jobs.

* `workload.open`: the Workload area opened and painted, as when a project manager switches
  to it in a running app (the schedule service already holds the projects' dates, as after
  the Projects list or Today showed them).
* `workload.open_cold`: the same on a database nothing has read yet, scheduling all 150
  projects first.
* `workload.reassign`: a bar dragged to another person and two days later, committed: the
  edit, the workload brought up to date, and the workload chart and the project's Gantt
  repainted.
* `workload.suggest`: the levelling proposals for the most over-allocated person.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select

from bench.agency import open_agency
from bench.gantt import CLOCK
from bench.offscreen_app import offscreen_app
from bench.registry import metric
from db.models import Project
from db.store import Store
from db.workload.fixes import suggest_fixes
from db.workload.load import UNASSIGNED, Workload

RUNS = 5
AS_OF = date(2026, 6, 1)


def _median(run: Callable[[], float], runs: int = RUNS) -> float:
    return statistics.median(run() for _ in range(runs))


def _warm(store: Store) -> None:
    store.schedules.schedulers(store.session.scalars(select(Project.id)))


def _open(store: Store) -> Any:
    from desktop.workload.view import WorkloadView
    from desktop.workspace import Workspace

    app = offscreen_app()
    view = WorkloadView(Workspace(store))
    view.resize(1600, 900)
    view.show()
    app.processEvents()
    return view


def _measure(warm: bool) -> float:
    """The median time to open the view on a fresh copy of the agency, its plans scheduled
    beforehand (`warm`) or not."""

    def once() -> float:
        store = open_agency()
        if warm:
            _warm(store)
        start = CLOCK()
        view = _open(store)
        took = CLOCK() - start
        view.close()
        store.close()
        return took

    return _median(once, 3)


@metric("workload.open", target=0.5)
def open_warm() -> float:
    return _measure(warm=True)


@metric("workload.open_cold")
def open_cold() -> float:
    return _measure(warm=False)


def _busiest(workload: Workload, as_of: date) -> str:
    def over(member: str) -> float:
        return sum(
            workload.overload(member, o)
            for o in workload.busy_days(member)
            if o >= as_of.toordinal()
        )

    return max((p.id for p in workload.people), key=over)


@metric("workload.reassign", target=0.05)
def reassign() -> float:
    from desktop.gantt import GanttView

    app = offscreen_app()
    store = open_agency()
    _warm(store)
    view = _open(store)
    chart = view.chart
    workload = view.workload
    member = _busiest(workload, date.today())
    others = [p.id for p in workload.people if p.id != member]
    bookings = [b for b in workload.bookings_of(member) if b.start >= date.today()][:RUNS]
    chart.toggle(member)
    chart.scroll_to_day(bookings[0].start)
    gantt = GanttView(view.workspace, bookings[0].project_id)
    gantt.resize(1200, 700)
    gantt.show()
    app.processEvents()
    times = []
    for n, booking in enumerate(bookings):
        target = others[n % len(others)]
        if workload.booking(booking.task_id, target) is not None:
            target = UNASSIGNED
        start = CLOCK()
        assert chart.commit(booking, 2, target), view.workspace.last_error
        chart.viewport().repaint()
        gantt.repaint()
        app.processEvents()
        times.append(CLOCK() - start)
        view.workspace.undo_stack.undo()
        app.processEvents()
    gantt.close()
    view.close()
    store.close()
    return statistics.median(times)


@metric("workload.suggest", target=0.2)
def suggest() -> float:
    store = open_agency()
    workload = Workload(store.session, store.schedules)
    member = _busiest(workload, AS_OF)

    def once() -> float:
        start = CLOCK()
        fixes = suggest_fixes(workload, member, AS_OF)
        took = CLOCK() - start
        assert fixes
        return took

    took = _median(once)
    store.close()
    return took
