"""Issue 11 on the chart: a hovered bar shows link handles before its start and after its
finish, and dragging from one to another task makes the link those ends name (FS, SS, FF,
SF); each person's colour shows on their bars and beside their name in the People column."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from sqlalchemy import select

from db.models import Dependency, DependencyType, TeamMember
from db.operations import Create
from db.scheduling.staffing import SetPeople
from db.store import Store
from desktop.gantt import GanttView
from desktop.gantt.gestures import Part
from desktop.gantt.painter import blend
from desktop.gantt.tree_model import COL_PEOPLE
from tests.gantt.conftest import dates, drag

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

ANA = "#188038"


def d(day: int) -> date:
    return date(2026, 3, day)


def link_made(store: Store, successor: str) -> tuple[str, DependencyType]:
    dep = store.session.scalars(
        select(Dependency).where(Dependency.successor_id == successor)
    ).one()
    return dep.predecessor_id, dep.type


def hover(view: GanttView, at: QPointF) -> None:
    QTest.mouseMove(view.chart.viewport(), view.chart.mapFromScene(at))


def test_hovering_a_bar_shows_its_link_handles(view: GanttView) -> None:
    chart = view.chart
    other = view.document.node("other")
    before = chart.viewport().grab().toImage()
    hover(view, chart.handle_pos("other", Part.MOVE))
    assert chart.hover == other and chart.chart_painter().handles == other
    after = chart.viewport().grab().toImage()
    for end in chart.link_handles(other):
        # A ring is drawn where each handle sits: pixels change around its centre.
        centre = chart.mapFromScene(end)
        assert _changed(before, after, centre.x(), centre.y(), 4)
    assert chart.hit(chart.link_handles(other)[0])[1] == Part.LINK_START
    assert chart.hit(chart.link_handles(other)[1])[1] == Part.LINK
    hover(view, QPointF(chart.handle_pos("other").x(), chart.handle_pos("design").y() + 400))
    assert chart.hover == -1


def _changed(a: QImage, b: QImage, x: int, y: int, r: int) -> bool:
    return any(
        a.pixel(x + dx, y + dy) != b.pixel(x + dx, y + dy)
        for dx in range(-r, r + 1)
        for dy in range(-r, r + 1)
    )


def test_from_the_start_handle_onto_a_bar_makes_start_to_start(
    view: GanttView, store: Store, project: str
) -> None:
    chart = view.chart
    drag(view, chart.handle_pos("build", Part.LINK_START), chart.handle_pos("party"), release=False)
    assert chart.drag_text() == "'Party' will start after 'Build' starts (SS)"
    end = chart.mapFromScene(chart.handle_pos("party"))
    QTest.mouseRelease(
        chart.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end
    )
    assert link_made(store, "party") == ("build", DependencyType.SS)
    assert dates(store, project)["party"][0] == dates(store, project)["build"][0] == d(6)
    assert view.workspace.undo_stack.count() == 1


def test_from_the_finish_handle_onto_a_bars_finish_makes_finish_to_finish(
    view: GanttView, store: Store, project: str
) -> None:
    chart = view.chart
    # Other (Mon to Tue) → the far end of Party (one day, Monday): Party finishes with Other.
    drag(view, chart.handle_pos("other", Part.LINK), chart.handle_pos("party", Part.LINK))
    assert link_made(store, "party") == ("other", DependencyType.FF)
    assert dates(store, project)["party"] == (d(3), d(3))


def test_from_the_start_handle_onto_a_bars_finish_makes_start_to_finish(
    view: GanttView, store: Store
) -> None:
    chart = view.chart
    drag(view, chart.handle_pos("other", Part.LINK_START), chart.handle_pos("party", Part.FINISH))
    assert link_made(store, "party") == ("other", DependencyType.SF)


def test_a_link_drag_shows_the_ends_it_joins(view: GanttView) -> None:
    chart = view.chart
    before = chart.viewport().grab().toImage()
    drag(view, chart.handle_pos("other", Part.LINK), chart.handle_pos("party"), release=False)
    assert chart.drag_text() == "'Party' will start after 'Other' finishes (FS)"
    after = chart.viewport().grab().toImage()
    start = chart.mapFromScene(chart.link_handles(view.document.node("party"))[0])
    assert _changed(before, after, start.x(), start.y(), 3)  # Party's start handle, lit
    chart.cancel_drag()
    assert view.workspace.undo_stack.count() == 0


def test_a_persons_colour_fills_their_bars_and_marks_their_name(
    view: GanttView, store: Store
) -> None:
    view.workspace.run(Create(TeamMember, {"name": "Ana Lima", "colour": ANA}))
    view.workspace.run(SetPeople("build", ["Ana Lima"]))
    chart = view.chart
    node = view.document.node("build")
    assert view.document.colour_of("build") == ANA
    rect = chart.bar_rect(node)
    middle = chart.mapFromScene(rect.center())
    image = chart.viewport().grab().toImage()
    painted = QColor(image.pixel(middle.x(), middle.y()))
    expected = blend(chart.colors.base, QColor(ANA), 0.38)
    assert abs(painted.green() - expected.green()) <= 3
    assert abs(painted.red() - expected.red()) <= 3
    plain = chart.mapFromScene(chart.bar_rect(view.document.node("design")).center())
    assert QColor(image.pixel(plain.x(), plain.y())) == chart.colors.bar
    # The People column: a dot of her colour before her name.
    index = view.model.index_of(node, COL_PEOPLE)
    view.tree.scrollTo(index)
    cell = view.tree.visualRect(index)
    shot = view.tree.viewport().grab().toImage()
    dot = QColor(shot.pixel(cell.left() + 5 + 4, cell.center().y()))
    assert abs(dot.green() - QColor(ANA).green()) <= 12 and dot.red() < 80
