"""The client list's cells as text, from plain values: what the list's column provider
(`desktop.models.client_columns`) shows, and what the plain start's first screen
(`desktop.first_screen`) paints before the data layer (and so `db.models`) has loaded. One
code for both, so that the one takes the other's place without a cell changing."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QLocale
from PySide6.QtGui import QColor

from desktop.formatting import describe_last_contact, money

# By the stored value of `db.models.ClientStatus` (a StrEnum member finds its label too).
STATUS_LABELS_BY_VALUE = {
    "lead": "Lead",
    "prospect": "Prospect",
    "active": "Active",
    "paused": "Paused",
    "former": "Former",
}
NOT_SET = "—"
OVERDUE_HUE = "#d64541"  # the health badge's "at risk" red, readable on light and dark
# The base columns in order (`desktop.models.client_columns.BASE_COLUMNS`): key (the column
# chooser's name for it), header, and whether it is a number (right-aligned).
BASE_HEADS = (
    ("name", "Name", False),
    ("status", "Status", False),
    ("manager", "Account manager", False),
    ("health", "Health", True),
    ("last_contact", "Last contact", False),
    ("next_follow_up", "Next follow-up", False),
    ("open_projects", "Open projects", True),
    ("pipeline", "Pipeline", True),
)


def manager_text(name: str) -> str:
    return name or NOT_SET


def contact_text(when: datetime | None, today: date) -> str:
    return describe_last_contact(when, today)


def day_text(value: date | None) -> str:
    return value.strftime("%d %b %Y") if value else NOT_SET


def count_text(n: int) -> str:
    return str(n) if n else NOT_SET


def pipeline_text(cents: int, currency: str, locale: QLocale) -> str:
    return money(cents, currency, locale) if cents else NOT_SET


def follow_up_colour(due: date | None, today: date) -> QColor | None:
    """The next follow-up's colour: red once it is overdue."""
    return QColor(OVERDUE_HUE) if due is not None and due < today else None
