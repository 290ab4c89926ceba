"""Drawing the Gantt chart onto any QPainter: one scene, two outputs.

`ChartPainter` paints a range of rows by a range of days in scene coordinates (x = days from
`origin` times `px`, y = row times `ROW_HEIGHT`): bars, milestones, summaries, progress,
dependency arrows, today line, weekends and holidays, baseline ghosts and the critical path.
The on-screen chart (`GanttChart.drawBackground`) and the printed pages
(`desktop.printing.gantt_pages`) both call it, so a printed plan looks like the screen.
It reads only a `ChartRows` (a schedule's read API and which task sits on which row), so
any plan laid out in rows paints the same way — one project's `GanttDocument`, or a
portfolio; it never holds a widget.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QPolygonF,
)

from db.scheduling.schedule_view import ScheduledLink, ScheduleView
from desktop.gantt.geometry import BAR_HEIGHT, BAR_TOP, LINK_HANDLE, ROW_HEIGHT

HANDLE_RADIUS = 3.5  # px: the link handles drawn beside a hovered bar
LABEL_ROOM = 600  # px a task's name may reach right of its bar


class ChartRows(Protocol):
    """What the painter draws from: a schedule read through its read API and which of its
    tasks show on which row. A project's `GanttDocument` is one; a portfolio can be another.

    `rows` are nodes top to bottom, `row_of` the inverse; `baseline` maps task ids to saved
    (start, finish); `people` maps task ids to the names a bar's label adds;
    `colour_of(task_id)` is the "#rrggbb" a bar takes ("" for the default)."""

    @property
    def schedule(self) -> ScheduleView: ...

    @property
    def rows(self) -> Sequence[int]: ...

    @property
    def row_of(self) -> Mapping[int, int]: ...

    @property
    def baseline(self) -> Mapping[str, tuple[date, date]]: ...

    @property
    def people(self) -> Mapping[str, str]: ...

    def colour_of(self, task_id: str) -> str: ...


@dataclass(frozen=True, slots=True)
class BarColours:
    """A bar drawn in a person's colour: a tint to fill, the colour itself for its edge and
    for the part done."""

    fill: QColor
    edge: QColor
    done: QColor


@dataclass
class Colors:
    bar: QColor
    bar_edge: QColor
    progress: QColor
    critical: QColor
    critical_progress: QColor
    milestone: QColor
    summary: QColor
    baseline: QColor
    arrow: QColor
    weekend: QColor
    holiday: QColor
    grid: QColor
    today: QColor
    refuse: QColor
    text: QColor
    label_bg: QColor
    row_alt: QColor
    row_selected: QColor
    base: QColor
    handle: QColor
    dark: bool = False
    pin: QColor = field(default_factory=lambda: QColor("#e37400"))  # a fixed date's flag
    _people: dict[str, BarColours] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def for_palette(cls, palette: QPalette) -> Colors:
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        ink = QColor("white" if dark else "black")
        # Backgrounds are opaque blends, not alpha: the raster engine fills opaque rects
        # several times faster, and they cover most of every frame.
        return cls(
            bar=QColor("#8ab4f8" if dark else "#9cc0f5"),
            bar_edge=QColor("#5b8def" if dark else "#3b78e7"),
            progress=QColor("#3b78e7" if dark else "#2f6bd6"),
            critical=QColor("#f28b82" if dark else "#f4a49d"),
            critical_progress=QColor("#d93025"),
            milestone=QColor("#c58af9" if dark else "#8e44ad"),
            summary=QColor("#bdc1c6" if dark else "#3c4043"),
            baseline=QColor("#80868b" if dark else "#b0b4b9"),
            arrow=QColor("#9aa0a6" if dark else "#80868b"),
            pin=QColor("#fcad70" if dark else "#e37400"),
            weekend=blend(base, ink, 0.06),
            holiday=blend(base, QColor("#e8a33d"), 0.18),
            grid=blend(base, ink, 0.12),
            today=QColor("#fbbc04"),
            refuse=QColor("#d93025"),
            text=text,
            label_bg=palette.color(QPalette.ColorRole.ToolTipBase),
            row_alt=blend(base, ink, 0.025),
            row_selected=blend(base, palette.color(QPalette.ColorRole.Highlight), 0.14),
            base=base,
            handle=palette.color(QPalette.ColorRole.Highlight),
            dark=dark,
        )

    def person(self, colour: str) -> BarColours | None:
        """A person's bar colours, worked out once per colour; None for no or a bad colour."""
        if not colour:
            return None
        found = self._people.get(colour)
        if found is None:
            own = QColor(colour)
            if not own.isValid():
                return None
            # The part done in the colour itself, the rest a light tint of it, as the
            # default bars are on either theme (on a dark one a tint toward the dark
            # background would sink into it).
            if self.dark:
                found = BarColours(blend(own, QColor("white"), 0.45), own.lighter(125), own)
            else:
                found = BarColours(blend(self.base, own, 0.38), own, own)
            self._people[colour] = found
        return found

    @classmethod
    def for_paper(cls) -> Colors:
        """The light scheme whatever the screen's theme: paper is white."""
        palette = QPalette()
        palette.setColor(QPalette.ColorRole.Base, QColor("white"))
        palette.setColor(QPalette.ColorRole.Text, QColor("#202124"))
        palette.setColor(QPalette.ColorRole.ToolTipBase, QColor("white"))
        palette.setColor(QPalette.ColorRole.Highlight, QColor("#3b78e7"))
        return cls.for_palette(palette)


