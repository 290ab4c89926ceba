"""Custom fields: the agency's own fields on clients and contacts (text, number, date or a
choice), their values, and the rules for both.

Definitions change through `add_field`, `edit_field` and `delete_field`; values through
`set_values`, which sets any number of one record's fields as one step (a blank value removes
the row). Every rule is checked when the operation is applied, so the refusal, worded here, is
the same whichever widget made the edit. Values are kept as canonical text (see
`db.models.custom_fields`); `parse_value` turns what a user typed into it, `display_value` and
`sort_key` turn it back.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.core_reads import read
from db.errors import NotFoundError, ValidationError
from db.labels import quoted
from db.models import (
    CustomField,
    CustomFieldKind,
    CustomFieldTarget,
    CustomValue,
    value_id,
)
from db.operations import Composite, Create, Delete, Operation, Update, composite

NAME_MAX = 100
CHOICE_MAX = 100
CHOICES_MAX = 50
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
KIND_WORDS = {
    CustomFieldKind.TEXT: "Text",
    CustomFieldKind.NUMBER: "Number",
    CustomFieldKind.DATE: "Date",
    CustomFieldKind.CHOICE: "Choice",
}
TARGET_WORDS = {CustomFieldTarget.CLIENT: "Clients", CustomFieldTarget.CONTACT: "Contacts"}
RECORD_WORDS = {CustomFieldTarget.CLIENT: "client", CustomFieldTarget.CONTACT: "contact"}


@dataclass(frozen=True)
class FieldDef:
    id: str
    applies_to: CustomFieldTarget
    name: str
    kind: CustomFieldKind
    choices: tuple[str, ...]
    shareable: bool
    sort_order: int


def _def(row: Any) -> FieldDef:
    """A field's definition from its row (a `CustomField`, or a row of its table's columns)."""
    return FieldDef(
        row.id,
        CustomFieldTarget(row.applies_to),
        row.name,
        CustomFieldKind(row.kind),
        tuple(row.choices or ()),
        bool(row.shareable),
        row.sort_order,
    )


def fields_of(session: Session, target: CustomFieldTarget | None = None) -> list[FieldDef]:
    """The agency's fields (of one kind of record), in their order."""
    # Table columns: the Clients area reads its columns before the first paint (see
    # db.core_reads).
    table = CustomField.__table__
    query = select(table).order_by(table.c.applies_to, table.c.sort_order, table.c.name)
    if target is not None:
        query = query.where(table.c.applies_to == target)
    return [_def(row) for row in read(session, query)]


def _record_column(target: CustomFieldTarget) -> Any:
    return CustomValue.client_id if target is CustomFieldTarget.CLIENT else CustomValue.contact_id


def values_of(
    session: Session, target: CustomFieldTarget, record_ids: Collection[str] | None = None
) -> dict[str, dict[str, str]]:
    """record id -> field id -> stored value, for every filled-in field."""
    column = _record_column(target)
    query = select(column, CustomValue.field_id, CustomValue.value).where(column.is_not(None))
    if record_ids is not None:
        query = query.where(column.in_(list(record_ids)))
    found: dict[str, dict[str, str]] = {}
    for record_id, field_id, value in session.execute(query):
        found.setdefault(record_id, {})[field_id] = value
    return found


# -- values: typed text <-> stored text ----------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+([.]\d*)?|[.]\d+)$")


def _number(name: str, text: str, decimal: str, group: str) -> str:
    """A number typed by the locale's rules: "12,5" is 12.5 where the comma is the decimal
    mark and refused where it separates thousands (it would silently be 125)."""
    plain = text.replace(" ", "").replace("\u00a0", "")
    if group and group in plain:
        whole = plain.split(decimal)[0] if decimal in plain else plain
        if not re.fullmatch(rf"[+-]?\d{{1,3}}({re.escape(group)}\d{{3}})+", whole):
            raise ValidationError(
                name, f"“{text}” is not a number here: “{group}” separates thousands"
            )
        plain = plain.replace(group, "")
    plain = plain.replace(decimal, ".")
    if not _NUMBER.match(plain):
        raise ValidationError(name, f"“{text}” is not a number")
    try:
        number = Decimal(plain)
    except InvalidOperation:
        raise ValidationError(name, f"“{text}” is not a number") from None
    if abs(number) >= Decimal(10) ** 15:
        raise ValidationError(name, f"“{text}” is too large")
    canonical = format(number.normalize(), "f")
    return "0" if canonical == "-0" else canonical


