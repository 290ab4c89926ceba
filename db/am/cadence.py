"""Stay-in-touch cadence: for each contact with a cadence, when the next touch is due.

The clock starts at the latest interaction that involved the contact (any kind: a note about
them counts, the AM chose to record it), or at the contact's creation when none was logged.
Due date = last touch + cadence days; overdue days = days past the due date (0 if not yet).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.am.health_facts import happened_by
from db.core_reads import read
from db.labels import plural
from db.models import Client, Contact, Interaction, InteractionContact


def due_date(last_touch: date, cadence_days: int) -> date:
    return last_touch + timedelta(days=cadence_days)


def overdue_days(due: date, today: date) -> int:
    return max((today - due).days, 0)


@dataclass(frozen=True)
class ContactCadence:
    contact_id: str
    contact_name: str
    client_id: str
    client_name: str
    cadence_days: int
    last_touch: date
    touched: bool  # False when the clock runs from the contact's creation
    due: date
    overdue_days: int

    @property
    def reason(self) -> str:
        if self.overdue_days:
            every = plural(self.cadence_days, "day")
            return f"touch {plural(self.overdue_days, 'day')} overdue (every {every})"
        return f"touch due {self.due.isoformat()} (every {plural(self.cadence_days, 'day')})"


def last_touches(
    session: Session, as_of: date, contact_ids: Collection[str] | None = None
) -> dict[str, date]:
    """Latest interaction per contact up to `as_of`, one grouped query."""
    # For all contacts, scanning interactions and finding their links by index is several
    # times faster than a uuid primary-key lookup per link; `|| ''` steers SQLite that way.
    interaction_id = Interaction.id if contact_ids is not None else Interaction.id + ""
    query = (
        select(InteractionContact.contact_id, func.max(Interaction.occurred_at))
        .select_from(Interaction)
        .join(InteractionContact, InteractionContact.interaction_id == interaction_id)
        .where(happened_by(as_of))
        .group_by(InteractionContact.contact_id)
    )
    if contact_ids is not None:
        query = query.where(InteractionContact.contact_id.in_(contact_ids))
    return {cid: when.date() for cid, when in read(session, query)}


def contact_cadences(
    session: Session,
    today: date,
    client_id: str | None = None,
    client_ids: Collection[str] | None = None,
) -> list[ContactCadence]:
    """Every contact with a cadence (of one client, of some, or all), soonest due first."""
    if client_id is not None:
        client_ids = [client_id]
    query = (
        select(
            Contact.id,
            Contact.name,
            Contact.client_id,
            Client.name,
            Contact.stay_in_touch_days,
            Contact.created_at,
        )
        .join(Client, Client.id == Contact.client_id)
        .where(Contact.stay_in_touch_days.is_not(None), Contact.stay_in_touch_days > 0)
    )
    if client_ids is not None:
        query = query.where(Contact.client_id.in_(client_ids))
    rows = read(session, query).all()
    touches = last_touches(session, today, None if client_ids is None else [r[0] for r in rows])
    found = []
    for contact_id, name, cid, client_name, days, created in rows:
        if days is None:  # excluded by the query; narrows the column's type
            continue
        touched = contact_id in touches
        last = touches[contact_id] if touched else created.date()
        due = due_date(last, days)
        found.append(
            ContactCadence(
                contact_id,
                name,
                cid,
                client_name,
                days,
                last,
                touched,
                due,
                overdue_days(due, today),
            )
        )
    return sorted(found, key=lambda c: (c.due, c.contact_name))


def contacts_due(
    session: Session,
    today: date,
    within_days: int = 0,
    client_id: str | None = None,
    client_ids: Collection[str] | None = None,
) -> list[ContactCadence]:
    """Contacts whose touch is due by `today + within_days` (overdue ones included)."""
    horizon = today + timedelta(days=within_days)
    found = contact_cadences(session, today, client_id, client_ids)
    return [c for c in found if c.due <= horizon]
