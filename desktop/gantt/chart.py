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
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from html import escape

from PySide6.QtCore import QEvent, QLineF, QPoint, QPointF, QRectF, Qt, Signal
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

from db.models import DependencyType
from db.operations import Operation
from db.scheduling.operations import Link, MoveTask, MoveTasks, ResizeTask, SetProgress
from db.scheduling.plan import TaskSpec
from db.scheduling.rules import start_limit
from desktop.gantt.document import GanttDocument
from desktop.gantt.painter import (
    BAR_HEIGHT,
    BAR_TOP,
    LINK_HANDLE,
    ChartPainter,
    Colors,
    bar_rect,
)
from desktop.gantt.tree_model import ROW_HEIGHT

ZOOMS: dict[str, float] = {"day": 32.0, "week": 14.0, "month": 4.5, "quarter": 1.6}
ZOOM_ORDER = ["quarter", "month", "week", "day"]
EDGE = 5  # px of a bar's ends that resize instead of move
DRAG_THRESHOLD = 3

RunEdit = Callable[[Operation], bool]


@dataclass
class Drag:
    """One gesture in progress: what is dragged, the task as it was, the preview so far."""

    part: str  # "move", "start", "finish", "progress", "link"
    node: int
    press: QPointF
    original: TaskSpec
    start_o: int
    finish_o: int
    active: bool = False
    new_start: date | None = None
    new_duration: int | None = None
    new_progress: int | None = None
    target: int = -1
    at: QPointF | None = None
    limit_o: int | None = None
    reason: str = ""
    # A summary drag moves every task under it: (node, spec as it was) for each.
    group: list[tuple[int, TaskSpec]] = field(default_factory=list)
    group_starts: dict[int, int] = field(default_factory=dict)


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
        self.drag: Drag | None = None
        self.selected: set[int] = set()
        self.colors = Colors.for_palette(self.palette())
        self._font = QFont(self.font())
        self._small = QFont(self.font())
        self._small.setPointSizeF(max(7.0, self._small.pointSizeF() - 1))
        self.today_o = date.today().toordinal()
        self.refresh_scene_rect()

    # -- geometry -----------------------------------------------------------------------------

    def refresh_scene_rect(self) -> None:
        span = self.document.scheduler.project_span()
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

    def _is_milestone(self, node: int) -> bool:
        s = self.document.scheduler
        return s.specs[node].milestone and not s.children[node]

    def handle_pos(self, task_id: str, part: str = "move") -> QPointF:
        """Where, in scene coordinates, to press for a gesture on a task's bar."""
        node = self.document.node(task_id)
        rect = self.bar_rect(node)
        y = rect.center().y()
        if self._is_milestone(node):
            x = self.x_of(self.document.scheduler.start_o[node] + 0.5)
            return QPointF(x + (LINK_HANDLE + 3 if part == "link" else 0), y)
        if part == "start":
            return QPointF(rect.left() + 2, y)
        if part == "finish":
            return QPointF(rect.right() - 2, y)
        if part == "link":
            return QPointF(rect.right() + LINK_HANDLE, y)
        if part == "progress":
            progress = self.document.scheduler.specs[node].progress
            return QPointF(rect.left() + rect.width() * progress / 100, rect.bottom() - 2)
        return QPointF(rect.center().x(), y)

    def date_x(self, day: date) -> float:
        """Scene x of the middle of a day (for tests and keyboard users)."""
        return self.x_of(day.toordinal() + 0.5)

    def hit(self, pos: QPointF) -> tuple[int, str]:
        """(node, part) under a scene point, (-1, "") for none."""
        row = self.row_at(pos.y())
        if row < 0:
            return -1, ""
        node = self.document.rows[row]
        s = self.document.scheduler
        y = pos.y() - row * ROW_HEIGHT
        if s.children[node]:
            rect = self.bar_rect(node)
            return (node, "summary") if rect.left() <= pos.x() <= rect.right() else (-1, "")
        if self._is_milestone(node):
            cx = self.x_of(s.start_o[node] + 0.5)
            if abs(pos.x() - (cx + LINK_HANDLE + 3)) <= 5:
                return node, "link"
            return (node, "move") if abs(pos.x() - cx) <= 8 else (-1, "")
        rect = self.bar_rect(node)
        if (
            abs(pos.x() - (rect.right() + LINK_HANDLE)) <= 5
            and BAR_TOP <= y <= BAR_TOP + BAR_HEIGHT
        ):
            return node, "link"
        if not (rect.left() - 2 <= pos.x() <= rect.right() + 2):
            return -1, ""
        if not (BAR_TOP - 3 <= y <= BAR_TOP + BAR_HEIGHT + 3):
            return -1, ""
        if pos.x() <= rect.left() + EDGE:
            return node, "start"
        if pos.x() >= rect.right() - EDGE:
            return node, "finish"
        px = rect.left() + rect.width() * s.specs[node].progress / 100
        if abs(pos.x() - px) <= 4 and y >= BAR_TOP + BAR_HEIGHT / 2:
            return node, "progress"
        return node, "move"

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
        span = self.document.scheduler.project_span()
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
        x = self.x_of(self.document.scheduler.start_o[node]) - 3 * self.px - 20
        self.horizontalScrollBar().setValue(max(0, round(x)))

    def tooltip_text(self, node: int) -> str:
        """What hovering a bar tells: dates, duration, progress, float and baseline slip."""
        doc = self.document
        s = doc.scheduler
        task_id = s.ids[node]
        spec = s.specs[node]
        fmt = "%a %d %b %Y"
        start, finish = date.fromordinal(s.start_o[node]), date.fromordinal(s.finish_o[node])
        lines = [f"<b>{doc.wbs[node]} {escape(spec.name)}</b>"]
        if self._is_milestone(node):
            lines.append(f"Milestone on {start:{fmt}}")
        else:
            lines.append(f"{start:{fmt}} → {finish:{fmt}} ({s.duration(task_id)} working days)")
            if not s.children[node]:
                lines.append(f"{spec.progress} % done")
        slack = s.total_float(task_id)
        lines.append("On the critical path" if slack <= 0 else f"Float: {slack} working days")
        slip = doc.slip(node)
        if slip:
            lines.append(
                f"{abs(slip)} working days {'late' if slip > 0 else 'early'} on the baseline"
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
        )

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        rows = self.document.rows
        # Arrows are chosen by the rows of the whole viewport, not of the exposed strip, so
        # an arrow crossing a freshly scrolled-in strip is drawn there too.
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        top = max(0, int(shown.top() // ROW_HEIGHT))
        bottom = min(len(rows) - 1, int(shown.bottom() // ROW_HEIGHT))
        self.chart_painter().paint(painter, rect, rows[top : bottom + 1])

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        drag = self.drag
        if drag is None or not drag.active or drag.at is None:
            return
        c = self.colors
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if drag.part == "link":
            start = self.handle_pos(self.document.scheduler.ids[drag.node], "link")
            painter.setPen(QPen(c.bar_edge, 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(QLineF(start, drag.at))
            if drag.target >= 0:
                painter.setPen(QPen(c.bar_edge, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(self.bar_rect(drag.target).adjusted(-3, -3, 3, 3), 4, 4)
        if drag.limit_o is not None:
            x = self.x_of(drag.limit_o)
            row = self.document.row_of.get(drag.node, 0)
            painter.setPen(QPen(c.refuse, 2, Qt.PenStyle.DashLine))
            painter.drawLine(QLineF(x, row * ROW_HEIGHT - 6, x, (row + 1) * ROW_HEIGHT + 6))
        lines = self.drag_text().split("\n")
        fm = QFontMetricsF(self._font)
        box = self.label_box(lines)
        refused = bool(drag.reason) or (
            drag.part == "link"
            and drag.target >= 0
            and bool(self.link_refusal(drag.node, drag.target))
        )
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

    def link_refusal(self, node: int, target: int) -> str:
        """Why a link from `node` to `target` would be refused, or "" (the preview says so
        before the drop, rather than promising a link the engine then refuses)."""
        s = self.document.scheduler
        found = getattr(self, "_verdict", None)  # asked on every mouse move: once per target
        if found is not None and found[:3] == (id(self.drag), node, target):
            return str(found[3])
        pred, succ = s.specs[node].name, s.specs[target].name
        reason = ""
        if any(p == node and t == target for p, _c, _l, t in s.incoming[target]) or any(
            p == node and t == target
            for leaf in s.leaves(target)
            for p, _c, _l, t in s.incoming[leaf]
        ):
            reason = f"'{succ}' already follows '{pred}'"
        elif (loop := s.wait_path(s.ids[target], s.ids[node])) is not None:
            names = " → ".join(s.spec(i).name for i in [*loop, loop[0]])
            reason = f"these tasks would wait on each other forever: {names}"
        elif target in self._ancestors(node):
            reason = f"'{pred}' is part of '{succ}'; a summary cannot follow its own task"
        self._verdict = (id(self.drag), node, target, reason)
        return reason

    def _ancestors(self, node: int) -> set[int]:
        s = self.document.scheduler
        found: set[int] = set()
        parent = s.parent[node]
        while parent >= 0:
            found.add(parent)
            parent = s.parent[parent]
        return found

    def drag_text(self) -> str:
        """What the live label says about the drag in progress."""
        drag = self.drag
        if drag is None:
            return ""
        s = self.document.scheduler
        node = drag.node
        name = s.specs[node].name
        fmt = "%a %d %b %Y"
        if drag.part == "link":
            if drag.target < 0:
                return f"Link from '{name}': drop on the task that follows it"
            refusal = self.link_refusal(node, drag.target)
            if refusal:
                return f"Link from '{name}'\n{refusal}"
            return f"'{s.specs[drag.target].name}' will start after '{name}' finishes"
        if drag.part == "progress":
            return f"'{name}': {drag.new_progress if drag.new_progress is not None else 0} % done"
        start = date.fromordinal(s.start_o[node])
        finish = date.fromordinal(s.finish_o[node])
        days = s.duration(s.ids[node])
        text = f"{start:{fmt}} → {finish:{fmt}}  ({days} d)"
        if drag.reason:
            text += "\n" + drag.reason
        return text

    # -- mouse --------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.drag is not None:
            super().mousePressEvent(event)
            return
        pos = self.mapToScene(event.position().toPoint())
        node, part = self.hit(pos)
        if node < 0:
            super().mousePressEvent(event)
            return
        s = self.document.scheduler
        if self._is_milestone(node) and part not in ("move", "link"):
            part = "move"
        self.drag = Drag(
            part=part,
            node=node,
            press=pos,
            original=s.specs[node],
            start_o=s.start_o[node],
            finish_o=s.finish_o[node],
            group=[(leaf, s.specs[leaf]) for leaf in s.leaves(node)] if part == "summary" else [],
        )
        self.drag.group_starts = {leaf: s.start_o[leaf] for leaf, _spec in self.drag.group}
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = self.mapToScene(event.position().toPoint())
        drag = self.drag
        if drag is None:
            _node, part = self.hit(pos)
            cursors = {
                "move": Qt.CursorShape.SizeAllCursor,
                "summary": Qt.CursorShape.SizeAllCursor,
                "start": Qt.CursorShape.SizeHorCursor,
                "finish": Qt.CursorShape.SizeHorCursor,
                "progress": Qt.CursorShape.PointingHandCursor,
                "link": Qt.CursorShape.CrossCursor,
            }
            self.viewport().setCursor(cursors.get(part, Qt.CursorShape.ArrowCursor))
            super().mouseMoveEvent(event)
            return
        if not drag.active and abs(pos.x() - drag.press.x()) + abs(pos.y() - drag.press.y()) < (
            DRAG_THRESHOLD
        ):
            return
        drag.active = True
        drag.at = pos
        self._preview(drag, pos)
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
            self._preview(drag, pos)
        self._commit(drag)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        node, _part = self.hit(self.mapToScene(event.position().toPoint()))
        if event.button() == Qt.MouseButton.LeftButton and node >= 0 and self.drag is None:
            self.task_activated.emit(self.document.scheduler.ids[node])
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def link_at(self, pos: QPointF) -> tuple[str, str] | None:
        """(predecessor id, successor id) of the link line under a scene point, if any."""
        top = max(0, self.row_at(self.mapToScene(0, 0).y()))
        rows = self.document.rows[top : top + self.viewport().height() // ROW_HEIGHT + 2]
        pred, succ = self.chart_painter().link_at(pos, rows)
        if pred < 0:
            return None
        ids = self.document.scheduler.ids
        return ids[pred], ids[succ]

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.drag is not None:
            return
        pos = self.mapToScene(event.pos())
        node, _part = self.hit(pos)
        if node < 0 and (link := self.link_at(pos)) is not None:
            self.link_menu_requested.emit(link[0], link[1], event.globalPos())
            event.accept()
            return
        task_id = self.document.scheduler.ids[node] if node >= 0 else ""
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
        originals = [spec for _node, spec in drag.group] or [drag.original]
        moved = self.document.scheduler.update(originals)
        self._after_preview(moved)
        self.viewport().update()

    # -- the gesture's effect -----------------------------------------------------------------

    on_preview: Callable[[set[str]], None] | None = None

    def _after_preview(self, moved: set[str]) -> None:
        if self.on_preview is not None and moved:
            self.on_preview(moved)

    def _snap(self, ordinal: int, node: int) -> date:
        cal = self.document.scheduler.cal[node]
        return cal.next_working_day(date.fromordinal(ordinal))

    def _preview(self, drag: Drag, pos: QPointF) -> None:
        s = self.document.scheduler
        node = drag.node
        task_id = s.ids[node]
        shift = round((pos.x() - drag.press.x()) / self.px)
        cal = s.cal[node]
        drag.reason, drag.limit_o = "", None
        spec = drag.original
        if drag.part == "link":
            row = self.row_at(pos.y())
            target = self.document.rows[row] if row >= 0 else -1
            drag.target = target if target != node else -1
            return
        if drag.part == "summary":
            self._preview_summary(drag, shift)
            return
        if drag.part == "progress":
            rect = self.bar_rect(node)
            share = (pos.x() - rect.left()) / max(rect.width(), 1)
            drag.new_progress = int(round(max(0.0, min(1.0, share)) * 20) * 5)
            s.update([replace(spec, progress=drag.new_progress)])
            return
        if drag.part == "finish":
            finish = self._snap(drag.finish_o + shift, node)
            start = date.fromordinal(drag.start_o)
            drag.new_duration = max(1, cal.working_days_between(start, finish) + 1)
            new = replace(spec, duration=drag.new_duration)
        else:
            start = self._snap(drag.start_o + shift, node)
            limit = start_limit(s, task_id, start)  # the plan's rule: the bar stops there
            if limit is not None:
                start, drag.reason = limit
                drag.limit_o = start.toordinal()
            drag.new_start = start
            if drag.part == "start":
                finish = date.fromordinal(drag.finish_o)
                drag.new_duration = max(1, cal.working_days_between(start, finish) + 1)
                new = replace(spec, start=start, duration=drag.new_duration)
            else:
                new = replace(spec, start=start)
        moved = s.update([new])
        if drag.reason:
            self.refused.emit(drag.reason)
        self._grow_scene_for(node)
        self._after_preview(moved)

    def _preview_summary(self, drag: Drag, shift: int) -> None:
        """Move every task under a summary by the same number of working days."""
        s = self.document.scheduler
        agency = s.calendar
        target = agency.next_working_day(date.fromordinal(drag.start_o + shift))
        days = agency.working_days_between(date.fromordinal(drag.start_o), target)
        specs = []
        for leaf, spec in drag.group:
            cal = s.cal[leaf]
            start = date.fromordinal(cal.day(cal.index(drag.group_starts[leaf]) + days))
            specs.append(replace(spec, start=start))
        moved = s.update(specs)
        drag.new_start = target
        actual = s.start_o[drag.node]
        if actual > target.toordinal():
            drag.limit_o = actual
            drag.reason = (
                f"Can't start before {date.fromordinal(actual):%a %d %b}: "
                "a task under it waits for its predecessors"
            )
            self.refused.emit(drag.reason)
        self._grow_scene_for(drag.node)
        self._after_preview(moved)

    def _grow_scene_for(self, node: int) -> None:
        s = self.document.scheduler
        if s.finish_o[node] + 30 > self.end_o:
            self.refresh_scene_rect()

    def _commit(self, drag: Drag) -> None:
        """End the gesture: one plan edit (one undo step), or nothing if nothing changed."""
        s = self.document.scheduler
        task_id = s.ids[drag.node]
        spec = drag.original
        op: Operation | None = None
        if drag.active:
            if drag.part == "move" and drag.new_start is not None:
                if drag.new_start.toordinal() != drag.start_o:
                    op = MoveTask(task_id, drag.new_start)
            elif drag.part == "start" and drag.new_start is not None:
                if drag.new_start.toordinal() != drag.start_o:
                    op = ResizeTask(task_id, drag.new_duration or 1, start=drag.new_start)
            elif drag.part == "finish" and drag.new_duration is not None:
                if drag.new_duration != spec.duration:
                    op = ResizeTask(task_id, drag.new_duration)
            elif drag.part == "progress" and drag.new_progress is not None:
                if drag.new_progress != spec.progress:
                    op = SetProgress(task_id, drag.new_progress)
            elif drag.part == "link" and drag.target >= 0:
                refusal = self.link_refusal(drag.node, drag.target)
                if refusal:
                    self.refused.emit(f"Dependency: {refusal}")
                else:
                    op = Link(task_id, s.ids[drag.target], DependencyType.FS)
            elif drag.part == "summary" and drag.group:
                # Tasks held by a predecessor outside the summary start where it allows.
                starts = {
                    s.ids[leaf]: limit[0] if limit else s.specs[leaf].start
                    for leaf, old in drag.group
                    if s.specs[leaf].start != old.start
                    for limit in [start_limit(s, s.ids[leaf], s.specs[leaf].start)]
                }
                if starts:
                    op = MoveTasks(starts, label=f"Move '{spec.name}'")
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
