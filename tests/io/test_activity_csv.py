"""Interactions and follow-ups from CSV: a German Excel call log and a US task export, matched
to clients, contacts, owners and projects by name or email; a second import updates instead of
duplicating; a bad value refuses the file with its line and field; one undo takes it all back;
the command line previews with --dry-run."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from db.database import open_database
from db.io import CsvTable, ImportFileError, Source, read_import
from db.io.csv_dates import SlashOrder, parse_day, parse_moment, slash_order
from db.io.csv_write import follow_ups_csv, interactions_csv
from db.io.records_csv import RecordKind, guess_kind, plan_csv_import
from db.models import (
    Client,
    Contact,
    FollowUp,
    Interaction,
    InteractionKind,
    Project,
    Sentiment,
    TeamMember,
)
from db.operations import Create, composite
from db.store import Store
from desktop.cli import main
from tests.io.helpers import FILES, row_counts


def table(name: str, data: bytes) -> CsvTable:
    found = read_import(Source(name, data))
    assert isinstance(found, CsvTable)
    return found


def imported(store: Store, path: Path, kind: RecordKind | None = None) -> None:
    found = table(path.name, path.read_bytes())
    plan = plan_csv_import(store.session, found, kind or guess_kind(found.header))
    store.apply(plan.operation)


@pytest.fixture
def agency(store: Store) -> Store:
    """The contacts of kontakte.csv, two team members and a project."""
    imported(store, FILES / "kontakte.csv", RecordKind.CONTACTS)
    bakery = store.session.scalars(select(Client).where(Client.name.like("Bäckerei%"))).one()
    store.apply(
        composite(
            [
                Create(TeamMember, {"name": "Dana Scully", "email": "dana@agency.example"}),
                Create(TeamMember, {"name": "Fox Mulder", "email": "fox@agency.example"}),
                Create(Project, {"name": "Spring Launch", "client_id": bakery.id}),
            ]
        )
    )
    return store


def test_a_german_call_log_is_matched_to_clients_and_contacts(agency: Store) -> None:
    data = (FILES / "aktivitaeten.csv").read_bytes()
    found = table("aktivitaeten.csv", data)
    assert guess_kind(found.header) is RecordKind.INTERACTIONS
    plan = plan_csv_import(agency.session, found, RecordKind.INTERACTIONS)
    assert plan.summary.added == {"Client": 1, "Interaction": 4, "InteractionContact": 2}
    assert any("'Frau Unbekannt' at Neue Kunden AG not found" in n for n in plan.summary.notices)
    agency.apply(plan.operation)

    logged = {i.summary: i for i in agency.session.scalars(select(Interaction))}
    call = logged["Angebot besprochen"]
    assert call.kind is InteractionKind.CALL and call.sentiment is Sentiment.POSITIVE
    assert call.occurred_at == datetime(2026, 3, 2, 14, 30)
    assert call.client.name == "Bäckerei Süß GmbH" and call.outcome == "Rückruf Freitag"
    assert [link.contact.name for link in call.contact_links] == ["Jürgen Müller"]
    meeting = logged["Workshop „Frühjahr“"]
    assert [link.contact.name for link in meeting.contact_links] == ["Anna Groß"]
    assert meeting.kind is InteractionKind.MEETING and meeting.sentiment is Sentiment.NEUTRAL
    mail = logged["Rechnung geschickt"]
    assert mail.kind is InteractionKind.EMAIL and mail.client.name == "Café Crème; Söhne"
    assert mail.occurred_at == datetime(2026, 3, 4)
    assert logged["Erstkontakt auf Messe"].client.name == "Neue Kunden AG"

    # The same file again adds nothing; nor does its Agency Desk export.
    again = plan_csv_import(agency.session, table("a.csv", data), RecordKind.INTERACTIONS)
    assert again.summary.added == {} and again.summary.updated == {}
    exported = table("out.csv", interactions_csv(agency.session))
    assert guess_kind(exported.header) is RecordKind.INTERACTIONS
    back = plan_csv_import(agency.session, exported, RecordKind.INTERACTIONS)
    assert back.summary.added == {} and back.summary.updated == {}


def test_follow_ups_with_us_dates_owners_and_projects(agency: Store) -> None:
    data = (FILES / "follow-ups.csv").read_bytes()
    found = table("follow-ups.csv", data)
    assert guess_kind(found.header) is RecordKind.FOLLOW_UPS
    plan = plan_csv_import(agency.session, found, RecordKind.FOLLOW_UPS)
    assert plan.summary.added == {"FollowUp": 3}
    notes = plan.summary.notices
    assert "Due dates with slashes read as month/day/year" in notes
    assert any("owner 'Nobody Known' is no one on the team" in n for n in notes)
    agency.apply(plan.operation)

    due = {f.title: f for f in agency.session.scalars(select(FollowUp))}
    offer = due["Send the spring offer"]
    assert offer.due_date == date(2026, 3, 14) and offer.owner is not None
    assert offer.owner.name == "Dana Scully" and offer.project is not None
    assert offer.project.name == "Spring Launch" and offer.done_at is None
    call = due["Call about the invoice"]
    assert call.due_date == date(2026, 3, 2) and call.done_at == datetime(2026, 3, 2)
    assert call.owner is not None and call.owner.name == "Fox Mulder"
    assert call.client is not None and call.client.name == "Café Crème; Söhne"
    venue = due["Book the venue"]
    assert venue.client is None and venue.owner is None and venue.due_date == date(2026, 4, 1)

    # Edited in the spreadsheet and imported again: one update, no copies.
    edited = data.replace(b"Mention the early-bird price", b"Early-bird ends Friday")
    again = plan_csv_import(agency.session, table("f.csv", edited), RecordKind.FOLLOW_UPS)
    assert again.summary.added == {} and again.summary.updated == {"FollowUp": 1}
    agency.apply(again.operation)
    agency.session.refresh(offer)
    assert offer.notes == "Early-bird ends Friday"
    # And the Agency Desk export comes back as the same rows.
    back = table("out.csv", follow_ups_csv(agency.session))
    assert guess_kind(back.header) is RecordKind.FOLLOW_UPS
    plan = plan_csv_import(agency.session, back, RecordKind.FOLLOW_UPS)
    assert plan.summary.added == {} and plan.summary.updated == {}


def test_one_undo_removes_the_whole_import(agency: Store) -> None:
    before = row_counts(agency)
    found = table("aktivitaeten.csv", (FILES / "aktivitaeten.csv").read_bytes())
    plan = plan_csv_import(agency.session, found, RecordKind.INTERACTIONS)
    agency.apply(plan.operation)
    assert row_counts(agency) != before
    agency.revert(plan.operation)
    assert row_counts(agency) == before


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (b"Date;Client;Type;Subject\n2026-03-02;Acme;call;ok\n31.02.2026;Acme;call;x\n", "line 3"),
        (b"Date;Client;Type;Subject\n2026-03-02;Acme;fax;Sent\n", "line 2: kind: 'fax'"),
        (b"Date;Client;Type;Subject\n;Acme;call;Sent\n", "line 2: date: empty"),
        (b"Date;Client;Type;Subject\n2026-03-02;;call;Sent\n", "line 2: client: empty"),
    ],
)
def test_a_bad_value_refuses_the_file_naming_line_and_field(
    store: Store, text: bytes, where: str
) -> None:
    before = row_counts(store)
    with pytest.raises(ImportFileError) as refused:
        plan_csv_import(store.session, table("log.csv", text), RecordKind.INTERACTIONS)
    assert str(refused.value).startswith(f"log.csv: {where}")
    assert row_counts(store) == before


def test_a_follow_up_due_on_no_real_day_is_refused(store: Store) -> None:
    text = b"Title,Due date\nCall back,2/30/2026\n"
    with pytest.raises(ImportFileError, match=r"^f.csv: line 2: due date: '2/30/2026' is not"):
        plan_csv_import(store.session, table("f.csv", text), RecordKind.FOLLOW_UPS)


def test_the_common_date_forms() -> None:
    assert parse_moment("2026-03-02T14:30:00Z") == datetime(2026, 3, 2, 14, 30)
    assert parse_moment("02.03.2026 09:05") == datetime(2026, 3, 2, 9, 5)
    assert parse_moment("3/2/26 2:30 PM") == datetime(2026, 3, 2, 14, 30)
    assert parse_day("3/2/2026", SlashOrder.DAY_FIRST) == date(2026, 2, 3)
    assert parse_day("2 Mar 2026") == parse_day("March 2, 2026") == date(2026, 3, 2)
    assert parse_day("02.03.2026") == date(2026, 3, 2)
    assert slash_order(["3/2/2026", "25/2/2026"]) is SlashOrder.DAY_FIRST
    assert slash_order(["3/2/2026", "2/25/2026"]) is SlashOrder.MONTH_FIRST
    for bad in ("2026-13-01", "32.01.2026", "yesterday", "2026-02-29", "1 Foo 2026"):
        with pytest.raises(ValueError):
            parse_day(bad)


@given(st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2069, 12, 31)))
def test_every_day_written_in_each_form_reads_back(moment: datetime) -> None:
    moment = moment.replace(second=0, microsecond=0)
    day = moment.date()
    assert parse_moment(moment.isoformat(" ", "minutes")) == moment
    assert parse_moment(moment.strftime("%d.%m.%Y %H:%M")) == moment
    assert parse_day(moment.strftime("%m/%d/%Y")) == day
    assert parse_day(moment.strftime("%d/%m/%Y"), SlashOrder.DAY_FIRST) == day
    assert parse_day(moment.strftime("%d %b %Y")) == day
    assert parse_day(moment.strftime("%B %d, %Y")) == day


def test_interactions_and_follow_ups_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "agency.sqlite"
    assert main(["import", str(FILES / "kontakte.csv"), "--db", str(db)]) == 0
    before = db.read_bytes()
    log = FILES / "aktivitaeten.csv"
    assert main(["import", str(log), "--db", str(db), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert ": interactions (" in out and "'Datum' -> occurred_at" in out
    assert "Add: 4 interactions, 2 contacts taking part, 1 client" in out
    assert db.read_bytes() == before
    assert main(["import", str(log), "--db", str(db)]) == 0
    assert main(["import", str(FILES / "follow-ups.csv"), "--db", str(db)]) == 0
    out_file = tmp_path / "follow-ups.csv"
    assert main(["export", "csv-follow-ups", "-o", str(out_file), "--db", str(db)]) == 0
    assert main(["import", str(out_file), "--db", str(db), "--as", "follow-ups"]) == 0
    assert "Add: nothing" in capsys.readouterr().out
    assert main(["export", "csv-interactions", "-o", str(out_file), "--db", str(db)]) == 0
    assert out_file.read_text(encoding="utf-8-sig").count("\n") == 5

    bad = tmp_path / "bad.csv"
    bad.write_text("Date;Client;Type;Subject\n2026-03-02;Acme;fax;Sent\n", encoding="utf-8")
    before = db.read_bytes()
    capsys.readouterr()
    assert main(["import", str(bad), "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].endswith(
        "bad.csv: line 2: kind: 'fax' is not one of call, email, meeting, note, report sent, gift"
    )
    assert db.read_bytes() == before
    store = Store(open_database(db))
    try:
        assert len(store.session.scalars(select(Contact)).all()) == 4
    finally:
        store.close()
