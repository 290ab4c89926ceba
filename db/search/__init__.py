"""Global search: an SQLite FTS5 index over clients, contacts, projects, tasks, interactions
and notes, kept current from the change sets every write produces, and the query that answers
a keystroke. Qt-free; `desktop.search` is the popup over it."""

from db.search.index import ensure_index, rebuild, refresh
from db.search.query import Hit, search

__all__ = ["Hit", "ensure_index", "rebuild", "refresh", "search"]
