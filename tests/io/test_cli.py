"""`agency-desk import` and `agency-desk export` as a user runs them: formats from content,
one-line refusals with exit code 2 and the database untouched, round trips through files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from db.database import open_database
from db.models import Project, Task
from db.store import Store
from desktop.cli import main
from tests.io.helpers import FILES


def _projects(db: Path) -> dict[str, int]:
    store = Store(open_database(db))
    try:
        return {
            p.name: len(store.session.scalars(select(Task).where(Task.project_id == p.id)).all())
            for p in store.session.scalars(select(Project))
        }
    finally:
        store.close()


def test_import_creates_the_database_and_names_the_project_from_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.sqlite"
    # A misleading name: the content says Planner.
    source = tmp_path / "plan.txt"
    shutil.copyfile(FILES / "website.planner", source)
    assert main(["import", str(source), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Planner project 'Website relaunch'" in out
    assert "Add: 1 client, 1 project, 1 person, 1 leave period, 6 tasks, 4 links" in out
    assert "Build: file" in out and "leave" in out
    assert _projects(db) == {"Website relaunch": 6}


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "none.sqlite"
    assert main(["import", str(FILES / "launch.xml"), "--db", str(db), "--dry-run"]) == 0
    assert "Add:" in capsys.readouterr().out
    assert not db.exists()
    assert main(["import", str(FILES / "rebrand.gan"), "--db", str(db)]) == 0
    before = db.read_bytes()
    assert main(["import", str(FILES / "launch.xml"), "--db", str(db), "--dry-run"]) == 0
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"<Project xmlns='http://schemas.microsoft.com/project'><Tasks><Task>", "line 1"),
        (b"\x00\x01garbage", "can import"),
        (
            b'<!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]><project>&e;</project>',
            "never expands",
        ),
    ],
)
def test_a_bad_file_is_exit_2_in_one_line_and_the_database_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    db = tmp_path / "agency.sqlite"
    assert main(["import", str(FILES / "rebrand.gan"), "--db", str(db)]) == 0
    before = db.read_bytes()
    capsys.readouterr()
    bad = tmp_path / "bad.xml"
    bad.write_bytes(content)
    assert main(["import", str(bad), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(str(bad))
    assert expected in err
    assert db.read_bytes() == before
    # and no database is created for a bad file
    assert main(["import", str(bad), "--db", str(tmp_path / "other.sqlite")]) == 2
    assert not (tmp_path / "other.sqlite").exists()


@pytest.mark.parametrize("kind", ["mspdi", "gan"])
def test_export_then_import_through_the_command_line(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "agency.sqlite"
    assert main(["import", str(FILES / "launch.xml"), "--db", str(db)]) == 0
    out = tmp_path / f"launch.{kind}"
    assert main(["export", kind, "--project", "spring", "-o", str(out), "--db", str(db)]) == 0
    other = tmp_path / "other.sqlite"
    assert main(["import", str(out), "--db", str(other)]) == 0
    assert _projects(other) == {"Spring Launch": 9}


def test_export_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "agency.sqlite"
    out = tmp_path / "x.xml"
    assert main(["export", "mspdi", "--project", "x", "-o", str(out), "--db", str(db)]) == 2
    assert "no such database" in capsys.readouterr().err
    assert main(["import", str(FILES / "launch.xml"), "--db", str(db)]) == 0
    assert main(["export", "mspdi", "--project", "nope", "-o", str(out), "--db", str(db)]) == 2
    assert "no such project" in capsys.readouterr().err
    assert main(["export", "pdf", "-o", str(out), "--db", str(db)]) == 2
    assert not out.exists()


def test_opening_the_app_on_a_project_that_is_not_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "agency.sqlite"
    assert main(["import", str(FILES / "launch.xml"), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "--project", "Autumn"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("--project: project 'Autumn': no such project")
    assert main(["--project", "Spring", "export", "gan", "-o", "x", "--db", str(db)]) == 2


def test_csv_through_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "agency.sqlite"
    assert main(["import", str(FILES / "kontakte.csv"), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "contacts ('Vorname' -> first_name" in out
    assert "Likely duplicates, added (--merge-duplicates merges them):" in out
    contacts = tmp_path / "contacts.csv"
    assert main(["export", "csv-contacts", "-o", str(contacts), "--db", str(db)]) == 0
    before = db.read_bytes()
    assert main(["import", str(contacts), "--db", str(db), "--dry-run"]) == 0
    assert "Add: nothing" in capsys.readouterr().out
    assert db.read_bytes() == before
    clients = tmp_path / "clients.csv"
    assert main(["export", "csv-clients", "-o", str(clients), "--db", str(db)]) == 0
    assert clients.read_text(encoding="utf-8-sig").startswith("id,name,status")
    assert (
        main(["export", "csv-clients", "--project", "x", "-o", str(clients), "--db", str(db)]) == 2
    )
    assert main(["import", str(FILES / "launch.xml"), "--db", str(db)]) == 0
    tasks = tmp_path / "tasks.csv"
    assert (
        main(["export", "csv-tasks", "--project", "Spring", "-o", str(tasks), "--db", str(db)]) == 0
    )
    assert main(["import", str(tasks), "--db", str(db)]) == 0
    assert _projects(db) == {"Spring Launch": 9, "tasks": 9}


def test_vcard_and_ics_through_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "agency.sqlite"
    assert main(["import", str(FILES / "people.vcf"), "--db", str(db)]) == 0
    cards = tmp_path / "out.vcf"
    assert main(["export", "vcard", "-o", str(cards), "--db", str(db)]) == 0
    assert cards.read_text(encoding="utf-8").count("BEGIN:VCARD") == 3
    dates = tmp_path / "dates.ics"
    assert main(["export", "ics", "-o", str(dates), "--db", str(db)]) == 0
    assert dates.read_text(encoding="utf-8").count("BEGIN:VEVENT") == 3
    assert main(["export", "ics", "--member", "Nobody", "-o", str(dates), "--db", str(db)]) == 2
    assert main(["export", "vcard", "--member", "x", "-o", str(cards), "--db", str(db)]) == 2


def test_one_calendar_per_person_into_a_folder(tmp_path: Path) -> None:
    db = tmp_path / "agency.sqlite"
    assert main(["import", str(FILES / "rebrand.gan"), "--db", str(db)]) == 0
    share = tmp_path / "share"
    share.mkdir()
    assert main(["export", "ics", "--per-member", "-o", str(share), "--db", str(db)]) == 0
    assert sorted(p.name for p in share.iterdir()) == ["Ada Kowalski.ics", "Jonas Berg.ics"]
    assert main(["export", "gan", "--per-member", "-o", str(share), "--db", str(db)]) == 2
