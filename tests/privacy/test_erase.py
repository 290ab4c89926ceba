"""Erasing a person on one station: their data leaves the database file itself (raw bytes,
write-ahead log included), the client's history stays readable, and the erase is recorded
without any of the erased data."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from db.am.client_detail import timeline
from db.audit.history import ERASED_RECORD, ERASED_TEXT, client_records, erasures, history
from db.errors import NotFoundError
from db.models import Contact, Gift, ImportantDate, Interaction, PersonErasure
from db.models.privacy import ERASED_CONTACT
from db.privacy.erase import ErasePerson, vacuum
from db.privacy.mentions import mentions
from db.store import Store
from tests.privacy.people import BUSINESS, NAMING, OTHER, PERSONAL, naming_edits, seed


def file_bytes(path: Path) -> bytes:
    """The database as it lies on disk: the file and whatever its journal holds."""
    found = b""
    for suffix in ("", "-wal", "-journal"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            found += part.read_bytes()
    return found


def strings_in(data: bytes, strings: list[str]) -> list[str]:
    lowered = data.lower()
    return [s for s in strings if s.encode().lower() in lowered]


def test_the_texts_that_name_the_person_are_found(store: Store) -> None:
    s = seed(store.session)
    found = {(m.entity, m.row_id, m.field): m.text for m in mentions(store.session, s.quilla)}
    assert found == {key: NAMING_TEXT for key, NAMING_TEXT in _originals(s).items()}


def _originals(s: object) -> dict[tuple[str, str, str], str]:
    edits = naming_edits(s)  # type: ignore[arg-type]
    originals = {v[1]: v[0] for v in NAMING.values()}
    return {key: originals[text] for key, text in edits.items()}


def test_an_erase_leaves_nothing_of_the_person_in_the_file(store: Store, db_path: Path) -> None:
    s = seed(store.session)
    store.apply(ErasePerson(s.quilla, erased_by="Katja", edits=naming_edits(s)))
    store.session.commit()
    vacuum(db_path)

    session = store.session
    assert session.get(Contact, s.quilla) is None
    assert not session.scalars(
        select(ImportantDate).where(ImportantDate.contact_id == s.quilla)
    ).all()
    assert [g.description for g in session.scalars(select(Gift))] == [OTHER["gift"]]
    # The client's history stays, with the person shown as erased.
    rows = {r.id: r for r in timeline(session, s.client_id)}
    assert rows[s.shared_interaction].summary == BUSINESS["summary"]
    assert rows[s.shared_interaction].with_names == (OTHER["name"], ERASED_CONTACT)
    assert rows[s.quilla_only_interaction].with_names == (ERASED_CONTACT,)
    assert session.get(Interaction, s.mention_interaction).summary == NAMING["mention"][1]
    erasure = session.scalars(select(PersonErasure)).one()
    assert (erasure.contact_id, erasure.erased_by) == (s.quilla, "Katja")
    store.close()

    data = file_bytes(db_path)
    assert strings_in(data, list(PERSONAL.values())) == []
    assert strings_in(data, [n[0] for n in NAMING.values()]) == []
    assert strings_in(data, list(BUSINESS.values())) == list(BUSINESS.values())
    assert strings_in(data, [OTHER["name"], OTHER["rapport"]]) == [OTHER["name"], OTHER["rapport"]]
    conn = sqlite3.connect(db_path)
    try:
        outbox = conn.execute("SELECT tbl FROM sync_outbox WHERE tbl = 'person_erasure'").fetchall()
        assert outbox == [("person_erasure",)]
    finally:
        conn.close()


def test_the_clients_history_says_who_erased_a_person_and_quotes_none_of_their_data(
    store: Store,
) -> None:
    s = seed(store.session)
    store.apply(ErasePerson(s.quilla, erased_by="Katja", edits=naming_edits(s)))
    store.session.commit()

    session = store.session
    entries = history(session, client_records(session, s.client_id)) + erasures(
        session, s.client_id
    )
    erased = [e for e in entries if e.action == ERASED_TEXT]
    assert [(e.who, e.record) for e in erased] == [("Katja", ERASED_RECORD)]
    shown = " ".join(f"{e.record} {e.field} {e.before} {e.after}" for e in entries)
    assert strings_in(shown.encode(), list(PERSONAL.values())) == []
    assert strings_in(shown.encode(), [n[0] for n in NAMING.values()]) == []
    # The other person's history is untouched.
    assert strings_in(shown.encode(), [OTHER["name"]]) == [OTHER["name"]]


def test_erasing_a_contact_that_is_gone_is_refused_in_words(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no longer exists"):
        store.apply(ErasePerson("no-such-contact"))


def test_someone_in_thousands_of_interactions_is_recorded_in_values_that_can_travel(
    store: Store,
) -> None:
    """A synced JSON value holds at most 100,000 characters; 2,500 interaction ids do not fit
    one record, so the erase takes two, and every interaction still says "erased contact"."""
    from db.models import InteractionContact, InteractionKind, new_id
    from db.validation import JSON_MAX_CHARS

    s = seed(store.session)
    for i in range(2_500):
        interaction = Interaction(
            id=new_id(),
            client_id=s.client_id,
            kind=InteractionKind.EMAIL,
            occurred_at=datetime(2025, 1, 1) + timedelta(hours=i),
        )
        store.session.add(interaction)
        store.session.add(InteractionContact(interaction_id=interaction.id, contact_id=s.quilla))
    store.session.commit()
    store.apply(ErasePerson(s.quilla))
    records = store.session.scalars(select(PersonErasure)).all()
    assert len(records) == 2
    assert {r.contact_id for r in records} == {s.quilla}
    assert sum(len(r.interaction_ids) for r in records) == 2_502
    assert all(len(json.dumps(r.interaction_ids)) < JSON_MAX_CHARS for r in records)
    erased = [r for r in timeline(store.session, s.client_id) if ERASED_CONTACT in r.with_names]
    assert len(erased) == 2_502
