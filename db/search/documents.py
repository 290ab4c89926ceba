"""What each searchable record contributes to the index: a title (weighted higher) and a
detail, as SQL over its own table, so the index is filled the same way from the app's session,
from rows a sync applied and in a full rebuild."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    kind: str  # the entity name, as change sets name it
    table: str
    title: str  # SQL expressions over the table's row, aliased `r`
    detail: str
    # Records people look up by name come best match first; a log (100,000 calls that all
    # say "talked") comes newest first, which FTS5 answers without ranking every match.
    by_rank: bool = True
    order: str = "r.rowid"  # the order a rebuild indexes rows in (newest last)

    @property
    def fts(self) -> str:
        return f"search_fts_{self.table}"


def _words(*columns: str) -> str:
    return " || ' ' || ".join(f"coalesce(r.{c}, '')" for c in columns)


DOCUMENTS = (
    Document(
        "Client",
        "client",
        "r.name",
        _words("industry", "website")
        + " || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(r.tags)), '')",
    ),
    Document("Contact", "contact", "r.name", _words("title", "email", "phone", "rapport_notes")),
    Document("Project", "project", "r.name", _words("brief")),
    Document("Task", "task", "r.name", _words("notes")),
    Document(
        "Interaction",
        "interaction",
        "r.summary",
        _words("outcome"),
        by_rank=False,
        order="r.occurred_at",
    ),
    Document("ClientNote", "client_note", "r.text", "''", by_rank=False, order="r.noted_on"),
)

BY_KIND = {d.kind: d for d in DOCUMENTS}
# Deleting a parent removes these rows by the database's cascade, which an ORM change set
# may not list one by one: their documents are swept after such a delete.
CASCADES = {
    "Client": ("Contact", "Project", "Task", "Interaction", "ClientNote"),
    "Project": ("Task",),
}
