"""The search tables. They belong to this station, like the sync bookkeeping: they are not
models, never travel in change files (only entity tables do) and are rebuilt from the data
whenever they are missing or empty.

`search_doc` names each indexed record (kind = entity name, row_id) and gives it the integer
rowid FTS5 needs; one FTS5 table per kind (`search_fts_<table>`) holds its words, so each kind
is searched with a limit of its own and one busy kind never crowds out the others. A document
is replaced by rowid, the one lookup FTS5 makes fast."""

from __future__ import annotations

import sqlite3

from db.search.documents import DOCUMENTS

DOC_TABLE = "search_doc"
# FTS5 keeps its data in shadow tables named after the virtual table.
TABLE_PREFIX = "search_"


def create(conn: sqlite3.Connection) -> None:
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {DOC_TABLE} (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
        "row_id TEXT NOT NULL, UNIQUE (kind, row_id))"
    )
    for doc in DOCUMENTS:
        # Prefix indexes answer the first letters of a word without scanning every term;
        # diacritics fold so "jose" finds "José".
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {doc.fts} USING fts5(title, detail, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
        )
        # A title word counts ten times a word in the detail.
        conn.execute(f"INSERT INTO {doc.fts} ({doc.fts}, rank) VALUES ('rank', 'bm25(10.0, 1.0)')")


def drop(conn: sqlite3.Connection) -> None:
    for doc in DOCUMENTS:
        conn.execute(f"DROP TABLE IF EXISTS {doc.fts}")
    conn.execute(f"DROP TABLE IF EXISTS {DOC_TABLE}")


def present(conn: sqlite3.Connection) -> bool:
    names = [DOC_TABLE, *(doc.fts for doc in DOCUMENTS)]
    found = conn.execute(
        f"SELECT count(*) FROM sqlite_master WHERE name IN ({', '.join('?' for _ in names)})",
        names,
    ).fetchone()
    return bool(found and found[0] == len(names))


def is_search_table(name: str) -> bool:
    """True for the search tables and FTS5's shadow tables of them."""
    return name.startswith(TABLE_PREFIX)
