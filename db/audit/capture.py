"""What the audit triggers are told: who sits at this station, how the next edits come, and,
while sync applies a file, whose each change is and when it was made.

Every function takes `run`, a callable like `sqlite3.Connection.execute` or SQLAlchemy's
`Connection.exec_driver_sql` (SQL with `?` parameters), so sync's own connection and the app's
session use the same code, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from db.audit.schema import ORIGIN_LOCAL
from db.sync.hlc import physical_ms

Run = Callable[..., Any]


def member(run: Run) -> str | None:
    """The member this station's edits are recorded as made by (None: not known)."""
    row = run("SELECT member FROM audit_ctl WHERE id = 1").fetchone()
    return None if row is None else row[0]


def set_member(run: Run, member_id: str | None) -> bool:
    """Record this station's edits as `member_id`'s from now on; False when it already was
    (nothing written)."""
    found = run(
        "UPDATE audit_ctl SET member = ? WHERE id = 1 AND member IS NOT ?", (member_id, member_id)
    )
    return bool(found.rowcount)


def set_origin(run: Run, how: str) -> None:
    """Record the edits that follow, in the caller's transaction, as coming `how` (a resolved
    conflict: ORIGIN_CONFLICT); set it back to ORIGIN_LOCAL before that transaction commits
    (a rollback undoes it anyway)."""
    run("UPDATE audit_ctl SET origin = ? WHERE id = 1", (how,))


class PulledAuthors:
    """While sync applies one file: each change is recorded as its author's, at the time its
    clock says it was made. `start` before the first change, `before` each one, `stop` after
    the last (all in the file's transaction, which undoes them with it)."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self._last: tuple[str | None, int] | None = None

    def start(self) -> None:
        self.run("UPDATE audit_ctl SET sync_on = 1 WHERE id = 1")
        self._last = None

    def before(self, author: str | None, hlc: int) -> None:
        who = (author, physical_ms(hlc))
        if who != self._last:  # a file's changes are mostly one person's, made in a burst
            self.run("UPDATE audit_ctl SET sync_author = ?, sync_at = ? WHERE id = 1", who)
            self._last = who

    def stop(self) -> None:
        self.run("UPDATE audit_ctl SET sync_on = 0, sync_author = NULL, sync_at = 0 WHERE id = 1")


def record_event(
    run: Run, tbl: str, row_id: str, kind: str, text: str, *, at_ms: int, author: str | None
) -> None:
    """An entry that is no field's change: `kind` is one letter of the caller's (an erase of a
    person's data: "E"), `text` says what happened without the data it concerns."""
    run(
        "INSERT INTO audit_entry (tbl, row_id, op, field, old, new, author, at, origin) "
        "VALUES (?, ?, ?, NULL, NULL, ?, ?, ?, ?)",
        (tbl, row_id, kind, text, author, at_ms, ORIGIN_LOCAL),
    )


def forget_rows(run: Run, tbl: str, row_ids: list[str]) -> None:
    """Drop every entry of these rows (their old and new values hold what an erase removes)."""
    for first in range(0, len(row_ids), 500):
        chunk = row_ids[first : first + 500]
        marks = ", ".join("?" for _ in chunk)
        run(f"DELETE FROM audit_entry WHERE tbl = ? AND row_id IN ({marks})", (tbl, *chunk))


def record_bulk_inserts(run: Run, tbl: str, after_rowid: int, *, restores: bool) -> None:
    """The insert trigger's entries for every row of `tbl` above `after_rowid`, at once (a
    bulk insert writes with the triggers quiet). `restores`: some rows may have been here
    before; call it before their tombstones go."""
    from db.audit.schema import restored_sql
    from db.sync.hlc import SQL_WALL_MS

    op = f"CASE WHEN {restored_sql(tbl, 'r')} THEN 'R' ELSE 'I' END" if restores else "'I'"
    run(
        "INSERT INTO audit_entry (tbl, row_id, op, field, old, new, author, at, origin) "
        f"SELECT '{tbl}', r.id, {op}, NULL, NULL, NULL, a.member, "
        f"{SQL_WALL_MS} + s.clock_offset_ms, a.origin "
        f'FROM "{tbl}" AS r, sync_ctl AS s, audit_ctl AS a '
        "WHERE r.rowid > ? AND s.id = 1 AND a.id = 1 ORDER BY r.rowid",
        (after_rowid,),
    )
