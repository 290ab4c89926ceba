"""Dragging a summary's bar: every task under it moves by the same number of working days,
as one edit (GanttProject moves a summary's subtasks with it the same way)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QPointF

from db.labels import quoted
from db.operations import Operation
from db.scheduling.operations import MoveTasks
from db.scheduling.plan import TaskSpec
from desktop.gantt.gestures.base import ChartHost, Gesture, Part


class SummaryGesture(Gesture):
    part = Part.SUMMARY
    new_start: date | None = None

    def __init__(self, chart: ChartHost, node: int, press: QPointF) -> None:
        super().__init__(chart, node, press)
        v = chart.document.schedule
        # The tasks under the summary as they were, and where each started.
        self.group: list[tuple[int, TaskSpec]] = [(leaf, v.spec(leaf)) for leaf in v.leaves(node)]
        self.group_starts = {leaf: v.start_ordinal(leaf) for leaf, _spec in self.group}

    def watched_ids(self) -> list[str]:
        v = self.chart.document.schedule
        return [v.task_id(leaf) for leaf, _spec in self.group]

    def specs_at(self, days: int) -> list[TaskSpec]:
        v = self.chart.document.schedule
        agency = v.agency_calendar
        target = agency.next_working_day(date.fromordinal(self.start_ordinal + days))
        working = agency.working_days_between(date.fromordinal(self.start_ordinal), target)
        specs = []
        for leaf, spec in self.group:
            cal = v.calendar(leaf)
            start = date.fromordinal(cal.day(cal.index(self.group_starts[leaf]) + working))
            specs.append(replace(spec, start=start))
        self.new_start = target
        return specs

    def held_back(self) -> None:
        actual = self.chart.document.schedule.start_ordinal(self.node)
        if self.new_start is not None and actual > self.new_start.toordinal():
            self.limit_o = actual
            self.reason = (
                f"Can't start before {date.fromordinal(actual):%a %d %b}: "
                "a task under it waits for its predecessors"
            )

    def originals(self) -> list[TaskSpec]:
        return [spec for _leaf, spec in self.group]

    def commit(self) -> Operation | None:
        v = self.chart.document.schedule
        # Judged together, once all have moved; a task held by a predecessor outside the
        # summary starts where that allows.
        starts = {
            v.task_id(leaf): limit[0] if limit else v.spec(leaf).start
            for leaf, old in self.group
            if v.spec(leaf).start != old.start
            for limit in [v.start_limit(v.task_id(leaf), v.spec(leaf).start)]
        }
        return MoveTasks(starts, label=f"Move {quoted(self.original.name)}") if starts else None
