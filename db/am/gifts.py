"""The rules of a gift record: who it is for, which occasion, and what its state implies.

A gift is for one of the client's contacts or for the client as a whole. It may be linked to
one of the recipient's important dates (a birthday); the occasion text then defaults to that
date's label. A gift marked given gets today's date when it has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import NotFoundError, ValidationError
from db.labels import quoted
from db.models import Contact, Gift, GiftState, ImportantDate
from db.operations import Create, Update


def checked_gift_values(
    session: Session, client_id: str, values: Mapping[str, Any], today: date
) -> dict[str, Any]:
    """`values` with the rules applied; ValidationError naming the field when they break."""
    found = dict(values)
    contact_id = found.get("contact_id")
    if contact_id is not None:
        owner = session.scalar(select(Contact.client_id).where(Contact.id == contact_id))
        if owner != client_id:
            raise ValidationError("Gift recipient", "is not one of this client's contacts")
    date_id = found.get("important_date_id")
    if date_id is not None:
        row = session.execute(
            select(ImportantDate.contact_id, ImportantDate.label).where(ImportantDate.id == date_id)
        ).first()
        if row is None:
            raise ValidationError("Gift occasion", "that date no longer exists")
        if contact_id is None:
            found["contact_id"] = contact_id = row.contact_id
        if row.contact_id != contact_id:
            raise ValidationError("Gift occasion", "is a date of another contact")
        if not str(found.get("occasion") or "").strip():
            found["occasion"] = row.label
    if found.get("state") == GiftState.GIVEN and found.get("gift_date") is None:
        found["gift_date"] = today
    return found


def add_gift(session: Session, client_id: str, values: Mapping[str, Any], today: date) -> Create:
    checked = checked_gift_values(session, client_id, values, today)
    description = str(checked.get("description", ""))
    return Create(
        Gift, {**checked, "client_id": client_id}, label=f"New gift {quoted(description)}"
    )


def edit_gift(session: Session, gift_id: str, values: Mapping[str, Any], today: date) -> Update:
    """Change some of a gift's fields; the rules see the gift as it will be."""
    gift = session.get(Gift, gift_id)
    if gift is None:
        raise NotFoundError("That gift no longer exists")
    current = {key: getattr(gift, key) for key in _RULED}
    checked = checked_gift_values(session, gift.client_id, {**current, **values}, today)
    changed = {k: v for k, v in checked.items() if k in values or current.get(k) != v}
    if set(changed) == {"state"} or set(changed) == {"state", "gift_date"}:
        label = f"Mark gift {quoted(gift.description)} {label_of(checked['state'])}"
    else:
        label = f"Edit gift {quoted(str(checked.get('description', '')))}"
    return Update(Gift, gift_id, changed, label=label)


def label_of(state: GiftState) -> str:
    return state.value.replace("_", " ")


_RULED = ("contact_id", "important_date_id", "occasion", "state", "gift_date", "description")
