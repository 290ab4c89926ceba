"""Dates typed the quick way, for rescheduling a follow-up: "+3d", "+2w", "tomorrow",
"next mon", "fri", or a date such as "2026-12-04" or "4.12.2026"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from db.errors import ValidationError

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_OFFSET = re.compile(r"^([+-])\s*(\d{1,4})\s*(d|day|days|w|wk|week|weeks)?$")
_NAMED = {"today": 0, "tomorrow": 1, "yesterday": -1}


def parse_when(text: str, today: date, *, field: str = "Due date") -> date:
    """The date `text` means, counted from `today`; ValidationError naming `field` when it
    means none."""
    words = " ".join(text.lower().split())
    if words in _NAMED:
        return today + timedelta(days=_NAMED[words])
    if found := _OFFSET.match(words):
        sign, count, unit = found.groups()
        days = int(count) * (7 if unit and unit.startswith("w") else 1)
        return today + timedelta(days=days if sign == "+" else -days)
    # "fri" and "next fri" both mean the first Friday after today (a week ahead on a Friday).
    weekday = words.removeprefix("next ")
    if len(weekday) >= 3 and any(full.startswith(weekday) for full in _FULL_DAYS):
        ahead = (_DAYS.index(weekday[:3]) - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    for pattern in (r"^(\d{4})-(\d{1,2})-(\d{1,2})$", r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$"):
        if found := re.match(pattern, words):
            parts = [int(p) for p in found.groups()]
            year, month, day = parts if pattern.startswith(r"^(\d{4})") else parts[::-1]
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise ValidationError(
        field, f"{text.strip()!r} is not a date; try +3d, +2w, tomorrow, next mon or 2026-12-04"
    )
