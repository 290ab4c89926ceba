"""Dragging the edge of a bar's done part: the task's progress, in steps of 5 % (GanttProject's
`ChangeTaskProgressInteraction`)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPointF, Qt

from db.operations import Operation
from db.scheduling.operations import SetProgress
from desktop.gantt.gestures.base import Gesture, Part


class ProgressGesture(Gesture):
    part = Part.PROGRESS
    cursor = Qt.CursorShape.PointingHandCursor
    new_progress: int | None = None

    def drag_to(self, pos: QPointF) -> None:
        rect = self.chart.bar_rect(self.node)
        share = (pos.x() - rect.left()) / max(rect.width(), 1)
        self.new_progress = int(round(max(0.0, min(1.0, share)) * 20) * 5)
        self.chart.document.preview([replace(self.original, progress=self.new_progress)])

    def commit(self) -> Operation | None:
        if self.new_progress is None or self.new_progress == self.original.progress:
            return None
        return SetProgress(self.task_id, self.new_progress)

    def text(self) -> str:
        done = self.new_progress if self.new_progress is not None else 0
        return f"'{self.original.name}': {done} % done"