def parse_value(found: FieldDef, text: str, *, decimal: str = ".", group: str = ",") -> str:
    """The stored form of what a user typed into the field ('' = no value); ValidationError
    naming the field when it means nothing for its kind."""
    text = " ".join(str(text).split())
    if not text:
        return ""
    if found.kind is CustomFieldKind.NUMBER:
        return _number(found.name, text, decimal, group)
    if found.kind is CustomFieldKind.DATE:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValidationError(found.name, f"“{text}” is not a date (YYYY-MM-DD)") from None
    if found.kind is CustomFieldKind.CHOICE:
        match = next((c for c in found.choices if c.casefold() == text.casefold()), None)
        if match is None:
            offered = ", ".join(found.choices) or "none set up yet"
            raise ValidationError(found.name, f"“{text}” is not one of its choices ({offered})")
        return match
    if len(text) > 500:
        raise ValidationError(found.name, f"at most 500 characters (this is {len(text):,})")
    return text


def display_value(found: FieldDef, stored: str, *, decimal: str = ".") -> str:
    """How a stored value reads in a list, a page or print."""
    if not stored:
        return ""
    if found.kind is CustomFieldKind.DATE:
        try:
            day = date.fromisoformat(stored)
        except ValueError:
            return stored
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    if found.kind is CustomFieldKind.NUMBER and decimal != ".":
        return stored.replace(".", decimal)
    return stored


def sort_key(found: FieldDef, stored: str | None) -> tuple[int, Any]:
    """Sorts values of one field naturally (numbers by size, dates by time); blanks last."""
    if not stored:
        return (1, "")
    if found.kind is CustomFieldKind.NUMBER:
        try:
            number = float(stored)
        except ValueError:
            return (0, math.inf)
        return (0, number)
    if found.kind is CustomFieldKind.CHOICE and stored in found.choices:
        return (0, found.choices.index(stored))
    return (0, stored.casefold())


# -- values: one record's fields as one step -----------------------------------------------


@dataclass
class SetValue:
    """Set one field of one record: create, change or (blank) remove its value row. What it
    did is remembered so revert puts back exactly what was there."""

    field_id: str
    target: CustomFieldTarget
    record_id: str
    value: str
    label: str = ""
    done: Operation | None = field(default=None, repr=False)

    def apply(self, session: Session) -> None:
        found = session.get(CustomField, self.field_id)
        if found is None:
            raise NotFoundError("That custom field no longer exists; it was deleted")
        definition = _def(found)
        if definition.applies_to is not self.target:
            raise ValidationError(
                found.name, f"is a field of {TARGET_WORDS[definition.applies_to].lower()}"
            )
        stored = parse_value(definition, self.value)  # stored text parses to itself
        row_id = value_id(self.field_id, self.record_id)
        row = session.get(CustomValue, row_id)
        step: Operation | None
        if not stored:
            step = Delete(CustomValue, row_id) if row is not None else None
        elif row is None:
            key = "client_id" if self.target is CustomFieldTarget.CLIENT else "contact_id"
            step = Create(
                CustomValue,
                {"id": row_id, "field_id": self.field_id, key: self.record_id, "value": stored},
            )
        elif row.value != stored:
            step = Update(CustomValue, row_id, {"value": stored})
        else:
            step = None
        if step is not None:
            step.apply(session)
        self.done = step

    def revert(self, session: Session) -> None:
        if self.done is not None:
            self.done.revert(session)


