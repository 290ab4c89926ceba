"""CSV in and out: a semicolon file in Windows-1252 as Excel writes it in Germany, a second
import that updates instead of duplicating, likely duplicates set apart, and round trips."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from db.database import open_database
from db.io import CsvTable, ImportFileError, Source, limits, plan_project_import, read_import
from db.io.csv_table import read_table
from db.io.csv_write import clients_csv, contacts_csv, follow_ups_csv, interactions_csv, tasks_csv
from db.io.records_csv import RecordKind, guess_kind, parse_birthday, plan_csv_import
from db.models import Client, ClientStatus, Contact, FollowUp, ImportantDate
from db.operations import Create
from db.store import Store
from tests.io.helpers import FILES, import_path, row_counts, shape


def table(name: str, data: bytes) -> CsvTable:
    found = read_import(Source(name, data))
    assert isinstance(found, CsvTable)
    return found


def contacts(store: Store) -> dict[str, Contact]:
    return {c.name: c for c in store.session.scalars(select(Contact))}


def test_semicolon_cp1252_file_is_read_as_written() -> None:
    found = table("kontakte.csv", (FILES / "kontakte.csv").read_bytes())
    assert found.encoding == "Windows-1252" and found.delimiter == ";"
    assert found.header[0] == "Vorname"
    assert found.rows[2][2] == "Café Crème; Söhne"  # a quoted delimiter stays in its field
    assert guess_kind(found.header) is RecordKind.CONTACTS


def test_contacts_import_then_update_instead_of_duplicate(store: Store) -> None:
    data = (FILES / "kontakte.csv").read_bytes()
    plan = plan_csv_import(store.session, table("k.csv", data), RecordKind.CONTACTS)
    assert plan.mapping["first_name"] == 0 and plan.mapping["client"] == 2
    assert plan.summary.added == {"Client": 2, "Contact": 4, "ImportantDate": 2}
    # The accent-less second Jürgen is shown as a likely duplicate, not silently merged.
    assert [(d.name, d.existing_name) for d in plan.duplicates] == [
        ("Jurgen Muller", "Jürgen Müller")
    ]
    store.apply(plan.operation)
    people = contacts(store)
    assert people["Jürgen Müller"].client.name == "Bäckerei Süß GmbH"
    assert people["Jürgen Müller"].title == "Geschäftsführer"
    dates = {
        d.contact.name: (d.day, d.month, d.year)
        for d in store.session.scalars(select(ImportantDate))
    }
    assert dates == {"Jürgen Müller": (17, 5, 1968), "Anna Groß": (24, 12, None)}

    # The same file again changes nothing; an edited phone number updates that one contact.
    again = plan_csv_import(store.session, table("k.csv", data), RecordKind.CONTACTS)
    assert again.summary.added == {} and again.summary.updated == {}
    edited = data.replace(b"+49 30 123457", b"+49 30 999")
    update = plan_csv_import(store.session, table("k.csv", edited), RecordKind.CONTACTS)
    assert update.summary.added == {} and update.summary.updated == {"Contact": 1}
    before = row_counts(store)
    store.apply(update.operation)
    assert row_counts(store) == before
    assert contacts(store)["Anna Groß"].phone == "+49 30 999"
    store.revert(update.operation)
    assert contacts(store)["Anna Groß"].phone == "+49 30 123457"


def test_merging_a_likely_duplicate_updates_the_existing_contact(store: Store) -> None:
    client = Create(Client, {"name": "Bäckerei Süß GmbH"})
    store.apply(client)
    store.apply(Create(Contact, {"client_id": client.id, "name": "Jürgen Müller"}))
    data = "name,company,email\r\nJurgen Muller,Bäckerei Süß GmbH,jm@example.com\r\n".encode()
    plan = plan_csv_import(store.session, table("x.csv", data), RecordKind.CONTACTS)
    assert len(plan.duplicates) == 1 and plan.summary.added == {"Contact": 1}
    merged = plan_csv_import(
        store.session, table("x.csv", data), RecordKind.CONTACTS, merge_duplicates=True
    )
    assert merged.summary.added == {} and merged.summary.updated == {"Contact": 1}
    store.apply(merged.operation)
    # The stored spelling of the name stays; the row adds the email.
    assert contacts(store)["Jürgen Müller"].email == "jm@example.com"


def test_rows_that_cannot_be_kept_are_skipped_with_their_line(store: Store) -> None:
    data = (
        b"name,status,currency\r\nAcme,active,EUR\r\nBeta,asleep,EUR\r\n,lead,EUR\r\n"
        b"Gamma,lead,euro\r\n"
    )
    plan = plan_csv_import(store.session, table("c.csv", data), RecordKind.CLIENTS)
    assert plan.summary.added == {"Client": 1}
    skipped = plan.summary.skipped
    assert skipped[0].startswith("line 3: status 'asleep'")
    assert skipped[1] == "line 4: no name"
    assert skipped[2].startswith("line 5: currency")
    store.apply(plan.operation)
    assert store.session.scalars(select(Client)).one().status is ClientStatus.ACTIVE


def test_birthdays_with_and_without_a_year() -> None:
    assert parse_birthday("1984-05-17") == (17, 5, 1984)
    assert parse_birthday("--05-17") == (17, 5, None)
    assert parse_birthday("17.05.") == (17, 5, None)
    assert parse_birthday("29.02.") == (29, 2, None)
    with pytest.raises(ValueError):
        parse_birthday("31.02.1999")


def test_clients_and_contacts_round_trip(store: Store, tmp_path: Path) -> None:
    data = (FILES / "kontakte.csv").read_bytes()
    store.apply(plan_csv_import(store.session, table("k.csv", data), RecordKind.CONTACTS).operation)
    written = contacts_csv(store.session, delimiter=";")
    assert written.startswith(b"\xef\xbb\xbf")
    # Into the same database: nothing to do. Ids match every row.
    same = plan_csv_import(store.session, table("out.csv", written), RecordKind.CONTACTS)
    assert same.summary.added == {} and same.summary.updated == {}
    # Into another: the same contacts, birthdays included.
    other = Store(open_database(tmp_path / "other.sqlite", create=True))
    try:
        back = plan_csv_import(other.session, table("out.csv", written), RecordKind.CONTACTS)
        other.apply(back.operation)
        assert sorted(c.name for c in other.session.scalars(select(Contact))) == sorted(
            contacts(store)
        )
        assert contacts_csv(other.session, delimiter=";") == written
        clients = plan_csv_import(
            other.session, table("c.csv", clients_csv(store.session)), RecordKind.CLIENTS
        )
        assert clients.summary.added == {} and clients.summary.updated == {}
    finally:
        other.close()


def test_follow_ups_and_interactions_are_written(store: Store) -> None:
    client = Create(Client, {"name": "Acme"})
    store.apply(client)
    store.apply(
        Create(
            FollowUp, {"title": "Send offer", "due_date": date(2025, 5, 2), "client_id": client.id}
        )
    )
    assert b"Send offer,2025-05-02,Acme" in follow_ups_csv(store.session)
    assert interactions_csv(store.session).count(b"\r\n") == 1


def test_tasks_round_trip_with_hierarchy_and_links(store: Store) -> None:
    first = import_path(store, FILES / "launch.xml", keep_file_dates=True)
    written = tasks_csv(store.session, first.project_id)
    project = read_import(Source("Spring Launch.csv", written))
    assert not isinstance(project, CsvTable)
    again = plan_project_import(store.session, project, "Spring Launch.csv")
    store.apply(again.operation)
    assert not again.differences
    assert shape(store, again.project_id) == shape(store, first.project_id)


def test_a_field_over_the_limit_is_refused_with_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_CSV_FIELD_CHARS", 1000)
    data = b"name,email\r\nAda,ada@example.com\r\n" + b'"' + b"x" * 5000 + b'",y\r\n'
    with pytest.raises(ImportFileError) as caught:
        read_table(Source("long.csv", data))
    assert "longer than 1,000 characters" in caught.value.message
    assert caught.value.where.startswith("line ")


def test_a_row_with_more_fields_than_the_header_names_its_line() -> None:
    with pytest.raises(ImportFileError, match="line 3"):
        read_table(Source("x.csv", b"name,email\r\nA,a@x.io\r\nB,b@x.io,extra\r\n"))
