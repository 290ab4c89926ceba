"""Opening an up-to-date database makes one SQLite connection: the one that checks the file is
not locked and reads its schema version becomes the engine's first (SQLite parses the whole
schema, every table and trigger, once per connection: ~12 ms at each start, issue 19)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from db.database import open_database


def count_connections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every SQLite connection opened from here on (the data layer's own, and the
    engine's through the DB-API module)."""
    opened: list[str] = []
    original = sqlite3.connect

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened.append(str(database))
        return original(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", connect)
    return opened


def test_an_up_to_date_database_is_opened_with_one_connection(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(db_path, create=True).dispose()
    opened = count_connections(monkeypatch)
    engine = open_database(db_path)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM client")).scalar() == 0
            # The engine's own settings hold on that connection too.
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
    assert opened == [str(db_path)]
