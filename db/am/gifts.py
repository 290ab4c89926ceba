"""The rules of a gift record: who it is for, which occasion, and what its state implies.

A gift says what it is. It is for one of the client's contacts or for the client as a whole.
It may be linked to one of the recipient's important dates (a birthday); the occasion text then
defaults to that date's label (and its date stays: a gift planned for a birthday is dated the
birthday, given or not). A gift marked given gets today's date when it has none. Unmarking
"given" makes it bought: it was bought, it has not been given yet.

The rules run inside the operation (`SaveGift.apply`), so the same refusal, worded once here,
reaches the user whichever widget made the edit: the gift dialog, the adder line, the Given
check box or a renamed cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import NotFoundError, ValidationError
from db.labels import quoted
from db.models import Contact, Gift, GiftState, ImportantDate, new_id
from db.operations import Create, Operation, Update

NO_DESCRIPTION = "say what the gift is"


def checked_gift_values(
    session: Session, client_id: str, values: Mapping[str, Any], today: date
) -> dict[str, Any]:
    """`values` with the rules applied; ValidationError naming the field when they break."""
    found = dict(values)
    if "description" in found:
        found["description"] = str(found["description"] or "").strip()
        if not found["description"]:
            raise ValidationError("Gift", NO_DESCRIPTION)
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


@dataclass
class SaveGift:
    """Create a gift (`values` whole) or change some of its fields, with the rules above
    checked against the gift as it will be, when applied (and again on redo)."""

    gift_id: str
    values: dict[str, Any]
    today: date
    label: str
    client_id: str | None = None  # set for a new gift
    done: Operation | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return self.gift_id

    def apply(self, session: Session) -> None:
        if self.client_id is not None:
            checked = checked_gift_values(session, self.client_id, self.values, self.today)
            step: Operation = Create(
                Gift, {**checked, "client_id": self.client_id, "id": self.gift_id}
            )
        else:
            gift = session.get(Gift, self.gift_id)
            if gift is None:
                raise NotFoundError("That gift no longer exists")
            current = {key: getattr(gift, key) for key in _RULED}
            checked = checked_gift_values(
                session, gift.client_id, {**current, **self.values}, self.today
            )
            changed = {k: v for k, v in checked.items() if k in self.values or current.get(k) != v}
            step = Update(Gift, self.gift_id, changed)
        step.apply(session)
        self.done = step

    def revert(self, session: Session) -> None:
        if self.done is not None:
            self.done.revert(session)


def add_gift(session: Session, client_id: str, values: Mapping[str, Any], today: date) -> SaveGift:
    description = str(values.get("description", "")).strip()
    return SaveGift(
        new_id(), dict(values), today, f"New gift {quoted(description)}", client_id=client_id
    )


def edit_gift(session: Session, gift_id: str, values: Mapping[str, Any], today: date) -> SaveGift:
    """Change some of a gift's fields; the rules see the gift as it will be."""
    gift = session.get(Gift, gift_id)
    if gift is None:
        raise NotFoundError("That gift no longer exists")
    if set(values) == {"state"}:
        label = f"Mark gift {quoted(gift.description)} {label_of(values['state'])}"
    else:
        label = f"Edit gift {quoted(str(values.get('description', gift.description)))}"
    return SaveGift(gift_id, dict(values), today, label)


def mark_given(session: Session, gift_id: str, given: bool, today: date) -> SaveGift:
    """The Given check box: given (dated today when undated), or back to bought."""
    return edit_gift(
        session, gift_id, {"state": GiftState.GIVEN if given else GiftState.BOUGHT}, today
    )


def label_of(state: GiftState) -> str:
    return state.value.replace("_", " ")


_RULED = ("contact_id", "important_date_id", "occasion", "state", "gift_date", "description")
