"""Working-day calendars: which days count as work for the agency and for a set of people.

A `WorkCalendar` turns dates into *work indices* (the number of working days before a date) and
back, so adding or counting working days is list indexing rather than a walk over the days —
the scheduler makes several such calls per task and plans hold ten thousand tasks.

Dates are handled as ordinals (`date.toordinal()`) inside the engine. A calendar covers a range
that starts at a fixed origin and grows forward on demand; growing never renumbers existing
indices, so an index stays valid for the calendar's lifetime.
"""

from __future__ import annotations

import itertools
import json
import operator
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

# Each growth covers at least this many days, so the per-day build loop runs rarely.
_GROW_DAYS = 366 * 2


class HolidayTables:
    """Public holidays per (country, region, year), kept for the whole process and, once the
    app names a file (`keep_in`), between runs.

    The first holiday lookup makes the `holidays` package import every country it knows
    (about 0.3 s); an app that starts on its client list needs a few years of one country's
    holidays, which a small JSON file holds. The file is keyed by the package's version, so
    an upgrade that corrects a holiday is never hidden by an old answer; a file that cannot be
    read or written is ignored.
    """

    def __init__(self) -> None:
        self._tables: dict[str, frozenset[int]] = {}
        self._file: Path | None = None
        self._saved: Any = None  # the file's content, until the first lookup checks it

    def keep_in(self, path: Path) -> None:
        self._file = path
        try:
            self._saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return

    def _adopt_saved(self) -> None:
        """Take the file's tables if the package's version wrote them: checked at the first
        lookup, not when the file is named, because reading the version costs ~10 ms and an
        agency without a country never looks a holiday up."""
        saved, self._saved = self._saved, None
        if isinstance(saved, dict) and saved.get("version") == holidays_version():
            tables = saved.get("tables")
            if isinstance(tables, dict):
                for key, days in tables.items():
                    if isinstance(days, list) and all(isinstance(d, int) for d in days):
                        self._tables.setdefault(str(key), frozenset(days))

    def of(self, country: str, region: str, year: int) -> frozenset[int]:
        if self._saved is not None:
            self._adopt_saved()
        key = f"{country}/{region}/{year}"
        found = self._tables.get(key)
        if found is None:
            table = _country_holidays(country, region, year)
            found = frozenset(d.toordinal() for d in table)
            self._tables[key] = found
            self._save()
        return found

    def _save(self) -> None:
        if self._file is None:
            return
        body = {
            "version": holidays_version(),
            "tables": {key: sorted(days) for key, days in sorted(self._tables.items())},
        }
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self._file.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(body, out)
            os.replace(name, self._file)
        except OSError:
            pass  # a cache that cannot be written only costs the next start its 0.3 s


PUBLIC_HOLIDAYS = HolidayTables()


@cache
def holidays_version() -> str:
    """The `holidays` package's version, read from its metadata as the package itself does
    (`holidays.version`), without importing it: that import costs start-up a few tens of ms
    and only a holiday lookup that the cache file cannot answer needs it. `importlib.metadata`
    is imported here, not at the top: a start without a holiday cache file never needs it."""
    from importlib.metadata import version

    return version("holidays")


def _country_holidays(country: str, region: str, year: int) -> dict[date, str]:
    import holidays

    table: dict[date, str] = holidays.country_holidays(country, subdiv=region or None, years=year)
    return table


