from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from db.am.workdays import add_working_days, task_finish, working_days_between

MON = date(2026, 3, 16)


def test_counts_weekdays_after_start() -> None:
    assert working_days_between(MON, MON) == 0
    assert working_days_between(MON, MON + timedelta(days=4)) == 4  # Tue..Fri
    assert working_days_between(MON, MON + timedelta(days=7)) == 5
    assert working_days_between(MON + timedelta(days=4), MON + timedelta(days=7)) == 1  # Fri->Mon
    assert working_days_between(MON + timedelta(days=7), MON) == 0


def test_custom_week() -> None:
    four_day = (0, 1, 2, 3)
    assert working_days_between(MON, MON + timedelta(days=7), four_day) == 4


def test_task_finish() -> None:
    assert task_finish(MON, 1) == MON
    assert task_finish(MON, 5) == MON + timedelta(days=4)
    assert task_finish(MON, 6) == MON + timedelta(days=7)
    assert task_finish(MON, 0) == MON  # milestone


@given(st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(0, 400))
def test_add_then_count_round_trips(start: date, days: int) -> None:
    end = add_working_days(start, days)
    assert working_days_between(start, end) == days
    if days:
        assert end.weekday() < 5


@given(st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(0, 60))
def test_count_matches_naive_loop(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    naive = sum(1 for i in range(1, span + 1) if (start + timedelta(days=i)).weekday() < 5)
    assert working_days_between(start, end) == naive