def value_steps(
    session: Session,
    target: CustomFieldTarget,
    record_id: str,
    typed: Mapping[str, str],
    *,
    decimal: str = ".",
    group: str = ",",
) -> list[SetValue]:
    """The steps that set `typed` (field id -> what the user typed) on one record, only for
    the fields whose value changes. Raises ValidationError naming the first field whose text
    means nothing for its kind."""
    definitions = {f.id: f for f in fields_of(session, target)}
    current = values_of(session, target, [record_id]).get(record_id, {})
    steps = []
    for field_id, text in typed.items():
        definition = definitions.get(field_id)
        if definition is None:
            raise NotFoundError("That custom field no longer exists; it was deleted")
        stored = parse_value(definition, text, decimal=decimal, group=group)
        if stored != current.get(field_id, ""):
            steps.append(SetValue(field_id, target, record_id, stored))
    return steps


def set_values(
    session: Session,
    target: CustomFieldTarget,
    record_id: str,
    typed: Mapping[str, str],
    record_name: str,
    *,
    decimal: str = ".",
    group: str = ",",
) -> Composite:
    """One undo step setting several fields of one client or contact."""
    steps = value_steps(session, target, record_id, typed, decimal=decimal, group=group)
    names = {f.id: f.name for f in fields_of(session, target)}
    if len(steps) == 1:
        label = f"Set {quoted(names[steps[0].field_id])} of {quoted(record_name)}"
    else:
        label = f"Edit fields of {quoted(record_name)}"
    return composite(steps, label)


# -- definitions ---------------------------------------------------------------------------


