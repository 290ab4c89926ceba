"""The agency's own people, their time off and the agency's closures."""

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
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
    # Weekdays the member works, as digits Monday=0 ("01234": Monday to Friday); with
    # `weekly_capacity_hours` their capacity until the first of `capacity_changes`.
    working_days: Mapped[str] = mapped_column(String(7), default="01234", server_default="01234")
    # A role still to fill ("Designer (to hire)"): work can be planned for it before anyone is
    # hired or chosen.
    placeholder: Mapped[bool] = mapped_column(default=False, server_default="0")
    day_rate_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    time_off: Mapped[list["TimeOff"]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )
    capacity_changes: Mapped[list["MemberCapacity"]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="MemberCapacity.starts_on"
    )


class MemberCapacity(Entity):
    """From `starts_on` on, the member works `weekly_hours` over `working_days` (until a
    later change): someone going part-time from March."""

    __tablename__ = "member_capacity"
    __table_args__ = (UniqueConstraint("member_id", "starts_on"),)

    member_id: Mapped[str] = mapped_column(
        ForeignKey("team_member.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    weekly_hours: Mapped[float] = mapped_column(Float, default=40.0)
    working_days: Mapped[str] = mapped_column(String(7), default="01234")

    member: Mapped["TeamMember"] = relationship(back_populates="capacity_changes")


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

    member: Mapped["TeamMember"] = relationship(back_populates="time_off")


class Overtime(Entity):
    """Extra hours a day a member has agreed to work over a date range (inclusive): accepted
    overtime raises their capacity on those days, so the workload no longer calls it
    over-allocation."""

    __tablename__ = "overtime"

    member_id: Mapped[str] = mapped_column(
        ForeignKey("team_member.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    hours_per_day: Mapped[float] = mapped_column(Float, default=1.0)
    note: Mapped[str] = mapped_column(Text, default="")


class Closure(Entity):
    """Days the whole agency is closed (a summer break, the days between Christmas and New Year)."""

    __tablename__ = "closure"

    name: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
