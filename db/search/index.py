"""Keeping the search index current. `refresh` re-reads the records a change set names and
replaces their documents, inside the caller's transaction: the store calls it after an
operation's flush (so undo and redo are covered, being operations too) and sync after applying
a file, so the index commits or rolls back with the data it describes. `rebuild` fills it from
scratch; `ensure_index` does that when the index is missing or empty while there is data (an
old database just migrated, a demo or bench written by bulk inserts, a snapshot loaded)."""

from __future__ import annotations

import json
import sqlite3

from sqlalchemy.engine import Connection

from db.changes import ChangeSet
from db.search.documents import BY_KIND, CASCADES, DOCUMENTS, Document
from db.search.schema import DOC_TABLE, create, present

_IDS = "(SELECT value FROM json_each(?))"


def driver(connection: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under an SQLAlchemy one, in its transaction."""
    raw = connection.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection), "the search index needs SQLite"
    return raw


def _drop_docs(
    conn: sqlite3.Connection, doc: Document, where: str, args: tuple[object, ...]
) -> None:
    picked = f"SELECT id FROM {DOC_TABLE} WHERE kind = ? AND {where}"
    conn.execute(f"DELETE FROM {doc.fts} WHERE rowid IN ({picked})", (doc.kind, *args))
    conn.execute(f"DELETE FROM {DOC_TABLE} WHERE kind = ? AND {where}", (doc.kind, *args))


def _add_docs(
    conn: sqlite3.Connection, doc: Document, where: str, args: tuple[object, ...]
) -> None:
    conn.execute(
        f"INSERT INTO {DOC_TABLE} (kind, row_id) SELECT ?, r.id FROM {doc.table} AS r "
        f"WHERE {where} ORDER BY {doc.order}",
        (doc.kind, *args),
    )
    # In rowid order: FTS5 flushes its pending terms to a new segment whenever a rowid comes
    # below the last one written, which made 50,000 documents cost seconds instead of 0.3 s.
    conn.execute(
        f"INSERT INTO {doc.fts} (rowid, title, detail) SELECT d.id, coalesce({doc.title}, ''), "
        f"{doc.detail} FROM {doc.table} AS r JOIN {DOC_TABLE} AS d ON d.kind = ? AND "
        f"d.row_id = r.id WHERE {where} ORDER BY d.id",
        (doc.kind, *args),
    )


def refresh(conn: sqlite3.Connection, changes: ChangeSet) -> None:
    """Bring the documents of every record `changes` names up to date (no-op without an
    index)."""
    kinds = [k for k in changes.entities() if k in BY_KIND]
    if not kinds or not present(conn):
        return
    for kind in kinds:
        ids = json.dumps(sorted(changes.ids(kind)))
        _drop_docs(conn, BY_KIND[kind], f"row_id IN {_IDS}", (ids,))
        _add_docs(conn, BY_KIND[kind], f"r.id IN {_IDS}", (ids,))
    swept = {
        child for kind in kinds if changes.removed.get(kind) for child in CASCADES.get(kind, ())
    }
    for kind in swept:
        doc = BY_KIND[kind]
        _drop_docs(conn, doc, f"row_id NOT IN (SELECT id FROM {doc.table})", ())


def rebuild(conn: sqlite3.Connection) -> None:
    """Index every record again (creating the tables when missing)."""
    create(conn)
    conn.execute(f"DELETE FROM {DOC_TABLE}")
    for doc in DOCUMENTS:
        conn.execute(f"DELETE FROM {doc.fts}")
        _add_docs(conn, doc, "1", ())


def _has_records(conn: sqlite3.Connection) -> bool:
    return any(
        conn.execute(f"SELECT EXISTS (SELECT 1 FROM {doc.table})").fetchone()[0]
        for doc in DOCUMENTS
    )


def ensure_index(conn: sqlite3.Connection) -> bool:
    """Build the index when it is missing, or empty while there are records; True when it
    was (re)built. Costs two small queries when it is in place."""
    if present(conn) and (
        conn.execute(f"SELECT EXISTS (SELECT 1 FROM {DOC_TABLE})").fetchone()[0]
        or not _has_records(conn)
    ):
        return False
    rebuild(conn)
    return True
