"""Dragging a bar's body: the task moves, keeping its duration (GanttProject's
`MoveTaskInteractions`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from db.operations import Operation
from db.scheduling.operations import MoveTask
from db.scheduling.plan import TaskSpec
from desktop.gantt.gestures.base import Gesture, Part


class MoveGesture(Gesture):
    """Move a task (or a milestone) by whole days, snapped to its working days and held at
    the earliest start its predecessors allow and at the fixed dates it reaches."""

    part = Part.MOVE
    new_start: date | None = None  # where the task will start, once the mouse has moved

    def specs_at(self, days: int) -> list[TaskSpec]:
        start = self.clamp_start(self.snap(self.start_ordinal + days))
        self.new_start = start
        return [replace(self.original, start=start)]

    def commit(self) -> Operation | None:
        if self.new_start is None or self.new_start.toordinal() == self.start_ordinal:
            return None
        return MoveTask(self.task_id, self.new_start)
