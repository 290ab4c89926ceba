"""Custom item data roles shared by the models and the proxies that sort them."""

from __future__ import annotations

from PySide6.QtCore import Qt

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's entity id
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a Python value that sorts the column naturally
ENTITY_ROLE = Qt.ItemDataRole.UserRole + 3  # "Client", "Project", "Task"
STATUS_ROLE = Qt.ItemDataRole.UserRole + 4  # the raw enum value of a status column
MAX_LENGTH_ROLE = Qt.ItemDataRole.UserRole + 5  # how many characters a text cell takes
HEALTH_ROLE = Qt.ItemDataRole.UserRole + 20  # the row's `db.am.health.Health`
