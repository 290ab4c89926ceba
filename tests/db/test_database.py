"""Opening a database: new, current, older (backed up, upgraded), and every refusal leaves the
file exactly as it was."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from db.database import alembic_config, head_revision, make_engine, open_database
from db.errors import (
    DatabaseLockedError,
    MissingDatabaseError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_makes_a_migrated_database(db_path: Path) -> None:
    engine = open_database(db_path, create=True)
    tables = set(inspect(engine).get_table_names())
    assert {"client", "task", "alembic_version"} <= tables
    engine.dispose()


def test_missing_file_is_refused_without_create(db_path: Path) -> None:
    with pytest.raises(MissingDatabaseError, match="no such database file"):
        open_database(db_path)
    assert not db_path.exists()


def test_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("Shopping list: milk, eggs\n")
    before = _digest(path)
    with pytest.raises(NotADatabaseError, match=r"notes\.sqlite: is not an Agency Desk database"):
        open_database(path)
    assert _digest(path) == before


def test_zero_byte_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    with pytest.raises(NotADatabaseError):
        open_database(path)
    assert path.stat().st_size == 0


def test_someone_elses_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    before = _digest(path)
    with pytest.raises(NotADatabaseError, match="not an Agency Desk one"):
        open_database(path)
    assert _digest(path) == before


def test_database_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    open_database(db_path, create=True).dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    conn.close()
    before = _digest(db_path)
    with pytest.raises(NewerDatabaseError, match="newer version of Agency Desk"):
        open_database(db_path)
    assert _digest(db_path) == before
    assert list(db_path.parent.glob("*.backup-*")) == []


def test_locked_database_is_refused(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_database(db_path, create=True).dispose()
    monkeypatch.setattr("db.database.LOCK_TIMEOUT_S", 0.1)
    holder = sqlite3.connect(db_path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLockedError, match="locked by another program"):
            open_database(db_path)
    finally:
        holder.rollback()
        holder.close()


def test_read_only_file_is_refused(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_database(db_path, create=True).dispose()
    # Tests run as root, for whom permission bits do not stop writes; ask as a user would.
    monkeypatch.setattr("db.database.os.access", lambda _p, _mode: False)
    with pytest.raises(ReadOnlyDatabaseError, match="read-only"):
        open_database(db_path)


def test_older_database_is_backed_up_then_upgraded(db_path: Path) -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in scripts.walk_revisions()]  # newest first
    oldest = revisions[-1]
    engine = make_engine(db_path)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), oldest)
        connection.exec_driver_sql(
            "INSERT INTO client (id, name, status, industry, annual_budget_cents, currency, "
            "website, tags, yearly_gift_budget_cents, created_at, updated_at) VALUES "
            "('c1', 'Acme', 'active', '', 0, 'EUR', '', '[]', 0, '2026-01-01', '2026-01-01')"
        )
    engine.dispose()

    open_database(db_path).dispose()

    backups = list(db_path.parent.glob("agency.backup-*"))
    if oldest == head_revision():
        assert backups == []  # nothing to upgrade yet: no needless copy
        return
    assert len(backups) == 1 and f"schema-{oldest}" in backups[0].name
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (oldest,)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            head_revision(),
        )
        assert conn.execute("SELECT name FROM client").fetchone() == ("Acme",)


def test_empty_sqlite_file_becomes_an_agency_database(tmp_path: Path) -> None:
    path = tmp_path / "blank.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 0")
        conn.execute("CREATE TABLE t (x)")
        conn.execute("DROP TABLE t")
    engine = open_database(path)
    assert "client" in inspect(engine).get_table_names()
    engine.dispose()


def test_migrations_match_the_models(db_path: Path) -> None:
    """A model change without a migration would make fresh and upgraded databases differ."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from db.audit.schema import AUDIT_TABLES
    from db.models import Base
    from db.search.schema import is_search_table

    engine = open_database(db_path, create=True)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    # Tables that only this station keeps (sync bookkeeping, the search index, the audit
    # trail) may live outside the models.
    diff = [
        d
        for d in diff
        if not (
            d[0] == "remove_table"
            and (
                d[1].name.startswith("sync_")
                or is_search_table(d[1].name)
                or d[1].name in AUDIT_TABLES
            )
        )
        and not (d[0] == "remove_index" and d[1].table.name in AUDIT_TABLES)
    ]
    assert diff == []


def test_schema_head_constant_names_the_newest_migration() -> None:
    from db.migrations import SCHEMA_HEAD

    assert head_revision() == SCHEMA_HEAD


def test_opening_an_up_to_date_database_needs_no_alembic(db_path: Path) -> None:
    """Start-up speed: Alembic costs a third of a second to import."""
    import subprocess
    import sys

    open_database(db_path, create=True).dispose()
    code = (
        "import sys; from db.database import open_database; "
        f"open_database({str(db_path)!r}).dispose(); "
        "print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
