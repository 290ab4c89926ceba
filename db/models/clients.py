"""Clients, their structured brief and the people who work there."""

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Entity
from db.models.enums import ClientStatus, Horizon, NoteKind, enum_column

if TYPE_CHECKING:
    from db.models.projects import Project
    from db.models.relationship import (
        FollowUp,
        Gift,
        Interaction,
        Opportunity,
        SatisfactionRating,
    )
    from db.models.team import TeamMember


class Client(Entity):
    __tablename__ = "client"

    name: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[ClientStatus] = mapped_column(
        enum_column(ClientStatus), default=ClientStatus.LEAD
    )
    account_manager_id: Mapped[str | None] = mapped_column(
        ForeignKey("team_member.id", ondelete="SET NULL"), index=True
    )
    client_since: Mapped[date | None] = mapped_column(Date)
    industry: Mapped[str] = mapped_column(String(200), default="")
    # Money is kept in minor units (cents) so sums never drift.
    annual_budget_cents: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    website: Mapped[str] = mapped_column(String(500), default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    yearly_gift_budget_cents: Mapped[int] = mapped_column(Integer, default=0)

    account_manager: Mapped["TeamMember | None"] = relationship()
    notes: Mapped[list["ClientNote"]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="ClientNote.noted_on"
    )
    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Contact.name"
    )
    interactions: Mapped[list["Interaction"]] = relationship(
        back_populates="client", cascade="all, delete-orphan"
    )
    follow_ups: Mapped[list["FollowUp"]] = relationship(
        back_populates="client", cascade="all, delete-orphan"
    )
    opportunities: Mapped[list["Opportunity"]] = relationship(
        back_populates="client", cascade="all, delete-orphan"
    )
    gifts: Mapped[list["Gift"]] = relationship(
        back_populates="client", cascade="all, delete-orphan"
    )
    ratings: Mapped[list["SatisfactionRating"]] = relationship(
        back_populates="client",
        cascade="all, delete-orphan",
        order_by="SatisfactionRating.rated_on",
    )
    projects: Mapped[list["Project"]] = relationship(
        back_populates="client", cascade="all, delete-orphan"
    )


class ClientNote(Entity):
    """One dated entry of a client's brief: a vision, goal, need, pain point or opportunity."""

    __tablename__ = "client_note"

    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NoteKind] = mapped_column(enum_column(NoteKind))
    horizon: Mapped[Horizon] = mapped_column(enum_column(Horizon), default=Horizon.SHORT)
    text: Mapped[str] = mapped_column(Text)
    noted_on: Mapped[date] = mapped_column(Date, default=date.today)
    resolved_on: Mapped[date | None] = mapped_column(Date)

    client: Mapped["Client"] = relationship(back_populates="notes")


class Contact(Entity):
    __tablename__ = "contact"

    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    # Private: family, pastimes, preferences. Never printed for the client's eyes.
    rapport_notes: Mapped[str] = mapped_column(Text, default="")
    # Days between touches the AM wants with this person; None means no cadence.
    stay_in_touch_days: Mapped[int | None] = mapped_column(Integer)

    client: Mapped["Client"] = relationship(back_populates="contacts")
    important_dates: Mapped[list["ImportantDate"]] = relationship(
        back_populates="contact", cascade="all, delete-orphan"
    )


class ImportantDate(Entity):
    """A recurring date of a contact's; a birthday without a year is normal."""

    __tablename__ = "important_date"

    contact_id: Mapped[str] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    day: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)

    contact: Mapped["Contact"] = relationship(back_populates="important_dates")
