"""The client list's columns: header, sort key, cell text, tooltip, alignment and whether the
cell can be edited, one `ClientColumn` each.

`client_columns()` is the provider the list asks; a new column (a custom field, say) is one
more `ClientColumn` there, and the model and view need no change. Columns whose sort key
and text come from the light facts alone (`SortKey.light`) are painted without reading the
row's figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QLocale

from db.am.client_index import BY_NAME, Light, SortKey
from db.am.client_rows import ClientRow
from db.labels import plural
from db.models import ClientStatus
from desktop.formatting import describe_last_contact, money

STATUS_LABELS = {
    ClientStatus.LEAD: "Lead",
    ClientStatus.PROSPECT: "Prospect",
    ClientStatus.ACTIVE: "Active",
    ClientStatus.PAUSED: "Paused",
    ClientStatus.FORMER: "Former",
}
STATUS_ORDER = {status: i for i, status in enumerate(ClientStatus)}


@dataclass(frozen=True, slots=True)
class CellContext:
    """What cell text depends on besides the row: today's date and the user's locale."""

    today: date
    locale: QLocale


@dataclass(frozen=True, slots=True)
class ClientColumn:
    key: str  # stable name, for roles and settings
    header: str
    sort: SortKey
    # The cell's text; `row` is None for a light column (it is never read for one).
    text: Callable[[Light, ClientRow | None, CellContext], str]
    tooltip: Callable[[ClientRow, CellContext], str | None] | None = None
    numeric: bool = False
    # For an editable column: the value an editor starts from.
    edit_value: Callable[[Light], Any] | None = None
    header_tip: str | None = None  # the header's tooltip


def _day(value: date | None) -> str:
    return value.strftime("%d %b %Y") if value else "—"


def _figure(key: Callable[[ClientRow], Any]) -> SortKey:
    return SortKey(lambda _light, row: key(row) if row else "", light=False)


def _health_tip(row: ClientRow, _cells: CellContext) -> str | None:
    return "\n".join(row.health.reasons) or "No concerns"


def _contact_tip(row: ClientRow, _cells: CellContext) -> str | None:
    return row.last_contact.strftime("%A %d %B %Y, %H:%M") if row.last_contact else None


def _follow_up_tip(row: ClientRow, cells: CellContext) -> str | None:
    if not row.next_follow_up:
        return None
    late = (cells.today - row.next_follow_up).days
    return f"Overdue by {plural(late, 'day')}" if late > 0 else None


def _pipeline(row: ClientRow | None, cells: CellContext) -> str:
    if row is None or not row.pipeline_cents:
        return "—"
    return money(row.pipeline_cents, row.currency, cells.locale)


BASE_COLUMNS = (
    ClientColumn(
        "name",
        "Name",
        BY_NAME,
        lambda light, _row, _cells: light.name,
        edit_value=lambda light: light.name,
    ),
    ClientColumn(
        "status",
        "Status",
        SortKey(lambda light, _row: STATUS_ORDER[light.status], light=True),
        lambda light, _row, _cells: STATUS_LABELS[light.status],
        edit_value=lambda light: light.status.value,
    ),
    ClientColumn(
        "manager",
        "Account manager",
        SortKey(lambda light, _row: (light.manager or "—").casefold(), light=True),
        lambda light, _row, _cells: light.manager or "—",
        edit_value=lambda light: light.manager_id or "",
    ),
    ClientColumn(
        "health",
        "Health",
        _figure(lambda row: row.health.score),
        lambda _light, row, _cells: str(row.health.score) if row else "",
        tooltip=_health_tip,
        numeric=True,
    ),
    ClientColumn(
        "last_contact",
        "Last contact",
        # Never-contacted clients sort as the longest ago.
        _figure(lambda row: row.last_contact or datetime.min),
        lambda _light, row, cells: (
            describe_last_contact(row.last_contact, cells.today) if row else ""
        ),
        tooltip=_contact_tip,
    ),
    ClientColumn(
        "next_follow_up",
        "Next follow-up",
        _figure(lambda row: row.next_follow_up or date.max),  # nothing planned sorts last
        lambda _light, row, _cells: _day(row.next_follow_up) if row else "",
        tooltip=_follow_up_tip,
    ),
    ClientColumn(
        "open_projects",
        "Open projects",
        _figure(lambda row: row.open_projects),
        lambda _light, row, _cells: str(row.open_projects) if row and row.open_projects else "—",
        numeric=True,
    ),
    ClientColumn(
        "pipeline",
        "Pipeline",
        _figure(lambda row: row.pipeline_cents),
        lambda _light, row, cells: _pipeline(row, cells),
        numeric=True,
    ),
)
(
    COL_NAME,
    COL_STATUS,
    COL_MANAGER,
    COL_HEALTH,
    COL_LAST_CONTACT,
    COL_NEXT_FOLLOW_UP,
    COL_OPEN_PROJECTS,
    COL_PIPELINE,
) = range(len(BASE_COLUMNS))


def client_columns() -> tuple[ClientColumn, ...]:
    """The list's columns, in order: the base ones first (their `COL_*` numbers hold)."""
    return BASE_COLUMNS
