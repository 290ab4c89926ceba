"""What every gesture on the chart shares: the parts of a bar a press can land on, what a
gesture may ask of the chart, and the life of a gesture from press to release.

In the shape of GanttProject's `chart/mouse/*Interaction`: the chart finds which part of
which bar was pressed, makes the one gesture class for that part and then only forwards the
mouse to it (`drag_to`), asks it for the edit to run on release (`commit`), for what to put
back on Escape (`originals`) and for what to draw while it lasts (`text`, `paint`).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Protocol

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from db.operations import Operation
from db.scheduling.plan import TaskSpec
from db.scheduling.rules import FixedDateWatch
from desktop.gantt.document import GanttDocument
from desktop.gantt.geometry import ROW_HEIGHT
from desktop.gantt.painter import ChartPainter, Colors

DATE_FORMAT = "%a %d %b %Y"


class Part(StrEnum):
    """Where on a task a press landed, and so which gesture it starts."""

    MOVE = "move"  # the bar's body (or a milestone)
    START = "start"  # the bar's left end: resize, keeping the finish
    FINISH = "finish"  # the bar's right end: resize, keeping the start
    PROGRESS = "progress"  # the edge of the part done
    LINK = "link"  # the handle after the finish: a link from the task's finish
    LINK_START = "link_start"  # the handle before the start: a link from the task's start
    SUMMARY = "summary"  # a summary's bar: move everything under it


class ChartHost(Protocol):
    """What a gesture may ask of the chart it runs on."""

    @property
    def document(self) -> GanttDocument: ...

    @property
    def px(self) -> float: ...

    @property
    def colors(self) -> Colors: ...

    def x_of(self, ordinal: float) -> float: ...

    def row_at(self, y: float) -> int: ...

    def bar_rect(self, node: int) -> QRectF: ...

    def chart_painter(self) -> ChartPainter: ...

    def refuse(self, reason: str) -> None:
        """Say why the gesture stops where it does (the status line shows it)."""

    def rescheduled(self, node: int, moved: set[str]) -> None:
        """The live preview moved these tasks; `node` is the one dragged."""


class Gesture:
    """One drag on a task, from press to release.

    `active` turns on once the mouse has moved past the drag threshold; `at` is the latest
    scene point. `limit_o` (an ordinal) and `reason` are set while a rule holds the task back:
    the chart draws the limit and says the reason."""

    part: ClassVar[Part]
    cursor: ClassVar[Qt.CursorShape] = Qt.CursorShape.SizeAllCursor

    def __init__(self, chart: ChartHost, node: int, press: QPointF) -> None:
        self.chart = chart
        self.node = node
        self.press = press
        v = chart.document.schedule
        self.original: TaskSpec = v.spec(node)
        # Where the task was at the press, as ordinals (`date.toordinal`).
        self.start_ordinal = v.start_ordinal(node)
        self.finish_ordinal = v.finish_ordinal(node)
        self.active = False
        self.at: QPointF | None = None
        self.limit_o: int | None = None
        self.limit_node = node  # the row the limit is drawn on
        self.reason = ""
        self.held = False  # stopped at a fixed date: the mouse is past where the task may go
        self._watch: FixedDateWatch | None = None
        self._ok_days = 0  # the last step that kept every fixed date

    @property
    def task_id(self) -> str:
        return self.chart.document.schedule.task_id(self.node)

    def shift(self, pos: QPointF) -> int:
        """Whole days the mouse has moved since the press."""
        return round((pos.x() - self.press.x()) / self.chart.px)

    # -- the gesture's life -------------------------------------------------------------------

    def drag_to(self, pos: QPointF) -> None:
        """Follow the mouse: preview the result live (successors follow). A step that would
        break a fixed date ("must start on", "finish no later than") of the task or of one
        downstream is not taken: the task stops at the furthest day that keeps them all,
        and the rule's refusal shows while the mouse stays beyond it (`held`)."""
        days = self.shift(pos)
        if self._watch is None:
            self._watch = self.chart.document.schedule.watch_fixed_dates(self.watched_ids())
        moved = self._try(days)
        broken = self._watch.broken()
        self.held = broken is not None
        if broken is None:
            self._ok_days = days
        else:
            ok, bad = self._ok_days, days
            while abs(bad - ok) > 1:  # conflicts only grow with the distance
                mid = (ok + bad) // 2
                moved |= self._try(mid)
                if self._watch.broken() is None:
                    ok = mid
                else:
                    bad = mid
            moved |= self._try(ok)
            self._ok_days = ok
            held_id, self.reason = broken
            self.limit_node, self.limit_o = self._fixed_edge(held_id)
        if self.reason:
            self.chart.refuse(self.reason)
        self.chart.rescheduled(self.node, moved)

    def _try(self, days: int) -> set[str]:
        self.reason, self.limit_o, self.limit_node = "", None, self.node
        moved = self.chart.document.preview(self.specs_at(days))
        self.held_back()
        return moved

    def _fixed_edge(self, task_id: str) -> tuple[int, int | None]:
        """Where a task's fixed date stands on the chart: (its node, the ordinal of the
        edge) -- its start when it must start on it, the end of its finish-by day."""
        v = self.chart.document.schedule
        node = v.node(task_id)
        spec = v.spec(node)
        if spec.finish_by is not None and not spec.fixed:
            return node, spec.finish_by.toordinal() + 1
        return node, v.start_ordinal(node)

    def specs_at(self, days: int) -> list[TaskSpec]:
        """The tasks as they would be with the mouse `days` days from the press (held at
        what the predecessors allow); the gesture notes its new values for `commit`."""
        raise NotImplementedError

    def held_back(self) -> None:
        """After a step is previewed: note a limit the engine held the task at, if any."""

    def watched_ids(self) -> list[str]:
        """The tasks the gesture moves, whose downstream fixed dates it must keep."""
        return [self.task_id]

    def commit(self) -> Operation | None:
        """The one edit (one undo step) the gesture ends in; None when nothing changed or
        the gesture was refused (the preview is then put back)."""
        raise NotImplementedError

    def originals(self) -> list[TaskSpec]:
        """The tasks as they were before the gesture, to put back on Escape or refusal."""
        return [self.original]

    def text(self) -> str:
        """What the label beside the cursor says: the new dates, and why when held back."""
        v = self.chart.document.schedule
        start = date.fromordinal(v.start_ordinal(self.node))
        finish = date.fromordinal(v.finish_ordinal(self.node))
        days = v.duration(self.node)
        text = f"{start:{DATE_FORMAT}} → {finish:{DATE_FORMAT}}  ({days} d)"
        return f"{text}\n{self.reason}" if self.reason else text

    def refusing(self) -> bool:
        """Does the label show a refusal (drawn in red)?"""
        return bool(self.reason)

    def paint(self, painter: QPainter) -> None:
        """Draw over the chart while the gesture lasts: by default the limit it hit."""
        if self.limit_o is None:
            return
        x = self.chart.x_of(self.limit_o)
        row = self.chart.document.row_of.get(self.limit_node, -1)
        if row < 0:
            return
        painter.setPen(QPen(self.chart.colors.refuse, 2, Qt.PenStyle.DashLine))
        painter.drawLine(QLineF(x, row * ROW_HEIGHT - 6, x, (row + 1) * ROW_HEIGHT + 6))

    # -- shared by the gestures that move a start ---------------------------------------------

    def snap(self, ordinal: int) -> date:
        """The first working day of the task's own calendar on or after a day."""
        cal = self.chart.document.schedule.calendar(self.node)
        return cal.next_working_day(date.fromordinal(ordinal))

    def clamp_start(self, start: date) -> date:
        """`start`, or the earliest start the predecessors allow when it is before that; the
        limit and the plan's refusal (`db.scheduling.rules`) are then kept for the chart to
        show."""
        limit = self.chart.document.schedule.start_limit(self.task_id, start)
        if limit is not None:
            earliest, self.reason = limit
            self.limit_o = earliest.toordinal()
            return earliest
        return start
