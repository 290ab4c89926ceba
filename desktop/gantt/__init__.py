"""The Gantt view of a project: task tree beside a chart rescheduled by dragging.

`GanttView` is loaded when first asked for: the drawing modules (`painter`, `timescale`,
`geometry`) import without the view and its data layer, for a plan's first look before the
data layer loads (`desktop.first_look`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.gantt.view import GanttView

__all__ = ["GanttView"]


def __getattr__(name: str) -> type[GanttView]:
    if name == "GanttView":
        from desktop.gantt.view import GanttView

        return GanttView
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
