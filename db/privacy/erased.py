"""What sync does about erased people (issue 18): merge asks `ErasedPeople` about every
pulled change before applying it.

- An erase travels as the insert of a `PersonErasure` row, its own kind of change: a station
  that applies one erases the same contact itself (`erase.erase_rows`), whatever it holds of
  them, so every station ends the same whatever order files arrive in.
- A change that concerns an erased contact is dropped, not applied and not listed as a
  conflict (the conflict list would keep the data): the contact's own row, any row of theirs
  this station erased (`sync_erased`), and any row that arrives naming them in `contact_id`
  (an offline station's new important date or gift for them). Such a row's id is recorded
  too, so its later edits are dropped as well instead of waiting for a row that never comes.
- `sync_erased` is this station's own table, but a snapshot is a copy of the compacting
  station's file and carries it (ids only, nothing of the person): a station that joins or
  rebuilds from one takes the ids over (`carry_over`), or an old edit of an erased row that
  reaches it later would wait forever instead of being dropped.
"""

from __future__ import annotations

import json
import sqlite3

from db.changes import ChangeSet
from db.privacy.erase import PERSON_TABLES, erase_rows, optimize_search
from db.search.documents import BY_KIND
from db.sync.wire import Change

ERASURE_TABLE = "person_erasure"
_OWNED = frozenset(PERSON_TABLES)


class ErasedPeople:
    """The erased contacts and rows this station knows, read once per applied file."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._contacts: set[str] | None = None
        self._rows: set[tuple[str, str]] = set()
        self.carried_out = False  # an erase arrived in this file and was carried out

    def _load(self) -> set[str]:
        if self._contacts is None:
            try:
                self._contacts = {
                    r[0] for r in self.conn.execute("SELECT contact_id FROM person_erasure")
                }
                if self._contacts:
                    self._rows = {
                        (r[0], r[1])
                        for r in self.conn.execute("SELECT tbl, row_id FROM sync_erased")
                    }
            except sqlite3.OperationalError:  # a database from before the erase existed
                self._contacts = set()
        return self._contacts

    def drops(self, change: Change) -> bool:
        """Whether `change` concerns an erased contact (then it is not applied)."""
        contacts = self._load()
        if not contacts:
            return False
        if change.tbl == "contact":
            return change.row_id in contacts
        if change.tbl not in _OWNED:
            return False
        if (change.tbl, change.row_id) in self._rows:
            return True
        owner = change.fields.get("contact_id")
        if owner in contacts:
            self._rows.add((change.tbl, change.row_id))
            self.conn.execute(
                "INSERT OR IGNORE INTO sync_erased (tbl, row_id, contact_id) VALUES (?, ?, ?)",
                (change.tbl, change.row_id, owner),
            )
            return True
        if ("important_date", change.fields.get("important_date_id")) in self._rows:
            # Another person's gift for the erased person's birthday: the gift stays, the
            # date it pointed to is gone for good (no tombstone to wait for).
            change.fields["important_date_id"] = None
        return False

    def applied(self, change: Change, changes: ChangeSet) -> None:
        """After `change` was applied: an erase that arrived is carried out here too."""
        if change.tbl != ERASURE_TABLE or change.op != "I":
            return
        contact_id = change.fields.get("contact_id")
        if not isinstance(contact_id, str):
            return
        erased = erase_rows(self.conn, contact_id, also=_listed(change.fields.get("row_ids")))
        self.carried_out = True
        changes.merge(erased.changes())
        self._load().add(contact_id)
        self._rows.update((tbl, id_) for tbl, ids in erased.rows.items() for id_ in ids)

    def settle_index(self) -> None:
        """After the file's search documents were refreshed: if an erase was carried out,
        merge every kind's index. A document replaced in this file (a text reworded in the
        erase step) or in an earlier one keeps its old words in the index's segments until
        they are merged, and sync vacuums the file afterwards."""
        if self.carried_out:
            optimize_search(self.conn, BY_KIND)


def _listed(value: object) -> list[str]:
    """A JSON column's value as it travels (its text, as the row holds it), as a list of
    strings; anything else as nothing."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def carry_over(conn: sqlite3.Connection, schema: str) -> None:
    """Add the erased row ids of the database attached as `schema` (a snapshot being loaded)
    to this station's, in the caller's transaction. Ours stay: an erased id never comes back."""
    if not conn.execute(
        f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = 'sync_erased'"
    ).fetchone():
        return  # a snapshot from before the erase existed
    conn.execute(
        "INSERT OR IGNORE INTO main.sync_erased (tbl, row_id, contact_id) "
        f"SELECT tbl, row_id, contact_id FROM {schema}.sync_erased"
    )
