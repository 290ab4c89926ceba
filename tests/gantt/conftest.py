"""A small project open in a Gantt view, and a way to drag on its chart like a user."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from db.scheduling.engine import Scheduler
from db.scheduling.plan import load_plan
from db.store import Store
from desktop.gantt import GanttView
from desktop.workspace import Workspace
from tests.scheduling.plans import insert_relaunch, link


@pytest.fixture
def project(store: Store) -> str:
    """Design (3 d) → Review (1 d) → Build (5 d) → Press; Other (2 d) on its own; a Launch
    phase over Press (2 d) and Party (1 d). All from Monday 2 March 2026."""
    links = [link("design", "review"), link("review", "build"), link("build", "press")]
    return insert_relaunch(store, links)


@pytest.fixture
def view(qtbot: QtBot, workspace: Workspace, project: str) -> GanttView:
    v = GanttView(workspace, project)
    qtbot.addWidget(v)
    v.resize(1400, 600)
    v.show()
    qtbot.waitExposed(v)
    v.chart.set_zoom("day")
    v.chart.horizontalScrollBar().setValue(round(v.chart.x_of(date(2026, 2, 27).toordinal())))
    return v


def dates(store: Store, project_id: str) -> dict[str, tuple[date, date]]:
    """Dates as the engine computes them from what is stored (not from the view)."""
    s = Scheduler(load_plan(store.session, project_id))
    return {i: (s.start(i), s.finish(i)) for i in s.ids}


def point(view: GanttView, scene: QPointF) -> QPoint:
    return view.chart.mapFromScene(scene)


def drag(view: GanttView, start: QPointF, end: QPointF, *, release: bool = True) -> None:
    """Press at `start`, move in steps to `end`, release — all on the chart's viewport."""
    viewport = view.chart.viewport()
    a, b = point(view, start), point(view, end)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for k in range(1, 5):
        p = a + (b - a) * (k / 4)
        QTest.mouseMove(viewport, p)
    if release:
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def shift(view: GanttView, at: QPointF, days: float) -> QPointF:
    return QPointF(at.x() + days * view.chart.px, at.y())
