"""Dates and times as spreadsheets and other tools write them in a CSV: ISO ("2026-03-02",
"2026-03-02 14:30", "2026-03-02T14:30:00Z"), German ("02.03.2026 14:30"), slashes ("02/03/2026",
"3/2/26"), and English month names ("2 Mar 2026", "March 2, 2026").

A slash date is ambiguous (3/2 is the 3rd of February in London and March 2nd in New York), so
a whole column is read one way: `slash_order` looks at every value and picks day-first when
any day is above 12 in the first place, month-first when one is in the second, and otherwise
month-first (as birthdays are read), which the import's preview says in a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from enum import StrEnum


class SlashOrder(StrEnum):
    DAY_FIRST = "day/month/year"
    MONTH_FIRST = "month/day/year"


_TIME = r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + "$")
_DOTS = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})" + _TIME + "$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})" + _TIME + "$")
_SLASH_HEAD = re.compile(r"^(\d{1,2})/(\d{1,2})/")
_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_WORDS_DMY = re.compile(r"^(\d{1,2})\.? ([A-Za-z]+)\.?,? (\d{4})" + _TIME + "$")
_WORDS_MDY = re.compile(r"^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})" + _TIME + "$")


def slash_order(texts: Iterable[str]) -> SlashOrder:
    """How the slash dates among `texts` are to be read (see the module's docstring)."""
    for text in texts:
        match = _SLASH_HEAD.match(text.strip())
        if match is None:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            return SlashOrder.DAY_FIRST
        if second > 12 >= first:
            return SlashOrder.MONTH_FIRST
    return SlashOrder.MONTH_FIRST


def parse_moment(text: str, order: SlashOrder = SlashOrder.MONTH_FIRST) -> datetime:
    """The date and time `text` gives (midnight when it gives no time); ValueError when it
    is no date in any of the forms above, or no such day."""
    text = " ".join(text.split())
    found = _parts(text, order)
    if found is None:
        raise ValueError(text)
    (year, month, day), clock = found
    if year < 100:
        year += 2000 if year < 70 else 1900
    return datetime.combine(date(year, month, day), clock)


def parse_day(text: str, order: SlashOrder = SlashOrder.MONTH_FIRST) -> date:
    """The date `text` gives (a time after it is ignored)."""
    return parse_moment(text, order).date()


def _parts(text: str, order: SlashOrder) -> tuple[tuple[int, int, int], time] | None:
    if match := _ISO.match(text):
        y, m, d = match.group(1, 2, 3)
        return (int(y), int(m), int(d)), _clock(match.groups()[3:])
    if match := _DOTS.match(text):
        d, m, y = match.group(1, 2, 3)
        return (int(y), int(m), int(d)), _clock(match.groups()[3:])
    if match := _SLASH.match(text):
        a, b, y = match.group(1, 2, 3)
        d, m = (a, b) if order is SlashOrder.DAY_FIRST else (b, a)
        return (int(y), int(m), int(d)), _clock(match.groups()[3:])
    if match := _WORDS_DMY.match(text):
        d, name, y = match.group(1, 2, 3)
        month = _MONTHS.get(name.casefold())
        return None if month is None else ((int(y), month, int(d)), _clock(match.groups()[3:]))
    if match := _WORDS_MDY.match(text):
        name, d, y = match.group(1, 2, 3)
        month = _MONTHS.get(name.casefold())
        return None if month is None else ((int(y), month, int(d)), _clock(match.groups()[3:]))
    return None


def _clock(groups: tuple[str | None, ...]) -> time:
    hour, minute, second, half = groups
    if hour is None:
        return time()
    h = int(hour)
    if half is not None:
        if not 1 <= h <= 12:
            raise ValueError(f"{hour} {half}")
        h = h % 12 + (12 if half.casefold() == "pm" else 0)
    return time(h, int(minute or 0), int(second or 0))
