"""vCards in and out (birthdays with and without a year) and calendar files for calendar
programs: a person's own items only, never private notes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import icalendar
from sqlalchemy import select

from db.database import open_database
from db.io import CsvTable, Source, read_import
from db.io.ics import calendar_ics, write_member_calendars
from db.io.records_csv import RecordKind, plan_csv_import
from db.io.vcard import contacts_vcard
from db.models import (
    Assignment,
    Client,
    Contact,
    FollowUp,
    ImportantDate,
    Project,
    Task,
    TaskKind,
    TeamMember,
)
from db.operations import Create, composite
from db.store import Store
from tests.io.helpers import FILES


def import_cards(store: Store, data: bytes) -> None:
    cards = read_import(Source("people.vcf", data))
    assert isinstance(cards, CsvTable)
    store.apply(plan_csv_import(store.session, cards, RecordKind.CONTACTS).operation)


def birthdays(store: Store) -> dict[str, tuple[int, int, int | None]]:
    return {
        d.contact.name: (d.day, d.month, d.year)
        for d in store.session.scalars(select(ImportantDate))
    }


def test_vcards_with_and_without_birth_years(store: Store) -> None:
    import_cards(store, (FILES / "people.vcf").read_bytes())
    people = {c.name: c for c in store.session.scalars(select(Contact))}
    assert set(people) == {"Mia Lorenz", "Ben Okafor", "Sara Lind"}
    assert people["Mia Lorenz"].client.name == "Acme Outdoor"
    assert people["Mia Lorenz"].title == "Head of Brand"
    assert people["Mia Lorenz"].email == "mia@acme.example"
    # A card's NOTE is not rapport the user typed here: it is not taken in.
    assert people["Mia Lorenz"].rapport_notes == ""
    assert birthdays(store) == {
        "Mia Lorenz": (17, 5, None),  # Apple's 1604 means no year
        "Ben Okafor": (28, 2, 1979),
        "Sara Lind": (24, 12, None),
    }


def test_vcard_round_trip(store: Store, tmp_path: Path) -> None:
    import_cards(store, (FILES / "people.vcf").read_bytes())
    written = contacts_vcard(store.session)
    assert b"BDAY:--05-17" in written and b"Loves trail" not in written
    # Back into the same database: every card matches its contact by UID, nothing changes.
    cards = read_import(Source("out.vcf", written))
    assert isinstance(cards, CsvTable)
    same = plan_csv_import(store.session, cards, RecordKind.CONTACTS)
    assert same.summary.added == {} and same.summary.updated == {}
    other = Store(open_database(tmp_path / "other.sqlite", create=True))
    try:
        import_cards(other, written)
        assert birthdays(other) == birthdays(store)
        assert contacts_vcard(other.session) == written
    finally:
        other.close()


def _agency(store: Store) -> dict[str, str]:
    ana = Create(TeamMember, {"name": "Ana Ruiz"})
    ben = Create(TeamMember, {"name": "Ben Okafor"})
    acme = Create(Client, {"name": "Acme", "account_manager_id": ana.id})
    other = Create(Client, {"name": "Other"})
    mia = Create(Contact, {"client_id": acme.id, "name": "Mia", "rapport_notes": "secret"})
    bday = Create(ImportantDate, {"contact_id": mia.id, "label": "Birthday", "day": 29, "month": 2})
    carl = Create(Contact, {"client_id": other.id, "name": "Carl"})
    cday = Create(ImportantDate, {"contact_id": carl.id, "label": "Birthday", "day": 3, "month": 3})
    project = Create(
        Project, {"client_id": acme.id, "name": "Launch", "project_manager_id": ben.id}
    )
    start = date(2026, 3, 2)
    design = Create(
        Task,
        {"project_id": project.id, "name": "Design", "start_date": start, "duration_days": 3},
    )
    files = Create(
        Task,
        {
            "project_id": project.id,
            "name": "Files",
            "start_date": start,
            "duration_days": 2,
            "kind": TaskKind.DELIVERABLE,
        },
    )
    live = Create(
        Task,
        {
            "project_id": project.id,
            "name": "Go live",
            "start_date": date(2026, 3, 6),
            "duration_days": 0,
            "kind": TaskKind.MILESTONE,
        },
    )
    work = Create(Assignment, {"task_id": files.id, "member_id": ana.id})
    call = Create(
        FollowUp,
        {
            "title": "Call Mia",
            "due_date": date(2026, 3, 4),
            "client_id": acme.id,
            "owner_id": ana.id,
            "notes": "internal",
        },
    )
    store.apply(
        composite(
            [ana, ben, acme, other, mia, bday, carl, cday, project, design, files, live, work, call]
        )
    )
    return {"ana": ana.id, "ben": ben.id, "project": project.id}


def _events(data: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_ics_has_milestones_due_dates_follow_ups_and_important_dates(store: Store) -> None:
    _agency(store)
    data = calendar_ics(store.session)
    events = _events(data)
    assert events["Launch: Go live"].decoded("dtstart") == date(2026, 3, 6)
    assert events["Due: Files (Launch)"].decoded("dtstart") == date(2026, 3, 3)
    assert events["Follow up: Call Mia (Acme)"].decoded("dtstart") == date(2026, 3, 4)
    birthday = events["Birthday: Mia (Acme)"]
    assert birthday.decoded("dtstart") == date(2000, 2, 29)
    assert birthday["rrule"]["FREQ"] == ["YEARLY"]
    assert b"secret" not in data and b"internal" not in data


def test_each_person_gets_only_their_own_items(store: Store, tmp_path: Path) -> None:
    ids = _agency(store)
    ana = _events(calendar_ics(store.session, member_id=ids["ana"]))
    # Ana works on the deliverable, owns the follow-up and looks after Acme's people.
    assert set(ana) == {"Due: Files (Launch)", "Follow up: Call Mia (Acme)", "Birthday: Mia (Acme)"}
    ben = _events(calendar_ics(store.session, member_id=ids["ben"]))
    assert set(ben) == {"Launch: Go live", "Due: Files (Launch)"}  # he manages the project
    written = write_member_calendars(store.session, tmp_path / "calendars")
    assert sorted(p.name for p in written) == ["Ana Ruiz.ics", "Ben Okafor.ics"]
    assert not list((tmp_path / "calendars").glob(".*"))  # no temporary file left
    project = _events(calendar_ics(store.session, project_id=ids["project"]))
    assert set(project) == {"Launch: Go live", "Due: Files (Launch)"}
