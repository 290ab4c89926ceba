"""The agency's own people, their time off and the agency's closures."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Entity
from db.models.enums import LeaveKind, MemberRole, enum_column


class TeamMember(Entity):
    __tablename__ = "team_member"

    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[MemberRole] = mapped_column(enum_column(MemberRole), default=MemberRole.OTHER)
    email: Mapped[str] = mapped_column(String(320), default="")
    weekly_capacity_hours: Mapped[float] = mapped_column(Float, default=40.0)
    active: Mapped[bool] = mapped_column(default=True)
    colour: Mapped[str] = mapped_column(String(7), default="", server_default="")  # "#rrggbb"

    time_off: Mapped[list[TimeOff]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )


class TimeOff(Entity):
    """A member's leave, inclusive of both ends."""

    __tablename__ = "time_off"

    member_id: Mapped[str] = mapped_column(
        ForeignKey("team_member.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[LeaveKind] = mapped_column(
        enum_column(LeaveKind), default=LeaveKind.HOLIDAY, server_default=LeaveKind.HOLIDAY.value
    )

    member: Mapped[TeamMember] = relationship(back_populates="time_off")


class Closure(Entity):
    """Days the whole agency is closed (a summer break, the days between Christmas and New Year)."""

    __tablename__ = "closure"

    name: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
