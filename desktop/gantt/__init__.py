"""The Gantt view of a project: task tree beside a chart rescheduled by dragging."""

from desktop.gantt.view import GanttView

__all__ = ["GanttView"]
