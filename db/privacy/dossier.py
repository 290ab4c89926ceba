"""Everything the agency holds about one contact (GDPR article 15: "what do you hold about
me?"), gathered in one place for the JSON and PDF exports.

The dossier holds the contact's own fields, important dates, rapport notes, custom fields and
gifts for them, the interactions they took part in, and every other text of their client that
names them (`mentions`: follow-ups, satisfaction comments, notes...). Nothing about another
contact goes in: an interaction lists the person's own part, never who else took part.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.am.agency import setting
from db.errors import NotFoundError
from db.models import (
    Client,
    Contact,
    CustomField,
    CustomValue,
    Gift,
    ImportantDate,
    Interaction,
    InteractionContact,
)
from db.privacy.mentions import Mention, mentions
from db.settings import AGENCY_NAME

FORMAT = 1  # of the JSON file: bumped when its shape changes


@dataclass(frozen=True)
class DateLine:
    label: str
    day: int
    month: int
    year: int | None

    @property
    def text(self) -> str:
        year = f"-{self.year:04d}" if self.year else ""
        return f"{self.label}: {self.day:02d}/{self.month:02d}{year}"


@dataclass(frozen=True)
class GiftLine:
    occasion: str
    description: str
    state: str
    cost_cents: int
    gift_date: date | None


@dataclass(frozen=True)
class InteractionLine:
    occurred_at: datetime
    kind: str
    summary: str
    outcome: str
    sentiment: str


@dataclass(frozen=True)
class Dossier:
    contact_id: str
    name: str
    title: str
    email: str
    phone: str
    client: str
    rapport_notes: str
    stay_in_touch_days: int | None
    recorded_since: datetime
    last_changed: datetime
    agency: str
    made_at: datetime
    important_dates: tuple[DateLine, ...] = ()
    custom_fields: tuple[tuple[str, str], ...] = ()
    gifts: tuple[GiftLine, ...] = ()
    interactions: tuple[InteractionLine, ...] = ()
    mentions: tuple[Mention, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        """The machine-readable form (ISO dates, plain lists); stable key names."""
        mention_groups: dict[str, list[dict[str, str]]] = {}
        for m in self.mentions:
            mention_groups.setdefault(m.what, []).append(
                {
                    "record": m.entity,
                    "id": m.row_id,
                    "field": m.field,
                    "date": m.when,
                    "text": m.text,
                }
            )
        return {
            "format": FORMAT,
            "exported_at": self.made_at.isoformat(timespec="seconds"),
            "agency": self.agency,
            "contact": {
                "id": self.contact_id,
                "name": self.name,
                "role": self.title,
                "email": self.email,
                "phone": self.phone,
                "client": self.client,
                "stay_in_touch_days": self.stay_in_touch_days,
                "recorded_since": self.recorded_since.isoformat(timespec="seconds"),
                "last_changed": self.last_changed.isoformat(timespec="seconds"),
            },
            "rapport_notes": self.rapport_notes,
            "important_dates": [asdict(d) for d in self.important_dates],
            "custom_fields": {name: value for name, value in self.custom_fields},
            "gifts": [
                {**asdict(g), "gift_date": g.gift_date.isoformat() if g.gift_date else None}
                for g in self.gifts
            ],
            "interactions": [
                {**asdict(i), "occurred_at": i.occurred_at.isoformat(timespec="minutes")}
                for i in self.interactions
            ],
            "follow_ups_naming_them": mention_groups.pop("follow-up", []),
            "satisfaction_comments_naming_them": mention_groups.pop("satisfaction comment", []),
            "other_texts_naming_them": [t for group in mention_groups.values() for t in group],
        }


def dossier(session: Session, contact_id: str, now: datetime | None = None) -> Dossier:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError(f"contact {contact_id} no longer exists")
    client = session.get(Client, contact.client_id)
    dates = session.scalars(
        select(ImportantDate)
        .where(ImportantDate.contact_id == contact_id)
        .order_by(ImportantDate.month, ImportantDate.day, ImportantDate.label)
    )
    fields = session.execute(
        select(CustomField.name, CustomValue.value)
        .join(CustomField, CustomField.id == CustomValue.field_id)
        .where(CustomValue.contact_id == contact_id, CustomValue.value != "")
        .order_by(CustomField.sort_order, CustomField.name)
    ).all()
    gifts = session.scalars(
        select(Gift).where(Gift.contact_id == contact_id).order_by(Gift.gift_date, Gift.created_at)
    )
    interactions = session.scalars(
        select(Interaction)
        .join(InteractionContact, InteractionContact.interaction_id == Interaction.id)
        .where(InteractionContact.contact_id == contact_id)
        .order_by(Interaction.occurred_at)
    )
    took_part = list(interactions)
    # Their interactions appear in full below; a mention of them there is not listed twice.
    own = {i.id for i in took_part}
    named = tuple(
        m
        for m in mentions(session, contact_id)
        if not (m.entity == "Interaction" and m.row_id in own)
    )
    return Dossier(
        contact_id=contact.id,
        name=contact.name,
        title=contact.title,
        email=contact.email,
        phone=contact.phone,
        client=client.name if client else "",
        rapport_notes=contact.rapport_notes,
        stay_in_touch_days=contact.stay_in_touch_days,
        recorded_since=contact.created_at,
        last_changed=contact.updated_at,
        agency=str(setting(session, AGENCY_NAME) or ""),
        made_at=(now or datetime.now()).replace(microsecond=0),
        important_dates=tuple(DateLine(d.label, d.day, d.month, d.year) for d in dates),
        custom_fields=tuple((str(n), str(v)) for n, v in fields),
        gifts=tuple(
            GiftLine(g.occasion, g.description, g.state.value, g.cost_cents, g.gift_date)
            for g in gifts
        ),
        interactions=tuple(
            InteractionLine(i.occurred_at, i.kind.value, i.summary, i.outcome, i.sentiment.value)
            for i in took_part
        ),
        mentions=named,
    )


def file_stem(found: Dossier) -> str:
    """A file name for the export that says whose it is: "personal-data-jo-smith"."""
    slug = re.sub(r"[^\w]+", "-", found.name.casefold()).strip("-")[:60] or found.contact_id[:8]
    return f"personal-data-{slug}"


def write_json(found: Dossier, path: Path) -> None:
    """Write the JSON export whole or not at all (a temp file renamed into place)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(found.as_json(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    partial.replace(path)
