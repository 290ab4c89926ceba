"""Erasing a contact that was deleted the ordinary way first (a restorable delete): their data
was still in this station's tombstones, outbox and audit trail. The command line finds them
(saying "(deleted)"), the erase removes all of it from the file, and it reaches the other
stations, which held the tombstones too, like an erase of a live contact."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.am.client_detail import timeline
from db.database import open_database
from db.models import Client, Contact, Gift, Interaction, PersonErasure
from db.models.privacy import ERASED_CONTACT
from db.operations import Create, Delete, Update
from db.privacy.erase import ErasePerson, vacuum
from db.privacy.lookup import find_person
from db.privacy.mentions import mentions
from db.reports.lookup import NoMatch
from db.store import Store
from desktop.cli import main
from tests.privacy.people import BUSINESS, NAME, NAMING, OTHER, PERSONAL, Seeded, naming_edits, seed
from tests.privacy.test_erase import file_bytes, strings_in
from tests.privacy.test_erase_sync import share_bytes
from tests.sync.harness import bench, dump

HELD = list(PERSONAL.values())


def deleted_quilla(store: Store) -> Seeded:
    s = seed(store.session)
    # Someone edits her before the delete, so the audit trail holds old values of hers.
    store.apply(Update(Contact, s.quilla, {"title": "Deputy Lanternwright"}))
    store.apply(Delete(Contact, s.quilla))
    store.session.commit()
    return s


def test_a_deleted_contact_is_found_by_name_and_email(store: Store) -> None:
    s = deleted_quilla(store)
    assert find_person(store.session, NAME) == s.quilla
    assert find_person(store.session, PERSONAL["email"].upper()) == s.quilla
    store.apply(Create(Contact, {"client_id": s.client_id, "name": "Quilla Vantersby-Brook"}))
    with pytest.raises(NoMatch) as refused:
        find_person(store.session, "quilla")
    assert f"{NAME} <{PERSONAL['email']}> (Vexmoor Ltd) (deleted)" in str(refused.value)
    assert str(refused.value).endswith(", Quilla Vantersby-Brook (Vexmoor Ltd)")


def test_erasing_a_deleted_contact_leaves_nothing_of_them_in_the_file(
    store: Store, db_path: Path
) -> None:
    s = deleted_quilla(store)
    data = file_bytes(db_path)
    assert strings_in(data, HELD) == HELD  # the tombstones, outbox and history hold all of it
    assert (
        store.session.query(Gift).filter_by(description=PERSONAL["gift"]).one().contact_id is None
    )
    # The texts that name her are offered for editing as for a live contact.
    assert {m.key for m in mentions(store.session, s.quilla)} == set(naming_edits(s))

    store.apply(ErasePerson(s.quilla, erased_by="Katja", edits=naming_edits(s)))
    store.session.commit()
    session = store.session
    erasure = session.query(PersonErasure).one()
    assert (erasure.contact_id, erasure.client_id) == (s.quilla, s.client_id)
    assert sorted(erasure.interaction_ids) == sorted(
        [s.shared_interaction, s.quilla_only_interaction]
    )
    rows = {r.id: r for r in timeline(session, s.client_id)}
    assert rows[s.quilla_only_interaction].with_names == (ERASED_CONTACT,)
    assert rows[s.shared_interaction].summary == BUSINESS["summary"]
    # The gift for her that the delete had kept as the client's goes too, and the erase
    # names it for the other stations (which cannot tell it was hers).
    assert [g.description for g in session.query(Gift)] == [OTHER["gift"]]
    assert len(erasure.row_ids) == 1 and erasure.row_ids[0].startswith("gift:")
    store.close()
    vacuum(db_path)

    data = file_bytes(db_path)
    assert strings_in(data, [*HELD, "Deputy Lanternwright"]) == []
    assert strings_in(data, [n[0] for n in NAMING.values()]) == []
    assert strings_in(data, list(BUSINESS.values())) == list(BUSINESS.values())
    assert strings_in(data, [OTHER["name"], OTHER["rapport"]]) == [OTHER["name"], OTHER["rapport"]]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("qapp")
def test_the_command_line_erases_a_deleted_contact_and_refuses_to_export_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "agency.sqlite"
    store = Store(open_database(path, create=True))
    try:
        deleted_quilla(store)
    finally:
        store.close()
    code, _out, err = run(capsys, "person", "export", NAME, "--db", str(path), "-o", str(tmp_path))
    assert code == 2
    assert f"{NAME} (deleted): the contact was deleted" in err
    assert "'person erase'" in err

    code, _out, err = run(
        capsys, "person", "erase", PERSONAL["email"], "--db", str(path), "--yes", "--redact"
    )
    assert code == 0, err
    assert f"{NAME} (deleted): personal data erased" in err
    assert strings_in(file_bytes(path), HELD) == []
    code, _out, err = run(capsys, "person", "erase", NAME, "--db", str(path), "--yes")
    assert code == 2
    assert "no contact has that name or email" in err


def test_an_erase_of_a_deleted_contact_reaches_every_station(tmp_path: Path) -> None:
    """Every station holds the delete's tombstones; the one that erases sends only the erase,
    and each station scrubs its own tombstones, audit trail and conflict list. An offline
    station's edit of her, made before it heard of the delete, is dropped when it arrives."""
    with bench(tmp_path, 3) as b:
        a, s_b, c = b.stations
        s = seed(a.open().session)
        b.settle(2)
        c.apply(Update(Contact, s.quilla, {"rapport_notes": "Now also keeps a racing snail"}))
        a.apply(Delete(Contact, s.quilla))
        b.sync(a)
        b.sync(s_b)
        assert strings_in(file_bytes(s_b.path), [PERSONAL["rapport"]]) == [PERSONAL["rapport"]]
        store = a.open()
        store.apply(ErasePerson(s.quilla, erased_by="Katja", edits=naming_edits(s)))
        store.session.commit()
        for _ in range(3):
            for st in b.stations:
                b.sync(st)
        assert any(r.history_retired_s is not None for st in b.stations for r in st.results)
        assert all(not st.results[-1].waiting and not st.results[-1].held for st in b.stations)
        gone = [*HELD, "Now also keeps a racing snail", *(n[0] for n in NAMING.values())]
        for st in b.stations:
            st.close()
            data = file_bytes(st.path)
            assert strings_in(data, gone) == [], st.name
            assert strings_in(data, list(BUSINESS.values())) == list(BUSINESS.values())
            found = st.sql("SELECT count(*) FROM sync_tomb WHERE instr(data, ?) > 0", (s.quilla,))
            assert found == [(0,)], st.name
            assert st.sql("SELECT count(*) FROM contact WHERE id = ?", (s.quilla,)) == [(0,)]
            assert st.sql("SELECT count(*) FROM person_erasure") == [(1,)]
        first = dump(a.path)
        assert all(dump(st.path) == first for st in (s_b, c))
        assert strings_in(share_bytes(b.share), gone) == []
        session = c.open().session
        assert session.query(Interaction).count() == 3
        assert [g.description for g in session.query(Gift)] == [OTHER["gift"]]
        assert session.query(Client).count() == 1
