"""Fields an agency adds to its clients and contacts (Preferences > Custom fields), and their
values.

A definition is a row like any other, so it syncs: renaming a field or adding a choice on one
station reaches every other. A value is a row per (field, record), whose id is derived from the
pair (`value_id`): two stations that fill in the same field of the same client make the same
row, and sync merges the two edits of its `value` like any other field edit (one wins, the other
is kept in the conflicts list) instead of making two rows. A value is stored as text in one
canonical form per kind (a number "12.5", a date "2026-03-18", a choice as its text), so it
compares, sorts and travels the same on every station.
"""

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Entity
from db.models.enums import CustomFieldKind, CustomFieldTarget, enum_column

if TYPE_CHECKING:
    from db.models.clients import Client, Contact

# Fixed forever: value ids made by every station must agree.
_VALUE_NAMESPACE = uuid.UUID("6f1c2b1e-6d7a-4f25-9b53-3c0e1f6c9a41")


def value_id(field_id: str, record_id: str) -> str:
    """The id of a field's value on one client or contact, the same on every station."""
    return str(uuid.uuid5(_VALUE_NAMESPACE, f"{field_id}/{record_id}"))


class CustomField(Entity):
    __tablename__ = "custom_field"

    applies_to: Mapped[CustomFieldTarget] = mapped_column(enum_column(CustomFieldTarget))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[CustomFieldKind] = mapped_column(enum_column(CustomFieldKind))
    # The choices of a choice field, in the order they are offered.
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Shareable fields may appear on what the client sees (the printed summary, a client's
    # agenda); the others never do.
    shareable: Mapped[bool] = mapped_column(default=False, server_default=false())
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    values: Mapped[list["CustomValue"]] = relationship(
        back_populates="field", cascade="all, delete-orphan", passive_deletes=True
    )


class CustomValue(Entity):
    __tablename__ = "custom_value"

    field_id: Mapped[str] = mapped_column(
        ForeignKey("custom_field.id", ondelete="CASCADE"), index=True
    )
    # Exactly one of the two, as the field's `applies_to` says.
    client_id: Mapped[str | None] = mapped_column(
        ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[str | None] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(Text, default="")

    field: Mapped["CustomField"] = relationship(back_populates="values")
    client: Mapped["Client | None"] = relationship()
    contact: Mapped["Contact | None"] = relationship()
