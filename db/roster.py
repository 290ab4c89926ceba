"""The team as the lists the app shows: members for a picker or the Team area, one member's
leave, and the agency's closures, each in the order it is shown.

A placeholder ("Designer (to hire)") is a role to plan work on, not a person: the pickers of
people — who sits at a station ("I am"), account managers, follow-up owners — leave them out;
the Team area, the Gantt and the workload keep them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.core_reads import read
from db.models import Closure, MemberCapacity, MemberRole, Overtime, TeamMember, TimeOff

# Table columns, so that a read naming only these configures no mapper (see db.core_reads).
_MEMBER = TeamMember.__table__.c
_PEOPLE = (_MEMBER.active.is_(True), _MEMBER.placeholder.is_(False))


def active_members(session: Session) -> list[tuple[str, str]]:
    """(id, name) of the active team members, placeholders too, in name order (any case):
    whom work can be given to (the Gantt's task details)."""
    rows = read(
        session,
        select(TeamMember.id, TeamMember.name)
        .where(TeamMember.active.is_(True))
        .order_by(func.lower(TeamMember.name)),
    )
    return [(id_, name) for id_, name in rows]


def active_people(session: Session) -> list[tuple[str, str]]:
    """(id, name) of the active team members, placeholders left out, in name order (any
    case): the account manager picker's."""
    rows = read(
        session,
        select(TeamMember.id, TeamMember.name)
        .where(*_PEOPLE)
        .order_by(func.lower(TeamMember.name)),
    )
    return [(id_, name) for id_, name in rows]


def members_by_name(session: Session, *, placeholders: bool = True) -> list[tuple[str, str]]:
    """(id, name) of every member, archived ones too, in name order (any case); without
    placeholders when `placeholders` is False."""
    query = select(TeamMember.id, TeamMember.name).order_by(func.lower(TeamMember.name))
    if not placeholders:
        query = query.where(TeamMember.placeholder.is_(False))
    return [(id_, name) for id_, name in read(session, query)]


def member_choices(session: Session) -> list[tuple[str, str]]:
    """(id, name) of the active team members, placeholders left out, account managers
    first, each group by name: "I am", account manager and follow-up owner pickers."""
    # Read before the first paint (the Clients area's "I am" picker).
    rows = read(
        session,
        select(_MEMBER.id, _MEMBER.name, _MEMBER.role)
        .where(*_PEOPLE)
        .order_by(func.lower(_MEMBER.name)),
    )
    ordered = sorted(rows, key=lambda r: r[2] != MemberRole.ACCOUNT_MANAGER)  # stable
    return [(id_, name) for id_, name, _role in ordered]


def member_role(session: Session, member_id: str) -> MemberRole | None:
    """The member's role; None when there is no such member (removed, or never here)."""
    # Read before the first paint, who sits at the station (see db.core_reads).
    query = select(_MEMBER.role).where(_MEMBER.id == member_id)
    row = read(session, query).first()
    return None if row is None else MemberRole(row[0])


def members_in_order(session: Session) -> list[TeamMember]:
    """Every member, the active ones first, each group by name (the Team area's list)."""
    order = (TeamMember.active.desc(), func.lower(TeamMember.name))
    return list(session.scalars(select(TeamMember).order_by(*order)))


def leave_of(session: Session, member_id: str) -> list[TimeOff]:
    """A member's time off, earliest first."""
    query = select(TimeOff).where(TimeOff.member_id == member_id).order_by(TimeOff.start_date)
    return list(session.scalars(query))


def closures_in_order(session: Session) -> list[Closure]:
    """The agency's closures, earliest first."""
    return list(session.scalars(select(Closure).order_by(Closure.start_date)))


def capacity_changes_of(session: Session, member_id: str) -> list[MemberCapacity]:
    """A member's changes of hours and working days, earliest first."""
    query = (
        select(MemberCapacity)
        .where(MemberCapacity.member_id == member_id)
        .order_by(MemberCapacity.starts_on)
    )
    return list(session.scalars(query))


def overtime_of(session: Session, member_id: str) -> list[Overtime]:
    """The overtime a member accepted, earliest first."""
    query = select(Overtime).where(Overtime.member_id == member_id).order_by(Overtime.start_date)
    return list(session.scalars(query))
