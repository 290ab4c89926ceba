"""The closed vocabularies of the data model, stored as their lowercase string values."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum

# A plan's vocabularies live with the scheduling engine, which must import without the ORM
# (a project opened from the command line is scheduled before SQLAlchemy loads, issue 19).
from db.scheduling.vocabulary import DependencyType as DependencyType
from db.scheduling.vocabulary import TaskConstraint as TaskConstraint
from db.scheduling.vocabulary import TaskKind as TaskKind


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