def blend(under: QColor, over: QColor, amount: float) -> QColor:
    return QColor(
        round(under.red() + (over.red() - under.red()) * amount),
        round(under.green() + (over.green() - under.green()) * amount),
        round(under.blue() + (over.blue() - under.blue()) * amount),
    )


def grid_line_at(day: date, px: float) -> bool:
    """Whether a vertical grid line starts this day at this zoom: weeks, months or quarters."""
    if px >= 8:
        return day.weekday() == 0
    if px >= 3:
        return day.day == 1
    return day.day == 1 and day.month in (1, 4, 7, 10)


def bar_rect(document: ChartRows, node: int, px: float, origin: int) -> QRectF:
    """A task's bar in scene coordinates (the hit-testing and the painting agree on it)."""
    v = document.schedule
    row = document.row_of.get(node, -1)
    x0 = (v.start_ordinal(node) - origin) * px
    x1 = (v.finish_ordinal(node) + 1 - origin) * px
    return QRectF(x0, row * ROW_HEIGHT + BAR_TOP, max(x1 - x0, 2.0), BAR_HEIGHT)


def link_handles(document: ChartRows, node: int, px: float, origin: int) -> tuple[QPointF, QPointF]:
    """Centres of a task's two link handles (scene coordinates): before its start and after
    its finish. Dragging from one to another task makes a link from that end."""
    rect = bar_rect(document, node, px, origin)
    y = rect.center().y()
    if document.schedule.is_milestone(node):
        cx = (document.schedule.start_ordinal(node) + 0.5 - origin) * px
        return QPointF(cx - LINK_HANDLE - 3, y), QPointF(cx + LINK_HANDLE + 3, y)
    return QPointF(rect.left() - LINK_HANDLE, y), QPointF(rect.right() + LINK_HANDLE, y)


