"""The workload's arithmetic, with no Qt: capacity per day (part-time from a date, leave,
closures, public holidays, overtime), hours booked per day (a task over a weekend, two tasks
on one day), buckets by zoom, over-allocation and who is free."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from db.errors import ValidationError
from db.models import TeamMember
from db.operations import SetSetting
from db.settings import HOLIDAY_COUNTRY
from db.store import Store
from db.team import AddCapacityChange, AddClosure, AddLeave, AddOvertime, EditMember
from db.workload.buckets import Zoom, buckets, cell
from db.workload.free import who_is_free
from db.workload.load import UNASSIGNED, Workload
from db.workload.weekdays import parse_weekdays, weekdays_text
from tests.workload.agency import MON, member, project, task

D = timedelta(days=1)


def o(day: date) -> int:
    return day.toordinal()


def test_a_full_timer_has_eight_hours_on_weekdays_and_none_at_the_weekend(store: Store) -> None:
    ana = member(store, "Ana")
    w = Workload(store.session)
    assert [w.capacity(ana, o(MON + k * D)) for k in range(7)] == [8, 8, 8, 8, 8, 0, 0]


def test_part_time_from_march_counts_from_that_date_on(store: Store) -> None:
    ana = member(store, "Ana")
    store.apply(AddCapacityChange(ana, MON + 7 * D, weekly_hours=24, working_days="Mon-Wed"))
    w = Workload(store.session)
    week1 = [w.capacity(ana, o(MON + k * D)) for k in range(5)]
    week2 = [w.capacity(ana, o(MON + (7 + k) * D)) for k in range(5)]
    assert week1 == [8, 8, 8, 8, 8]
    assert week2 == [8, 8, 8, 0, 0]  # 24 h over three days


def test_capacity_changes_refuse_a_second_change_on_the_same_day(store: Store) -> None:
    ana = member(store, "Ana")
    store.apply(AddCapacityChange(ana, MON, weekly_hours=30))
    with pytest.raises(ValidationError, match="already a change"):
        store.apply(AddCapacityChange(ana, MON, weekly_hours=20))
    with pytest.raises(ValidationError, match="weekday"):
        store.apply(AddCapacityChange(ana, MON + D, working_days="Funday"))


def test_leave_closures_and_public_holidays_leave_no_capacity(store: Store) -> None:
    ana = member(store, "Ana")
    store.apply(AddLeave(ana, MON, MON + D))  # Mon, Tue
    store.apply(AddClosure("Spring break", MON + 3 * D, MON + 3 * D))  # Thu
    store.apply(SetSetting(HOLIDAY_COUNTRY, "GB"))
    w = Workload(store.session)
    assert [w.capacity(ana, o(MON + k * D)) for k in range(5)] == [0, 0, 8, 0, 8]
    good_friday = date(2027, 3, 26)
    assert w.capacity(ana, o(good_friday)) == 0
    assert w.capacity(ana, o(good_friday - D)) == 8


def test_accepted_overtime_raises_capacity(store: Store) -> None:
    ana = member(store, "Ana")
    store.apply(AddOvertime(ana, MON, MON + D, 2))
    w = Workload(store.session)
    assert [w.capacity(ana, o(MON + k * D)) for k in range(3)] == [10, 10, 8]


def test_a_task_over_a_weekend_books_only_its_working_days(store: Store) -> None:
    ana = member(store, "Ana")
    pid = project(store)
    task(store, pid, "Design", MON + 3 * D, 4, {ana: 6})  # Thu, Fri, Mon, Tue
    w = Workload(store.session)
    booked = [w.assigned(ana, o(MON + k * D)) for k in range(3, 10)]
    assert booked == [6, 6, 0, 0, 6, 6, 0]
    assert not any(w.overload(ana, o(MON + k * D)) for k in range(14))


def test_two_tasks_on_one_day_add_up_and_over_allocate(store: Store) -> None:
    ana = member(store, "Ana")
    pid = project(store)
    design = task(store, pid, "Design", MON, 2, {ana: 6})
    task(store, pid, "Copy", MON + D, 2, {ana: 4})
    w = Workload(store.session)
    assert [w.assigned(ana, o(MON + k * D)) for k in range(3)] == [6, 10, 4]
    assert w.overload(ana, o(MON + D)) == pytest.approx(2)
    assert w.overload(ana, o(MON)) == 0
    assert [b.task_name for b in w.causes(ana, o(MON + D))] == ["Design", "Copy"]
    assert w.causes(ana, o(MON + D))[0].task_id == design


def test_leave_moves_the_task_so_nothing_is_booked_on_it(store: Store) -> None:
    ana = member(store, "Ana")
    pid = project(store)
    store.apply(AddLeave(ana, MON, MON))
    task(store, pid, "Design", MON, 1, {ana: 8})
    w = Workload(store.session)
    assert w.assigned(ana, o(MON)) == 0
    assert w.assigned(ana, o(MON + D)) == 8  # the engine moved it past her leave


def test_work_nobody_is_on_books_the_unassigned_row(store: Store) -> None:
    pid = project(store)
    task(store, pid, "Research", MON, 2)
    task(store, pid, "Kick-off", MON, 0, milestone=True)
    w = Workload(store.session)
    assert w.assigned(UNASSIGNED, o(MON)) == 8
    assert w.overload(UNASSIGNED, o(MON)) == 0
    assert [b.task_name for b in w.bookings_of(UNASSIGNED)] == ["Research"]


def test_part_timer_booked_on_a_day_off_is_over_allocated(store: Store) -> None:
    bea = member(store, "Bea", 24, "012")
    pid = project(store)
    task(store, pid, "Review", MON + 3 * D, 1, {bea: 3})  # a Thursday
    w = Workload(store.session)
    assert w.capacity(bea, o(MON)) == 8
    assert w.overload(bea, o(MON + 3 * D)) == 3


def test_weeks_and_months_sum_their_days(store: Store) -> None:
    ana = member(store, "Ana")
    pid = project(store)
    task(store, pid, "Design", MON, 2, {ana: 10})
    w = Workload(store.session)
    weeks = buckets(MON + 2 * D, MON + 9 * D, Zoom.WEEK)
    assert weeks[0] == (MON, MON + 6 * D) and len(weeks) == 2
    week = cell(w, ana, *weeks[0])
    assert (week.assigned, week.capacity, week.working_days) == (20, 40, 5)
    assert week.over and week.overload == 4 and len(week.over_days) == 2
    months = buckets(MON, MON + 40 * D, Zoom.MONTH)
    assert months[0] == (date(2027, 3, 1), date(2027, 3, 31)) and months[1][0] == date(2027, 4, 1)
    assert cell(w, ana, *months[0]).capacity == 23 * 8


def test_who_is_free_lists_who_could_take_it_best_fit_first(store: Store) -> None:
    ana, ben, cy = member(store, "Ana"), member(store, "Ben"), member(store, "Cy", 16, "01")
    designer = member(store, "Designer (to hire)", placeholder=True)
    pid = project(store)
    task(store, pid, "Design", MON, 5, {ana: 6})
    store.apply(AddLeave(ben, MON + 3 * D, MON + 4 * D))
    w = Workload(store.session)
    found = who_is_free(w, MON, MON + 4 * D, 20)
    names = [(a.person.name, a.free_hours, a.fits) for a in found]
    # Those who can take it first (real people before a placeholder), then who could help.
    assert names == [
        ("Ben", 24, True),
        ("Designer (to hire)", 40, True),
        ("Cy", 16, False),
        ("Ana", 10, False),
    ]
    assert found[1].person.id == designer and found[2].person.id == cy


def test_refresh_follows_an_edit_and_its_undo(store: Store) -> None:
    ana, ben = member(store, "Ana"), member(store, "Ben")
    pid = project(store)
    tid = task(store, pid, "Design", MON, 1, {ana: 8})
    w = Workload(store.session, store.schedules)
    from db.workload.operations import MoveAndReassign

    op = MoveAndReassign(tid, MON + D, ana, ben)
    changes = store.apply(op)
    assert w.refresh(changes)
    assert w.assigned(ana, o(MON)) == 0 and w.assigned(ben, o(MON + D)) == 8
    w.refresh(store.revert(op))
    assert w.assigned(ana, o(MON)) == 8 and w.assigned(ben, o(MON + D)) == 0
    store.apply(EditMember(ben, {"weekly_capacity_hours": 20}))
    w.refresh(None)
    assert w.capacity(ben, o(MON)) == 4


def test_working_days_read_and_write_as_people_type_them() -> None:
    assert parse_weekdays("Mon\u2013Fri") == "01234"
    assert parse_weekdays("mon - wed, fri") == "0124"
    assert parse_weekdays("Tu Th") == "13"
    assert weekdays_text("01234") == "Mon\u2013Fri" and weekdays_text("13") == "Tue Thu"
    with pytest.raises(ValidationError, match="Working days"):
        parse_weekdays("")


def test_a_members_working_days_are_edited_as_text(store: Store) -> None:
    ana = member(store, "Ana")
    store.apply(EditMember(ana, {"working_days": "Mon-Thu"}))
    assert store.get(TeamMember, ana).working_days == "0123"  # type: ignore[union-attr]


def test_work_long_ago_counts_against_that_days_capacity(store: Store) -> None:
    ana = member(store, "Ana")
    long_ago = date(2019, 3, 4)  # a Monday
    task(store, project(store), "Archive", long_ago, 1, {ana: 8})
    w = Workload(store.session)
    assert w.capacity(ana, o(long_ago)) == 8 and not w.overload(ana, o(long_ago))
