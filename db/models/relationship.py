"""The account manager's record of the relationship: interactions, follow-ups, pipeline, gifts,
satisfaction."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Entity
from db.models.enums import (
    GiftState,
    InteractionKind,
    OpportunityStage,
    Sentiment,
    enum_column,
)

if TYPE_CHECKING:
    from db.models.clients import Client, Contact
    from db.models.projects import Project
    from db.models.team import TeamMember


class Interaction(Entity):
    __tablename__ = "interaction"
    # Every client's latest contact in one pass over the index (client list, health).
    __table_args__ = (
        Index("ix_interaction_client_kind_occurred", "client_id", "kind", "occurred_at"),
    )

    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    kind: Mapped[InteractionKind] = mapped_column(enum_column(InteractionKind))
    occurred_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    sentiment: Mapped[Sentiment] = mapped_column(enum_column(Sentiment), default=Sentiment.NEUTRAL)
    logged_by_id: Mapped[str | None] = mapped_column(
        ForeignKey("team_member.id", ondelete="SET NULL")
    )

    client: Mapped["Client"] = relationship(back_populates="interactions")
    logged_by: Mapped["TeamMember | None"] = relationship()
    contact_links: Mapped[list["InteractionContact"]] = relationship(
        back_populates="interaction", cascade="all, delete-orphan"
    )

    @property
    def contacts(self) -> list["Contact"]:
        return [link.contact for link in self.contact_links]


class InteractionContact(Entity):
    """Who took part in an interaction. A row of its own (not a bare link table) so that it
    carries an id and travels through sync like everything else."""

    __tablename__ = "interaction_contact"

    interaction_id: Mapped[str] = mapped_column(
        ForeignKey("interaction.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[str] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )

    interaction: Mapped["Interaction"] = relationship(back_populates="contact_links")
    contact: Mapped["Contact"] = relationship()


class FollowUp(Entity):
    __tablename__ = "follow_up"

    title: Mapped[str] = mapped_column(String(500))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("team_member.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    client_id: Mapped[str | None] = mapped_column(
        ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[str | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    # Internal unless someone decides the client may see it (summaries, client agendas).
    share_with_client: Mapped[bool] = mapped_column(default=False, server_default=false())

    owner: Mapped["TeamMember | None"] = relationship()
    client: Mapped["Client | None"] = relationship(back_populates="follow_ups")
    project: Mapped["Project | None"] = relationship(back_populates="follow_ups")


class Opportunity(Entity):
    """Upsell or new business, from idea to won or lost."""

    __tablename__ = "opportunity"

    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    value_cents: Mapped[int] = mapped_column(Integer, default=0)
    stage: Mapped[OpportunityStage] = mapped_column(
        enum_column(OpportunityStage), default=OpportunityStage.IDEA
    )
    expected_close: Mapped[date | None] = mapped_column(Date)
    # Chance of winning in percent; None means the stage's usual chance.
    probability: Mapped[int | None] = mapped_column(Integer)
    # None means the client's currency.
    currency: Mapped[str | None] = mapped_column(String(3))

    client: Mapped["Client"] = relationship(back_populates="opportunities")


class Gift(Entity):
    """A surprise-and-delight gift for a contact, or for the client as a whole."""

    __tablename__ = "gift"

    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    occasion: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[GiftState] = mapped_column(enum_column(GiftState), default=GiftState.IDEA)
    cost_cents: Mapped[int] = mapped_column(Integer, default=0)
    gift_date: Mapped[date | None] = mapped_column(Date)
    # The contact's important date the gift is for (a birthday); None for other occasions.
    important_date_id: Mapped[str | None] = mapped_column(
        ForeignKey("important_date.id", ondelete="SET NULL"), index=True
    )

    client: Mapped["Client"] = relationship(back_populates="gifts")
    contact: Mapped["Contact | None"] = relationship()


class SatisfactionRating(Entity):
    __tablename__ = "satisfaction_rating"

    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    rated_on: Mapped[date] = mapped_column(Date)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")

    client: Mapped["Client"] = relationship(back_populates="ratings")


__all__ = [
    "FollowUp",
    "Gift",
    "Interaction",
    "InteractionContact",
    "Opportunity",
    "SatisfactionRating",
]
