"""Answering a search: the typed text becomes an FTS5 query where every word is a prefix
("har bre" finds "Harbor Brewing"), the best matches come back by rank with what a result row
shows and what opening it needs."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

from db.search.documents import DOCUMENTS
from db.search.schema import DOC_TABLE, present

PER_KIND = 8  # results of each kind a keystroke shows
TITLE_CHARS = 120

# Words as the index's tokenizer (unicode61) sees them: letters and digits; everything else
# separates, so punctuation typed by the user can never become FTS5 syntax.
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    kind: str  # entity name: Client, Contact, Project, Task, Interaction, ClientNote
    row_id: str
    title: str
    context: str  # where it belongs: the client, the project, the date
    client_id: str | None  # the client page that shows it
    project_id: str | None  # the project (tasks and projects open in the Gantt)


def match_expression(text: str) -> str:
    """The FTS5 query for what the user typed: every word must match as a prefix."""
    return " ".join(f'"{w}"*' for w in _WORD.findall(text))


def search(conn: sqlite3.Connection, text: str, per_kind: int = PER_KIND) -> list[Hit]:
    """The best matches of each kind, kinds in a fixed order (clients first)."""
    expression = match_expression(text)
    if not expression or not present(conn):
        return []
    hits: list[Hit] = []
    for doc in DOCUMENTS:
        order = "rank" if doc.by_rank else f"{doc.fts}.rowid DESC"
        ids = [
            row_id
            for (row_id,) in conn.execute(
                f"SELECT d.row_id FROM {doc.fts} JOIN {DOC_TABLE} AS d ON d.id = {doc.fts}.rowid "
                f"WHERE {doc.fts} MATCH ? ORDER BY {order} LIMIT ?",
                (expression, per_kind),
            )
        ]
        if ids:
            described = {hit.row_id: hit for hit in _describe(conn, doc.kind, ids)}
            # A record deleted by a path that bypassed the index simply does not show.
            hits += [described[i] for i in ids if i in described]
    return hits


def _short(text: str) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1] + "…"


_DESCRIBE = {
    "Client": "SELECT r.id, r.name, coalesce(r.industry, ''), r.id, NULL FROM client AS r",
    "Contact": (
        "SELECT r.id, r.name, trim(coalesce(r.title, '') || ' · ' || c.name, ' ·'), c.id, NULL "
        "FROM contact AS r JOIN client AS c ON c.id = r.client_id"
    ),
    "Project": (
        "SELECT r.id, r.name, c.name, c.id, r.id FROM project AS r "
        "JOIN client AS c ON c.id = r.client_id"
    ),
    "Task": (
        "SELECT r.id, r.name, p.name, p.client_id, p.id FROM task AS r "
        "JOIN project AS p ON p.id = r.project_id"
    ),
    "Interaction": (
        "SELECT r.id, r.summary, c.name || ' · ' || substr(r.occurred_at, 1, 10), c.id, NULL "
        "FROM interaction AS r JOIN client AS c ON c.id = r.client_id"
    ),
    "ClientNote": (
        "SELECT r.id, r.text, c.name, c.id, NULL FROM client_note AS r "
        "JOIN client AS c ON c.id = r.client_id"
    ),
}


def _describe(conn: sqlite3.Connection, kind: str, ids: list[str]) -> list[Hit]:
    sql = _DESCRIBE[kind] + " WHERE r.id IN (SELECT value FROM json_each(?))"
    return [
        Hit(kind, row_id, _short(title), context or "", client_id, project_id)
        for row_id, title, context, client_id, project_id in conn.execute(sql, (json.dumps(ids),))
    ]
