"""Scheduling: working-day calendars, the dependency graph, the engine that computes dates,
float and the critical path, the schedule service every reader gets its dates from,
baselines, and the undoable edits of a plan. No Qt here."""

from db.scheduling.calendar import AgencyDays, WorkCalendar
from db.scheduling.engine import Scheduled, Scheduler, schedule
from db.scheduling.graph import CycleError
from db.scheduling.plan import LinkSpec, Plan, TaskSpec, load_plan
from db.scheduling.schedule_view import ScheduledLink, ScheduleView
from db.scheduling.schedules import Schedules, schedules_for

__all__ = [
    "AgencyDays",
    "CycleError",
    "LinkSpec",
    "Plan",
    "ScheduleView",
    "Scheduled",
    "ScheduledLink",
    "Scheduler",
    "Schedules",
    "TaskSpec",
    "WorkCalendar",
    "load_plan",
    "schedule",
    "schedules_for",
]
