"""The time scale above the chart: two tiers of dates (months over weeks, years over months…)
that scroll and zoom with the chart. `paint_timescale` draws it onto any QPainter, so printed
pages repeat the same header."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # the header draws for a chart; `paint_timescale` needs none (first look)
    from desktop.gantt.chart import GanttChart

HEADER_HEIGHT = 44


def _quarter(d: date) -> str:
    return f"Q{(d.month - 1) // 3 + 1} {d.year}"


@dataclass(frozen=True)
class ScaleColors:
    background: QColor
    grid: QColor
    text: QColor
    today: QColor


MonthName = Callable[[date, bool], str]  # (day, long?) -> "March" / "Mar"
DayTest = Callable[[date], bool]
DayLabel = Callable[[date], str]


def english_month(d: date, long: bool) -> str:
    return f"{d:%B}" if long else f"{d:%b}"


def tiers(
    px: float, month: MonthName = english_month
) -> tuple[DayTest, DayLabel, DayTest, DayLabel]:
    """(is_top_boundary, top_label, is_bottom_boundary, bottom_label) for a zoom in px/day;
    `month` names the months (printing passes the locale's names)."""
    if px >= 20:
        return (
            lambda d: d.day == 1,
            lambda d: f"{month(d, True)} {d.year}",
            lambda d: True,
            lambda d: str(d.day),
        )
    if px >= 8:
        return (
            lambda d: d.day == 1,
            lambda d: f"{month(d, True)} {d.year}",
            lambda d: d.weekday() == 0,
            lambda d: f"{d.day} {month(d, False)}",
        )
    if px >= 3:
        return (
            lambda d: d.day == 1 and d.month in (1, 4, 7, 10),
            _quarter,
            lambda d: d.day == 1,
            lambda d: month(d, False),
        )
    return (
        lambda d: d.day == 1 and d.month == 1,
        lambda d: str(d.year),
        lambda d: d.day == 1 and d.month in (1, 4, 7, 10),
        lambda d: f"Q{(d.month - 1) // 3 + 1}",
    )


def paint_timescale(
    painter: QPainter,
    width: float,
    height: float,
    x_of: Callable[[float], float],
    first: int,
    last: int,
    px: float,
    colors: ScaleColors,
    today: int,
    month: MonthName = english_month,
) -> None:
    """The two tiers of dates from day `first` to `last` across `width` x `height`, with
    `x_of(ordinal)` giving each day's x in the painter's coordinates. Shared by the header
    above the chart and the printed pages."""
    painter.fillRect(QRectF(0, 0, width, height), colors.background)
    top_edge, top_label, bottom_edge, bottom_label = tiers(px, month)
    half = height / 2
    grid = QPen(colors.grid, 1)
    painter.setPen(grid)
    painter.drawLine(QLineF(0, half, width, half))
    painter.drawLine(QLineF(0, height - 1, width, height - 1))
    for tier, edge, label in ((0, top_edge, top_label), (1, bottom_edge, bottom_label)):
        starts = [o for o in range(first, last + 1) if edge(date.fromordinal(o))]
        if not starts or starts[0] > first:
            starts.insert(0, first)
        starts.append(last + 1)
        for a, b in itertools.pairwise(starts):
            x0 = x_of(a)
            x1 = x_of(b)
            y = tier * half
            painter.setPen(grid)
            painter.drawLine(QLineF(x0, y, x0, y + half))
            cell = QRectF(max(x0, 0) + 4, y, x1 - max(x0, 0) - 6, half)
            if cell.width() < 12:
                continue
            if tier == 1 and px >= 20 and a == today:
                painter.fillRect(QRectF(x0, y, x1 - x0, half), colors.today)
            painter.setPen(colors.text)
            painter.drawText(
                cell,
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                label(date.fromordinal(a)),
            )


class TimescaleHeader(QWidget):
    def __init__(self, chart: GanttChart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setFixedHeight(HEADER_HEIGHT)
        chart.horizontalScrollBar().valueChanged.connect(self.update)
        chart.zoom_changed.connect(self.update)

    def paintEvent(self, _event: QPaintEvent) -> None:
        chart = self.chart
        painter = QPainter(self)
        palette = self.palette()
        offset = chart.horizontalScrollBar().value()
        colors = ScaleColors(
            background=palette.color(QPalette.ColorRole.Button),
            grid=palette.color(QPalette.ColorRole.Mid),
            text=palette.color(QPalette.ColorRole.ButtonText),
            today=chart.colors.today,
        )
        paint_timescale(
            painter,
            self.width(),
            HEADER_HEIGHT,
            lambda o: chart.x_of(o) - offset,
            chart.ordinal_at(offset),
            chart.ordinal_at(offset + self.width()) + 1,
            chart.px,
            colors,
            date.today().toordinal(),
        )
        painter.end()
