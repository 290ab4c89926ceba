"""Working-day arithmetic: weekends, public holidays, closures and a person's leave."""

from __future__ import annotations

from datetime import date

import pytest

from db.scheduling.calendar import AgencyDays, WorkCalendar

MON = date(2026, 3, 2)


def cal(agency: AgencyDays | None = None, off: frozenset[int] = frozenset()) -> WorkCalendar:
    return WorkCalendar(agency or AgencyDays(), date(2025, 1, 1), off)


def test_weekends_are_skipped() -> None:
    c = cal()
    assert c.add_working_days(MON, 4) == date(2026, 3, 6)  # Friday
    assert c.add_working_days(MON, 5) == date(2026, 3, 9)  # next Monday
    assert c.add_working_days(date(2026, 3, 9), -1) == date(2026, 3, 6)
    assert c.next_working_day(date(2026, 3, 7)) == date(2026, 3, 9)
    assert c.working_days_between(MON, date(2026, 3, 9)) == 5
    assert c.working_days_between(date(2026, 3, 9), MON) == -5
    assert c.finish_of(MON, 1) == MON
    assert c.finish_of(MON, 6) == date(2026, 3, 9)


def test_custom_working_week() -> None:
    c = cal(AgencyDays(working_week=frozenset({0, 1, 2, 3})))  # four-day week
    assert not c.is_working_day(date(2026, 3, 6))
    assert c.add_working_days(MON, 4) == date(2026, 3, 9)


def test_public_holidays_of_a_country_and_region() -> None:
    c = cal(AgencyDays(country="DE", region="BY"))
    assert not c.is_working_day(date(2026, 1, 1))  # New Year
    assert not c.is_working_day(date(2026, 1, 6))  # Epiphany, Bavaria only
    assert cal(AgencyDays(country="DE", region="BE")).is_working_day(date(2026, 1, 6))
    name = AgencyDays(country="DE").holiday_name(date(2026, 12, 25))
    assert (name is not None and "Weihnacht" in name) or name == "Christmas Day"


def test_closures_and_leave() -> None:
    agency = AgencyDays(closures=((date(2026, 3, 3), date(2026, 3, 4)),))
    c = cal(agency)
    assert c.add_working_days(MON, 1) == date(2026, 3, 5)
    leave = frozenset(range(date(2026, 3, 5).toordinal(), date(2026, 3, 6).toordinal() + 1))
    person = cal(agency, leave)
    assert person.add_working_days(MON, 1) == date(2026, 3, 9)
    assert cal().add_working_days(MON, 1) == date(2026, 3, 3)  # others unaffected


def test_far_future_grows_the_range_without_renumbering() -> None:
    c = cal()
    k = c.index(MON.toordinal())
    far = date(2040, 6, 1)
    assert c.next_working_day(far) >= far
    assert c.index(MON.toordinal()) == k
    assert c.working_days_between(date(2026, 1, 5), date(2036, 1, 7)) > 2500


def test_a_calendar_that_grows_skips_no_day() -> None:
    """A calendar covers about two years and grows on demand; growing used to skip the first
    day past the old range, so a plan's dates depended on where its calendar started."""
    start, far = date(2023, 1, 1), date(2029, 12, 31)
    grown = WorkCalendar(AgencyDays(), start)
    grown.is_working_day(far)  # grows the range step by step
    weekdays = [
        o for o in range(start.toordinal(), far.toordinal()) if date.fromordinal(o).weekday() < 5
    ]
    for o in range(start.toordinal(), far.toordinal()):
        assert grown.is_working_ordinal(o) == (date.fromordinal(o).weekday() < 5), date.fromordinal(
            o
        )
    assert grown.working_days_between(start, far) == len(weekdays)


def test_a_leave_calendar_derived_from_the_agencys_is_the_same_as_one_built_day_by_day() -> None:
    agency = AgencyDays(country="GB", closures=((date(2026, 8, 3), date(2026, 8, 7)),))
    origin = date(2025, 1, 1)
    leave = [(date(2025, 1, 1), date(2025, 1, 3)), (date(2026, 3, 4), date(2026, 3, 12))]
    leave += [(date(2026, 8, 6), date(2026, 8, 11)), (date(2026, 12, 31), date(2027, 1, 6))]
    off = frozenset(o for a, b in leave for o in range(a.toordinal(), b.toordinal() + 1))
    base = WorkCalendar(agency, origin)
    derived = WorkCalendar.without(base, off)
    built = WorkCalendar(agency, origin, off)
    for o in range(origin.toordinal(), date(2029, 6, 1).toordinal()):
        assert derived.index(o) == built.index(o), date.fromordinal(o)
    for k in range(0, 1000):
        assert derived.day(k) == built.day(k)


def test_public_holidays_are_kept_between_runs(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db.scheduling import calendar

    kept = tmp_path / "cache" / "public-holidays.json"
    first = calendar.HolidayTables()
    first.keep_in(kept)
    easter_monday = date(2026, 4, 6).toordinal()
    assert easter_monday in first.of("DE", "BE", 2026)

    def offline(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("looked the holidays up again")

    monkeypatch.setattr(calendar, "_country_holidays", offline)
    second = calendar.HolidayTables()
    second.keep_in(kept)
    assert second.of("DE", "BE", 2026) == first.of("DE", "BE", 2026)
    kept.write_text("not json")
    third = calendar.HolidayTables()
    third.keep_in(kept)  # a broken file is ignored, not an error
    with pytest.raises(AssertionError):
        third.of("DE", "BE", 2026)


def test_kept_holidays_are_checked_against_the_package_at_the_first_lookup(  # type: ignore[no-untyped-def]
    tmp_path, monkeypatch
) -> None:
    """Naming the file reads no package metadata (a start whose agency names no country
    never looks a holiday up); a file written by another version of the package is not
    trusted when a lookup comes."""
    from db.scheduling import calendar

    kept = tmp_path / "public-holidays.json"
    kept.write_text('{"version": "0.0-old", "tables": {"DE/BE/2026": [1, 2, 3]}}')
    asked: list[str] = []
    monkeypatch.setattr(calendar, "holidays_version", lambda: asked.append("v") or "9.9")
    tables = calendar.HolidayTables()
    tables.keep_in(kept)
    assert asked == []
    monkeypatch.setattr(calendar, "_country_holidays", lambda *_: {date(2026, 4, 6): "Easter"})
    assert tables.of("DE", "BE", 2026) == frozenset({date(2026, 4, 6).toordinal()})
    assert asked
