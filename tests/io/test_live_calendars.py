"""Live calendars: every member's `.ics` kept current in a real folder as edits happen, each
file rewritten whole and only when its own events changed, written off the window's thread,
never carrying rapport notes; a folder that cannot be written is reported, not fatal."""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from db.io import ics
from db.io.ics import member_calendars, write_calendars
from db.models import Client, Contact, FollowUp, ImportantDate, TeamMember
from db.operations import Create, Update, composite
from db.store import Store
from desktop.io import live_calendars
from desktop.io.live_calendars import LiveCalendars


def _people(store: Store) -> dict[str, str]:
    ana = Create(TeamMember, {"name": "Ana Ruiz"})
    ben = Create(TeamMember, {"name": "Ben Okafor"})
    acme = Create(Client, {"name": "Acme", "account_manager_id": ana.id})
    mia = Create(Contact, {"client_id": acme.id, "name": "Mia", "rapport_notes": "secret"})
    bday = Create(ImportantDate, {"contact_id": mia.id, "label": "Birthday", "day": 9, "month": 4})
    store.apply(composite([ana, ben, acme, mia, bday]))
    return {"ana": ana.id, "ben": ben.id, "acme": acme.id}


def test_only_calendars_whose_events_changed_are_rewritten(store: Store, tmp_path: Path) -> None:
    ids = _people(store)
    folder = tmp_path / "share" / "calendars"
    first = write_calendars(folder, member_calendars(store.session))
    assert sorted(p.name for p in first) == ["Ana Ruiz.ics", "Ben Okafor.ics"]
    # Made again a moment later the files differ only in their time stamps: nothing written.
    assert write_calendars(folder, member_calendars(store.session)) == []
    store.apply(
        Create(
            FollowUp,
            {"title": "Send the deck", "due_date": date(2026, 5, 4), "owner_id": ids["ben"]},
        )
    )
    assert [p.name for p in write_calendars(folder, member_calendars(store.session))] == [
        "Ben Okafor.ics"
    ]
    ben = (folder / "Ben Okafor.ics").read_text(encoding="utf-8")
    assert "Follow up: Send the deck" in ben and "Birthday" not in ben
    assert "secret" not in (folder / "Ana Ruiz.ics").read_text(encoding="utf-8")
    assert not list(folder.glob(".*"))  # no temporary file left behind


def test_edits_keep_the_published_calendars_current_from_a_worker_thread(
    store: Store,
    settings: QSettings,
    tmp_path: Path,
    qtbot: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = _people(store)
    folder = tmp_path / "share"
    folder.mkdir()
    threads: list[str] = []
    real_write = write_calendars

    def writing(target: Path, calendars: dict[str, bytes]) -> list[Path]:
        threads.append(threading.current_thread().name)
        return real_write(target, calendars)

    monkeypatch.setattr(ics, "write_calendars", writing)
    monkeypatch.setattr(live_calendars, "DELAY_MS", 50)
    calendars = LiveCalendars(store, settings)
    try:
        with qtbot.waitSignal(calendars.published, timeout=10_000) as first:  # type: ignore[attr-defined]
            calendars.set_folder(folder)
        assert sorted(p.name for p in first.args[0]) == ["Ana Ruiz.ics", "Ben Okafor.ics"]
        assert calendars.folder() == folder  # remembered for the next start

        follow_up = Create(
            FollowUp,
            {"title": "Call Mia", "due_date": date(2026, 4, 8), "owner_id": ids["ana"]},
        )
        with qtbot.waitSignal(calendars.published, timeout=10_000) as second:  # type: ignore[attr-defined]
            store.apply(follow_up)
        assert [p.name for p in second.args[0]] == ["Ana Ruiz.ics"]
        assert "Follow up: Call Mia" in (folder / "Ana Ruiz.ics").read_text(encoding="utf-8")

        # Done: the follow-up leaves Ana's calendar.
        with qtbot.waitSignal(calendars.published, timeout=10_000):  # type: ignore[attr-defined]
            store.apply(Update(FollowUp, follow_up.id, {"done_at": datetime(2026, 4, 8, 17)}))
        assert "Call Mia" not in (folder / "Ana Ruiz.ics").read_text(encoding="utf-8")
        assert threads and all(name.startswith("calendar-writer") for name in threads)
    finally:
        calendars.close()


def test_a_folder_that_cannot_be_written_is_reported_once(
    store: Store, settings: QSettings, tmp_path: Path, qtbot: object
) -> None:
    _people(store)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    calendars = LiveCalendars(store, settings)
    try:
        with qtbot.waitSignal(calendars.failed, timeout=10_000) as failed:  # type: ignore[attr-defined]
            calendars.set_folder(blocked)
        assert str(blocked) in failed.args[0] and "calendars not published" in failed.args[0]
        future = calendars.publish()
        assert future is not None
        future.exception(timeout=10)
        with qtbot.assertNotEmitted(calendars.failed, wait=200):  # type: ignore[attr-defined]
            pass  # the same failure again is not repeated
        calendars.set_folder(None)
        assert calendars.folder() is None and calendars.publish() is None
    finally:
        calendars.close()


def test_a_renamed_or_inactive_member_leaves_no_old_calendar_behind(
    store: Store,
    settings: QSettings,
    tmp_path: Path,
    qtbot: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = _people(store)
    folder = tmp_path / "share"
    folder.mkdir()
    # Other calendars kept in the same folder: someone's holidays, the agency-wide export.
    (folder / "Holidays.ics").write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    (folder / "Agency Desk.ics").write_bytes(ics.calendar_ics(store.session))
    monkeypatch.setattr(live_calendars, "DELAY_MS", 50)
    calendars = LiveCalendars(store, settings)
    try:
        with qtbot.waitSignal(calendars.published, timeout=10_000):  # type: ignore[attr-defined]
            calendars.set_folder(folder)
        assert (folder / "Ana Ruiz.ics").exists()

        with qtbot.waitSignal(calendars.published, timeout=10_000) as renamed:  # type: ignore[attr-defined]
            store.apply(Update(TeamMember, ids["ana"], {"name": "Ana Ruiz-Lopez"}))
        assert [p.name for p in renamed.args[0]] == ["Ana Ruiz-Lopez.ics"]
        birthday = "Birthday: Mia (Acme)"
        assert birthday in (folder / "Ana Ruiz-Lopez.ics").read_text(encoding="utf-8")

        with qtbot.waitSignal(calendars.published, timeout=10_000):  # type: ignore[attr-defined]
            store.apply(Update(TeamMember, ids["ben"], {"active": False}))
        assert sorted(p.name for p in folder.iterdir()) == [
            "Agency Desk.ics",
            "Ana Ruiz-Lopez.ics",
            "Holidays.ics",
        ]
    finally:
        calendars.close()


def test_the_old_file_goes_when_the_folder_is_written_from_the_command_line(
    store: Store, tmp_path: Path
) -> None:
    ids = _people(store)
    folder = tmp_path / "calendars"
    ics.write_member_calendars(store.session, folder)
    store.apply(Update(TeamMember, ids["ben"], {"name": "Benedict Okafor"}))
    assert [p.name for p in ics.write_member_calendars(store.session, folder)] == [
        "Benedict Okafor.ics"
    ]
    assert sorted(p.name for p in folder.iterdir()) == ["Ana Ruiz.ics", "Benedict Okafor.ics"]
