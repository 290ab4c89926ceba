"""Field rules checked before any value reaches the database.

One table of rules per entity and field; the GUI calls `check_field` as a user types (to show
the message next to the field) and every operation calls `check_values` before it writes.

`LIMITS` caps how long a typed text may be. A name or title is shown in headers, lists, undo
labels and printouts; a 5,000-character client name once pushed the toolbar off the window.
Limits are checked only on the fields an edit changes (`check_lengths`), so a record stored
before a limit existed can still have its other fields edited.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import Any

from db.errors import ValidationError

Rule = Callable[[Any], str | None]  # returns a message when the value is wrong

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Size limits of every stored value, in one place: a column's own length when it has one (a
# name is String(200)), otherwise these. Operations refuse longer values, and sync refuses
# change files that carry them (db/sync/validate.py), so what one station can store every
# station accepts.
TEXT_MAX_CHARS = 100_000  # a Text column (notes, briefs) or a column without a length
JSON_MAX_CHARS = 100_000  # a JSON column's value as stored (tags, a setting)
JSON_MAX_DEPTH = 32  # nesting of a JSON column's value
# Whole numbers (money in cents, days, hours): far beyond any agency's figures, and far
# enough below SQLite's 64-bit range that sums over a table cannot overflow.
INTEGER_LIMIT = 10**15
_CURRENCY = re.compile(r"^[A-Z]{3}$")

NAME_MAX = 200  # names and titles: one line in a header, a list, an undo label
LINE_MAX = 500  # short free text on one line: a website, an occasion, a brief entry
NOTES_MAX = 20_000  # free notes: rapport, summaries, outcomes, a project's brief


def required_text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "must not be empty"
    return None


def optional_email(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _EMAIL.match(value.strip()):
        return f"{value!r} is not an email address"
    return None


def non_negative(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, int | float) or value < 0:
        return "must not be negative"
    return None


def currency_code(value: Any) -> str | None:
    if not isinstance(value, str) or not _CURRENCY.match(value):
        return f"{value!r} is not a three-letter currency code such as EUR"
    return None


def score_0_to_10(value: Any) -> str | None:
    if not isinstance(value, int) or not 0 <= value <= 10:
        return "must be a whole number from 0 to 10"
    return None


def percent(value: Any) -> str | None:
    if not isinstance(value, int) or not 0 <= value <= 100:
        return "must be a whole number from 0 to 100"
    return None


def optional_percent(value: Any) -> str | None:
    return None if value is None else percent(value)


def optional_currency(value: Any) -> str | None:
    return None if value in (None, "") else currency_code(value)


def month(value: Any) -> str | None:
    if not isinstance(value, int) or not 1 <= value <= 12:
        return "must be a month from 1 to 12"
    return None


def optional_year(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, int) or not 1900 <= value <= 2200:
        return "must be a year such as 1984, or empty"
    return None


def positive_or_none(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, int) or value <= 0:
        return "must be a positive number of days, or empty"
    return None


def is_date(value: Any) -> str | None:
    if not isinstance(value, date):
        return "must be a date"
    return None


RULES: dict[str, dict[str, Rule]] = {
    "TeamMember": {
        "name": required_text,
        "email": optional_email,
        "weekly_capacity_hours": non_negative,
    },
    "Client": {
        "name": required_text,
        "annual_budget_cents": non_negative,
        "currency": currency_code,
        "yearly_gift_budget_cents": non_negative,
    },
    "ClientNote": {"text": required_text},
    "Contact": {
        "name": required_text,
        "email": optional_email,
        "stay_in_touch_days": positive_or_none,
    },
    "ImportantDate": {"label": required_text, "month": month, "year": optional_year},
    "FollowUp": {"title": required_text, "due_date": is_date},
    "Opportunity": {
        "title": required_text,
        "value_cents": non_negative,
        "probability": optional_percent,
        "currency": optional_currency,
    },
    "Gift": {"cost_cents": non_negative},
    "SatisfactionRating": {"score": score_0_to_10, "rated_on": is_date},
    "Project": {"name": required_text, "budget_cents": non_negative},
    "Task": {
        "name": required_text,
        "duration_days": non_negative,
        "progress": percent,
        "start_date": is_date,
    },
    "CostEntry": {"spent_on": is_date},
    "ChangeRequest": {"description": required_text},
    "TimeOff": {"start_date": is_date, "end_date": is_date},
    "Closure": {"start_date": is_date, "end_date": is_date},
}

_NAMED = ("Client", "Contact", "Project", "Task", "TeamMember", "Baseline")
_TITLED = ("FollowUp", "Opportunity")
LIMITS: dict[str, dict[str, int]] = {
    **{entity: {"name": NAME_MAX} for entity in _NAMED},
    **{entity: {"title": NAME_MAX} for entity in _TITLED},
}
LIMITS["Client"].update(industry=NAME_MAX, website=LINE_MAX)
LIMITS["Contact"].update(title=NAME_MAX, email=320, phone=64, rapport_notes=NOTES_MAX)
LIMITS["FollowUp"].update(notes=NOTES_MAX)
LIMITS["Project"].update(brief=NOTES_MAX)
LIMITS["Task"].update(notes=NOTES_MAX)
LIMITS.update(
    ClientNote={"text": LINE_MAX},
    ImportantDate={"label": NAME_MAX},
    Interaction={"summary": NOTES_MAX, "outcome": NOTES_MAX},
    Gift={"description": LINE_MAX, "occasion": NAME_MAX},
    SatisfactionRating={"comment": LINE_MAX},
    ChangeRequest={"description": NOTES_MAX},
)


def max_length(entity: str, field: str) -> int | None:
    """How many characters the field takes, None when it has no limit."""
    return LIMITS.get(entity, {}).get(field)


def length_message(limit: int, value: Any) -> str | None:
    if isinstance(value, str) and len(value) > limit:
        return f"must be at most {limit:,} characters (this has {len(value):,})"
    return None


FIELD_LABELS: dict[str, str] = {
    "annual_budget_cents": "annual budget",
    "yearly_gift_budget_cents": "yearly gift budget",
    "value_cents": "value",
    "cost_cents": "cost",
    "budget_cents": "budget",
    "weekly_capacity_hours": "weekly capacity",
    "stay_in_touch_days": "stay in touch every",
    "duration_days": "duration",
}


def field_label(entity: str, field: str) -> str:
    """How a field is named in messages: 'Client annual budget'."""
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", entity).lower()
    return f"{words.capitalize()} {FIELD_LABELS.get(field, field.replace('_', ' '))}"


def check_field(entity: str, field: str, value: Any) -> str | None:
    rule = RULES.get(entity, {}).get(field)
    message = rule(value) if rule else None
    limit = max_length(entity, field)
    return message or (length_message(limit, value) if limit else None)


def check_lengths(entity: str, values: Mapping[str, Any]) -> None:
    """Raise ValidationError for the first text longer than its field takes."""
    for field, limit in LIMITS.get(entity, {}).items():
        message = length_message(limit, values.get(field))
        if message:
            raise ValidationError(field_label(entity, field), message)


def max_chars(column: Any) -> int:
    """The most characters a text value of this SQLAlchemy column may hold."""
    length = getattr(column.type, "length", None)
    return int(length) if length else TEXT_MAX_CHARS


def _check_sizes(entity: str, values: Mapping[str, Any]) -> None:
    from db.models import ENTITIES

    table = ENTITIES[entity].__table__
    columns = table.columns
    for field, value in values.items():
        column = columns.get(field)
        if column is None:
            continue
        if isinstance(value, str) and len(value) > (limit := max_chars(column)):
            raise ValidationError(
                field_label(entity, field), f"must be at most {limit:,} characters"
            )
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and not -INTEGER_LIMIT <= value <= INTEGER_LIMIT
        ):
            raise ValidationError(field_label(entity, field), "is too large")


def check_values(
    entity: str,
    values: Mapping[str, Any],
    *,
    partial: bool,
    changed: Collection[str] | None = None,
) -> None:
    """Raise ValidationError for the first wrong value. With partial=False (a new row) the
    required fields must be present too. `changed` (an edit's fields) limits the size checks
    to them, so a value stored before a limit existed does not block editing other fields."""
    rules = RULES.get(entity, {})
    for field, rule in rules.items():
        if field not in values and (partial or rule(None) is None):
            continue
        message = rule(values.get(field))
        if message:
            raise ValidationError(field_label(entity, field), message)
    sized = values if changed is None else {k: v for k, v in values.items() if k in changed}
    _check_sizes(entity, sized)  # after the field's own rule, whose message says more
    if entity == "ImportantDate" and ("day" in values or "month" in values):
        _check_day_of_month(values)
    for start, end in (("start_date", "end_date"),):
        if values.get(start) and values.get(end) and values[end] < values[start]:
            raise ValidationError(field_label(entity, end), "must not be before the start date")


def _check_day_of_month(values: Mapping[str, Any]) -> None:
    day, mon, year = values.get("day"), values.get("month"), values.get("year")
    if not isinstance(day, int) or not isinstance(mon, int):
        raise ValidationError("Important date day", "must be a day of the month")
    # Without a year a 29 February birthday is real; with one it must exist that year.
    last = calendar.monthrange(year if year else 2000, mon)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[mon]
        raise ValidationError("Important date day", f"{name} has no day {day}")
