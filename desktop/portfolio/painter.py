"""Drawing the portfolio timeline onto any QPainter, the screen's or a printed page's: client
rows with their health badge, project bars with milestones (diamonds) and deliverables
(triangles), the baseline's finish and the slip since, the due date, the burn flag, and
today. Colours come from the Gantt's palette (`desktop.gantt.painter.Colors`), so the
portfolio and a project's plan read alike on screen and on paper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF

from db.models import ProjectStatus, TaskKind
from db.portfolio.timeline import PortfolioProject
from desktop.gantt.painter import Colors, blend
from desktop.portfolio.layout import HEADER_HEIGHT, NAME_WIDTH, PortfolioLayout, Row

HEALTH = {"good": QColor("#188038"), "fair": QColor("#e37400"), "poor": QColor("#d93025")}
STATUS_TEXT = {
    ProjectStatus.PLANNED: "planned",
    ProjectStatus.ACTIVE: "active",
    ProjectStatus.ON_HOLD: "on hold",
    ProjectStatus.DONE: "done",
    ProjectStatus.CANCELLED: "cancelled",
}


@dataclass
class Ghost:
    """A bar being dragged: the project and its shift in calendar days."""

    project: PortfolioProject
    shift: int


class PortfolioPainter:
    """Paints the layout with the chart scrolled to (`left`, `top`) into `width` by `height`."""

    def __init__(self, layout: PortfolioLayout, colors: Colors, font: QFont) -> None:
        self.layout = layout
        self.colors = colors
        self.font = font

    def x(self, ordinal: float, left: float) -> float:
        return NAME_WIDTH + self.layout.x_of(ordinal) - left

    def paint(
        self,
        painter: QPainter,
        width: int,
        height: int,
        left: float,
        top: float,
        *,
        selected: str = "",
        ghost: Ghost | None = None,
    ) -> None:
        c = self.colors
        lay = self.layout
        painter.fillRect(QRect(0, 0, width, height), c.base)
        rows = [r for r in lay.rows if r.y + r.height > top and r.y < top + height - HEADER_HEIGHT]
        small = QFont(self.font)
        if self.font.pointSizeF() > 0:
            small.setPointSizeF(self.font.pointSizeF() * 0.85)
        else:  # a page's font, sized in layout units
            small.setPixelSize(max(1, round(self.font.pixelSize() * 0.85)))
        painter.save()
        painter.setClipRect(QRect(NAME_WIDTH, HEADER_HEIGHT, width - NAME_WIDTH, height))
        self._paint_grid(painter, width, height, left)
        for row in rows:
            y = HEADER_HEIGHT + row.y - top
            band = QRect(NAME_WIDTH, int(y), width, row.height)
            if row.project is None:
                painter.fillRect(band, blend(c.base, c.text, 0.05))
            elif row.project.id == selected:
                painter.fillRect(band, c.row_selected)
            if row.project is not None:
                painter.setFont(small)
                self._paint_bar(painter, row, y, left, row.project)
            painter.setPen(QPen(c.grid, 1))
            painter.drawLine(
                QPointF(NAME_WIDTH, y + row.height - 0.5), QPointF(width, y + row.height - 0.5)
            )
        if ghost is not None:
            ghost_row = lay.row_of_project(ghost.project.id)
            span = lay.bar_span(ghost.project, ghost.shift)
            if ghost_row is not None and span is not None:
                y = HEADER_HEIGHT + ghost_row.y - top
                rect = QRectF(
                    NAME_WIDTH + span[0] - left, y + 6, span[1] - span[0], ghost_row.height - 12
                )
                painter.setPen(QPen(c.text, 1, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(rect, 3, 3)
        today = self.x(lay.today.toordinal(), left)
        painter.setPen(QPen(c.today, 2))
        painter.drawLine(QPointF(today, HEADER_HEIGHT), QPointF(today, height))
        painter.restore()
        self._paint_header(painter, width, left, small)
        self._paint_names(painter, rows, height, top, selected)

    def _paint_grid(self, painter: QPainter, width: int, height: int, left: float) -> None:
        lay = self.layout
        painter.setPen(QPen(self.colors.grid, 1))
        for month in _months(lay.first, lay.last):
            x = self.x(month.toordinal(), left)
            if NAME_WIDTH <= x <= width:
                painter.drawLine(QPointF(x, HEADER_HEIGHT), QPointF(x, height))

    def _paint_bar(
        self, painter: QPainter, row: Row, y: float, left: float, p: PortfolioProject
    ) -> None:
        c = self.colors
        span = self.layout.bar_span(p)
        if span is None:
            painter.setPen(c.text)
            painter.drawText(
                QRectF(NAME_WIDTH + 8, y, 300, row.height),
                Qt.AlignmentFlag.AlignVCenter,
                "no tasks planned yet",
            )
            return
        x0, x1 = NAME_WIDTH + span[0] - left, NAME_WIDTH + span[1] - left
        bar = QRectF(x0, y + 8, max(x1 - x0, 3), row.height - 16)
        fill = c.bar if p.status != ProjectStatus.ON_HOLD else QColor("#fdd663")
        if p.status == ProjectStatus.PLANNED:
            fill = blend(c.base, c.bar, 0.55)
        painter.setPen(QPen(c.bar_edge, 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(bar, 3, 3)
        if p.complete:
            done = QRectF(bar.left(), bar.top(), bar.width() * p.complete / 100, bar.height())
            painter.fillRect(done.adjusted(1, 1, 0, -1), c.progress)
        # The baseline's finish, and the slip since it in red.
        if p.baseline_finish is not None and p.slip:
            bx = self.x(p.baseline_finish.toordinal() + 1, left)
            painter.setPen(QPen(c.refuse if p.slip > 0 else c.baseline, 2))
            painter.drawLine(QPointF(bx, bar.bottom() + 3), QPointF(x1, bar.bottom() + 3))
            painter.setPen(QPen(c.baseline, 2))
            painter.drawLine(QPointF(bx, bar.top() - 2), QPointF(bx, bar.bottom() + 5))
        # Due date: a tick, red when the plan finishes after it.
        ends: list[float] = []  # right edges of what is drawn about the bar's end
        if p.due is not None:
            dx = self.x(p.due.toordinal() + 1, left)
            ends.append(dx + 1)
            painter.setPen(QPen(c.refuse if p.late else c.summary, 2))
            painter.drawLine(QPointF(dx, y + 3), QPointF(dx, y + row.height - 3))
        for m in p.markers:
            mx = self.x(m.day.toordinal() + 1, left)
            cy = bar.center().y()
            painter.setPen(QPen(c.base, 1))
            painter.setBrush(c.milestone if m.kind == TaskKind.MILESTONE else c.summary)
            if m.kind == TaskKind.MILESTONE:
                shape = [(0, -6), (6, 0), (0, 6), (-6, 0)]
            else:
                shape = [(-5, -6), (5, -6), (0, 5)]
            painter.drawPolygon(QPolygonF([QPointF(mx + dx_, cy + dy_) for dx_, dy_ in shape]))
            ends.append(mx + 6)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        label = p.name
        if p.slip:
            label += f"  {p.slip:+d} d"
        if p.burning_ahead:
            label += "  · burn ahead of progress"
        # The label starts right of the bar and of any tick or marker it would run over.
        text_x = x1
        room = painter.fontMetrics().horizontalAdvance(label) + 6
        for end in sorted(ends):
            if text_x - 2 <= end <= text_x + room:
                text_x = end
        # The warning red of a light page reads too dark on a dark palette.
        warn = c.critical if c.dark else c.refuse
        painter.setPen(warn if p.burning_ahead or (p.slip or 0) > 0 else c.text)
        painter.drawText(
            QRectF(text_x + 6, y, 600, row.height), Qt.AlignmentFlag.AlignVCenter, label
        )

    def _paint_header(self, painter: QPainter, width: int, left: float, font: QFont) -> None:
        c = self.colors
        lay = self.layout
        painter.fillRect(QRect(0, 0, width, HEADER_HEIGHT), blend(c.base, c.text, 0.05))
        painter.save()
        painter.setClipRect(QRect(NAME_WIDTH, 0, width - NAME_WIDTH, HEADER_HEIGHT))
        painter.setFont(font)
        half = HEADER_HEIGHT // 2
        year = None
        for month in _months(lay.first, lay.last):
            x = self.x(month.toordinal(), left)
            nxt = _next_month(month)
            w = self.x(nxt.toordinal(), left) - x
            painter.setPen(QPen(c.grid, 1))
            painter.drawLine(QPointF(x, half), QPointF(x, HEADER_HEIGHT))
            painter.setPen(c.text)
            # A month cut by either edge names itself in the part that shows.
            shown_left, shown_right = max(x, NAME_WIDTH), min(x + w, width)
            shown = shown_right - shown_left
            label = f"{month:%b}"
            if painter.fontMetrics().horizontalAdvance(label) > shown - 4:
                label = (
                    label[0] if painter.fontMetrics().horizontalAdvance(label[0]) < shown else ""
                )
            painter.drawText(
                QRectF(shown_left, half, shown, half), Qt.AlignmentFlag.AlignCenter, label
            )
            if month.year != year:
                year = month.year
                # In the part of its year that shows, so years scrolled past the left edge
                # do not pile up there.
                end = self.x(date(year + 1, 1, 1).toordinal(), left)
                room = QRectF(
                    max(x, NAME_WIDTH) + 4, 0, min(end, width) - max(x, NAME_WIDTH) - 4, half
                )
                if room.width() >= painter.fontMetrics().horizontalAdvance(str(year)):
                    painter.drawText(room, Qt.AlignmentFlag.AlignVCenter, str(year))
        painter.restore()
        painter.fillRect(QRect(0, 0, NAME_WIDTH, HEADER_HEIGHT), blend(c.base, c.text, 0.05))
        painter.setPen(QPen(c.grid, 1))
        painter.drawLine(0, HEADER_HEIGHT - 1, width, HEADER_HEIGHT - 1)

    def _paint_names(
        self, painter: QPainter, rows: list[Row], height: int, top: float, selected: str
    ) -> None:
        c = self.colors
        painter.save()
        painter.setClipRect(QRect(0, HEADER_HEIGHT, NAME_WIDTH, height))
        painter.fillRect(QRect(0, HEADER_HEIGHT, NAME_WIDTH, height), c.base)
        bold = QFont(self.font)
        bold.setWeight(QFont.Weight.DemiBold)
        for row in rows:
            y = int(HEADER_HEIGHT + row.y - top)
            rect = QRect(0, y, NAME_WIDTH, row.height)
            if row.project is None:
                client = row.client
                painter.fillRect(rect, blend(c.base, c.text, 0.05))
                painter.setFont(bold)
                painter.setPen(c.text)
                arrow = "▸" if client.id in self.layout.collapsed else "▾"
                painter.drawText(rect.adjusted(6, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, arrow)
                badge = QRectF(22, y + row.height / 2 - 9, 30, 18)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(HEALTH.get(client.health_level, c.summary))
                painter.drawRoundedRect(badge, 9, 9)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QColor("white"))
                painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(client.health_score))
                painter.setPen(c.text)
                name = painter.fontMetrics().elidedText(
                    f"{client.name} ({len(client.projects)})",
                    Qt.TextElideMode.ElideRight,
                    NAME_WIDTH - 64,
                )
                painter.drawText(rect.adjusted(58, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter, name)
            else:
                p = row.project
                if p.id == selected:
                    painter.fillRect(rect, c.row_selected)
                painter.setFont(self.font)
                painter.setPen(c.text)
                # Room for the name, less the flag at the right when there is one.
                flag = painter.fontMetrics().horizontalAdvance("burn") + 8 if p.burning_ahead else 0
                text = painter.fontMetrics().elidedText(
                    p.name, Qt.TextElideMode.ElideRight, NAME_WIDTH - 40 - flag
                )
                painter.drawText(rect.adjusted(30, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter, text)
                if p.burning_ahead:
                    painter.setPen(c.critical if c.dark else c.refuse)
                    painter.drawText(
                        rect.adjusted(0, 0, -6, 0),
                        Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                        "burn",
                    )
            painter.setPen(QPen(c.grid, 1))
            painter.drawLine(0, y + row.height - 1, NAME_WIDTH, y + row.height - 1)
        painter.drawLine(NAME_WIDTH - 1, HEADER_HEIGHT, NAME_WIDTH - 1, height)
        painter.restore()


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _months(first: date, last: date) -> list[date]:
    found = []
    at = first.replace(day=1)
    while at <= last:
        found.append(at)
        at = _next_month(at)
    return found
