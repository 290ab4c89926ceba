"""The workload chart: one row per person (and Unassigned), a column per day, week or month,
each cell booked hours against capacity — red with the figure when over — and, under a
person expanded, their task bars.

Drag a bar sideways to move the task, up or down onto another person to give it to them, or
both at once; people who could not take it then (on leave, or without the hours) are dimmed
while dragging. A drop is one edit through the workspace (one undo step); the chart, the
Gantt and the other views update from the change it reports.

Each person's row of cells is drawn once into a pixmap and kept until their hours change
(or the chart scrolls, resizes, zooms or changes palette): a drop redraws the cells of the
two people it concerns, the other rows are copied.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QRegion,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from db.workload.buckets import Cell, Zoom, cell
from db.workload.load import EPS, UNASSIGNED, Booking, Workload
from db.workload.operations import MoveAndReassign
from desktop.day_rows import scrolled_to_show
from desktop.gantt.painter import Colors, blend
from desktop.workload.layout import (
    HEADER_HEIGHT,
    NAME_WIDTH,
    ChartLayout,
    Row,
)
from desktop.workspace import Workspace

OVER = QColor("#d93025")
PROJECT_HUES = (210, 28, 140, 275, 185, 330, 95, 50, 0, 240)


def project_colour(project_id: str, dark: bool) -> QColor:
    """A steady colour per project, told apart on both palettes."""
    hue = PROJECT_HUES[hashlib.blake2s(project_id.encode(), digest_size=1).digest()[0] % 10]
    return QColor.fromHsl(hue, 150, 150 if dark else 175)


def _hours(h: float) -> str:
    return f"{h:.1f}".rstrip("0").rstrip(".")


def figure(c: Cell, zoom: Zoom, unassigned: bool) -> str:
    """What a cell says: booked hours (a day), booked/capacity (a week), with 'h' (a month)."""
    if unassigned:
        return _hours(c.assigned) if c.assigned > EPS else ""
    if zoom == Zoom.DAY:
        return _hours(c.assigned) if c.assigned > EPS else ""
    if c.assigned <= EPS and c.capacity <= EPS:
        return ""
    text = f"{_hours(c.assigned)}/{_hours(c.capacity)}"
    return f"{text} h" if zoom == Zoom.MONTH else text


@dataclass
class Drag:
    """A bar being dragged: where it was, and the shift (calendar days) and person now."""

    booking: Booking
    press: QPointF
    shift: int = 0
    target: str = ""
    active: bool = False
    can_take: dict[tuple[str, int], bool] = field(default_factory=dict)


class WorkloadChart(QAbstractScrollArea):
    """Signals:
    person_selected(str): the current person changed (UNASSIGNED for the Unassigned row).
    refused(str): a drop was refused; the message says why.
    task_activated(str): a bar was double-clicked (its project's plan opens).
    """

    person_selected = Signal(str)
    refused = Signal(str)
    task_activated = Signal(str)

    def __init__(self, workspace: Workspace, workload: Workload, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("workloadChart")
        self.workspace = workspace
        self.workload = workload
        self.layout_ = ChartLayout(workload)
        self.layout_.range_around(date.today())
        self.layout_.rebuild()
        self.current = ""  # the selected person's id
        self.drag: Drag | None = None
        self._cells: dict[tuple[str, date], Cell] = {}
        self._cells_version = -1
        # Drawn rows of cells, by (person, selected); valid while `_strip_frame` (scroll,
        # size, zoom, palette, font) stays as it was when they were drawn.
        self._strips: dict[tuple[str, bool], QPixmap] = {}
        self._strip_frame: tuple[object, ...] = ()
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.horizontalScrollBar().valueChanged.connect(self.viewport().update)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._update_scrollbars()
        if self.layout_.rows:
            self.current = self.layout_.rows[0].person.id

    # -- state --------------------------------------------------------------------------------

    @property
    def zoom(self) -> Zoom:
        return self.layout_.zoom

    def set_zoom(self, zoom: Zoom) -> None:
        if zoom == self.layout_.zoom:
            return
        centre = self.layout_.day_at(self._body_x(self.viewport().width() // 2 + NAME_WIDTH // 2))
        self.layout_.zoom = zoom
        self.layout_.range_around(date.today())
        self.relayout()
        self.scroll_to_day(date.fromordinal(centre))

    def set_filter(self, text: str) -> None:
        self.layout_.name_filter = text
        self.relayout()

    def toggle(self, person_id: str) -> None:
        expanded = self.layout_.expanded
        if person_id in expanded:
            expanded.discard(person_id)
        else:
            expanded.add(person_id)
        self.relayout()

    def relayout(self) -> None:
        self.layout_.rebuild()
        self._update_scrollbars()
        self.viewport().update()

    def workload_changed(self) -> None:
        """The workload was refreshed: rows (bars, people) and cells may differ; only the
        cells of the people it touched are worked out and drawn again, and when the rows
        stay where they were only those people's rows are repainted."""
        touched = self.workload.touched
        self._forget(touched)
        self._cells_version = self.workload.version
        before = [(r.person.id, r.lane, r.y, r.height) for r in self.layout_.rows]
        self.layout_.rebuild()
        after = [(r.person.id, r.lane, r.y, r.height) for r in self.layout_.rows]
        if touched is None or before != after or self.workload.projects_reread:
            self._update_scrollbars()
            self.viewport().update()
            return
        region = QRegion()
        width = self.viewport().width()
        for row in self.layout_.rows:
            if row.person.id in touched:
                region += QRect(0, self.screen_y(row), width, row.height)
        if not region.isEmpty():
            self.viewport().update(region)

    def _forget(self, people: set[str] | None) -> None:
        """Drop the worked-out cells and drawn rows of these people (None: everyone's)."""
        if people is None:
            self._cells.clear()
            self._strips.clear()
            return
        for key in [k for k in self._cells if k[0] in people]:
            del self._cells[key]
        for strip in [k for k in self._strips if k[0] in people]:
            del self._strips[strip]

    def select(self, person_id: str) -> None:
        if person_id != self.current:
            self.current = person_id
            self.person_selected.emit(person_id)
            row = self.layout_.row_of(person_id)
            if row is not None:
                self.ensure_row_visible(row)
            self.viewport().update()

    def ensure_row_visible(self, row: Row) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(scrolled_to_show(row, bar.value(), self.viewport().height() - HEADER_HEIGHT))

    def scroll_to_day(self, day: date) -> None:
        """Put `day` a little right of the names."""
        x = self.layout_.x_of(day.toordinal()) - 3 * self.layout_.px * (
            7 if self.zoom != Zoom.DAY else 1
        )
        self.horizontalScrollBar().setValue(int(max(0, x)))

    def cell(self, person_id: str, column: tuple[date, date]) -> Cell:
        if self._cells_version != self.workload.version:
            self._forget(None)
            self._cells_version = self.workload.version
        key = (person_id, column[0])
        found = self._cells.get(key)
        if found is None:
            found = cell(self.workload, person_id, *column)
            self._cells[key] = found
        return found

    # -- geometry -----------------------------------------------------------------------------

    def _update_scrollbars(self) -> None:
        view = self.viewport()
        h = self.horizontalScrollBar()
        h.setRange(0, max(0, self.layout_.width - (view.width() - NAME_WIDTH)))
        h.setPageStep(max(1, view.width() - NAME_WIDTH))
        h.setSingleStep(int(self.layout_.px * (1 if self.zoom == Zoom.DAY else 7)))
        v = self.verticalScrollBar()
        v.setRange(0, max(0, self.layout_.height - (view.height() - HEADER_HEIGHT)))
        v.setPageStep(max(1, view.height() - HEADER_HEIGHT))
        v.setSingleStep(20)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scrollbars()

    def _body_x(self, screen_x: float) -> float:
        """Screen x to chart x (days from the origin times px)."""
        return screen_x - NAME_WIDTH + self.horizontalScrollBar().value()

    def _body_y(self, screen_y: float) -> float:
        return screen_y - HEADER_HEIGHT + self.verticalScrollBar().value()

    def screen_x(self, ordinal: float) -> float:
        return NAME_WIDTH + self.layout_.x_of(ordinal) - self.horizontalScrollBar().value()

    def screen_y(self, row: Row) -> int:
        return HEADER_HEIGHT + row.y - self.verticalScrollBar().value()

    def bar_point(self, task_id: str, person_id: str) -> QPoint:
        """The centre of a person's bar for a task on screen (tests drag from it)."""
        for row in self.layout_.rows:
            if row.person.id != person_id or row.lane < 0:
                continue
            for b in row.bookings:
                if b.task_id == task_id:
                    left, right = self.layout_.bar_span(b)
                    x = NAME_WIDTH + (left + right) / 2 - self.horizontalScrollBar().value()
                    return QPoint(int(x), self.screen_y(row) + row.height // 2)
        raise KeyError(task_id)

    def row_point(self, person_id: str, day: date) -> QPoint:
        row = self.layout_.row_of(person_id)
        if row is None:
            raise KeyError(person_id)
        x = self.screen_x(day.toordinal() + 0.5)
        return QPoint(int(x), self.screen_y(row) + row.height // 2)

    # -- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        try:
            self.paint(painter, self.viewport().rect())
        finally:
            painter.end()

    def paint(self, painter: QPainter, area: QRect) -> None:
        palette = self.palette()
        colors = Colors.for_palette(palette)
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        painter.fillRect(area, colors.base)
        lay = self.layout_
        width, height = area.width(), area.height()
        first_o = lay.day_at(self._body_x(NAME_WIDTH))
        last_o = lay.day_at(self._body_x(width)) + 1
        visible = [
            c for c in lay.columns if c[1].toordinal() >= first_o and c[0].toordinal() <= last_o
        ]
        placed = [
            (c, self.screen_x(c[0].toordinal()), self.screen_x(c[1].toordinal() + 1))
            for c in visible
        ]
        top = self.verticalScrollBar().value()
        rows = [r for r in lay.rows if r.y + r.height > top and r.y < top + height - HEADER_HEIGHT]
        dimmed = self._dimmed()
        if self._cells_version != self.workload.version:
            self._forget(None)
            self._cells_version = self.workload.version
        frame = (
            self.horizontalScrollBar().value(),
            width,
            lay.zoom,
            lay.first,
            palette.cacheKey(),
            self.font().key(),
            self.viewport().devicePixelRatioF(),
        )
        if frame != self._strip_frame:
            self._strips.clear()
            self._strip_frame = frame
        painter.save()
        painter.setClipRect(QRect(NAME_WIDTH, HEADER_HEIGHT, width - NAME_WIDTH, height))
        for row in rows:
            y = self.screen_y(row)
            if row.lane < 0:
                painter.drawPixmap(NAME_WIDTH, y, self._strip(row, placed, width, colors))
            else:
                painter.fillRect(QRect(NAME_WIDTH, y, width, row.height), colors.row_alt)
                self._paint_bars(painter, row, y, first_o, last_o, colors, dark)
            painter.setPen(QPen(colors.grid, 1))
            painter.drawLine(NAME_WIDTH, y + row.height - 1, width, y + row.height - 1)
            if row.person.id in dimmed:
                veil = QColor(colors.base)
                veil.setAlpha(170)
                painter.fillRect(QRect(NAME_WIDTH, y, width, row.height), veil)
        today = self.screen_x(date.today().toordinal())
        painter.setPen(QPen(colors.today, 2))
        painter.drawLine(QPointF(today, HEADER_HEIGHT), QPointF(today, height))
        if self.drag is not None and self.drag.active:
            self._paint_ghost(painter, colors, dark)
        painter.restore()
        self._paint_header(painter, visible, width, colors)
        self._paint_names(painter, rows, height, colors, dimmed)

    def _strip(
        self,
        row: Row,
        columns: list[tuple[tuple[date, date], float, float]],
        width: int,
        colors: Colors,
    ) -> QPixmap:
        """A person's row of cells across the visible columns, drawn once and kept."""
        selected = row.person.id == self.current
        key = (row.person.id, selected)
        found = self._strips.get(key)
        if found is not None and found.deviceIndependentSize().height() == row.height:
            return found
        ratio = self.viewport().devicePixelRatioF()
        found = QPixmap(
            max(1, round((width - NAME_WIDTH) * ratio)), max(1, round(row.height * ratio))
        )
        found.setDevicePixelRatio(ratio)
        found.fill(colors.row_selected if selected else colors.base)
        painter = QPainter(found)
        try:
            painter.translate(-NAME_WIDTH, 0)
            self._paint_cells(painter, row, 0, columns, colors)
        finally:
            painter.end()
        self._strips[key] = found
        return found

    def _paint_cells(
        self,
        painter: QPainter,
        row: Row,
        y: int,
        columns: list[tuple[tuple[date, date], float, float]],
        colors: Colors,
    ) -> None:
        person = row.person
        unassigned = person.id == UNASSIGNED
        # One load colour for everyone: a member's own colour (red for some) must never read
        # as over-allocation.
        accent = self.palette().color(QPalette.ColorRole.Highlight)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        for column, left, right in columns:
            c = self.cell(person.id, column)
            rect = QRectF(left + 1, y + 3, right - left - 2, row.height - 6)
            if c.over:
                painter.fillRect(rect, OVER)
                painter.setPen(QColor("white"))
            elif c.capacity <= EPS and c.assigned <= EPS:
                if not unassigned:
                    painter.fillRect(rect, colors.weekend)
                continue
            else:
                amount = 0.08 + 0.4 * min(c.load, 1.0) if not unassigned else 0.15
                tint = accent if not unassigned else colors.summary
                painter.fillRect(rect, blend(colors.base, tint, amount))
                painter.setPen(colors.text)
            text = figure(c, self.zoom, unassigned)
            if text and metrics.horizontalAdvance(text) < rect.width() - 2:
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_bars(
        self,
        painter: QPainter,
        row: Row,
        y: int,
        first_o: int,
        last_o: int,
        colors: Colors,
        dark: bool,
    ) -> None:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        dragged = self.drag.booking if self.drag is not None and self.drag.active else None
        # A lane's bars never overlap and run earliest first: skip to the first one shown.
        at = bisect.bisect_left(row.bookings, first_o, key=lambda b: b.finish.toordinal())
        for b in row.bookings[at:]:
            if b.start.toordinal() > last_o:
                break
            left, right = self.layout_.bar_span(b)
            x = NAME_WIDTH + left - self.horizontalScrollBar().value()
            rect = QRectF(x, y + 3, max(right - left, 4), row.height - 6)
            fill = project_colour(b.project_id, dark)
            if b is dragged:
                fill.setAlpha(90)
            painter.setPen(QPen(fill.darker(130), 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 3, 3)
            project = self.workload.projects.get(b.project_id)
            label = f"{b.task_name} · {project.name}" if project is not None else b.task_name
            painter.setPen(QColor("#202124"))
            text_rect = rect.adjusted(4, 0, -2, 0)
            elided = painter.fontMetrics().elidedText(
                label, Qt.TextElideMode.ElideRight, int(text_rect.width())
            )
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, elided)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_ghost(self, painter: QPainter, colors: Colors, dark: bool) -> None:
        drag = self.drag
        assert drag is not None
        row = self.layout_.row_of(drag.target)
        if row is None:
            return
        left, right = self.layout_.bar_span(drag.booking, drag.shift)
        x = NAME_WIDTH + left - self.horizontalScrollBar().value()
        y = self.screen_y(row)
        rect = QRectF(x, y + 2, max(right - left, 4), row.height - 4)
        fill = project_colour(drag.booking.project_id, dark)
        fill.setAlpha(200)
        painter.setBrush(fill)
        painter.setPen(QPen(colors.text, 1, Qt.PenStyle.DashLine))
        painter.drawRoundedRect(rect, 3, 3)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        person = next((r.person.name for r in self.layout_.rows if r.person.id == drag.target), "")
        start = drag.booking.start + timedelta(days=drag.shift)
        text = f"{drag.booking.task_name} → {person}, {start:%a %d %b}"
        metrics = painter.fontMetrics()
        box = QRectF(
            rect.left(),
            rect.bottom() + 2,
            metrics.horizontalAdvance(text) + 10,
            metrics.height() + 4,
        )
        painter.fillRect(box, colors.label_bg)
        painter.setPen(colors.text)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_header(
        self, painter: QPainter, columns: list[tuple[date, date]], width: int, colors: Colors
    ) -> None:
        header = QRect(0, 0, width, HEADER_HEIGHT)
        painter.fillRect(header, blend(colors.base, colors.text, 0.05))
        painter.save()
        painter.setClipRect(QRect(NAME_WIDTH, 0, width - NAME_WIDTH, HEADER_HEIGHT))
        painter.setPen(colors.text)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        half = HEADER_HEIGHT // 2
        group_last = ""
        for first, last in columns:
            left = self.screen_x(first.toordinal())
            right = self.screen_x(last.toordinal() + 1)
            label, group = self._label(first), self._group(first)
            painter.setPen(QPen(colors.grid, 1))
            painter.drawLine(QPointF(left, half), QPointF(left, HEADER_HEIGHT))
            painter.setPen(colors.text)
            painter.drawText(
                QRectF(left, half, right - left, half), Qt.AlignmentFlag.AlignCenter, label
            )
            if group != group_last:
                group_last = group
                # In the part of its month (or year) that shows, so a label scrolled to the
                # left edge never runs into the next one.
                end = next(
                    (
                        self.screen_x(f.toordinal())
                        for f, _l in columns
                        if f > first and self._group(f) != group
                    ),
                    float(width),
                )
                room = QRectF(max(left, NAME_WIDTH) + 4, 0, end - max(left, NAME_WIDTH) - 6, half)
                if room.width() >= painter.fontMetrics().horizontalAdvance(group):
                    painter.drawText(room, Qt.AlignmentFlag.AlignVCenter, group)
                painter.setPen(QPen(colors.grid, 1))
                painter.drawLine(QPointF(left, 0), QPointF(left, half))
        painter.restore()
        painter.fillRect(
            QRect(0, 0, NAME_WIDTH, HEADER_HEIGHT), blend(colors.base, colors.text, 0.05)
        )
        painter.setPen(QPen(colors.grid, 1))
        painter.drawLine(0, HEADER_HEIGHT - 1, width, HEADER_HEIGHT - 1)

    def _label(self, first: date) -> str:
        """A column's name in the header's lower half: 'M9', '09' (a week's Monday), 'Nov'."""
        if self.zoom == Zoom.DAY:
            return f"{first:%a}"[0] + f"{first.day}"
        return f"{first:%d}" if self.zoom == Zoom.WEEK else f"{first:%b}"

    def _group(self, first: date) -> str:
        """The columns' group in the header's upper half: a month, or a year by months."""
        if self.zoom == Zoom.DAY:
            return f"{first:%B %Y}"
        return f"{first:%b %Y}" if self.zoom == Zoom.WEEK else f"{first:%Y}"

    def _paint_names(
        self, painter: QPainter, rows: list[Row], height: int, colors: Colors, dimmed: set[str]
    ) -> None:
        painter.save()
        painter.setClipRect(QRect(0, HEADER_HEIGHT, NAME_WIDTH, height))
        painter.fillRect(QRect(0, HEADER_HEIGHT, NAME_WIDTH, height), colors.base)
        for row in rows:
            y = self.screen_y(row)
            rect = QRect(0, y, NAME_WIDTH, row.height)
            if row.lane >= 0:
                painter.fillRect(rect, colors.row_alt)
                continue
            person = row.person
            if person.id == self.current:
                painter.fillRect(rect, colors.row_selected)
            font = QFont(self.font())
            font.setItalic(person.placeholder or person.id == UNASSIGNED)
            painter.setFont(font)
            painter.setPen(colors.text)
            has_bars = bool(self.workload.bookings_of(person.id))
            arrow = ("▾" if person.id in self.layout_.expanded else "▸") if has_bars else " "
            painter.drawText(rect.adjusted(8, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, arrow)
            painter.setBrush(QColor(person.colour or "#80868b"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(QRectF(24, y + row.height / 2 - 5, 10, 10))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(colors.text)
            name = painter.fontMetrics().elidedText(
                person.name, Qt.TextElideMode.ElideRight, NAME_WIDTH - 48
            )
            painter.drawText(rect.adjusted(42, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter, name)
            if person.id in dimmed:
                veil = QColor(colors.base)
                veil.setAlpha(170)
                painter.fillRect(rect, veil)
            painter.setPen(QPen(colors.grid, 1))
            painter.drawLine(0, y + row.height - 1, NAME_WIDTH, y + row.height - 1)
        painter.setPen(QPen(colors.grid, 1))
        painter.drawLine(NAME_WIDTH - 1, HEADER_HEIGHT, NAME_WIDTH - 1, height)
        painter.restore()

    # -- tooltips -----------------------------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, pos: QPointF | QPoint) -> str:
        """What a cell is made of: booked against capacity, the days over, and the tasks and
        projects that cause it; or a bar's task, project, dates and hours."""
        if pos.x() < NAME_WIDTH or pos.y() < HEADER_HEIGHT:
            return ""
        x, y = self._body_x(pos.x()), self._body_y(pos.y())
        hit = self.layout_.bar_at(x, y)
        if hit is not None:
            return self._bar_tip(hit[1])
        row = self.layout_.row_at(y)
        column = self.layout_.column_at(x)
        if row is None or column is None or row.lane >= 0:
            return ""
        return self._cell_tip(row, column)

    def _bar_tip(self, b: Booking) -> str:
        project = self.workload.projects.get(b.project_id)
        where = f"{project.name} · {project.client_name}" if project is not None else ""
        return (
            f"<b>{_esc(b.task_name)}</b><br>{_esc(where)}<br>"
            f"{b.start:%a %d %b} to {b.finish:%a %d %b}, {_hours(b.hours_per_day)} h a day "
            f"({_hours(b.hours)} h)<br><i>Drag sideways to move it, onto another person to "
            "give it to them</i>"
        )

    def _cell_tip(self, row: Row, column: tuple[date, date]) -> str:
        person = row.person
        c = self.cell(person.id, column)
        first, last = column
        when = f"{first:%a %d %b}" if first == last else f"{first:%d %b} to {last:%d %b}"
        lines = [f"<b>{_esc(person.name)}</b>, {when}"]
        if person.id == UNASSIGNED:
            lines.append(f"{_hours(c.assigned)} h of work nobody is on yet")
        else:
            lines.append(f"{_hours(c.assigned)} h booked of {_hours(c.capacity)} h")
            if c.over:
                days = ", ".join(f"{date.fromordinal(o):%a %d}" for o in c.over_days[:6])
                more = "…" if len(c.over_days) > 6 else ""
                over = f"<b>{_hours(c.overload)} h over</b> on {days}{more}"
                lines.append(f"<span style='color:#d93025'>{over}</span>")
        span = c.over_days or range(first.toordinal(), last.toordinal() + 1)
        hours: dict[str, float] = {}
        names: dict[str, Booking] = {}
        for o in span:
            for b in self.workload.causes(person.id, o):
                hours[b.task_id] = hours.get(b.task_id, 0.0) + b.hours_per_day
                names[b.task_id] = b
        if hours:
            lines.append("Because of:" if c.over else "Booked:")
        for task_id, h in sorted(hours.items(), key=lambda kv: -kv[1])[:8]:
            b = names[task_id]
            project = self.workload.projects.get(b.project_id)
            where = f" ({_esc(project.name)}, {_esc(project.client_name)})" if project else ""
            lines.append(f"• {_esc(b.task_name)}{where}: {_hours(h)} h")
        if len(hours) > 8:
            lines.append(f"… and {len(hours) - 8} more")
        return "<br>".join(lines)

    # -- gestures -----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if event.button() != Qt.MouseButton.LeftButton or pos.y() < HEADER_HEIGHT:
            super().mousePressEvent(event)
            return
        y = self._body_y(pos.y())
        row = self.layout_.row_at(y)
        if row is None:
            return
        self.select(row.person.id)
        if pos.x() < NAME_WIDTH:
            if row.lane < 0 and pos.x() < 24 + 10:
                self.toggle(row.person.id)
            return
        hit = self.layout_.bar_at(self._body_x(pos.x()), y)
        if hit is not None:
            self.drag = Drag(hit[1], pos, target=hit[0].person.id)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if pos.y() < HEADER_HEIGHT:
            return
        y = self._body_y(pos.y())
        row = self.layout_.row_at(y)
        if row is None:
            return
        if pos.x() < NAME_WIDTH and row.lane < 0:
            self.toggle(row.person.id)
            return
        hit = self.layout_.bar_at(self._body_x(pos.x()), y)
        if hit is not None:
            self.drag = None
            self.task_activated.emit(hit[1].task_id)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        drag = self.drag
        pos = event.position()
        if drag is None:
            hit = None
            if pos.x() >= NAME_WIDTH and pos.y() >= HEADER_HEIGHT:
                hit = self.layout_.bar_at(self._body_x(pos.x()), self._body_y(pos.y()))
            self.viewport().setCursor(
                Qt.CursorShape.OpenHandCursor if hit else Qt.CursorShape.ArrowCursor
            )
            return
        if not drag.active and (pos - drag.press).manhattanLength() < 4:
            return
        drag.active = True
        self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        drag.shift = round((pos.x() - drag.press.x()) / self.layout_.px)
        row = self.layout_.row_at(self._body_y(pos.y()))
        if row is not None:
            drag.target = row.person.id
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self.drag = self.drag, None
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
        if drag is None or not drag.active:
            self.viewport().update()
            return
        self.commit(drag.booking, drag.shift, drag.target)
        self.viewport().update()

    def commit(self, booking: Booking, shift: int, target: str) -> bool:
        """One edit for a drop: the task moved by `shift` calendar days (its engine then puts
        it on a working day), given to `target`, or both. False when nothing changed or the
        edit was refused (the reason goes to `refused`)."""
        start = booking.start + timedelta(days=shift) if shift else None
        if start is None and target == booking.member_id:
            return False
        op = MoveAndReassign(booking.task_id, start, booking.member_id, target)
        if not self.workspace.run(op):
            self.refused.emit(self.workspace.last_error or "Not moved")
            return False
        return True

    def _dimmed(self) -> set[str]:
        """While dragging: people who could not take the task where it would land."""
        drag = self.drag
        if drag is None or not drag.active:
            return set()
        found = set()
        for row in self.layout_.rows:
            person = row.person.id
            if row.lane >= 0 or person == UNASSIGNED:
                continue
            key = (person, drag.shift)
            able = drag.can_take.get(key)
            if able is None:
                able = self._can_take(person, drag.booking, drag.shift)
                drag.can_take[key] = able
            if not able:
                found.add(person)
        return found

    def _can_take(self, person: str, b: Booking, shift: int) -> bool:
        agency = self.workload.agency
        k = agency.index(b.start.toordinal() + shift)
        mine = person == b.member_id
        for n in range(len(b.days)):
            o = agency.day(k + n)
            booked = self.workload.assigned(person, o)
            if mine and o in b.days:
                booked -= b.hours_per_day
            if booked + b.hours_per_day > self.workload.capacity(person, o) + EPS:
                return False
        return True

    def cancel_drag(self) -> None:
        self.drag = None
        self.viewport().update()

    # -- keyboard -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        people = [r.person.id for r in self.layout_.rows if r.lane < 0]
        at = people.index(self.current) if self.current in people else -1
        key = event.key()
        if key == Qt.Key.Key_Escape and self.drag is not None:
            self.cancel_drag()
        elif key == Qt.Key.Key_Down and people:
            self.select(people[min(at + 1, len(people) - 1)])
        elif key == Qt.Key.Key_Up and people:
            self.select(people[max(at - 1, 0)])
        elif (
            (key == Qt.Key.Key_Right and self.current and self.current not in self.layout_.expanded)
            or (key == Qt.Key.Key_Left and self.current in self.layout_.expanded)
            or (key == Qt.Key.Key_Space and self.current)
        ):
            self.toggle(self.current)
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - event.angleDelta().y())
            return
        super().wheelEvent(event)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
