"""The closed vocabularies of a plan: a task's kind, how its dates are held, and the types of
link between tasks. Plain enums, stored as their string values (`db.models.enums` gives them
their columns); the scheduling engine reads them without importing SQLAlchemy or the models."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DependencyType", "TaskConstraint", "TaskKind"]


class TaskKind(StrEnum):
    TASK = "task"
    MILESTONE = "milestone"
    DELIVERABLE = "deliverable"


class TaskConstraint(StrEnum):
    """How a task's dates are held, as in MS Project. Its start date is always a floor;
    "must start on" also pins it there (a link that would push it later is refused), and
    "finish no later than" sets a deadline (`Task.finish_by`) no edit may push it past."""

    START_NO_EARLIER = "start_no_earlier"
    MUST_START_ON = "must_start_on"
    FINISH_NO_LATER = "finish_no_later"


class DependencyType(StrEnum):
    FS = "FS"
    SS = "SS"
    FF = "FF"
    SF = "SF"
