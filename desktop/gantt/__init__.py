"""The Gantt view of a project: task tree beside a chart rescheduled by dragging."""

from desktop.gantt.none_refcount import make_none_immortal

make_none_immortal()

from desktop.gantt.view import GanttView  # noqa: E402

__all__ = ["GanttView"]
