"""Dragging either end of a bar: the task gets longer or shorter (GanttProject's
`ChangeTaskStartInteraction` and `ChangeTaskEndInteraction`). Durations count the task's
own working days and never fall below one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt

from db.operations import Operation
from db.scheduling.operations import ResizeTask
from db.scheduling.plan import TaskSpec
from desktop.gantt.gestures.base import Gesture, Part


class ResizeStartGesture(Gesture):
    """Drag the start: the finish stays, the start follows the mouse (held at what the
    predecessors allow)."""

    part = Part.START
    cursor = Qt.CursorShape.SizeHorCursor
    new_start: date | None = None
    new_duration: int | None = None

    def specs_at(self, days: int) -> list[TaskSpec]:
        start = self.clamp_start(self.snap(self.start_ordinal + days))
        cal = self.chart.document.schedule.calendar(self.node)
        finish = date.fromordinal(self.finish_ordinal)
        self.new_start = start
        self.new_duration = max(1, cal.working_days_between(start, finish) + 1)
        return [replace(self.original, start=start, duration=self.new_duration)]

    def commit(self) -> Operation | None:
        if self.new_start is None or self.new_start.toordinal() == self.start_ordinal:
            return None
        return ResizeTask(self.task_id, self.new_duration or 1, start=self.new_start)


class ResizeEndGesture(Gesture):
    """Drag the finish: the start stays, the duration follows the mouse."""

    part = Part.FINISH
    cursor = Qt.CursorShape.SizeHorCursor
    new_duration: int | None = None

    def specs_at(self, days: int) -> list[TaskSpec]:
        finish = self.snap(self.finish_ordinal + days)
        cal = self.chart.document.schedule.calendar(self.node)
        start = date.fromordinal(self.start_ordinal)
        self.new_duration = max(1, cal.working_days_between(start, finish) + 1)
        return [replace(self.original, duration=self.new_duration)]

    def commit(self) -> Operation | None:
        if self.new_duration is None or self.new_duration == self.original.duration:
            return None
        return ResizeTask(self.task_id, self.new_duration)
