"""Every mapped table of Agency Desk, importable from one place."""

from db.models.base import Base, Entity, new_id, utcnow
from db.models.clients import Client, ClientNote, Contact, ImportantDate
from db.models.enums import (
    ChangeRequestStatus,
    ClientStatus,
    DependencyType,
    GiftState,
    Horizon,
    InteractionKind,
    MemberRole,
    NoteKind,
    OpportunityStage,
    ProjectStatus,
    Sentiment,
    TaskKind,
)
from db.models.projects import (
    Assignment,
    Baseline,
    BaselineTask,
    ChangeRequest,
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
from db.models.team import Closure, TeamMember, TimeOff

ENTITIES: dict[str, type[Entity]] = {
    cls.__name__: cls
    for cls in (
        TeamMember,
        TimeOff,
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
        AgencySetting,
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
    "Client",
    "ClientNote",
    "ClientStatus",
    "Closure",
    "Contact",
    "CostEntry",
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
    "MemberRole",
    "NoteKind",
    "Opportunity",
    "OpportunityStage",
    "Project",
    "ProjectStatus",
    "SatisfactionRating",
    "Sentiment",
    "Task",
    "TaskKind",
    "TeamMember",
    "TimeOff",
    "new_id",
    "utcnow",
]
