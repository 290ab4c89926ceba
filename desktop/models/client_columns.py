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
from desktop.models.client_cells import (
    BASE_HEADS,
    NOT_SET,
    STATUS_LABELS_BY_VALUE,
    contact_text,
    count_text,
    day_text,
    manager_text,
    pipeline_text,
)

STATUS_LABELS = {status: STATUS_LABELS_BY_VALUE[status.value] for status in ClientStatus}
STATUS_ORDER = {status: i for i, status in enumerate(ClientStatus)}


@dataclass(frozen=True, slots=True)
class CellContext:
    """What cell text depends on besides the row: today's date and the user's locale."""

    today: date
    locale: QLocale


CellText = Callable[[Light, ClientRow | None, CellContext], str]


@dataclass(frozen=True, slots=True)
class ClientColumn:
    key: str  # stable name, for roles and settings
    header: str
    sort: SortKey
    # The cell's text; `row` is None for a light column (it is never read for one).
    text: CellText
    tooltip: Callable[[ClientRow, CellContext], str | None] | None = None
    numeric: bool = False
    # For an editable column: the value an editor starts from.
    edit_value: Callable[[Light], Any] | None = None
    header_tip: str | None = None  # the header's tooltip


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
    return pipeline_text(row.pipeline_cents, row.currency, cells.locale) if row else NOT_SET


def _base(index: int, sort: SortKey, text: CellText, **more: Any) -> ClientColumn:
    """A base column: its key, header and alignment as `client_cells.BASE_HEADS` has them."""
    key, header, numeric = BASE_HEADS[index]
    return ClientColumn(key, header, sort, text, numeric=numeric, **more)


BASE_COLUMNS = (
    _base(
        0,
        BY_NAME,
        lambda light, _row, _cells: light.name,
        edit_value=lambda light: light.name,
    ),
    _base(
        1,
        SortKey(lambda light, _row: STATUS_ORDER[light.status], light=True),
        lambda light, _row, _cells: STATUS_LABELS[light.status],
        edit_value=lambda light: light.status.value,
    ),
    _base(
        2,
        SortKey(lambda light, _row: (light.manager or "—").casefold(), light=True),
        lambda light, _row, _cells: manager_text(light.manager),
        edit_value=lambda light: light.manager_id or "",
    ),
    _base(
        3,
        _figure(lambda row: row.health.score),
        lambda _light, row, _cells: str(row.health.score) if row else "",
        tooltip=_health_tip,
    ),
    _base(
        4,
        # Never-contacted clients sort as the longest ago.
        _figure(lambda row: row.last_contact or datetime.min),
        lambda _light, row, cells: contact_text(row.last_contact, cells.today) if row else "",
        tooltip=_contact_tip,
    ),
    _base(
        5,
        _figure(lambda row: row.next_follow_up or date.max),  # nothing planned sorts last
        lambda _light, row, _cells: day_text(row.next_follow_up) if row else "",
        tooltip=_follow_up_tip,
    ),
    _base(
        6,
        _figure(lambda row: row.open_projects),
        lambda _light, row, _cells: count_text(row.open_projects) if row else NOT_SET,
    ),
    _base(
        7,
        _figure(lambda row: row.pipeline_cents),
        lambda _light, row, cells: _pipeline(row, cells),
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
