"""The closed vocabularies of the data model, stored as their lowercase string values."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


class MemberRole(StrEnum):
    ACCOUNT_MANAGER = "account_manager"
    PROJECT_MANAGER = "project_manager"
    CREATIVE = "creative"
    DESIGNER = "designer"
    DEVELOPER = "developer"
    STRATEGIST = "strategist"
    COPYWRITER = "copywriter"
    OTHER = "other"


class LeaveKind(StrEnum):
    HOLIDAY = "holiday"
    SICK = "sick"
    TRAINING = "training"
    OTHER = "other"


class ClientStatus(StrEnum):
    LEAD = "lead"
    PROSPECT = "prospect"
    ACTIVE = "active"
    PAUSED = "paused"
    FORMER = "former"


class NoteKind(StrEnum):
    VISION = "vision"
    GOAL = "goal"
    NEED = "need"
    PAIN_POINT = "pain_point"
    OPPORTUNITY = "opportunity"


class Horizon(StrEnum):
    SHORT = "short"
    LONG = "long"


class InteractionKind(StrEnum):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    NOTE = "note"
    REPORT_SENT = "report_sent"
    GIFT = "gift"


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class OpportunityStage(StrEnum):
    IDEA = "idea"
    PITCHED = "pitched"
    WON = "won"
    LOST = "lost"


class GiftState(StrEnum):
    IDEA = "idea"
    BOUGHT = "bought"
    GIVEN = "given"


class CustomFieldTarget(StrEnum):
    CLIENT = "client"
    CONTACT = "contact"


class CustomFieldKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"


class ProjectStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    DONE = "done"
    CANCELLED = "cancelled"


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


class ChangeRequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def enum_column(enum: type[StrEnum]) -> Enum:
    """A VARCHAR of the enum's values with a CHECK, readable in any SQLite browser."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(m.value) for m in enum),
        values_callable=lambda e: [m.value for m in e],
        name=enum.__name__.lower(),
    )
