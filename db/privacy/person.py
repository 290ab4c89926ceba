"""The person a GDPR request is about, whether their contact is live or was deleted the
ordinary way (a restorable delete).

A deleted contact is gone from the `contact` table, but this station still holds their data:
the delete's tombstone (`sync_tomb`, the whole row, so a restore can bring it back), their
children's tombstones, the outbox and the audit trail. An erase must find them there, so
the name, email and client are read from the tombstone when the row is gone.

Every function takes `run`, a callable like `sqlite3.Connection.execute` or SQLAlchemy's
`Connection.exec_driver_sql` (SQL with `?` parameters), so the erase (on sync's raw
connection) and the lookup (on the app's session) read the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Run = Callable[..., Any]

DELETED = "(deleted)"


@dataclass(frozen=True)
class Person:
    id: str
    client_id: str
    name: str
    email: str
    deleted: bool = False


def _from_tomb(row_id: str, data: str) -> Person | None:
    try:
        values = json.loads(data)
    except ValueError:
        return None
    if not isinstance(values, dict):
        return None
    return Person(
        row_id,
        str(values.get("client_id") or ""),
        str(values.get("name") or ""),
        str(values.get("email") or ""),
        deleted=True,
    )


def person(run: Run, contact_id: str) -> Person | None:
    """The contact, live or deleted; None when this station holds neither."""
    row = run("SELECT client_id, name, email FROM contact WHERE id = ?", (contact_id,)).fetchone()
    if row is not None:
        return Person(contact_id, row[0], row[1], row[2])
    tomb = run(
        "SELECT data FROM sync_tomb WHERE tbl = 'contact' AND row_id = ?", (contact_id,)
    ).fetchone()
    return None if tomb is None or tomb[0] is None else _from_tomb(contact_id, tomb[0])


def deleted_people(run: Run) -> list[Person]:
    """Every deleted contact whose tombstone this station still holds (not erased ones: an
    erase removes the tombstone too)."""
    found = []
    for row_id, data in run(
        "SELECT row_id, data FROM sync_tomb WHERE tbl = 'contact' AND data IS NOT NULL"
    ).fetchall():
        one = _from_tomb(row_id, data)
        if one is not None:
            found.append(one)
    return found


def tombstoned_links(run: Run, contact_id: str) -> list[str]:
    """The interactions a deleted contact took part in, by their links' tombstones."""
    return [
        r[0]
        for r in run(
            "SELECT DISTINCT json_extract(data, '$.interaction_id') FROM sync_tomb "
            "WHERE tbl = 'interaction_contact' AND json_extract(data, '$.contact_id') = ?",
            (contact_id,),
        ).fetchall()
        if r[0] is not None
    ]
