"""The agency's custom client fields as extra columns of the client list: a column provider
the list model asks for its headers, cells and sort keys, kept apart from the model's own
columns so either can change without the other.

Values are read in one query when first shown and re-read per client from change sets; a
change to the field definitions (added, renamed, removed) changes the columns themselves,
which the model answers with a reset.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.am.custom_fields import FieldDef, display_value, fields_of, sort_key, values_of
from db.am.ownership import client_of
from db.changes import ChangeSet
from db.models import CustomFieldTarget

CLIENT = CustomFieldTarget.CLIENT
KEY_PREFIX = "custom:"  # how the column chooser names these columns in the settings


class CustomColumns:
    def __init__(self, session: Session, decimal: str = ".") -> None:
        self.session = session
        self.decimal = decimal
        self.fields: list[FieldDef] = fields_of(session, CLIENT)
        self._values: dict[str, dict[str, str]] | None = None  # read when first asked

    @property
    def count(self) -> int:
        return len(self.fields)

    def key(self, i: int) -> str:
        """A name for the column that survives renames and reordering."""
        return KEY_PREFIX + self.fields[i].id

    def header(self, i: int) -> str:
        return self.fields[i].name

    def tooltip(self, i: int) -> str:
        found = self.fields[i]
        shared = "shareable with the client" if found.shareable else "internal"
        return f"{found.name}: a custom field ({shared}); set it in the client's details"

    def _all(self) -> dict[str, dict[str, str]]:
        if self._values is None:
            self._values = values_of(self.session, CLIENT)
        return self._values

    def stored(self, client_id: str, i: int) -> str:
        return self._all().get(client_id, {}).get(self.fields[i].id, "")

    def display(self, client_id: str, i: int) -> str:
        return display_value(self.fields[i], self.stored(client_id, i), decimal=self.decimal)

    def sort_key(self, client_id: str, i: int) -> Any:
        return sort_key(self.fields[i], self.stored(client_id, i))

    def apply_changes(self, changes: ChangeSet) -> tuple[bool, set[str] | None]:
        """(whether the columns changed, the clients whose values changed: None = any)."""
        if changes.touches("CustomField"):
            self.fields = fields_of(self.session, CLIENT)
            self._values = None
            return True, None
        if self._values is None or not changes.touches("CustomValue"):
            return False, set()
        if changes.removed.get("CustomValue"):
            self._values = None  # a removed value no longer says whose it was
            return False, None
        touched = {
            owner
            for id_ in changes.ids("CustomValue")
            if (owner := client_of(self.session, "CustomValue", id_)) is not None
        }
        fresh = values_of(self.session, CLIENT, touched)
        for client_id in touched:
            self._all().pop(client_id, None)
            if client_id in fresh:
                self._all()[client_id] = fresh[client_id]
        return False, touched
