"""Global search: an SQLite FTS5 index over clients, contacts, projects, tasks, interactions
and notes, kept current from the change sets every write produces, and the query that answers
a keystroke. Qt-free; `desktop.search` is the popup over it."""

import sqlite3
from typing import Protocol

from db.search.index import driver, ensure_index, rebuild, refresh
from db.search.query import Hit, search


class Searchable(Protocol):
    """What the search needs of a store: its sqlite3 connection (`db.store.Store`)."""

    def search_connection(self) -> sqlite3.Connection: ...


__all__ = ["Hit", "Searchable", "driver", "ensure_index", "rebuild", "refresh", "search"]
