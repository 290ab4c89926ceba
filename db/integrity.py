"""Whether the open database is whole: SQLite's own integrity and foreign-key checks, as the
packaged app's self-test runs them."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def integrity_problem(session: Session) -> str | None:
    """What is wrong with the database, in a sentence; None when it is whole."""
    integrity = session.execute(text("PRAGMA integrity_check")).scalar()
    if integrity != "ok":
        return f"database integrity check says: {integrity}"
    broken = session.execute(text("PRAGMA foreign_key_check")).first()
    if broken is not None:
        return f"database has a dangling reference in table {broken[0]}"
    return None
