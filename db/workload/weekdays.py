"""A member's working weekdays as stored ("01234": digits, Monday = 0) and as people type and
read them ("Mon-Fri" shown with an en dash, "Mon Tue Wed", "mon,wed,fri")."""

from __future__ import annotations

import re

from db.errors import ValidationError

NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVERY_WEEKDAY = "01234"
EN_DASH = "\u2013"


def weekday_set(stored: str) -> frozenset[int]:
    """The weekdays (Monday = 0) a stored pattern names; unknown characters are ignored."""
    return frozenset(int(c) for c in stored if c in "0123456")


def weekdays_text(stored: str) -> str:
    """'01234' -> 'Mon-Fri' (en dash), '013' -> 'Mon Tue Thu', '' -> 'none'."""
    days = sorted(weekday_set(stored))
    if not days:
        return "none"
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"{NAMES[days[0]]}{EN_DASH}{NAMES[days[-1]]}"
    return " ".join(NAMES[d] for d in days)


def _day(word: str) -> int:
    key = word.strip().casefold()
    for n, full in enumerate(_FULL):
        if len(key) >= 2 and full.startswith(key):
            return n
    raise ValidationError("Working days", f"'{word.strip()}' is not a weekday; type e.g. Mon-Thu")


def parse_weekdays(text: str) -> str:
    """What a person typed ('Mon-Fri', 'mon - wed fri', 'Tu, Th', '01234') as stored digits.
    Refused, naming the field, when a word is no weekday or no day is left."""
    cleaned = text.strip()
    days: set[int] = set()
    if re.fullmatch(r"[0-6]+", cleaned):
        days.update(weekday_set(cleaned))
    else:
        joined = re.sub(r"\s*(?:[-\u2013\u2014]|\.\.|\bto\b)\s*", "-", cleaned, flags=re.IGNORECASE)
        for part in re.split(r"[\s,;/+&]+|\band\b", joined):
            if not part:
                continue
            ends = part.split("-")
            if len(ends) == 2 and ends[0] and ends[1]:
                first, last = _day(ends[0]), _day(ends[1])
                # Fri-Mon wraps round the weekend.
                days.update(
                    range(first, last + 1)
                    if first <= last
                    else [*range(first, 7), *range(last + 1)]
                )
            elif len(ends) == 1:
                days.add(_day(part))
            else:
                raise ValidationError("Working days", f"'{part}' is not a range such as Mon-Thu")
    if not days:
        raise ValidationError("Working days", "at least one weekday must be a working day")
    return "".join(str(d) for d in sorted(days))
