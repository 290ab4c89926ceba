"""Projects and their plan: the task tree, assignments, dependencies, baselines, money and
change requests."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Entity
from db.models.enums import (
    ChangeRequestStatus,
    DependencyType,
    ProjectStatus,
    TaskConstraint,
    TaskKind,
    enum_column,
)

if TYPE_CHECKING:
    from db.models.clients import Client
    from db.models.relationship import FollowUp
    from db.models.team import TeamMember


class Project(Entity):
    __tablename__ = "project"

    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    brief: Mapped[str] = mapped_column(Text, default="")
    account_manager_id: Mapped[str | None] = mapped_column(
        ForeignKey("team_member.id", ondelete="SET NULL")
    )
    project_manager_id: Mapped[str | None] = mapped_column(
        ForeignKey("team_member.id", ondelete="SET NULL")
    )
    budget_cents: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[ProjectStatus] = mapped_column(
        enum_column(ProjectStatus), default=ProjectStatus.PLANNED
    )
    start_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)

    client: Mapped["Client"] = relationship(back_populates="projects")
    account_manager: Mapped["TeamMember | None"] = relationship(foreign_keys=[account_manager_id])
    project_manager: Mapped["TeamMember | None"] = relationship(foreign_keys=[project_manager_id])
    tasks: Mapped[list["Task"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Task.sort_order"
    )
    follow_ups: Mapped[list["FollowUp"]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )
    costs: Mapped[list["CostEntry"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="CostEntry.spent_on"
    )
    change_requests: Mapped[list["ChangeRequest"]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )
    baselines: Mapped[list["Baseline"]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )


class Task(Entity):
    """A node of a project's work breakdown: a task, a milestone (zero duration) or a
    deliverable. A task with children is a summary and spans them."""

    __tablename__ = "task"

    project_id: Mapped[str] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[date] = mapped_column(Date)
    duration_days: Mapped[int] = mapped_column(Integer, default=1)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[TaskKind] = mapped_column(enum_column(TaskKind), default=TaskKind.TASK)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    constraint_kind: Mapped[TaskConstraint] = mapped_column(
        enum_column(TaskConstraint), default=TaskConstraint.START_NO_EARLIER
    )
    finish_by: Mapped[date | None] = mapped_column(Date, default=None)  # finish no later than

    project: Mapped["Project"] = relationship(back_populates="tasks")
    parent: Mapped["Task | None"] = relationship(back_populates="children", remote_side="Task.id")
    children: Mapped[list["Task"]] = relationship(
        back_populates="parent", cascade="all, delete-orphan", order_by="Task.sort_order"
    )
    assignments: Mapped[list["Assignment"]] = relationship(
        back_populates="task", cascade="all, delete-orphan"
    )
    successors: Mapped[list["Dependency"]] = relationship(
        back_populates="predecessor",
        cascade="all, delete-orphan",
        foreign_keys="Dependency.predecessor_id",
    )
    predecessors: Mapped[list["Dependency"]] = relationship(
        back_populates="successor",
        cascade="all, delete-orphan",
        foreign_keys="Dependency.successor_id",
    )


class Assignment(Entity):
    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("task_id", "member_id"),)

    task_id: Mapped[str] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[str] = mapped_column(
        ForeignKey("team_member.id", ondelete="CASCADE"), index=True
    )
    hours_per_day: Mapped[float] = mapped_column(Float, default=8.0)

    task: Mapped["Task"] = relationship(back_populates="assignments")
    member: Mapped["TeamMember"] = relationship()


class Dependency(Entity):
    """A link between two tasks; lag in working days, negative for a lead."""

    __tablename__ = "dependency"
    __table_args__ = (UniqueConstraint("predecessor_id", "successor_id"),)

    predecessor_id: Mapped[str] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), index=True
    )
    successor_id: Mapped[str] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    type: Mapped[DependencyType] = mapped_column(
        enum_column(DependencyType), default=DependencyType.FS
    )
    lag_days: Mapped[int] = mapped_column(Integer, default=0)

    predecessor: Mapped["Task"] = relationship(
        back_populates="successors", foreign_keys=[predecessor_id]
    )
    successor: Mapped["Task"] = relationship(
        back_populates="predecessors", foreign_keys=[successor_id]
    )


class Baseline(Entity):
    """A named copy of a project's plan, to measure slip against."""

    __tablename__ = "baseline"

    project_id: Mapped[str] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[datetime] = mapped_column(DateTime)

    project: Mapped["Project"] = relationship(back_populates="baselines")
    tasks: Mapped[list["BaselineTask"]] = relationship(
        back_populates="baseline", cascade="all, delete-orphan"
    )


class BaselineTask(Entity):
    __tablename__ = "baseline_task"

    baseline_id: Mapped[str] = mapped_column(
        ForeignKey("baseline.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[str] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    finish_date: Mapped[date] = mapped_column(Date)

    baseline: Mapped["Baseline"] = relationship(back_populates="tasks")
    # Never navigated: it tells the unit of work that a baseline row goes before the task it
    # copies. Without it a project's delete could remove tasks first, the database's ON DELETE
    # CASCADE took their baseline rows, and the ORM's own DELETE of those rows then matched
    # nothing (SAWarning "expected to delete N row(s); 0 were matched").
    task: Mapped["Task"] = relationship()


class CostEntry(Entity):
    __tablename__ = "cost_entry"

    project_id: Mapped[str] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    spent_on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    task_id: Mapped[str | None] = mapped_column(
        ForeignKey("task.id", ondelete="SET NULL"), index=True
    )

    project: Mapped["Project"] = relationship(back_populates="costs")


class ChangeRequest(Entity):
    """A client's change to a running project and what it does to schedule and cost."""

    __tablename__ = "change_request"

    project_id: Mapped[str] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    raised_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    schedule_impact_days: Mapped[int] = mapped_column(Integer, default=0)
    cost_impact_cents: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[ChangeRequestStatus] = mapped_column(
        enum_column(ChangeRequestStatus), default=ChangeRequestStatus.PENDING
    )
    contact_id: Mapped[str | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), index=True
    )

    project: Mapped["Project"] = relationship(back_populates="change_requests")
    tasks: Mapped[list["ChangeRequestTask"]] = relationship(
        back_populates="change_request", cascade="all, delete-orphan"
    )


class ChangeRequestTask(Entity):
    """A task a change request's schedule impact falls on: accepting the request lengthens
    each of these by the impact's working days."""

    __tablename__ = "change_request_task"
    __table_args__ = (UniqueConstraint("change_request_id", "task_id"),)

    change_request_id: Mapped[str] = mapped_column(
        ForeignKey("change_request.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[str] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)

    change_request: Mapped["ChangeRequest"] = relationship(back_populates="tasks")
