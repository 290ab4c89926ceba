"""A client with two people, each with a distinctive string in every field and every table
that can hold something about a person, so a test can look for each string anywhere: in an
export, in a database file's raw bytes, on the share.

Quilla is the one exported or erased; Bram works at the same client and must never appear
in Quilla's export. `PERSONAL` are Quilla's strings an erase removes; `BUSINESS` are the
client's history (interactions she took part in) that must survive it; `NAMING` are texts
that name her, which the user edits in the erase step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from db.models import (
    Client,
    ClientNote,
    Contact,
    CustomField,
    CustomFieldKind,
    CustomFieldTarget,
    CustomValue,
    FollowUp,
    Gift,
    ImportantDate,
    Interaction,
    InteractionContact,
    InteractionKind,
    NoteKind,
    SatisfactionRating,
    new_id,
    value_id,
)

NAME = "Quilla Vantersby"
EMAIL = "quilla.vantersby@vexmoor.example"
PERSONAL = {
    "name": NAME,
    "email": EMAIL,
    "title": "Chief Lanternwright",
    "phone": "+44 7700 900731",
    "rapport": "Breeds axolotls named after Zorbulian poets",
    "date": "Axolotl adoption day",
    "custom": "Prefers marzipantide",
    "gift": "Hand-blown kelpglass teapot",
    "occasion": "Quilla's kelpfest",
}
BUSINESS = {
    "summary": "Reviewed the grommetwave roadmap",
    "outcome": "Agreed on the plinthmoor pilot",
}
# Texts that name her (they hold her whole name or email), with what the user edits them to.
NAMING = {
    "follow_up": (f"Send {NAME} the brochure", "Send the contact the brochure"),
    "rating": (f"{NAME} loved the launch", "The contact loved the launch"),
    "note": (f"Budget decisions go through {EMAIL}", "Budget decisions go through the buyer"),
    "mention": (f"Call with Bram about {NAME}", "Call with Bram about the pilot"),
}
OTHER = {
    "name": "Bram Oddleworth",
    "email": "bram.oddleworth@vexmoor.example",
    "rapport": "Collects tin submarines",
    "date": "Bram's regatta",
    "gift": "Brass periscope",
    "custom": "Likes smoked quincefig",
}


@dataclass
class Seeded:
    client_id: str
    quilla: str
    bram: str
    shared_interaction: str
    quilla_only_interaction: str
    mention_interaction: str
    follow_up: str
    rating: str
    note: str
    field: str


def seed(session: Session) -> Seeded:
    client = Client(name="Vexmoor Ltd")
    session.add(client)
    session.flush()
    field = CustomField(
        applies_to=CustomFieldTarget.CONTACT, name="Favourite sweet", kind=CustomFieldKind.TEXT
    )
    session.add(field)
    quilla = Contact(
        client_id=client.id,
        name=NAME,
        title=PERSONAL["title"],
        email=EMAIL,
        phone=PERSONAL["phone"],
        rapport_notes=PERSONAL["rapport"],
        stay_in_touch_days=30,
    )
    bram = Contact(
        client_id=client.id,
        name=OTHER["name"],
        email=OTHER["email"],
        rapport_notes=OTHER["rapport"],
    )
    session.add_all([quilla, bram])
    session.flush()
    birthday = ImportantDate(contact_id=quilla.id, label=PERSONAL["date"], day=3, month=5)
    session.add_all(
        [
            birthday,
            ImportantDate(contact_id=bram.id, label=OTHER["date"], day=9, month=9),
            CustomValue(
                id=value_id(field.id, quilla.id),
                field_id=field.id,
                contact_id=quilla.id,
                value=PERSONAL["custom"],
            ),
            CustomValue(
                id=value_id(field.id, bram.id),
                field_id=field.id,
                contact_id=bram.id,
                value=OTHER["custom"],
            ),
        ]
    )
    session.flush()
    session.add_all(
        [
            Gift(
                client_id=client.id,
                contact_id=quilla.id,
                description=PERSONAL["gift"],
                occasion=PERSONAL["occasion"],
                important_date_id=birthday.id,
                gift_date=date(2026, 5, 3),
            ),
            Gift(client_id=client.id, contact_id=bram.id, description=OTHER["gift"]),
        ]
    )
    shared = Interaction(
        id=new_id(),
        client_id=client.id,
        kind=InteractionKind.MEETING,
        occurred_at=datetime(2026, 2, 3, 10, 0),
        summary=BUSINESS["summary"],
        outcome=BUSINESS["outcome"],
    )
    alone = Interaction(
        id=new_id(),
        client_id=client.id,
        kind=InteractionKind.CALL,
        occurred_at=datetime(2026, 2, 10, 9, 0),
        summary="Quarterly check-in",
    )
    mention = Interaction(
        id=new_id(),
        client_id=client.id,
        kind=InteractionKind.CALL,
        occurred_at=datetime(2026, 2, 11, 9, 0),
        summary=NAMING["mention"][0],
    )
    session.add_all([shared, alone, mention])
    session.flush()
    session.add_all(
        [
            InteractionContact(interaction_id=shared.id, contact_id=quilla.id),
            InteractionContact(interaction_id=shared.id, contact_id=bram.id),
            InteractionContact(interaction_id=alone.id, contact_id=quilla.id),
            InteractionContact(interaction_id=mention.id, contact_id=bram.id),
        ]
    )
    follow_up = FollowUp(
        client_id=client.id, title=NAMING["follow_up"][0], due_date=date(2026, 3, 20)
    )
    rating = SatisfactionRating(
        client_id=client.id, rated_on=date(2026, 1, 31), score=9, comment=NAMING["rating"][0]
    )
    note = ClientNote(client_id=client.id, kind=NoteKind.NEED, text=NAMING["note"][0])
    session.add_all(
        [
            follow_up,
            rating,
            note,
            FollowUp(
                client_id=client.id, title="Book Bram's regatta tickets", due_date=date(2026, 4, 1)
            ),
        ]
    )
    session.commit()
    return Seeded(
        client.id,
        quilla.id,
        bram.id,
        shared.id,
        alone.id,
        mention.id,
        follow_up.id,
        rating.id,
        note.id,
        field.id,
    )


def naming_edits(s: Seeded) -> dict[tuple[str, str, str], str]:
    """The user's edits, in the erase dialog, of every text that names Quilla."""
    return {
        ("FollowUp", s.follow_up, "title"): NAMING["follow_up"][1],
        ("SatisfactionRating", s.rating, "comment"): NAMING["rating"][1],
        ("ClientNote", s.note, "text"): NAMING["note"][1],
        ("Interaction", s.mention_interaction, "summary"): NAMING["mention"][1],
    }
