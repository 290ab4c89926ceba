"""Portfolio benchmark on the generated agency (`bench.agency`: 150 projects, 15,000 tasks).

* `portfolio.open`: the Portfolio area opened and painted in a running app (the schedule
  service already holds the projects' dates, as after the Projects list showed them).
* `portfolio.open_cold`: the same on a database nothing has read yet.
"""

from __future__ import annotations

import statistics
from typing import Any

from sqlalchemy import select

from bench.agency import open_agency
from bench.gantt import CLOCK
from bench.offscreen_app import offscreen_app
from bench.registry import metric
from db.models import Project
from db.store import Store


def _open(store: Store) -> Any:
    from desktop.portfolio.view import PortfolioView
    from desktop.workspace import Workspace

    app = offscreen_app()
    view = PortfolioView(Workspace(store))
    view.resize(1600, 900)
    view.show()
    app.processEvents()
    return view


def _measure(warm: bool) -> float:
    def once() -> float:
        store = open_agency()
        if warm:
            store.schedules.schedulers(store.session.scalars(select(Project.id)))
        start = CLOCK()
        view = _open(store)
        took = CLOCK() - start
        view.close()
        store.close()
        return took

    return statistics.median(once() for _ in range(3))


@metric("portfolio.open", target=0.5)
def open_warm() -> float:
    return _measure(warm=True)


@metric("portfolio.open_cold")
def open_cold() -> float:
    return _measure(warm=False)
