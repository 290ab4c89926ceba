"""The record that a contact's personal data was erased (issue 18, GDPR article 17).

It holds no personal data at all: which contact (by id), of which client, who erased it and
when, which interactions the contact had taken part in (so they can still say "erased
contact"), and the ids of rows of theirs only the erasing station could tell were theirs.
It syncs like any row, and that is how an erase travels: every station that applies the
insert erases the same contact itself, and from then on drops any change that still
concerns that contact (`db.privacy.erased`).
"""

from datetime import datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Entity

# How an erased person reads where they took part (an interaction's "with").
ERASED_CONTACT = "erased contact"


class PersonErasure(Entity):
    __tablename__ = "person_erasure"

    # Plain ids, not foreign keys: the contact is gone, and deleting the client later must
    # not take the record with it (the record is what keeps old edits from coming back).
    contact_id: Mapped[str] = mapped_column(String(36), index=True)
    client_id: Mapped[str] = mapped_column(String(36), default="")
    # The team member who erased ("I am"), by name, as the audit trail names people.
    erased_by: Mapped[str] = mapped_column(String(200), default="")
    erased_at: Mapped[datetime] = mapped_column(DateTime)
    interaction_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Rows of theirs this station erased that no longer said so ("gift:<id>": a gift an
    # ordinary delete of the contact had kept as the client's), so every station erases
    # them too. Rows that name the contact in `contact_id` each station finds itself.
    row_ids: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
