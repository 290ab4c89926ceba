"""Every mapped table of Agency Desk, importable from one place.

The model modules are written without `from __future__ import annotations`, and quote only
the names of other model classes (`Mapped["Client"]`, `Mapped[list["Task"]]`): with every
annotation a string, the declarative scan evaluated each column's type from text, about a
tenth of the mapping's cost at every start (issue 19).
"""

from db.models.base import Base, Entity, new_id, utcnow
from db.models.clients import Client, ClientNote, Contact, ImportantDate
from db.models.custom_fields import CustomField, CustomValue, value_id
from db.models.enums import (
    ChangeRequestStatus,
    ClientStatus,
    CustomFieldKind,
    CustomFieldTarget,
    DependencyType,
    GiftState,
    Horizon,
    InteractionKind,
    LeaveKind,
    MemberRole,
    NoteKind,
    OpportunityStage,
    ProjectStatus,
    Sentiment,
    TaskConstraint,
    TaskKind,
)
from db.models.privacy import PersonErasure
from db.models.projects import (
    Assignment,
    Baseline,
    BaselineTask,
    ChangeRequest,
    ChangeRequestTask,
    CostEntry,
    Dependency,
    Project,
    Task,
)
from db.models.relationship import (
    FollowUp,
    Gift,
    Interaction,
    InteractionContact,
    Opportunity,
    SatisfactionRating,
)
from db.models.settings import AgencySetting
from db.models.team import Closure, MemberCapacity, Overtime, TeamMember, TimeOff

ENTITIES: dict[str, type[Entity]] = {
    cls.__name__: cls
    for cls in (
        TeamMember,
        TimeOff,
        MemberCapacity,
        Overtime,
        Closure,
        Client,
        ClientNote,
        Contact,
        ImportantDate,
        Interaction,
        InteractionContact,
        FollowUp,
        Opportunity,
        Gift,
        SatisfactionRating,
        Project,
        Task,
        Assignment,
        Dependency,
        Baseline,
        BaselineTask,
        CostEntry,
        ChangeRequest,
        ChangeRequestTask,
        AgencySetting,
        CustomField,
        CustomValue,
        PersonErasure,
    )
}

__all__ = [
    "ENTITIES",
    "AgencySetting",
    "Assignment",
    "Base",
    "Baseline",
    "BaselineTask",
    "ChangeRequest",
    "ChangeRequestStatus",
    "ChangeRequestTask",
    "Client",
    "ClientNote",
    "ClientStatus",
    "Closure",
    "Contact",
    "CostEntry",
    "CustomField",
    "CustomFieldKind",
    "CustomFieldTarget",
    "CustomValue",
    "Dependency",
    "DependencyType",
    "Entity",
    "FollowUp",
    "Gift",
    "GiftState",
    "Horizon",
    "ImportantDate",
    "Interaction",
    "InteractionContact",
    "InteractionKind",
    "LeaveKind",
    "MemberCapacity",
    "MemberRole",
    "NoteKind",
    "Opportunity",
    "OpportunityStage",
    "Overtime",
    "PersonErasure",
    "Project",
    "ProjectStatus",
    "SatisfactionRating",
    "Sentiment",
    "Task",
    "TaskConstraint",
    "TaskKind",
    "TeamMember",
    "TimeOff",
    "new_id",
    "utcnow",
    "value_id",
]