def _clean_choices(name: str, kind: CustomFieldKind, choices: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for choice in choices:
        text = " ".join(str(choice).split())
        if not text:
            continue
        if len(text) > CHOICE_MAX:
            raise ValidationError(name, f"a choice has at most {CHOICE_MAX} characters")
        if text.casefold() in (c.casefold() for c in cleaned):
            raise ValidationError(name, f"the choice {quoted(text)} is listed twice")
        cleaned.append(text)
    if kind is CustomFieldKind.CHOICE and not cleaned:
        raise ValidationError(name, "a choice field needs at least one choice")
    if len(cleaned) > CHOICES_MAX:
        raise ValidationError(name, f"at most {CHOICES_MAX} choices")
    return cleaned if kind is CustomFieldKind.CHOICE else []


def _check_name(session: Session, target: CustomFieldTarget, name: str, own_id: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Field name", "must not be empty")
    if len(name) > NAME_MAX:
        raise ValidationError("Field name", f"at most {NAME_MAX} characters")
    twin = session.scalar(
        select(CustomField.id).where(
            CustomField.applies_to == target,
            func.lower(CustomField.name) == name.lower(),
            CustomField.id != own_id,
        )
    )
    if twin is not None:
        word = RECORD_WORDS[target]
        raise ValidationError("Field name", f"{word}s already have a field {quoted(name)}")
    return name


@dataclass
class SaveField:
    """Create a field definition or change one, its rules checked when applied: a name that is
    not empty nor taken, choices for a choice field, no kind change while values exist (they
    would stop meaning anything), no choice removed while a value uses it."""

    field_id: str
    values: dict[str, Any]
    label: str
    new: bool = False
    done: Operation | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return self.field_id

    def apply(self, session: Session) -> None:
        row = None if self.new else session.get(CustomField, self.field_id)
        if not self.new and row is None:
            raise NotFoundError("That custom field no longer exists; it was deleted")
        current: dict[str, Any] = (
            {
                "applies_to": row.applies_to,
                "name": row.name,
                "kind": row.kind,
                "choices": list(row.choices or []),
                "shareable": row.shareable,
            }
            if row is not None
            else {"choices": [], "shareable": False}
        )
        merged = {**current, **self.values}
        target = CustomFieldTarget(merged["applies_to"])
        kind = CustomFieldKind(merged["kind"])
        checked = {
            "applies_to": target,
            "name": _check_name(session, target, str(merged.get("name", "")), self.field_id),
            "kind": kind,
            "choices": _clean_choices(str(merged.get("name", "")), kind, merged["choices"]),
            "shareable": bool(merged["shareable"]),
        }
        if row is not None:
            self._check_values_still_fit(session, row, checked)
            changed = {k: v for k, v in checked.items() if current.get(k) != v}
            step: Operation = Update(CustomField, self.field_id, changed)
        else:
            last = session.scalar(
                select(func.max(CustomField.sort_order)).where(CustomField.applies_to == target)
            )
            step = Create(
                CustomField, {**checked, "id": self.field_id, "sort_order": (last or 0) + 1}
            )
        step.apply(session)
        self.done = step

    @staticmethod
    def _check_values_still_fit(
        session: Session, row: CustomField, checked: dict[str, Any]
    ) -> None:
        used = list(
            session.execute(
                select(CustomValue.value, func.count())
                .where(CustomValue.field_id == row.id)
                .group_by(CustomValue.value)
            )
        )
        if not used:
            return
        if checked["applies_to"] != row.applies_to or checked["kind"] != row.kind:
            n = sum(count for _v, count in used)
            raise ValidationError(
                row.name,
                f"cannot change what it is while {n} record{'s' if n != 1 else ''} "
                "have a value in it; add a new field instead",
            )
        if checked["kind"] is CustomFieldKind.CHOICE:
            for value, count in used:
                if value not in checked["choices"]:
                    records = f"{count} record{'s' if count != 1 else ''}"
                    raise ValidationError(
                        row.name, f"the choice {quoted(value)} is in use by {records}"
                    )

    def revert(self, session: Session) -> None:
        if self.done is not None:
            self.done.revert(session)


def add_field(
    target: CustomFieldTarget,
    name: str,
    kind: CustomFieldKind,
    choices: Sequence[str] = (),
    *,
    shareable: bool = False,
) -> SaveField:
    from db.models import new_id

    values = {
        "applies_to": target,
        "name": name,
        "kind": kind,
        "choices": list(choices),
        "shareable": shareable,
    }
    return SaveField(new_id(), values, f"Add field {quoted(name)}", new=True)


def edit_field(session: Session, field_id: str, values: Mapping[str, Any]) -> SaveField:
    row = session.get(CustomField, field_id)
    if row is None:
        raise NotFoundError("That custom field no longer exists; it was deleted")
    name = str(values.get("name", row.name))
    if set(values) == {"name"}:
        label = f"Rename field {quoted(row.name)} to {quoted(name)}"
    else:
        label = f"Edit field {quoted(name)}"
    return SaveField(field_id, dict(values), label)


def delete_field(session: Session, field_id: str) -> Delete:
    """The field and every value in it (undo brings all of them back)."""
    row = session.get(CustomField, field_id)
    if row is None:
        raise NotFoundError("That custom field no longer exists; it was deleted")
    return Delete(CustomField, field_id, label=f"Delete field {quoted(row.name)}")


def in_use(session: Session, field_id: str) -> int:
    """How many records have a value in the field (what deleting it would take away)."""
    return session.scalar(select(func.count()).where(CustomValue.field_id == field_id)) or 0


def printed_values(
    session: Session, target: CustomFieldTarget, record_ids: Collection[str]
) -> dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
    """record id -> (shareable, internal) lists of (field name, value as printed), in the
    fields' order, filled-in fields only. What may reach the client is decided here, once."""
    definitions = fields_of(session, target)
    stored = values_of(session, target, record_ids)
    found: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {}
    for record_id, values in stored.items():
        shared: list[tuple[str, str]] = []
        private: list[tuple[str, str]] = []
        for definition in definitions:
            value = values.get(definition.id)
            if value:
                line = (definition.name, display_value(definition, value))
                (shared if definition.shareable else private).append(line)
        found[record_id] = (shared, private)
    return found
