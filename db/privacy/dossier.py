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
import sqlite3
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
from db.privacy.erase import detached_gifts
from db.privacy.mentions import Mention, mentions
from db.privacy.person import person, tombstoned_links
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

    @classmethod
    def of(cls, g: Gift) -> GiftLine:
        return cls(g.occasion, g.description, g.state.value, g.cost_cents, g.gift_date)


@dataclass(frozen=True)
class InteractionLine:
    occurred_at: datetime
    kind: str
    summary: str
    outcome: str
    sentiment: str

    @classmethod
    def of(cls, i: Interaction) -> InteractionLine:
        return cls(i.occurred_at, i.kind.value, i.summary, i.outcome, i.sentiment.value)


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
    deleted: bool = False  # deleted the ordinary way: read from what the delete kept

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
                "deleted": self.deleted,
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
        return _deleted_dossier(session, contact_id, now)
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
        gifts=tuple(GiftLine.of(g) for g in gifts),
        interactions=tuple(InteractionLine.of(i) for i in took_part),
        mentions=named,
    )


def _tombstones(session: Session, table: str, contact_id: str) -> list[dict[str, Any]]:
    """The rows of `table` that belonged to the contact and went with their delete, as the
    tombstones keep them (whole rows, so a restore can bring them back)."""
    rows = session.connection().exec_driver_sql(
        "SELECT data FROM sync_tomb WHERE tbl = ? AND data IS NOT NULL "
        "AND json_extract(data, '$.contact_id') = ?",
        (table, contact_id),
    )
    found = []
    for (data,) in rows:
        try:
            values = json.loads(data)
        except ValueError:
            continue
        if isinstance(values, dict):
            found.append(values)
    return found


def _stamp(value: Any) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _deleted_dossier(session: Session, contact_id: str, now: datetime | None) -> Dossier:
    """A contact deleted the ordinary way is still held here: their delete's tombstones keep
    the row and its children (so a restore can bring them back), the interactions they took
    part in are still the client's, and this station's audit trail says which of the
    client's gifts were theirs. Article 15 covers all of that, so it is exported too."""
    run = session.connection().exec_driver_sql
    found = person(run, contact_id)
    if found is None:
        raise NotFoundError(f"contact {contact_id} no longer exists")
    tomb = run(
        "SELECT data FROM sync_tomb WHERE tbl = 'contact' AND row_id = ?", (contact_id,)
    ).scalar_one()
    values: dict[str, Any] = json.loads(tomb)
    client = session.get(Client, found.client_id)
    dates = sorted(
        (
            DateLine(
                str(d.get("label") or ""),
                _int_or_none(d.get("day")) or 0,
                _int_or_none(d.get("month")) or 0,
                _int_or_none(d.get("year")),
            )
            for d in _tombstones(session, "important_date", contact_id)
        ),
        key=lambda d: (d.month, d.day, d.label),
    )
    field_names = session.execute(select(CustomField.id, CustomField.name))
    names: dict[str, str] = {i: n for i, n in field_names}
    fields = sorted(
        (str(names.get(str(v.get("field_id")), "?")), str(v.get("value") or ""))
        for v in _tombstones(session, "custom_value", contact_id)
        if v.get("value")
    )
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection), "a deleted contact is read from SQLite"
    gift_ids = [g.split(":", 1)[1] for g in detached_gifts(raw, contact_id)]
    gifts = list(session.scalars(select(Gift).where(Gift.id.in_(gift_ids)))) if gift_ids else []
    gifts.sort(key=lambda g: (g.gift_date or date.min, g.created_at))
    links = tombstoned_links(run, contact_id)
    took_part = list(
        session.scalars(
            select(Interaction).where(Interaction.id.in_(links)).order_by(Interaction.occurred_at)
        )
    )
    own = {i.id for i in took_part}
    named = tuple(
        m
        for m in mentions(session, contact_id)
        if not (m.entity == "Interaction" and m.row_id in own)
        and not (m.entity == "Gift" and m.row_id in gift_ids)
    )
    return Dossier(
        contact_id=contact_id,
        name=found.name,
        title=str(values.get("title") or ""),
        email=found.email,
        phone=str(values.get("phone") or ""),
        client=client.name if client else "",
        rapport_notes=str(values.get("rapport_notes") or ""),
        stay_in_touch_days=_int_or_none(values.get("stay_in_touch_days")),
        recorded_since=_stamp(values.get("created_at")),
        last_changed=_stamp(values.get("updated_at")),
        agency=str(setting(session, AGENCY_NAME) or ""),
        made_at=(now or datetime.now()).replace(microsecond=0),
        important_dates=tuple(dates),
        custom_fields=tuple(fields),
        gifts=tuple(GiftLine.of(g) for g in gifts),
        interactions=tuple(InteractionLine.of(i) for i in took_part),
        mentions=named,
        deleted=True,
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
