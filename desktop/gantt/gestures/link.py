"""Drawing a dependency from one task to another (GanttProject's `DrawDependencyInteraction`).

A hovered bar shows two handles: before its start and after its finish. The handle the drag
leaves from and the part of the other task it is dropped on choose the link's type, as the
handles of MS Project's and most web Gantts' bars do:

* from the finish handle onto a bar: finish-to-start (FS), the link most plans need;
* from the start handle onto a bar: start-to-start (SS);
* onto the far (finish) end of the other bar, or its finish handle: finish-to-finish (FF)
  from a finish, start-to-finish (SF) from a start.

The label names the link it will make before the drop ("'Build' will start after 'Design'
finishes"), and a link the plan would refuse (a duplicate, a loop, a summary following its
own task) is refused in the label first, with the reason, then at the drop.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QPainter, QPen

from db.models import DependencyType
from db.operations import Operation
from db.scheduling.operations import Link
from desktop.gantt.geometry import LINK_HANDLE
from desktop.gantt.gestures.base import ChartHost, Gesture, Part

FINISH_ZONE = 10  # px at a bar's finish end (and beyond it) that aim a link at the finish

_WHAT = {
    DependencyType.FS: "'{succ}' will start after '{pred}' finishes",
    DependencyType.SS: "'{succ}' will start after '{pred}' starts",
    DependencyType.FF: "'{succ}' will finish after '{pred}' finishes",
    DependencyType.SF: "'{succ}' will finish after '{pred}' starts",
}


def link_type(from_finish: bool, to_finish: bool) -> DependencyType:
    """The link a drag from one end of a task to one end of another makes: finish → start is
    FS, start → start SS, finish → finish FF, start → finish SF."""
    if from_finish:
        return DependencyType.FF if to_finish else DependencyType.FS
    return DependencyType.SF if to_finish else DependencyType.SS


class LinkGesture(Gesture):
    """A link from the pressed task's finish (or, with `from_finish` False, its start) to
    the task dropped on."""

    part = Part.LINK
    cursor = Qt.CursorShape.CrossCursor
    from_finish = True
    target = -1  # the task under the mouse, -1 for none
    to_finish = False  # aimed at the target's finish rather than its start

    def __init__(self, chart: ChartHost, node: int, press: QPointF) -> None:
        super().__init__(chart, node, press)
        self._verdicts: dict[int, str] = {}

    @property
    def type(self) -> DependencyType:
        return link_type(self.from_finish, self.to_finish)

    def drag_to(self, pos: QPointF) -> None:
        row = self.chart.row_at(pos.y())
        target = self.chart.document.rows[row] if row >= 0 else -1
        self.target = target if target != self.node else -1
        self.to_finish = self.target >= 0 and self._aims_at_finish(self.target, pos)

    def _aims_at_finish(self, target: int, pos: QPointF) -> bool:
        v = self.chart.document.schedule
        if v.is_milestone(target):
            return pos.x() > self.chart.x_of(v.start_ordinal(target) + 0.5) + LINK_HANDLE / 2
        rect = self.chart.bar_rect(target)
        zone = min(FINISH_ZONE, rect.width() / 3)
        return pos.x() >= rect.right() - zone

    def refusal(self) -> str:
        """Why a link to the current target would be refused, or "" (asked on every mouse
        move, so worked out once per target)."""
        target = self.target
        if target < 0:
            return ""
        found = self._verdicts.get(target)
        if found is None:
            found = self._refusal(target)
            self._verdicts[target] = found
        return found

    def _refusal(self, target: int) -> str:
        v = self.chart.document.schedule
        pred, succ = v.name(self.node), v.name(target)
        if v.linked(self.node, target):
            return f"'{succ}' already follows '{pred}'"
        loop = v.wait_path(v.task_id(target), v.task_id(self.node))
        if loop is not None:
            names = " → ".join(v.name(v.node(i)) for i in [*loop, loop[0]])
            return f"these tasks would wait on each other forever: {names}"
        if v.is_under(self.node, target):
            return f"'{pred}' is part of '{succ}'; a summary cannot follow its own task"
        return ""

    def refusing(self) -> bool:
        return bool(self.refusal())

    def commit(self) -> Operation | None:
        if self.target < 0:
            return None
        refusal = self.refusal()
        if refusal:
            self.chart.refuse(f"Dependency: {refusal}")
            return None
        v = self.chart.document.schedule
        return Link(self.task_id, v.task_id(self.target), self.type)

    def text(self) -> str:
        name = self.original.name
        end = "finish" if self.from_finish else "start"
        if self.target < 0:
            return f"Link from the {end} of '{name}': drop on the task that follows it"
        refusal = self.refusal()
        if refusal:
            return f"Link from '{name}'\n{refusal}"
        succ = self.chart.document.schedule.name(self.target)
        return f"{_WHAT[self.type].format(succ=succ, pred=name)} ({self.type.value})"

    def paint(self, painter: QPainter) -> None:
        """A dashed line from the handle to the mouse; the target outlined, with the end the
        link will bind lit."""
        if self.at is None:
            return
        c = self.chart.colors
        chart = self.chart.chart_painter()
        start = chart.link_handles(self.node)[1 if self.from_finish else 0]
        painter.setPen(QPen(c.bar_edge, 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawLine(QLineF(start, self.at))
        chart.paint_handles(painter, self.node, 1 if self.from_finish else 0)
        if self.target >= 0:
            painter.setPen(QPen(c.refuse if self.refusing() else c.bar_edge, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self.chart.bar_rect(self.target).adjusted(-3, -3, 3, 3), 4, 4)
            chart.paint_handles(painter, self.target, 1 if self.to_finish else 0)


class LinkFromStartGesture(LinkGesture):
    """A link from the pressed task's start: SS onto a bar, SF onto its finish end."""

    part = Part.LINK_START
    from_finish = False
