"""The time scale above the chart: two tiers of dates (months over weeks, years over months…)
that scroll and zoom with the chart."""

from __future__ import annotations

import itertools
from datetime import date

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

from desktop.gantt.chart import GanttChart

HEADER_HEIGHT = 44


def _quarter(d: date) -> str:
    return f"Q{(d.month - 1) // 3 + 1} {d.year}"


class TimescaleHeader(QWidget):
    def __init__(self, chart: GanttChart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setFixedHeight(HEADER_HEIGHT)
        chart.horizontalScrollBar().valueChanged.connect(self.update)
        chart.zoom_changed.connect(self.update)

    def _tiers(self) -> tuple:  # type: ignore[type-arg]
        """(is_top_boundary, top_label, is_bottom_boundary, bottom_label) per zoom."""
        px = self.chart.px
        if px >= 20:
            return (
                lambda d: d.day == 1,
                lambda d: f"{d:%B %Y}",
                lambda d: True,
                lambda d: str(d.day),
            )
        if px >= 8:
            return (
                lambda d: d.day == 1,
                lambda d: f"{d:%B %Y}",
                lambda d: d.weekday() == 0,
                lambda d: f"{d.day} {d:%b}",
            )
        if px >= 3:
            return (
                lambda d: d.day == 1 and d.month in (1, 4, 7, 10),
                _quarter,
                lambda d: d.day == 1,
                lambda d: f"{d:%b}",
            )
        return (
            lambda d: d.day == 1 and d.month == 1,
            lambda d: str(d.year),
            lambda d: d.day == 1 and d.month in (1, 4, 7, 10),
            lambda d: f"Q{(d.month - 1) // 3 + 1}",
        )

    def paintEvent(self, _event: QPaintEvent) -> None:
        chart = self.chart
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Button))
        offset = chart.horizontalScrollBar().value()
        first = chart.ordinal_at(offset)
        last = chart.ordinal_at(offset + self.width()) + 1
        top_edge, top_label, bottom_edge, bottom_label = self._tiers()
        half = HEADER_HEIGHT / 2
        grid = QPen(palette.color(QPalette.ColorRole.Mid), 1)
        text = palette.color(QPalette.ColorRole.ButtonText)
        painter.setPen(grid)
        painter.drawLine(QLineF(0, half, self.width(), half))
        painter.drawLine(QLineF(0, HEADER_HEIGHT - 1, self.width(), HEADER_HEIGHT - 1))
        today = date.today().toordinal()
        for tier, edge, label in ((0, top_edge, top_label), (1, bottom_edge, bottom_label)):
            starts = [o for o in range(first, last + 1) if edge(date.fromordinal(o))]
            if not starts or starts[0] > first:
                starts.insert(0, first)
            starts.append(last + 1)
            for a, b in itertools.pairwise(starts):
                x0 = chart.x_of(a) - offset
                x1 = chart.x_of(b) - offset
                y = tier * half
                painter.setPen(grid)
                painter.drawLine(QLineF(x0, y, x0, y + half))
                cell = QRectF(max(x0, 0) + 4, y, x1 - max(x0, 0) - 6, half)
                if cell.width() < 12:
                    continue
                if tier == 1 and chart.px >= 20 and a == today:
                    painter.fillRect(QRectF(x0, y, x1 - x0, half), chart.colors.today)
                painter.setPen(text)
                painter.drawText(
                    cell,
                    int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                    label(date.fromordinal(a)),
                )
        painter.end()