@dataclass(frozen=True)
class AgencyDays:
    """What the agency as a whole does not work: its working week, public holidays of a country
    (and region), and its own closures. Public holidays are fetched per year on demand."""

    working_week: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    country: str = ""
    region: str = ""
    closures: tuple[tuple[date, date], ...] = ()
    _holiday_cache: dict[int, frozenset[int]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.working_week:
            raise ValueError("working week: at least one weekday must be a working day")

    def holidays_in(self, year: int) -> frozenset[int]:
        """Ordinals of the public holidays of one year ('' country: none)."""
        found = self._holiday_cache.get(year)
        if found is None:
            if self.country:
                found = PUBLIC_HOLIDAYS.of(self.country, self.region, year)
            else:
                found = frozenset()
            self._holiday_cache[year] = found
        return found

    def holiday_name(self, day: date) -> str | None:
        if not self.country:
            return None
        return _country_holidays(self.country, self.region, day.year).get(day)

    def closed_ordinals(self) -> frozenset[int]:
        return _expand_ranges(self.closures)


def _expand_ranges(ranges: Iterable[tuple[date, date]]) -> frozenset[int]:
    days: set[int] = set()
    for start, end in ranges:
        days.update(range(start.toordinal(), end.toordinal() + 1))
    return frozenset(days)


class WorkCalendar:
    """Working days of the agency minus extra days off (a person's leave).

    `index(o)`: working days strictly before ordinal `o` (from the origin).
    `day(k)`: ordinal of the working day with index `k`.
    So `day(index(o))` is the first working day on or after `o`, and a task of `n` days that
    starts on working day `k` finishes on `day(k + n - 1)`.
    """

    def __init__(self, agency: AgencyDays, origin: date, days_off: frozenset[int] = frozenset()):
        self.agency = agency
        self.days_off = days_off
        self._closed = agency.closed_ordinals() | days_off
        self.origin = origin.toordinal()
        self._index: list[int] = []  # per ordinal offset: working days before it
        self._days: list[int] = []  # per work index: ordinal
        self._grow(self.origin + _GROW_DAYS)

    def _grow(self, through: int) -> None:
        """Extend the covered range to include ordinal `through` (and some margin)."""
        index, days = self._index, self._days
        if index:
            # Drop the slot for the day after the covered range: that day is covered now, and
            # keeping the slot would skip it (it would never count as a working day).
            index.pop()
        end = max(through, self.origin + len(index) + _GROW_DAYS)
        week = self.agency.working_week
        closed = self._closed
        o = self.origin + len(index)
        year_holidays: frozenset[int] = frozenset()
        year = None
        while o <= end:
            index.append(len(days))
            d = date.fromordinal(o)
            if d.year != year:
                year = d.year
                year_holidays = self.agency.holidays_in(year)
            if d.weekday() in week and o not in closed and o not in year_holidays:
                days.append(o)
            o += 1
        # One more slot so index(o) is defined for the day after the last covered day.
        index.append(len(days))

    @classmethod
    def without(cls, base: WorkCalendar, days_off: frozenset[int]) -> WorkCalendar:
        """`base` (no days off of its own) less `days_off`, built from base's tables rather
        than by walking every day again: what a person's leave calendar costs when many
        projects are scheduled at once."""
        assert not base.days_off, "derive from an agency calendar"
        cal = cls.__new__(cls)
        cal.agency = base.agency
        cal.days_off = days_off
        cal._closed = base._closed | days_off
        cal.origin = base.origin
        index = base._index
        last = base.origin + len(index) - 2  # the last day base covers
        removed = sorted(
            o
            for o in days_off
            if base.origin <= o <= last and index[o - base.origin + 1] > index[o - base.origin]
        )
        cal._days = [o for o in base._days if o not in days_off] if removed else list(base._days)
        # Each working day taken off lowers the index of every later day by one.
        lower = [0] * len(index)
        for o in removed:
            lower[o - base.origin + 1] += 1
        fixed = list(map(operator.sub, index, itertools.accumulate(lower)))
        cal._index = fixed
        return cal

    # -- ordinal API (hot path) -------------------------------------------------------------

    def index(self, ordinal: int) -> int:
        off = ordinal - self.origin
        if off < 0:
            return 0
        if off >= len(self._index) - 1:
            self._grow(ordinal + 1)
        return self._index[off]

    def day(self, k: int) -> int:
        if k < 0:
            k = 0
        while k >= len(self._days):
            self._grow(self.origin + len(self._index) + _GROW_DAYS)
        return self._days[k]

    def is_working_ordinal(self, ordinal: int) -> bool:
        return self.index(ordinal + 1) > self.index(ordinal)

    # -- date API -----------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        return self.is_working_ordinal(day.toordinal())

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        return date.fromordinal(self.day(self.index(day.toordinal())))

    def add_working_days(self, day: date, n: int) -> date:
        """The working day `n` working days after `day` (before, for negative `n`); `day` is
        first moved to the next working day if it is not one."""
        k = self.index(day.toordinal())
        return date.fromordinal(self.day(k + n))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in [start, end): positive when end is later, negative when earlier."""
        return self.index(end.toordinal()) - self.index(start.toordinal())

    def finish_of(self, start: date, duration: int) -> date:
        """The last working day of a task of `duration` working days starting on `start`."""
        k = self.index(start.toordinal())
        return date.fromordinal(self.day(k + max(duration, 1) - 1))


def calendar_origin(earliest: date) -> date:
    """Where to start a calendar for a plan whose earliest date is `earliest`: a margin before
    it, so leads (negative lags) and early drags still land inside the range."""
    return earliest - timedelta(days=366)


class CalendarPool:
    """Work calendars shared between the schedules of many projects.

    Building a calendar walks every day of its range, and a project needs one per set of
    people with leave; most projects of an agency use the same few. The pool hands out one
    calendar per (agency days, origin, days off), with origins rounded to a year's start so
    projects that start in the same year share them.
    """

    def __init__(self) -> None:
        self._found: dict[tuple[AgencyDays, date, frozenset[int]], WorkCalendar] = {}

    @staticmethod
    def origin(earliest: date) -> date:
        """A year's first day at least as far before `earliest` as `calendar_origin`."""
        margin = calendar_origin(earliest)
        return date(margin.year, 1, 1)

    def calendar(
        self, agency: AgencyDays, origin: date, days_off: frozenset[int] = frozenset()
    ) -> WorkCalendar:
        key = (agency, origin, days_off)
        found = self._found.get(key)
        if found is None:
            if days_off:
                found = WorkCalendar.without(self.calendar(agency, origin), days_off)
            else:
                found = WorkCalendar(agency, origin)
            self._found[key] = found
        return found

    def clear(self) -> None:
        self._found.clear()
