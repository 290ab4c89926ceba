"""The agency's custom client fields as columns of the client list: one `ClientColumn` per
field, after the list's own columns (`desktop.models.client_columns`), so the model serves
them like any other column.

Values are read in one query when first shown and re-read for the clients a change set names
(its scope says whose each value is, even a removed one); a change to the field definitions
(added, renamed, removed) changes the columns themselves, which the model answers with a
reset. A custom column is sorted and painted from these values alone, never from the row's
figures (`SortKey.light`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.am.client_index import Light, SortKey
from db.am.client_rows import ClientRow
from db.am.custom_fields import FieldDef, display_value, fields_of, sort_key, values_of
from db.changes import ChangeSet
from db.models import CustomFieldTarget
from desktop.models.client_columns import CellContext, ClientColumn

CLIENT = CustomFieldTarget.CLIENT
KEY_PREFIX = "custom:"  # how the column chooser names these columns in the settings


class CustomColumns:
    def __init__(self, session: Session, decimal: str = ".") -> None:
        self.session = session
        self.decimal = decimal
        self.fields: list[FieldDef] = fields_of(session, CLIENT)
        self._values: dict[str, dict[str, str]] | None = None  # read when first asked

    def columns(self) -> tuple[ClientColumn, ...]:
        return tuple(self._column(found) for found in self.fields)

    def _column(self, found: FieldDef) -> ClientColumn:
        def text(light: Light, _row: ClientRow | None, _cells: CellContext) -> str:
            return display_value(found, self.stored(light.id, found.id), decimal=self.decimal)

        def key(light: Light, _row: ClientRow | None) -> Any:
            return sort_key(found, self.stored(light.id, found.id))

        shared = "shareable with the client" if found.shareable else "internal"
        return ClientColumn(
            KEY_PREFIX + found.id,
            found.name,
            SortKey(key, light=True),
            text,
            header_tip=f"{found.name}: a custom field ({shared}); set it in the client's details",
        )

    def _all(self) -> dict[str, dict[str, str]]:
        if self._values is None:
            self._values = values_of(self.session, CLIENT)
        return self._values

    def stored(self, client_id: str, field_id: str) -> str:
        return self._all().get(client_id, {}).get(field_id, "")

    def apply_changes(self, changes: ChangeSet) -> tuple[bool, set[str] | None]:
        """(whether the columns changed, the clients whose values changed: None = any)."""
        if changes.touches("CustomField"):
            self.fields = fields_of(self.session, CLIENT)
            self._values = None
            return True, None
        if self._values is None or not changes.touches("CustomValue"):
            return False, set()
        touched = changes.clients("CustomValue")
        if touched is None:
            self._values = None  # a value whose client can't be told: read all again
            return False, None
        fresh = values_of(self.session, CLIENT, touched)
        for client_id in touched:
            self._all().pop(client_id, None)
            if client_id in fresh:
                self._all()[client_id] = fresh[client_id]
        return False, touched