@dataclass
class ChartPainter:
    """What to draw and how: the rows, the scale and the colours. Cheap to build, so the
    screen makes one per repaint and the printer one per document."""

    document: ChartRows
    colors: Colors
    px: float
    origin: int
    today_o: int
    font: QFont
    small: QFont
    show_critical: bool = False
    show_baseline: bool = True
    selected: set[int] = field(default_factory=set)
    dragged: int = -1  # the node being dragged: drawn with a heavier outline
    handles: int = -1  # the node whose link handles show (the bar under the mouse)
    bounds: tuple[float, float] = (-math.inf, math.inf)  # x range being painted

    # -- geometry -----------------------------------------------------------------------------

    def x_of(self, ordinal: float) -> float:
        return (ordinal - self.origin) * self.px

    def ordinal_at(self, x: float) -> int:
        return int(x // self.px) + self.origin

    def is_milestone(self, node: int) -> bool:
        return self.document.schedule.is_milestone(node)

    def bar_rect(self, node: int) -> QRectF:
        return bar_rect(self.document, node, self.px, self.origin)

    def link_handles(self, node: int) -> tuple[QPointF, QPointF]:
        return link_handles(self.document, node, self.px, self.origin)

    # -- painting -----------------------------------------------------------------------------

    def paint(
        self, painter: QPainter, rect: QRectF, arrow_rows: Sequence[int] | None = None
    ) -> None:
        """Paint the chart within `rect` (scene coordinates). `arrow_rows` are the rows whose
        dependency arrows to draw (default: the rows in `rect`); the screen passes the whole
        viewport's rows so an arrow crossing a freshly exposed strip is drawn there too."""
        c = self.colors
        doc = self.document
        v = doc.schedule
        painter.fillRect(rect, c.base)
        first_row = max(0, int(rect.top() // ROW_HEIGHT))
        last_row = min(len(doc.rows) - 1, int(rect.bottom() // ROW_HEIGHT))
        first_o = self.ordinal_at(rect.left())
        last_o = self.ordinal_at(rect.right()) + 1
        for r in range(first_row, last_row + 1):
            if r % 2:
                painter.fillRect(
                    QRectF(rect.left(), r * ROW_HEIGHT, rect.width(), ROW_HEIGHT), c.row_alt
                )
        self.paint_days(painter, rect, first_o, last_o)
        for node in self.selected:
            r = doc.row_of.get(node, -1)
            if first_row <= r <= last_row:
                band = QRectF(rect.left(), r * ROW_HEIGHT, rect.width(), ROW_HEIGHT)
                painter.fillRect(band, c.row_selected)
        visible = doc.rows[first_row : last_row + 1]
        self.paint_leave(painter, visible, first_o, last_o)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        arrows = visible if arrow_rows is None else arrow_rows
        self.bounds = (rect.left() - 8, rect.right() + 8)
        self.paint_arrows(painter, arrows)
        left = rect.left() - LABEL_ROOM
        baseline = doc.baseline if self.show_baseline else {}
        for node in visible:
            # Tasks wholly left or right of the rectangle (their label included) are skipped:
            # a printed page shows a narrow window of a long plan.
            if (
                self.x_of(v.start_ordinal(node)) > rect.right()
                or self.x_of(v.finish_ordinal(node) + 1) < left
            ):
                base = baseline.get(v.task_id(node))
                if base is None or not (
                    self.x_of(base[0].toordinal()) <= rect.right()
                    and self.x_of(base[1].toordinal() + 1) >= rect.left()
                ):
                    continue
            self.paint_task(painter, node)
        if self.handles >= 0 and self.handles in doc.row_of:
            self.paint_handles(painter, self.handles)
        today = self.x_of(self.today_o + 0.5)
        if rect.left() <= today <= rect.right():
            painter.setPen(QPen(c.today, 2))
            painter.drawLine(QLineF(today, rect.top(), today, rect.bottom()))

    def paint_leave(
        self, painter: QPainter, visible: Sequence[int], first_o: int, last_o: int
    ) -> None:
        """Each task's people's leave, hatched across its row: why a bar sits where it does."""
        v = self.document.schedule
        if not v.has_leave():
            return
        brush = QBrush(self.colors.holiday.darker(125), Qt.BrushStyle.BDiagPattern)
        for node in visible:
            if v.is_summary(node):
                continue
            for member in v.members(node):
                for start, end in v.leave(member):
                    a, b = max(start.toordinal(), first_o), min(end.toordinal(), last_o)
                    if a > b:
                        continue
                    y = self.document.row_of[node] * ROW_HEIGHT
                    band = QRectF(self.x_of(a), y + 2, (b - a + 1) * self.px, ROW_HEIGHT - 4)
                    painter.fillRect(band, brush)

    def paint_days(self, painter: QPainter, rect: QRectF, first_o: int, last_o: int) -> None:
        c = self.colors
        cal = self.document.schedule.agency_calendar
        # Weekends from week zoom in (further out they would only stripe the chart);
        # holidays and closures down to month zoom.
        if self.px >= 3:
            week = cal.agency.working_week
            for o in range(first_o, last_o + 1):
                if not cal.is_working_ordinal(o):
                    weekend = date.fromordinal(o).weekday() not in week
                    if weekend and self.px < 8:
                        continue
                    painter.fillRect(
                        QRectF(self.x_of(o), rect.top(), self.px, rect.height()),
                        c.weekend if weekend else c.holiday,
                    )
        painter.setPen(QPen(c.grid, 1))
        for o in range(first_o, last_o + 1):
            if grid_line_at(date.fromordinal(o), self.px):
                x = self.x_of(o)
                painter.drawLine(QLineF(x, rect.top(), x, rect.bottom()))

    def paint_task(self, painter: QPainter, node: int) -> None:
        c = self.colors
        v = self.document.schedule
        task_id = v.task_id(node)
        rect = self.bar_rect(node)
        is_critical = self.show_critical and v.is_critical(node)
        base = self.document.baseline.get(task_id) if self.show_baseline else None
        if base is not None:
            x0 = self.x_of(base[0].toordinal())
            x1 = self.x_of(base[1].toordinal() + 1)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(c.baseline)
            painter.drawRoundedRect(QRectF(x0, rect.bottom() + 2, max(x1 - x0, 3), 4), 1.5, 1.5)
        if v.is_summary(node):
            self.paint_summary(painter, rect, is_critical)
            return
        name = v.name(node)
        if v.is_milestone(node):
            cx = self.x_of(v.start_ordinal(node) + 0.5)
            cy = rect.center().y()
            r = BAR_HEIGHT / 2 + 1
            diamond = QPolygonF(
                [QPointF(cx, cy - r), QPointF(cx + r, cy), QPointF(cx, cy + r), QPointF(cx - r, cy)]
            )
            painter.setPen(QPen(c.milestone.darker(130), 1))
            painter.setBrush(c.critical_progress if is_critical else c.milestone)
            painter.drawPolygon(diamond)
            self.paint_fixed(painter, node, rect)
            # Past its link handle, as a bar's label is.
            self.paint_label(painter, self.label_of(task_id, name), cx + LINK_HANDLE + 11, cy)
            return
        own = None if is_critical else c.person(self.document.colour_of(task_id))
        if own is not None:
            fill, edge, done = own.fill, own.edge, own.done
        elif is_critical:
            fill, edge, done = c.critical, c.critical_progress, c.critical_progress
        else:
            fill, edge, done = c.bar, c.bar_edge, c.progress
        dragged = node == self.dragged
        painter.setPen(QPen(done if dragged else edge, 2 if dragged else 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 3, 3)
        progress = v.progress(node)
        if progress:
            width = rect.width() * min(progress, 100) / 100
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(done)
            path = QPainterPath()
            path.addRoundedRect(rect, 3, 3)
            painter.save()
            # Intersect, not replace: a printed page clips the chart to its tile.
            painter.setClipRect(
                QRectF(rect.left(), rect.top(), width, rect.height()),
                Qt.ClipOperation.IntersectClip,
            )
            painter.drawPath(path)
            painter.restore()
        self.paint_fixed(painter, node, rect)
        label = self.label_of(task_id, name)
        self.paint_label(painter, label, rect.right() + LINK_HANDLE + 8, rect.center().y())

    def paint_fixed(self, painter: QPainter, node: int, bar: QRectF) -> None:
        """A task's fixed date as a small flag on a staff at the edge it holds: at its start,
        pointing into the bar, for "must start on"; at the end of the day it must finish by,
        pointing back at the bar, for "finish no later than" (red once the plan breaks it)."""
        spec = self.document.schedule.spec(node)
        if spec.fixed:
            x, point = self.x_of(self.document.schedule.start_ordinal(node)), 1
            colour = self.colors.pin
        elif spec.finish_by is not None:
            x, point = self.x_of(spec.finish_by.toordinal() + 1), -1
            late = self.document.schedule.finish_ordinal(node) > spec.finish_by.toordinal()
            colour = self.colors.refuse if late else self.colors.pin
        else:
            return
        top = bar.top() - BAR_TOP + 1
        painter.setPen(QPen(colour, 1.5))
        painter.drawLine(QLineF(x, top, x, bar.bottom() + 3))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(
            QPolygonF([QPointF(x, top), QPointF(x + 7 * point, top + 3), QPointF(x, top + 6)])
        )

    def paint_summary(self, painter: QPainter, rect: QRectF, is_critical: bool) -> None:
        c = self.colors
        colour = c.critical_progress if is_critical else c.summary
        top = rect.top() + 2
        band = QRectF(rect.left(), top, rect.width(), 5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRect(band)
        for x, sign in ((rect.left(), 1), (rect.right(), -1)):
            painter.drawPolygon(
                QPolygonF([QPointF(x, top), QPointF(x + 6 * sign, top + 5), QPointF(x, top + 10)])
            )

    def paint_handles(self, painter: QPainter, node: int, lit: int = -1) -> None:
        """The two link handles of a task: small rings before its start and after its
        finish. `lit` 0 or 1 fills the start or the finish one (the end a link will use)."""
        c = self.colors
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for n, centre in enumerate(self.link_handles(node)):
            painter.setPen(QPen(c.handle, 1.5))
            painter.setBrush(c.handle if n == lit else c.base)
            painter.drawEllipse(centre, HANDLE_RADIUS, HANDLE_RADIUS)

    def label_of(self, task_id: str, name: str) -> str:
        """A bar's label: its name, and who is on it ("Key visual — Ana Lima")."""
        people = self.document.people.get(task_id)
        return f"{name} — {people}" if people else name

    def paint_label(self, painter: QPainter, text: str, x: float, cy: float) -> None:
        if self.px < 3:
            return
        painter.setFont(self.small)
        painter.setPen(self.colors.text)
        painter.drawText(QPointF(x, cy + 4), text)

    def paint_arrows(self, painter: QPainter, visible: Sequence[int]) -> None:
        v = self.document.schedule
        row_of = self.document.row_of
        low, high = self.bounds
        seen: set[int] = set()
        pen = QPen(self.colors.arrow, 1.2)
        hot = QPen(self.colors.critical_progress, 1.6)
        for node in visible:
            for link in v.links_of(node):
                key = id(link)
                if key in seen:
                    continue
                seen.add(key)
                p, target = link.predecessor, link.successor
                if p not in row_of or target not in row_of:
                    continue
                xs = (self.x_of(v.start_ordinal(p)), self.x_of(v.finish_ordinal(p) + 1))
                xt = (self.x_of(v.start_ordinal(target)), self.x_of(v.finish_ordinal(target) + 1))
                if max(*xs, *xt) + 8 < low or min(*xs, *xt) - 8 > high:
                    continue
                both_hot = self.show_critical and v.is_critical(p) and v.is_critical(target)
                self._arrow(painter, link, hot if both_hot else pen)

    def _arrow(self, painter: QPainter, link: ScheduledLink, pen: QPen) -> None:
        path, (tx, ty), to_start = self.arrow_path(link)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        d = 1 if to_start else -1
        head = QPolygonF(
            [QPointF(tx, ty), QPointF(tx - 5 * d, ty - 3.5), QPointF(tx - 5 * d, ty + 3.5)]
        )
        painter.setBrush(pen.color())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(head)

    def arrow_path(self, link: ScheduledLink) -> tuple[QPainterPath, tuple[float, float], bool]:
        """A link's line from its predecessor to its successor (both on shown rows), where
        its head points, and whether it enters the successor's start. Painting and
        hit-testing share it."""
        return self.arrow_between(
            link.predecessor, link.successor, link.leaves_finish, link.enters_start
        )

    def arrow_between(
        self, p: int, target: int, from_end: bool, to_start: bool
    ) -> tuple[QPainterPath, tuple[float, float], bool]:
        """The line a link of this shape would take (a link being drawn previews with it)."""
        v = self.document.schedule
        pr, tr = self.bar_rect(p), self.bar_rect(target)
        if v.is_milestone(p):
            mx = self.x_of(v.start_ordinal(p) + 0.5)
            pr = QRectF(mx - 6, pr.top(), 12, pr.height())
        if v.is_milestone(target):
            mx = self.x_of(v.start_ordinal(target) + 0.5)
            tr = QRectF(mx - 6, tr.top(), 12, tr.height())
        sx = pr.right() if from_end else pr.left()
        sy = pr.center().y()
        tx = tr.left() if to_start else tr.right()
        ty = tr.center().y()
        out = 6 if from_end else -6
        into = -6 if to_start else 6
        path = QPainterPath(QPointF(sx, sy))
        ax = sx + out
        bx = tx + into
        if (to_start and ax <= bx) or (not to_start and ax >= bx):
            path.lineTo(ax if to_start else bx, sy)
            path.lineTo(ax if to_start else bx, ty)
        else:
            mid = ty - ROW_HEIGHT / 2 if ty > sy else ty + ROW_HEIGHT / 2
            path.lineTo(ax, sy)
            path.lineTo(ax, mid)
            path.lineTo(bx, mid)
            path.lineTo(bx, ty)
        path.lineTo(tx, ty)
        return path, (tx, ty), to_start

    def link_at(self, pos: QPointF, rows: Sequence[int]) -> tuple[int, int]:
        """(predecessor, successor) nodes of the link line under `pos`, or (-1, -1)."""
        v = self.document.schedule
        row_of = self.document.row_of
        stroker = QPainterPathStroker()
        stroker.setWidth(7)
        seen: set[int] = set()
        for node in rows:
            for link in v.links_of(node):
                if id(link) in seen:
                    continue
                seen.add(id(link))
                if link.predecessor not in row_of or link.successor not in row_of:
                    continue
                path, _head, _to_start = self.arrow_path(link)
                if stroker.createStroke(path).contains(pos):
                    return link.predecessor, link.successor
        return -1, -1
