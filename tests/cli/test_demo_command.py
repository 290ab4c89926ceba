"""`agency-desk demo` writes the demo agency: the promised counts, the same data every time."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from db.demo import demo_counts
from db.models import Base
from desktop.cli import main

# What the issue promises for scale 1.
SCALE_1 = {
    "team_member": 8,
    "client": 25,
    "contact": 60,
    "interaction": 300,
    "project": 12,
    "task": 250,
}


def table_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every Agency Desk table. Sync's own bookkeeping tables are left out: they
    hold clock readings and a station id, which differ by design."""
    with closing(sqlite3.connect(path)) as conn:
        return {
            table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in Base.metadata.tables
        }


def test_demo_writes_the_promised_counts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(target), "--today", "2025-03-12"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "demo agency written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.sqlite"]  # WAL folded in
    rows = table_rows(target)
    assert {table: len(rows[table]) for table in SCALE_1} == SCALE_1
    for model, count in demo_counts(1).items():
        assert len(rows[model.__tablename__]) == count, model.__name__
    assert len(rows["dependency"]) >= 200


def test_demo_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "first.sqlite", tmp_path / "second.sqlite"
    for target in (first, second):
        assert main(["demo", "--db", str(target), "--today", "2025-03-12"]) == 0
    assert table_rows(first) == table_rows(second)


def test_demo_at_scale_two_doubles(tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(target), "--scale", "2", "--today", "2025-03-12"]) == 0
    rows = table_rows(target)
    for model, count in demo_counts(2).items():
        assert len(rows[model.__tablename__]) == count, model.__name__


def test_demo_if_missing_writes_a_missing_file(tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(target), "--if-missing"]) == 0
    assert len(table_rows(target)["client"]) == 25
