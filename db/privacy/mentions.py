"""The texts of a client that name one of its contacts: an interaction's summary, a follow-up,
a satisfaction comment, a note of the brief, an opportunity, another gift.

A text names a person when it holds their whole name or their email address (any case). A
first name alone is too common to go by ("Jo" is in "Jordan"); a user who wrote only that
sees the text anyway in the erase dialog's list of the interactions the person took part in.
The export lists these texts, and the erase shows them so the user can edit them in the
same step (an erase leaves business history readable, but not the person's name in it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import (
    ClientNote,
    Entity,
    FollowUp,
    Gift,
    Interaction,
    Opportunity,
    Project,
    SatisfactionRating,
)
from db.privacy.person import person

# (entity, text fields, what a user calls it) for every table whose free text can name a
# person; each holds a client_id.
TEXT_FIELDS: tuple[tuple[type[Entity], tuple[str, ...], str], ...] = (
    (Interaction, ("summary", "outcome"), "interaction"),
    (FollowUp, ("title", "notes"), "follow-up"),
    (SatisfactionRating, ("comment",), "satisfaction comment"),
    (ClientNote, ("text",), "note of the brief"),
    (Opportunity, ("title",), "opportunity"),
    (Gift, ("description", "occasion"), "gift"),
    (Project, ("brief",), "project brief"),
)


@dataclass(frozen=True)
class Mention:
    """One field of one row that names the person."""

    entity: str
    row_id: str
    field: str
    text: str
    what: str  # "interaction", "follow-up"...
    when: str = ""  # the row's date, to tell rows apart in a list

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.entity, self.row_id, self.field)


def needles(name: str, email: str) -> list[str]:
    """What identifies the person in free text: the whole name and the email address."""
    found = [name.strip(), email.strip()]
    return [n for n in dict.fromkeys(found) if len(n) >= 3]


def names_person(text: str, found: list[str]) -> bool:
    folded = text.casefold()
    return any(n.casefold() in folded for n in found)


def _when(row: Entity) -> str:
    for attr in ("occurred_at", "due_date", "rated_on", "noted_on", "gift_date"):
        value = getattr(row, attr, None)
        if value is not None:
            return str(value)[:10]
    return ""


def mentions(session: Session, contact_id: str, *, exclude_own_gifts: bool = True) -> list[Mention]:
    """Every text field of the contact's client that names the contact, oldest row first
    within each kind. Gifts *for* the contact are not mentions (they are the contact's own
    data) unless `exclude_own_gifts` is False."""
    contact = person(session.connection().exec_driver_sql, contact_id)  # live or deleted
    if contact is None:
        return []
    found = needles(contact.name, contact.email)
    if not found:
        return []
    out: list[Mention] = []
    for entity, fields, what in TEXT_FIELDS:
        columns = [getattr(entity, f) for f in fields]
        # LIKE narrows in SQL (ASCII case-insensitive); casefold decides in Python.
        query = select(entity).where(
            entity.client_id == contact.client_id,  # type: ignore[attr-defined]
            or_(*(c.contains(n, autoescape=True) for c in columns for n in found)),
        )
        if entity is Gift and exclude_own_gifts:
            query = query.where(or_(Gift.contact_id.is_(None), Gift.contact_id != contact_id))
        rows = list(session.scalars(query))
        rows.sort(key=lambda r: (_when(r), r.id))
        for row in rows:
            for f in fields:
                text = getattr(row, f) or ""
                if names_person(text, found):
                    out.append(Mention(type(row).__name__, row.id, f, text, what, _when(row)))
    return out
