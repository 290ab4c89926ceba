"""The Gantt chart: bars, milestones, summaries, progress, dependency arrows, today line,
weekends and holidays, baseline ghosts and the critical path, dragged with the mouse.

A `QGraphicsView` with an empty scene: the scene only provides coordinates (x = days from
`origin` times the zoom, y = row times the row height) and scrolling; `drawBackground` paints
just the rows and days in the exposed rectangle, so a repaint costs the same at 100 tasks or
10,000 and opening needs no item per task.

Dragging uses mouse events, not QDrag, so tests drive it with press/move/release on the
viewport. While a drag is in progress the engine reschedules live (successors follow) and a
label beside the cursor shows the new dates; Escape puts everything back; release commits one
plan edit, which the workspace makes one undo step. A task cannot be dragged to start before
its predecessors allow: the bar stops at the limit, a red line marks it and the label says
which predecessor holds it and why (refused with a visible reason, never silently turned into
a lag). Dragging a summary moves every task under it by the same number of working days.

Each gesture is one class in `desktop.gantt.gestures`; the chart only finds the part of the
bar under a press (`hit`) and forwards the mouse to the gesture that part starts. Hovering a
bar shows its two link handles, before its start and after its finish.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta
from html import escape

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QToolTip, QWidget

from db.labels import plural
from db.operations import Operation
from desktop.gantt.document import GanttDocument
from desktop.gantt.geometry import BAR_HEIGHT, BAR_TOP, ROW_HEIGHT
from desktop.gantt.gestures import GESTURES, Gesture, Part
from desktop.gantt.painter import ChartPainter, Colors, bar_rect, link_handles

ZOOMS: dict[str, float] = {"day": 32.0, "week": 14.0, "month": 4.5, "quarter": 1.6}
ZOOM_ORDER = ["quarter", "month", "week", "day"]
EDGE = 5  # px of a bar's ends that resize instead of move
DRAG_THRESHOLD = 3
HANDLE_REACH = 5  # px around a link handle's centre that grab it

RunEdit = Callable[[Operation], bool]


class GanttChart(QGraphicsView):
    """Signals:
    refused(str): a drag hit a limit or an edit was refused; the text says why.
    zoom_changed(str): the zoom level's name.
    task_activated(str): a bar was double-clicked (the view opens the task's details).
    menu_requested(str, QPoint): a right-click, on a task's bar (its id) or on no bar ("");
        the point is global.
    link_menu_requested(str, str, QPoint): a right-click on a link line: its predecessor's
        and successor's ids, and the global point.
    """

    refused = Signal(str)
    zoom_changed = Signal(str)
    task_activated = Signal(str)
    menu_requested = Signal(str, QPoint)
    link_menu_requested = Signal(str, str, QPoint)

    def __init__(
        self, document: GanttDocument, run: RunEdit, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self._run = run
        self.setScene(QGraphicsScene(self))
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Scrolling blits what stays visible and paints only the strip that comes in.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.zoom = "week"
        self.px = ZOOMS[self.zoom]
        self.show_critical = False
        self.show_baseline = True
        self.drag: Gesture | None = None
        self.hover = -1  # the task whose link handles show
        self.selected: set[int] = set()
        self.colors = Colors.for_palette(self.palette())
        self._font = QFont(self.font())
        self._small = QFont(self.font())
        self._small.setPointSizeF(max(7.0, self._small.pointSizeF() - 1))
        self.today_o = date.today().toordinal()
        self.refresh_scene_rect()

    # -- geometry -----------------------------------------------------------------------------

    def refresh_scene_rect(self) -> None:
        # Rows may have changed under the mouse: the next move shows the right handles.
        self.hover = -1
        span = self.document.schedule.span()
        first, last = span if span else (date.today(), date.today())
        self.origin = (first - timedelta(days=14)).toordinal()
        self.end_o = (last + timedelta(days=60)).toordinal()
        width = (self.end_o - self.origin) * self.px
        # One spare row: the tree scrolls by whole rows and can leave a partial row of space
        # below its last one; the chart must be able to scroll as far.
        height = (len(self.document.rows) + 1) * ROW_HEIGHT
        self.scene().setSceneRect(0, 0, width, height)

    def x_of(self, ordinal: float) -> float:
        return (ordinal - self.origin) * self.px

    def ordinal_at(self, x: float) -> int:
        return math.floor(x / self.px) + self.origin

    def row_at(self, y: float) -> int:
        row = int(y // ROW_HEIGHT)
        return row if 0 <= row < len(self.document.rows) else -1

    def bar_rect(self, node: int) -> QRectF:
        return bar_rect(self.document, node, self.px, self.origin)

    def link_handles(self, node: int) -> tuple[QPointF, QPointF]:
        """Centres of a task's link handles: before its start, after its finish."""
        return link_handles(self.document, node, self.px, self.origin)

    def handle_pos(self, task_id: str, part: str = Part.MOVE) -> QPointF:
        """Where, in scene coordinates, to press for a gesture (a `Part`) on a task's bar."""
        node = self.document.node(task_id)
        v = self.document.schedule
        rect = self.bar_rect(node)
        y = rect.center().y()
        if part == Part.LINK:
            return self.link_handles(node)[1]
        if part == Part.LINK_START:
            return self.link_handles(node)[0]
        if v.is_milestone(node):
            return QPointF(self.x_of(v.start_ordinal(node) + 0.5), y)
        if part == Part.START:
            return QPointF(rect.left() + 2, y)
        if part == Part.FINISH:
            return QPointF(rect.right() - 2, y)
        if part == Part.PROGRESS:
            return QPointF(rect.left() + rect.width() * v.progress(node) / 100, rect.bottom() - 2)
        return QPointF(rect.center().x(), y)

    def date_x(self, day: date) -> float:
        """Scene x of the middle of a day (for tests and keyboard users)."""
        return self.x_of(day.toordinal() + 0.5)

    def hit(self, pos: QPointF) -> tuple[int, Part | None]:
        """(node, part) under a scene point, (-1, None) for none."""
        row = self.row_at(pos.y())
        if row < 0:
            return -1, None
        node = self.document.rows[row]
        v = self.document.schedule
        y = pos.y() - row * ROW_HEIGHT
        if BAR_TOP <= y <= BAR_TOP + BAR_HEIGHT:
            before, after = self.link_handles(node)
            if abs(pos.x() - after.x()) <= HANDLE_REACH:
                return node, Part.LINK
            if abs(pos.x() - before.x()) <= HANDLE_REACH:
                return node, Part.LINK_START
        rect = self.bar_rect(node)
        if v.is_summary(node):
            return (node, Part.SUMMARY) if rect.left() <= pos.x() <= rect.right() else (-1, None)
        if v.is_milestone(node):
            cx = self.x_of(v.start_ordinal(node) + 0.5)
            return (node, Part.MOVE) if abs(pos.x() - cx) <= 8 else (-1, None)
        if not (rect.left() - 2 <= pos.x() <= rect.right() + 2):
            return -1, None
        if not (BAR_TOP - 3 <= y <= BAR_TOP + BAR_HEIGHT + 3):
            return -1, None
        if pos.x() <= rect.left() + EDGE:
            return node, Part.START
        if pos.x() >= rect.right() - EDGE:
            return node, Part.FINISH
        px = rect.left() + rect.width() * v.progress(node) / 100
        if abs(pos.x() - px) <= 4 and y >= BAR_TOP + BAR_HEIGHT / 2:
            return node, Part.PROGRESS
        return node, Part.MOVE

    def hovered(self, pos: QPointF) -> int:
        """The task whose link handles show with the mouse at a scene point: the one whose
        bar, or the reach of its handles, is under it; -1 for none."""
        row = self.row_at(pos.y())
        if row < 0:
            return -1
        y = pos.y() - row * ROW_HEIGHT
        if not BAR_TOP - 3 <= y <= BAR_TOP + BAR_HEIGHT + 3:
            return -1
        node = self.document.rows[row]
        before, after = self.link_handles(node)
        reach = HANDLE_REACH + 1
        return node if before.x() - reach <= pos.x() <= after.x() + reach else -1

    # -- zoom ---------------------------------------------------------------------------------

    def set_zoom(self, name: str, anchor_x: float | None = None) -> None:
        """Zoom to a level, keeping the day under `anchor_x` (viewport x) where it was."""
        if name not in ZOOMS:
            return
        hbar = self.horizontalScrollBar()
        vx = anchor_x if anchor_x is not None else self.viewport().width() / 2
        day = (hbar.value() + vx) / self.px + self.origin
        self.zoom = name
        self.px = ZOOMS[name]
        self.refresh_scene_rect()
        hbar.setValue(round((day - self.origin) * self.px - vx))
        self.viewport().update()
        self.zoom_changed.emit(name)

    def zoom_by(self, steps: int, anchor_x: float | None = None) -> None:
        at = ZOOM_ORDER.index(self.zoom)
        self.set_zoom(ZOOM_ORDER[max(0, min(len(ZOOM_ORDER) - 1, at + steps))], anchor_x)

    def fit_to_project(self) -> None:
        """The largest zoom at which the whole project fits the width."""
        span = self.document.schedule.span()
        if span is None:
            return
        days = (span[1] - span[0]).days + 3
        width = max(self.viewport().width(), 100)
        choice = ZOOM_ORDER[0]
        for name in ZOOM_ORDER:
            if days * ZOOMS[name] <= width:
                choice = name
        self.set_zoom(choice)
        self.horizontalScrollBar().setValue(round(self.x_of(span[0].toordinal() - 1)))

    def scroll_to_task(self, task_id: str) -> None:
        node = self.document.node(task_id)
        x = self.x_of(self.document.schedule.start_ordinal(node)) - 3 * self.px - 20
        self.horizontalScrollBar().setValue(max(0, round(x)))

    def tooltip_text(self, node: int) -> str:
        """What hovering a bar tells: dates, duration, progress, float and baseline slip."""
        doc = self.document
        v = doc.schedule
        task_id = v.task_id(node)
        fmt = "%a %d %b %Y"
        start = date.fromordinal(v.start_ordinal(node))
        finish = date.fromordinal(v.finish_ordinal(node))
        lines = [f"<b>{doc.wbs[node]} {escape(v.name(node))}</b>"]
        if v.is_milestone(node):
            lines.append(f"Milestone on {start:{fmt}}")
        else:
            length = plural(v.duration(node), "working day")
            lines.append(f"{start:{fmt}} → {finish:{fmt}} ({length})")
            if not v.is_summary(node):
                lines.append(f"{v.progress(node)} % done")
        spec = v.spec(node)
        if spec.fixed and not v.is_summary(node):
            lines.append(f"Must start on {start:{fmt}} (a fixed date)")
        elif spec.finish_by is not None and not v.is_summary(node):
            late = " — the plan now finishes it later" if finish > spec.finish_by else ""
            lines.append(f"Must finish by {spec.finish_by:{fmt}} (a fixed date){late}")
        slack = v.total_float(node)
        floats = plural(slack, "working day")
        lines.append("On the critical path" if slack <= 0 else f"Float: {floats}")
        slip = doc.slip(node)
        if slip:
            lines.append(
                f"{plural(abs(slip), 'working day')} {'late' if slip > 0 else 'early'} "
                "on the baseline"
            )
        if task_id in doc.people:
            lines.append(escape(doc.people[task_id]))
        return "<br>".join(lines)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.drag is None:
            help_event = event
            assert isinstance(help_event, QHelpEvent)
            node, _part = self.hit(self.mapToScene(help_event.pos()))
            if node >= 0:
                QToolTip.showText(help_event.globalPos(), self.tooltip_text(node), self.viewport())
            else:
                QToolTip.hideText()
            return True
        if event.type() == QEvent.Type.Leave:
            self._set_hover(-1)
        return super().viewportEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = 1 if event.angleDelta().y() > 0 else -1
            self.zoom_by(steps, event.position().x())
            event.accept()
            return
        super().wheelEvent(event)

    # -- painting -----------------------------------------------------------------------------

    def chart_painter(self) -> ChartPainter:
        """The shared painter (`desktop.gantt.painter`) set to what the screen shows now."""
        drag = self.drag
        return ChartPainter(
            document=self.document,
            colors=self.colors,
            px=self.px,
            origin=self.origin,
            today_o=self.today_o,
            font=self._font,
            small=self._small,
            show_critical=self.show_critical,
            show_baseline=self.show_baseline,
            selected=self.selected,
            dragged=drag.node if drag is not None and drag.active else -1,
            handles=self.hover if drag is None else -1,
        )

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        rows = self.document.rows
        # Arrows are chosen by the rows of the whole viewport, not of the exposed strip, so
        # an arrow crossing a freshly scrolled-in strip is drawn there too.
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        top = max(0, int(shown.top() // ROW_HEIGHT))
        bottom = min(len(rows) - 1, int(shown.bottom() // ROW_HEIGHT))
        self.chart_painter().paint(painter, QRectF(rect), rows[top : bottom + 1])

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        drag = self.drag
        if drag is None or not drag.active or drag.at is None:
            return
        c = self.colors
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        drag.paint(painter)
        lines = drag.text().split("\n")
        fm = QFontMetricsF(self._font)
        box = self.label_box(lines)
        refused = drag.refusing()
        painter.setPen(QPen(c.refuse if refused else c.grid.darker(200), 1))
        painter.setBrush(c.label_bg)
        painter.drawRoundedRect(box, 5, 5)
        painter.setFont(self._font)
        y = box.top() + 5 + fm.ascent()
        for n, line in enumerate(lines):
            painter.setPen(c.refuse if refused and n == len(lines) - 1 else c.text)
            painter.drawText(QPointF(box.left() + 8, y), line)
            y += fm.height()

    def label_box(self, lines: list[str]) -> QRectF:
        """Where the drag's label goes (scene coordinates): beside the cursor, kept inside
        the visible part of the chart on every side."""
        drag = self.drag
        at = drag.at if drag is not None and drag.at is not None else QPointF()
        fm = QFontMetricsF(self._font)
        width = max(fm.horizontalAdvance(line) for line in lines) + 16
        height = fm.height() * len(lines) + 10
        box = QRectF(at.x() + 16, at.y() + 14, width, height)
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if box.right() > visible.right():
            box.moveRight(at.x() - 12)
        if box.bottom() > visible.bottom():
            box.moveBottom(at.y() - 10)
        # …and never past the left or top edge, where a refusal would be cut off.
        if box.left() < visible.left() + 4:
            box.moveLeft(visible.left() + 4)
        if box.top() < visible.top() + 4:
            box.moveTop(visible.top() + 4)
        return box

    def drag_text(self) -> str:
        """What the live label says about the drag in progress."""
        return self.drag.text() if self.drag is not None else ""

    # -- mouse --------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.drag is not None:
            super().mousePressEvent(event)
            return
        pos = self.mapToScene(event.position().toPoint())
        node, part = self.hit(pos)
        if part is None:
            super().mousePressEvent(event)
            return
        self.drag = GESTURES[part](self, node, pos)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = self.mapToScene(event.position().toPoint())
        drag = self.drag
        if drag is None:
            _node, part = self.hit(pos)
            cursor = GESTURES[part].cursor if part is not None else Qt.CursorShape.ArrowCursor
            self.viewport().setCursor(cursor)
            self._set_hover(self.hovered(pos))
            super().mouseMoveEvent(event)
            return
        if not drag.active and abs(pos.x() - drag.press.x()) + abs(pos.y() - drag.press.y()) < (
            DRAG_THRESHOLD
        ):
            return
        drag.active = True
        drag.at = pos
        drag.drag_to(pos)
        # Past a fixed date the task will not follow: say so under the mouse too.
        self.viewport().setCursor(Qt.CursorShape.ForbiddenCursor if drag.held else drag.cursor)
        self.viewport().update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag = self.drag
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        pos = self.mapToScene(event.position().toPoint())
        if drag.active:
            drag.at = pos
            drag.drag_to(pos)
        self._commit(drag)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        node, _part = self.hit(self.mapToScene(event.position().toPoint()))
        if event.button() == Qt.MouseButton.LeftButton and node >= 0 and self.drag is None:
            self.task_activated.emit(self.document.schedule.task_id(node))
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def _set_hover(self, node: int) -> None:
        """Show the link handles of another task: repaint just the two rows concerned."""
        if node == self.hover:
            return
        for row_node in (self.hover, node):
            row = self.document.row_of.get(row_node, -1)
            if row >= 0:
                band = QRectF(0, row * ROW_HEIGHT, self.sceneRect().width(), ROW_HEIGHT)
                self.viewport().update(self.mapFromScene(band).boundingRect())
        self.hover = node

    def link_at(self, pos: QPointF) -> tuple[str, str] | None:
        """(predecessor id, successor id) of the link line under a scene point, if any."""
        top = max(0, self.row_at(self.mapToScene(0, 0).y()))
        rows = self.document.rows[top : top + self.viewport().height() // ROW_HEIGHT + 2]
        pred, succ = self.chart_painter().link_at(pos, rows)
        if pred < 0:
            return None
        v = self.document.schedule
        return v.task_id(pred), v.task_id(succ)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.drag is not None:
            return
        pos = self.mapToScene(event.pos())
        node, _part = self.hit(pos)
        if node < 0 and (link := self.link_at(pos)) is not None:
            self.link_menu_requested.emit(link[0], link[1], event.globalPos())
            event.accept()
            return
        task_id = self.document.schedule.task_id(node) if node >= 0 else ""
        self.menu_requested.emit(task_id, event.globalPos())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.drag is not None:
            self.cancel_drag()
            event.accept()
            return
        super().keyPressEvent(event)

    def cancel_drag(self) -> None:
        """Put the dragged task (and so everything that followed it) back as it was."""
        drag, self.drag = self.drag, None
        if drag is None:
            return
        moved = self.document.preview(drag.originals())
        self._after_preview(moved)
        self.viewport().update()

    # -- what gestures ask of the chart (`gestures.ChartHost`) --------------------------------

    on_preview: Callable[[set[str]], None] | None = None

    def refuse(self, reason: str) -> None:
        self.refused.emit(reason)

    def rescheduled(self, node: int, moved: set[str]) -> None:
        if self.document.schedule.finish_ordinal(node) + 30 > self.end_o:
            self.refresh_scene_rect()
        self._after_preview(moved)

    def _after_preview(self, moved: set[str]) -> None:
        if self.on_preview is not None and moved:
            self.on_preview(moved)

    def _commit(self, drag: Gesture) -> None:
        """End the gesture: one plan edit (one undo step), or nothing if nothing changed."""
        op = drag.commit() if drag.active else None
        if op is None:
            self.cancel_drag()
            return
        # The preview already shows the result; the edit's change set then finds nothing
        # left to move. A refused edit puts the preview back.
        self.drag = None
        if not self._run(op):
            self.drag = drag
            self.cancel_drag()
        self.viewport().update()
