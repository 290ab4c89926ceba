"""Undoable edits of the agency's people and time: add a team member (or a placeholder for a
role still to fill), archive or restore one, their capacity and how it changes over time
(someone going part-time from March), their leave and accepted overtime, and the agency's
closures.

A member with history (tasks, clients, projects) is archived rather than deleted, so what they
did keeps their name; `can_delete_member` says which. Date ranges are checked here (the end
is not before the start) so every screen gets the same refusal, naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from db.errors import NotFoundError, ValidationError
from db.labels import quoted
from db.models import (
    Assignment,
    Client,
    Closure,
    FollowUp,
    Interaction,
    LeaveKind,
    MemberCapacity,
    MemberRole,
    Overtime,
    Project,
    TeamMember,
    TimeOff,
    new_id,
)
from db.operations import Composite, Create, Delete, Update
from db.workload.weekdays import parse_weekdays

# Distinct on light and dark palettes; a new member takes the first one nobody has.
MEMBER_COLOURS = (
    "#1a73e8",
    "#e8710a",
    "#188038",
    "#d93025",
    "#9334e6",
    "#007b83",
    "#b06000",
    "#c5221f",
    "#5f6368",
    "#a142f4",
)


def _check_range(what: str, start: Any, end: Any) -> None:
    if isinstance(start, date) and isinstance(end, date) and end < start:
        raise ValidationError(f"{what} end", "cannot be before the start")


def _keep_length(values: dict[str, Any], start: date, end: date) -> dict[str, Any]:
    """A new start alone moves the end with it (the range keeps its length), as a calendar
    does; typing a new start after the old end is then no error."""
    new_start = values.get("start_date")
    if isinstance(new_start, date) and "end_date" not in values:
        return {**values, "end_date": new_start + (end - start)}
    return values


def _member(session: Session, member_id: str) -> TeamMember:
    member = session.get(TeamMember, member_id)
    if member is None:
        raise NotFoundError(f"Team member {member_id} no longer exists")
    return member


def next_colour(session: Session) -> str:
    used = set(session.scalars(select(TeamMember.colour)))
    return next((c for c in MEMBER_COLOURS if c not in used), MEMBER_COLOURS[0])


@dataclass
class AddMember(Composite):
    name: str = "New team member"
    role: MemberRole = MemberRole.OTHER
    email: str = ""
    id: str = field(default_factory=new_id)
    colour: str = ""
    placeholder: bool = False

    def apply(self, session: Session) -> None:
        self.colour = self.colour or next_colour(session)
        self.label = self.label or ("New placeholder" if self.placeholder else "New team member")
        values = {
            "id": self.id,
            "name": self.name,
            "role": MemberRole(self.role),
            "email": self.email,
            "colour": self.colour,
            "placeholder": self.placeholder,
        }
        self.run_steps(session, [Create(TeamMember, values)])


@dataclass
class ArchiveMember(Composite):
    """Archive a member (they leave the pickers; their history keeps their name), or bring
    an archived one back with `archived=False`."""

    member_id: str
    archived: bool = True

    def apply(self, session: Session) -> None:
        member = _member(session, self.member_id)
        if member.active != self.archived:
            state = "archived" if self.archived else "active"
            raise ValidationError("Archive", f"{member.name} is already {state}")
        self.label = self.label or (
            f"Archive {member.name}" if self.archived else f"Restore {member.name}"
        )
        self.run_steps(session, [Update(TeamMember, member.id, {"active": not self.archived})])


def can_delete_member(session: Session, member_id: str) -> bool:
    """True for a member with no history: on no task, managing no client or project, owning
    no follow-up and having logged no interaction (their leave goes with them)."""
    links = (
        Assignment.member_id,
        Client.account_manager_id,
        Project.account_manager_id,
        Project.project_manager_id,
        FollowUp.owner_id,
        Interaction.logged_by_id,
    )
    has_history = session.scalar(select(or_(*(exists().where(c == member_id) for c in links))))
    return not has_history


@dataclass
class RemoveMember(Composite):
    """Delete a member who has no history; archive one who has (never losing their past)."""

    member_id: str

    def apply(self, session: Session) -> None:
        member = _member(session, self.member_id)
        if can_delete_member(session, member.id):
            self.label = self.label or f"Delete {member.name}"
            self.run_steps(session, [Delete(TeamMember, member.id)])
        elif member.active:
            self.label = self.label or f"Archive {member.name}"
            self.run_steps(session, [Update(TeamMember, member.id, {"active": False})])
        else:
            raise ValidationError(
                "Delete", f"{member.name} has tasks or clients on record and stays archived"
            )


@dataclass
class EditMember(Composite):
    member_id: str
    values: dict[str, Any]

    def apply(self, session: Session) -> None:
        member = _member(session, self.member_id)
        if "role" in self.values:
            self.values["role"] = MemberRole(self.values["role"])
        if "working_days" in self.values:
            self.values["working_days"] = parse_weekdays(str(self.values["working_days"]))
        self.label = self.label or f"Edit {member.name}"
        self.run_steps(session, [Update(TeamMember, member.id, self.values)])


@dataclass
class AddLeave(Composite):
    member_id: str
    start: date
    end: date
    kind: LeaveKind = LeaveKind.HOLIDAY
    reason: str = ""
    id: str = field(default_factory=new_id)

    def apply(self, session: Session) -> None:
        member = _member(session, self.member_id)
        _check_range("Leave", self.start, self.end)
        self.label = self.label or f"Add leave for {member.name}"
        values = {
            "id": self.id,
            "member_id": member.id,
            "start_date": self.start,
            "end_date": self.end,
            "kind": LeaveKind(self.kind),
            "reason": self.reason,
        }
        self.run_steps(session, [Create(TimeOff, values)])


@dataclass
class EditLeave(Composite):
    leave_id: str
    values: dict[str, Any]

    def apply(self, session: Session) -> None:
        leave = session.get(TimeOff, self.leave_id)
        if leave is None:
            raise NotFoundError(f"Leave {self.leave_id} no longer exists")
        self.values = _keep_length(self.values, leave.start_date, leave.end_date)
        start = self.values.get("start_date", leave.start_date)
        end = self.values.get("end_date", leave.end_date)
        _check_range("Leave", start, end)
        if "kind" in self.values:
            self.values["kind"] = LeaveKind(self.values["kind"])
        self.label = self.label or "Edit leave"
        self.run_steps(session, [Update(TimeOff, leave.id, self.values)])


@dataclass
class AddClosure(Composite):
    name: str
    start: date
    end: date
    id: str = field(default_factory=new_id)

    def apply(self, session: Session) -> None:
        _check_range("Closure", self.start, self.end)
        self.label = self.label or f"Add closure {quoted(self.name)}"
        values = {"id": self.id, "name": self.name, "start_date": self.start, "end_date": self.end}
        self.run_steps(session, [Create(Closure, values)])


@dataclass
class EditClosure(Composite):
    closure_id: str
    values: dict[str, Any]

    def apply(self, session: Session) -> None:
        closure = session.get(Closure, self.closure_id)
        if closure is None:
            raise NotFoundError(f"Closure {self.closure_id} no longer exists")
        self.values = _keep_length(self.values, closure.start_date, closure.end_date)
        start = self.values.get("start_date", closure.start_date)
        end = self.values.get("end_date", closure.end_date)
        _check_range("Closure", start, end)
        self.label = self.label or "Edit closure"
        self.run_steps(session, [Update(Closure, closure.id, self.values)])


def _capacity_change(session: Session, change_id: str) -> MemberCapacity:
    change = session.get(MemberCapacity, change_id)
    if change is None:
        raise NotFoundError(f"Capacity change {change_id} no longer exists")
    return change


def _check_unique_start(
    session: Session, member_id: str, starts_on: date, but: str | None = None
) -> None:
    clash = session.scalar(
        select(MemberCapacity.id).where(
            MemberCapacity.member_id == member_id,
            MemberCapacity.starts_on == starts_on,
            MemberCapacity.id != (but or ""),
        )
    )
    if clash is not None:
        raise ValidationError(
            "Capacity from", f"there is already a change from {starts_on:%a %d %b %Y}"
        )


@dataclass
class AddCapacityChange(Composite):
    """From `starts_on` on, the member works `weekly_hours` over `working_days` (typed as
    'Mon-Wed' or stored digits). Starts from what they work now when not given."""

    member_id: str
    starts_on: date
    weekly_hours: float | None = None
    working_days: str | None = None
    id: str = field(default_factory=new_id)

    def apply(self, session: Session) -> None:
        from db.workload.capacity import capacity_on

        member = _member(session, self.member_id)
        _check_unique_start(session, member.id, self.starts_on)
        hours, days = capacity_on(member, self.starts_on)
        if self.weekly_hours is not None:
            hours = float(self.weekly_hours)
        days = parse_weekdays(self.working_days) if self.working_days is not None else days
        self.label = self.label or f"Change {member.name}'s capacity from {self.starts_on:%d %b}"
        values = {
            "id": self.id,
            "member_id": member.id,
            "starts_on": self.starts_on,
            "weekly_hours": hours,
            "working_days": days,
        }
        self.run_steps(session, [Create(MemberCapacity, values)])


@dataclass
class EditCapacityChange(Composite):
    change_id: str
    values: dict[str, Any]

    def apply(self, session: Session) -> None:
        change = _capacity_change(session, self.change_id)
        if "working_days" in self.values:
            self.values["working_days"] = parse_weekdays(str(self.values["working_days"]))
        if "starts_on" in self.values:
            _check_unique_start(session, change.member_id, self.values["starts_on"], change.id)
        self.label = self.label or "Edit capacity change"
        self.run_steps(session, [Update(MemberCapacity, change.id, self.values)])


@dataclass
class AddOvertime(Composite):
    """Accept `hours` a day of overtime for a member from `start` to `end` (inclusive)."""

    member_id: str
    start: date
    end: date
    hours: float = 1.0
    note: str = ""
    id: str = field(default_factory=new_id)

    def apply(self, session: Session) -> None:
        member = _member(session, self.member_id)
        _check_range("Overtime", self.start, self.end)
        self.label = self.label or f"Accept overtime for {member.name}"
        values = {
            "id": self.id,
            "member_id": member.id,
            "start_date": self.start,
            "end_date": self.end,
            "hours_per_day": float(self.hours),
            "note": self.note,
        }
        self.run_steps(session, [Create(Overtime, values)])


@dataclass
class EditOvertime(Composite):
    overtime_id: str
    values: dict[str, Any]

    def apply(self, session: Session) -> None:
        overtime = session.get(Overtime, self.overtime_id)
        if overtime is None:
            raise NotFoundError(f"Overtime {self.overtime_id} no longer exists")
        self.values = _keep_length(self.values, overtime.start_date, overtime.end_date)
        start = self.values.get("start_date", overtime.start_date)
        end = self.values.get("end_date", overtime.end_date)
        _check_range("Overtime", start, end)
        self.label = self.label or "Edit overtime"
        self.run_steps(session, [Update(Overtime, overtime.id, self.values)])
