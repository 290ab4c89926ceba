"""The chart's mouse gestures, one class each, in the shape of GanttProject's
`chart/mouse/*Interaction`: the chart finds the part of a bar under a press (`Part`) and
starts the gesture `GESTURES` names for it; the gesture does the rest."""

from __future__ import annotations

from desktop.gantt.gestures.base import ChartHost, Gesture, Part
from desktop.gantt.gestures.link import LinkFromStartGesture, LinkGesture
from desktop.gantt.gestures.move import MoveGesture
from desktop.gantt.gestures.progress import ProgressGesture
from desktop.gantt.gestures.resize import ResizeEndGesture, ResizeStartGesture
from desktop.gantt.gestures.summary import SummaryGesture

GESTURES: dict[Part, type[Gesture]] = {
    g.part: g
    for g in (
        MoveGesture,
        ResizeStartGesture,
        ResizeEndGesture,
        ProgressGesture,
        LinkGesture,
        LinkFromStartGesture,
        SummaryGesture,
    )
}

__all__ = [
    "GESTURES",
    "ChartHost",
    "Gesture",
    "LinkFromStartGesture",
    "LinkGesture",
    "MoveGesture",
    "Part",
    "ProgressGesture",
    "ResizeEndGesture",
    "ResizeStartGesture",
    "SummaryGesture",
]
