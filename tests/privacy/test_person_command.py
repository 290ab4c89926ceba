"""`agency-desk person export|erase` as a user types them: two files for an export, an erase
that leaves the client's history, and one clear line with exit code 2 for a name that is
unknown or ambiguous (the candidates listed), or an erase without --yes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from db.database import open_database
from db.store import Store
from desktop.cli import main
from tests.printing.conftest import pdf_text, requires_poppler
from tests.privacy.people import BUSINESS, NAMING, OTHER, PERSONAL, Seeded, seed

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, Seeded]:
    path = tmp_path / "agency.sqlite"
    store = Store(open_database(path, create=True))
    try:
        found = seed(store.session)
    finally:
        store.close()
    return path, found


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@requires_poppler
def test_export_writes_a_pdf_and_a_json_with_everything_about_the_person(
    capsys: pytest.CaptureFixture[str], seeded: tuple[Path, Seeded], tmp_path: Path
) -> None:
    db, _s = seeded
    folder = tmp_path / "out"
    folder.mkdir()
    code, out, err = run(
        capsys, "person", "export", PERSONAL["email"], "--db", str(db), "-o", str(folder)
    )
    assert code == 0, err
    pdf = folder / "personal-data-quilla-vantersby.pdf"
    data = folder / "personal-data-quilla-vantersby.json"
    assert out.split() == [str(pdf), str(data)]
    text = pdf_text(pdf)
    raw = data.read_text("utf-8")
    for value in [*PERSONAL.values(), *BUSINESS.values(), *(n[0] for n in NAMING.values())]:
        assert value in text, value
        assert value in raw, value
    for value in OTHER.values():
        assert value not in text and value not in raw, value
    assert json.loads(raw)["contact"]["name"] == PERSONAL["name"]


@pytest.mark.parametrize(
    ("who", "says"),
    [
        ("Nobody Atall", ["'Nobody Atall'", "no contact"]),
        (
            "a",
            [
                "ambiguous",
                "Quilla Vantersby <quilla.vantersby@vexmoor.example> (Vexmoor Ltd)",
                "Bram Oddleworth",
            ],
        ),
    ],
)
def test_an_unknown_or_ambiguous_person_is_refused_with_the_candidates(
    capsys: pytest.CaptureFixture[str],
    seeded: tuple[Path, Seeded],
    tmp_path: Path,
    who: str,
    says: list[str],
) -> None:
    db, _s = seeded
    for argv in (
        ("person", "export", who, "--db", str(db), "-o", str(tmp_path)),
        ("person", "erase", who, "--db", str(db), "--yes"),
    ):
        code, _out, err = run(capsys, *argv)
        assert code == 2, err
        assert len(err.splitlines()) == 1 and "Traceback" not in err
        for fragment in says:
            assert fragment in err
    assert not list(tmp_path.glob("personal-data-*"))


def test_erase_needs_yes_and_then_erases_for_good(
    capsys: pytest.CaptureFixture[str], seeded: tuple[Path, Seeded]
) -> None:
    db, s = seeded
    code, _out, err = run(capsys, "person", "erase", PERSONAL["name"], "--db", str(db))
    assert code == 2 and "cannot be undone" in err and "--yes" in err
    code, _out, err = run(
        capsys, "person", "erase", PERSONAL["name"], "--db", str(db), "--yes", "--by", "Katja"
    )
    assert code == 0, err
    assert "Quilla Vantersby: personal data erased" in err
    assert "4 text(s) still name them" in err
    assert NAMING["follow_up"][0] in err
    conn = sqlite3.connect(db)
    try:
        assert conn.execute(
            "SELECT count(*) FROM contact WHERE id = ?", (s.quilla,)
        ).fetchone() == (0,)
        assert conn.execute("SELECT erased_by FROM person_erasure").fetchall() == [("Katja",)]
        assert conn.execute("SELECT count(*) FROM interaction").fetchone() == (3,)
    finally:
        conn.close()
    code, _out, err = run(capsys, "person", "erase", PERSONAL["name"], "--db", str(db), "--yes")
    assert code == 2 and "no contact" in err


def test_erase_with_redact_leaves_no_trace_of_the_name(
    capsys: pytest.CaptureFixture[str], seeded: tuple[Path, Seeded]
) -> None:
    db, _s = seeded
    code, _out, err = run(
        capsys, "person", "erase", PERSONAL["email"], "--db", str(db), "--yes", "--redact"
    )
    assert code == 0, err
    assert "still name" not in err
    data = db.read_bytes() + (
        db.with_name(db.name + "-wal").read_bytes()
        if db.with_name(db.name + "-wal").exists()
        else b""
    )
    for value in PERSONAL.values():
        assert value.encode().lower() not in data.lower(), value
    for value in BUSINESS.values():
        assert value.encode() in data, value
