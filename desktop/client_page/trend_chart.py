"""The satisfaction trend: ratings (0 to 10) over time as a line with dots, painted with
QPainter (no QtCharts: one small chart is not worth the module)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[tuple[date, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Satisfaction trend")

    def sizeHint(self) -> QSize:
        return QSize(360, 150)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 120)

    def set_points(self, points: Sequence[tuple[date, int]]) -> None:
        self.points = sorted(points, key=lambda p: p[0])  # stable: same-day order kept
        latest = f"latest {self.points[-1][1]} of 10" if self.points else "no ratings yet"
        self.setAccessibleDescription(latest)
        self.update()

    def plot_rect(self) -> QRectF:
        em = self.fontMetrics().horizontalAdvance("10") + 8
        return QRectF(self.rect()).adjusted(em, 8, -10, -self.fontMetrics().height() - 8)

    def point_at(self, i: int) -> QPointF:
        """Where rating `i` is drawn: evenly spread along x, score up the y axis."""
        plot = self.plot_rect()
        if len(self.points) > 1:
            first, last = self.points[0][0], self.points[-1][0]
            span = max((last - first).days, 1)
            x = plot.left() + plot.width() * (self.points[i][0] - first).days / span
        else:
            x = plot.center().x()
        y = plot.bottom() - plot.height() * self.points[i][1] / 10
        return QPointF(x, y)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        plot = self.plot_rect()
        quiet = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        grid = palette.color(QPalette.ColorRole.Mid)
        painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        for score in (0, 5, 10):
            y = plot.bottom() - plot.height() * score / 10
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(quiet)
            painter.drawText(
                QRectF(0, y - 10, plot.left() - 6, 20),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(score),
            )
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        if not self.points:
            painter.setPen(quiet)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No ratings yet")
            painter.end()
            return
        accent = palette.color(QPalette.ColorRole.Highlight)
        line = QPainterPath(self.point_at(0))
        for i in range(1, len(self.points)):
            line.lineTo(self.point_at(i))
        painter.setPen(QPen(accent, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(line)
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        for i in range(len(self.points)):
            painter.drawEllipse(self.point_at(i), 3.5, 3.5)
        painter.setPen(quiet)
        baseline = QRectF(plot.left(), plot.bottom() + 4, plot.width(), 20)
        painter.drawText(baseline, Qt.AlignmentFlag.AlignLeft, self.points[0][0].strftime("%b %Y"))
        if len(self.points) > 1:
            painter.drawText(
                baseline, Qt.AlignmentFlag.AlignRight, self.points[-1][0].strftime("%b %Y")
            )
        painter.end()
